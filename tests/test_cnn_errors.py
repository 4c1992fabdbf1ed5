"""Bad input to dlref.cnn raises TypeError (wrong kind) or ValueError (out of range), and the
message names the argument, so a student learns which input was wrong."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlref import cnn

X = np.zeros((2, 5, 5))          # (C, H, W)
W = np.zeros((4, 2, 3, 3))       # (C_out, C_in, k_h, k_w)
IMAGE, KERNEL = np.zeros((6, 6)), np.ones((3, 3))

CASES = [
    # --- shapes ------------------------------------------------------------------------------
    ("kernel larger than input", lambda: cnn.conv_output_size(3, 5), ValueError, "kernel_size"),
    ("dilated kernel larger than input", lambda: cnn.conv_output_size(4, 3, dilation=2), ValueError,
     "kernel_size"),
    ("kernel larger than padded input", lambda: cnn.conv_output_size(2, 5, padding=1), ValueError,
     "kernel_size"),
    ("zero stride", lambda: cnn.conv_output_size(5, 3, stride=0), ValueError, "stride"),
    ("negative stride", lambda: cnn.conv_output_size(5, 3, stride=-1), ValueError, "stride"),
    ("negative padding", lambda: cnn.conv_output_size(5, 3, padding=-1), ValueError, "padding"),
    ("float padding", lambda: cnn.conv_output_size(5, 3, padding=1.0), TypeError, "padding"),
    ("bool padding", lambda: cnn.conv_output_size(5, 3, padding=True), TypeError, "padding"),
    ("bad padding string", lambda: cnn.conv_output_size(5, 3, padding="full"), ValueError, "padding"),
    ("padding string in the wrong case", lambda: cnn.conv_output_size(5, 3, padding="SAME"),
     ValueError, "padding"),
    ("float kernel", lambda: cnn.conv_output_size(5, 3.0), TypeError, "kernel_size"),
    ("zero kernel", lambda: cnn.conv_output_size(5, 0), ValueError, "kernel_size"),
    ("bool input size", lambda: cnn.conv_output_size(True, 1), TypeError, "input_size"),
    ("zero input size", lambda: cnn.conv_output_size(0, 1), ValueError, "input_size"),
    ("zero dilation", lambda: cnn.conv_output_size(5, 3, dilation=0), ValueError, "dilation"),
    ("float stride with same", lambda: cnn.conv_output_size(5, 3, 2.0, "same"), TypeError, "stride"),
    ("float dilation", lambda: cnn.effective_kernel_size(3, dilation=1.5), TypeError, "dilation"),
    ("negative kernel", lambda: cnn.effective_kernel_size(-3), ValueError, "kernel_size"),
    ("three input sizes", lambda: cnn.conv2d_output_shape((5, 5, 5), 3), ValueError, "input_hw"),
    ("bad second kernel size", lambda: cnn.conv2d_output_shape((5, 5), (3, 0)), ValueError,
     r"kernel_size\[1\]"),
    ("bad second padding", lambda: cnn.conv2d_output_shape(5, 3, padding=(1, -1)), ValueError,
     r"padding\[1\]"),
    ("float in a stride pair", lambda: cnn.conv2d_output_shape(5, 3, stride=(1, 2.5)), TypeError,
     r"stride\[1\]"),
    ("kernel taller than the image", lambda: cnn.conv2d_output_shape((2, 9), 3), ValueError,
     "kernel_size"),
    ("bad padding string 2-D", lambda: cnn.conv2d_output_shape(5, 3, padding="full"), ValueError,
     "padding"),
    ("int ceil_mode", lambda: cnn.pool2d_output_shape(4, 2, ceil_mode=1), TypeError, "ceil_mode"),
    ("pool window larger than input", lambda: cnn.pool2d_output_shape(3, 4), ValueError,
     "kernel_size"),
    ("pool window larger than input, ceil", lambda: cnn.pool2d_output_shape(3, 5, 1, ceil_mode=True),
     ValueError, "kernel_size"),
    ("zero pool stride", lambda: cnn.pool2d_output_shape(4, 2, stride=0), ValueError, "stride"),
    ("negative pool padding, ceil", lambda: cnn.pool2d_output_shape(4, 2, padding=-1, ceil_mode=True),
     ValueError, "padding"),
    ("output_padding equal to stride",
     lambda: cnn.conv_transpose_output_size(4, 3, stride=2, output_padding=2), ValueError,
     "output_padding"),
    ("output_padding with stride 1", lambda: cnn.conv_transpose_output_size(4, 3, output_padding=1),
     ValueError, "output_padding"),
    ("negative output_padding", lambda: cnn.conv_transpose_output_size(4, 3, output_padding=-1),
     ValueError, "output_padding"),
    ("padding crops the whole output", lambda: cnn.conv_transpose_output_size(1, 1, padding=1),
     ValueError, "padding"),
    ("float transposed stride", lambda: cnn.conv_transpose_output_size(4, 3, stride=2.0), TypeError,
     "stride"),
    # --- counts ------------------------------------------------------------------------------
    ("in_channels not divisible by groups", lambda: cnn.conv2d_parameter_count(6, 4, 3, groups=4),
     ValueError, "in_channels=6 must be divisible by groups=4"),
    ("out_channels not divisible by groups", lambda: cnn.conv2d_parameter_count(4, 6, 3, groups=4),
     ValueError, "out_channels=6 must be divisible by groups"),
    ("zero groups", lambda: cnn.conv2d_parameter_count(4, 4, 3, groups=0), ValueError, "groups"),
    ("int bias", lambda: cnn.conv2d_parameter_count(3, 4, 3, bias=1), TypeError, "bias"),
    ("float channels", lambda: cnn.conv2d_parameter_count(3.0, 4, 3), TypeError, "in_channels"),
    ("zero out channels", lambda: cnn.conv2d_parameter_count(3, 0, 3), ValueError, "out_channels"),
    ("kernel triple", lambda: cnn.conv2d_parameter_count(3, 4, (3, 3, 3)), ValueError, "kernel_size"),
    ("transposed groups", lambda: cnn.conv_transpose2d_parameter_count(4, 6, 3, groups=4),
     ValueError, "out_channels"),
    ("transposed int bias", lambda: cnn.conv_transpose2d_parameter_count(4, 6, 3, bias=0), TypeError,
     "bias"),
    ("separable zero in", lambda: cnn.depthwise_separable_parameter_count(0, 4, 3), ValueError,
     "in_channels"),
    ("separable zero out", lambda: cnn.depthwise_separable_parameter_count(3, 0, 3), ValueError,
     "out_channels"),
    ("zero depth multiplier", lambda: cnn.depthwise_separable_parameter_count(3, 4, 3, 0), ValueError,
     "depth_multiplier"),
    ("separable int bias", lambda: cnn.depthwise_separable_parameter_count(3, 4, 3, bias=1), TypeError,
     "bias"),
    ("dense zero in", lambda: cnn.dense_parameter_count(0, 3), ValueError, "in_features"),
    ("dense float out", lambda: cnn.dense_parameter_count(3, 2.0), TypeError, "out_features"),
    ("dense int bias", lambda: cnn.dense_parameter_count(3, 2, bias=1), TypeError, "bias"),
    ("batchnorm zero", lambda: cnn.batchnorm_parameter_count(0), ValueError, "num_features"),
    ("multiplications groups", lambda: cnn.conv2d_multiplications((5, 5), 3, 4, 3, groups=2),
     ValueError, "in_channels=3 must be divisible"),
    ("multiplications kernel too large", lambda: cnn.conv2d_multiplications((2, 2), 3, 4, 3),
     ValueError, "kernel_size"),
    ("multiplications zero stride", lambda: cnn.conv2d_multiplications(5, 3, 4, 3, stride=0),
     ValueError, "stride"),
    ("separable multiplications zero out",
     lambda: cnn.depthwise_separable_multiplications((5, 5), 3, 0, 3), ValueError, "out_channels"),
    ("separable multiplications float stride",
     lambda: cnn.depthwise_separable_multiplications((5, 5), 3, 2, 3, stride=1.0), TypeError, "stride"),
    ("vgg zero image size", lambda: cnn.vgg_layer_table(image_size=0), ValueError, "image_size"),
    ("vgg zero in_channels", lambda: cnn.vgg_layer_table(in_channels=0), ValueError, "in_channels"),
    ("vgg unknown config entry", lambda: cnn.vgg_layer_table(config=(64, "X")), TypeError,
     "config entry"),
    ("vgg unknown name", lambda: cnn.vgg_layer_table("VGG-18"), ValueError, "config"),
    ("vgg zero hidden width", lambda: cnn.vgg_layer_table(hidden_features=(0,)), ValueError,
     "features"),
    ("block zero channels", lambda: cnn.preactivation_block_table(0), ValueError, "channels"),
    ("block int conv_bias", lambda: cnn.preactivation_block_table(8, conv_bias=0), TypeError,
     "conv_bias"),
    ("block float kernel", lambda: cnn.preactivation_block_table(8, 3.0), TypeError, "kernel_size"),
    ("bottleneck zero channels", lambda: cnn.preactivation_bottleneck_table(0, 4), ValueError,
     "channels"),
    ("bottleneck zero width", lambda: cnn.preactivation_bottleneck_table(8, 0), ValueError,
     "bottleneck_channels"),
    ("bottleneck int conv_bias", lambda: cnn.preactivation_bottleneck_table(8, 4, conv_bias=1),
     TypeError, "conv_bias"),
    # --- receptive field ---------------------------------------------------------------------
    ("empty kernel_sizes", lambda: cnn.receptive_field([]), ValueError, "kernel_sizes"),
    ("int kernel_sizes", lambda: cnn.receptive_field(3), ValueError, "kernel_sizes"),
    ("string kernel_sizes", lambda: cnn.receptive_field("33"), ValueError, "kernel_sizes"),
    ("too few strides", lambda: cnn.receptive_field([3, 3], [1]), ValueError, "strides"),
    ("too many dilations", lambda: cnn.receptive_field([3, 3], dilations=[1, 1, 1]), ValueError,
     "dilations"),
    ("zero stride in the stack", lambda: cnn.receptive_field([3, 3], [1, 0]), ValueError,
     r"strides\[1\]"),
    ("zero kernel in the stack", lambda: cnn.receptive_field([3, 0]), ValueError, "kernel_size"),
    ("zero dilation in the stack", lambda: cnn.receptive_field([3], dilations=[0]), ValueError,
     "dilation"),
    ("float kernel in the stack", lambda: cnn.receptive_field([3, 2.5]), TypeError, "kernel_size"),
    # --- operations --------------------------------------------------------------------------
    ("1-D image", lambda: cnn.conv2d(np.zeros(5), np.zeros((3, 3))), ValueError, "x must have"),
    ("5-D weight", lambda: cnn.conv2d(X, np.zeros((1, 1, 1, 3, 3))), ValueError, "weight must have"),
    ("empty image", lambda: cnn.conv2d(np.zeros((0, 3)), np.zeros((1, 1))), ValueError, "x must not"),
    ("non-numeric image", lambda: cnn.conv2d([["a", "b"]], np.zeros((1, 1))), TypeError, "x must be"),
    ("2-D image with 4-D weight", lambda: cnn.conv2d(np.zeros((5, 5)), W), ValueError,
     "x and weight"),
    ("mismatched channels", lambda: cnn.conv2d(np.zeros((3, 5, 5)), W), ValueError, "weight has 2"),
    ("channels not divisible by groups", lambda: cnn.conv2d(np.zeros((4, 5, 5)), W, groups=3),
     ValueError, "groups=3"),
    ("weight too small for groups", lambda: cnn.conv2d(np.zeros((4, 5, 5)), W, groups=4), ValueError,
     "weight has 2 input channels per group"),
    ("same with stride 2", lambda: cnn.conv2d(X, W, padding="same", stride=2), ValueError,
     "padding='same' needs stride 1"),
    ("bad padding string", lambda: cnn.conv2d(X, W, padding="full"), ValueError, "padding"),
    ("'same' in a transposed conv", lambda: cnn.conv_transpose2d(X, np.zeros((2, 4, 3, 3)), padding="same"), ValueError, "padding"),
    ("negative padding", lambda: cnn.conv2d(X, W, padding=-1), ValueError, "padding"),
    ("wrong bias length", lambda: cnn.conv2d(X, W, bias=np.zeros(3)), ValueError, "bias"),
    ("2-D bias", lambda: cnn.conv2d(X, W, bias=np.zeros((4, 1))), ValueError, "bias"),
    ("kernel larger than image", lambda: cnn.conv2d(np.zeros((2, 2, 2)), W), ValueError,
     "kernel_size"),
    ("zero stride", lambda: cnn.conv2d(X, W, stride=0), ValueError, "stride"),
    ("float dilation", lambda: cnn.conv2d(X, W, dilation=1.0), TypeError, "dilation"),
    ("bool groups", lambda: cnn.conv2d(X, np.zeros((4, 2, 3, 3)), groups=True), TypeError, "groups"),
    ("transposed mismatched channels",
     lambda: cnn.conv_transpose2d(np.zeros((2, 3, 3)), np.zeros((3, 1, 2, 2))), ValueError,
     "weight has 3 input channels"),
    ("transposed 2-D image, 4-D weight",
     lambda: cnn.conv_transpose2d(np.zeros((3, 3)), np.zeros((1, 1, 2, 2))), ValueError,
     "x and weight"),
    ("transposed output_padding too large",
     lambda: cnn.conv_transpose2d(np.zeros((3, 3)), np.zeros((2, 2)), output_padding=1), ValueError,
     "output_padding"),
    ("transposed negative padding",
     lambda: cnn.conv_transpose2d(np.zeros((3, 3)), np.zeros((2, 2)), padding=-1), ValueError,
     "padding"),
    ("transposed wrong bias",
     lambda: cnn.conv_transpose2d(np.zeros((1, 3, 3)), np.zeros((1, 2, 2, 2)), bias=np.zeros(3)),
     ValueError, "bias"),
    ("transposed float stride",
     lambda: cnn.conv_transpose2d(np.zeros((3, 3)), np.zeros((2, 2)), stride=2.0), TypeError, "stride"),
    ("pooling a 3-D array", lambda: cnn.max_pool2d(np.zeros((1, 4, 4)), 2), ValueError, "x must have"),
    ("pool window larger than x", lambda: cnn.max_pool2d(np.zeros((4, 4)), 5), ValueError,
     "kernel_size"),
    ("pool zero stride", lambda: cnn.max_pool2d(np.zeros((4, 4)), 2, stride=0), ValueError, "stride"),
    ("pool float kernel", lambda: cnn.max_pool2d(np.zeros((4, 4)), 2.0), TypeError, "kernel_size"),
    ("saliency 3-D image", lambda: cnn.deconvnet_saliency(np.zeros((6, 6, 1)), KERNEL), ValueError,
     "image"),
    ("saliency 1-D kernel", lambda: cnn.deconvnet_saliency(IMAGE, np.ones(3)), ValueError, "kernel"),
    ("saliency kernel larger than image", lambda: cnn.deconvnet_saliency(IMAGE, np.ones((7, 7))),
     ValueError, "kernel_size"),
    ("saliency zero pool_size", lambda: cnn.deconvnet_saliency(IMAGE, KERNEL, pool_size=0),
     ValueError, "pool_size"),
    ("saliency float pool_size", lambda: cnn.deconvnet_saliency(IMAGE, KERNEL, pool_size=2.0),
     TypeError, "pool_size"),
    ("saliency pool larger than the conv output",
     lambda: cnn.deconvnet_saliency(IMAGE, KERNEL, pool_size=5), ValueError, "pool_size"),
    ("causal 2-D x", lambda: cnn.causal_conv1d(np.zeros((2, 2)), np.ones(2)), ValueError, "x must have"),
    ("causal 2-D weight", lambda: cnn.causal_conv1d(np.zeros(4), np.ones((2, 2))), ValueError,
     "weight must have"),
    ("causal empty weight", lambda: cnn.causal_conv1d(np.zeros(4), []), ValueError, "weight must not"),
    ("causal zero dilation", lambda: cnn.causal_conv1d(np.zeros(4), np.ones(2), 0), ValueError,
     "dilation"),
    ("causal bool dilation", lambda: cnn.causal_conv1d(np.zeros(4), np.ones(2), True), TypeError,
     "dilation"),
]


@pytest.mark.parametrize("call, error, match", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_input_raises_and_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_torch_refuses_the_same_out_of_range_settings():
    # the range rules are PyTorch's: the same bad settings make PyTorch refuse as well
    with pytest.raises(RuntimeError):
        F.conv2d(torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 3, 3), dilation=2)  # span 5 > 4
    with pytest.raises(RuntimeError, match="output padding"):
        F.conv_transpose2d(torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 3, 3), stride=2,
                           output_padding=2)
    with pytest.raises(RuntimeError):
        F.conv2d(torch.zeros(1, 4, 5, 5), torch.zeros(4, 2, 3, 3), groups=3)
    with pytest.raises(RuntimeError, match="same"):
        F.conv2d(torch.zeros(1, 2, 5, 5), torch.zeros(4, 2, 3, 3), stride=2, padding="same")
    with pytest.raises(RuntimeError):
        F.conv2d(torch.zeros(1, 2, 5, 5), torch.zeros(4, 2, 3, 3), stride=0)
    with pytest.raises(RuntimeError):
        F.max_pool2d(torch.zeros(1, 1, 3, 3), 4)


def test_valid_edge_cases_are_not_refused():
    # the boundaries of the rules above, on the allowed side
    assert cnn.conv_output_size(5, 5) == F.conv2d(torch.zeros(1, 1, 5, 5),
                                                  torch.zeros(1, 1, 5, 5)).shape[-1] == 1
    assert cnn.conv_output_size(3, 5, padding=1) == 1
    assert cnn.conv_transpose_output_size(4, 3, stride=2, output_padding=1) == F.conv_transpose2d(
        torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 3, 3), stride=2, output_padding=1).shape[-1]
    # output_padding may reach up to the dilation when that is larger than the stride
    assert cnn.conv_transpose_output_size(4, 3, stride=1, output_padding=1, dilation=2) == \
        F.conv_transpose2d(torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 3, 3), output_padding=1,
                           dilation=2).shape[-1]
    assert cnn.conv2d_parameter_count(np.int64(4), np.int64(8), 3).total == 4 * 8 * 9 + 8
    assert cnn.deconvnet_saliency(IMAGE, KERNEL, pool_size=4).shape == IMAGE.shape


def test_pool_padding_over_half_the_window_is_refused_as_in_pytorch():
    import torch
    import torch.nn.functional as F

    with pytest.raises(RuntimeError):
        F.max_pool2d(torch.zeros(1, 1, 6, 6), kernel_size=2, padding=2)
    with pytest.raises(ValueError, match="padding"):
        cnn.pool2d_output_shape(6, kernel_size=2, padding=2)


def test_vgg_image_too_small_for_its_pools_names_image_size():
    with pytest.raises(ValueError, match="image_size"):
        cnn.vgg_layer_table(image_size=16)
