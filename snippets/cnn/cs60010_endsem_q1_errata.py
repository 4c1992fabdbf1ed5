from dlref.cnn import vgg_layer_table

table = vgg_layer_table("VGG-19")
layers = {layer.name: layer for layer in table}
convs = [layer for layer in table if layer.name.startswith("conv")]

# Printed arithmetic that is wrong:
PRINTED_CONV2 = 36_384        # "64 x 64 x 3 x 3 = 36,384"
PRINTED_512_512 = 2_359_256   # "512 x 512 x 3 x 3 = 2,359,256" (four times)
conv2_weights, conv512_weights = layers["conv2"].weights, layers["conv10"].weights
assert conv2_weights == 64 * 64 * 3 * 3 == 36_864 != PRINTED_CONV2
assert conv512_weights == 512 * 512 * 3 * 3 == 2_359_296 != PRINTED_512_512
# ... the left-open first line: "3 x 64 x 3 x 3 = x"
conv1_weights = layers["conv1"].weights
assert conv1_weights == 3 * 64 * 3 * 3 == 1_728

# The printed layer sequence (in, out) is right: it is VGG-19's first 13 convolutions ...
PRINTED_CHANNELS = [(3, 64), (64, 64), (64, 128), (128, 128), (128, 256), (256, 256), (256, 256),
                    (256, 256), (256, 512), (512, 512), (512, 512), (512, 512), (512, 512)]
printed_widths = [c_out for _, c_out in PRINTED_CHANNELS]
channels = [(layer.weights // (9 * layer.biases), layer.biases) for layer in convs]
assert channels[:len(PRINTED_CHANNELS)] == PRINTED_CHANNELS
# ... but the key stops there: 13 of the 19 weight layers, without conv14-16 and the dense layers.
PRINTED_LAYERS = len(PRINTED_CHANNELS)
weight_layers = sum(1 for layer in table if layer.parameters)
assert (PRINTED_LAYERS, weight_layers) == (13, 19) and PRINTED_LAYERS != weight_layers
total = sum(layer.parameters for layer in table)
left_out = sum(layer.parameters for layer in table if layer.parameters)  \
    - sum(layer.parameters for layer in convs[:PRINTED_LAYERS])
left_out_share = round(100 * left_out / total)
assert left_out_share == 91
