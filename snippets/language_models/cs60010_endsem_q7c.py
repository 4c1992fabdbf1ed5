from dlref.language_models import vit_input_parameter_count

image, patch, channels, d_model = 224, 8, 3, 512
vit = vit_input_parameter_count(image, patch, channels, d_model, class_token=True)
assert vit.num_patches == 224 * 224 // (8 * 8) == 784
positional = vit.positional
assert positional == (1 + 784) * 512 == 401_920
patch_weights = vit.patch_weights
patch_dim = patch * patch * channels
assert patch_dim == 192 and patch_weights == 192 * 512 == 98_304
with_bias = vit.patch_weights + vit.patch_biases
with_cls = with_bias + vit.class_token
assert (with_bias, with_cls) == (98_816, 99_328)

# The scan's key.
PRINTED_PATCHES, PRINTED_POSITIONAL, PRINTED_INPUT = 784, 40_920, 36_864
assert vit.num_patches == PRINTED_PATCHES
assert positional != PRINTED_POSITIONAL                 # (1 + 784) * 512 has six digits
for reading in (patch_weights, with_bias, with_cls, patch_weights + vit.class_token):
    assert reading != PRINTED_INPUT                     # no count of the input layer gives 36,864
assert int(str(positional).replace("1", "", 1)) == PRINTED_POSITIONAL   # 401,920 without its "1"
# What 36,864 is: 72 * 512, or 192 * 192 (the patch mapped to its own size, not to d_model = 512).
printed_factor = PRINTED_INPUT // d_model
assert printed_factor * d_model == PRINTED_INPUT == patch_dim * patch_dim and printed_factor == 72
