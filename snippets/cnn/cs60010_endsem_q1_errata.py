from dlref.cnn import vgg_layer_table

table = {layer.name: layer for layer in vgg_layer_table()}

# Printed arithmetic that is wrong:
PRINTED_CONV2 = 36_384        # "64 x 64 x 3 x 3 = 36,384"
PRINTED_512_512 = 2_359_256   # "512 x 512 x 3 x 3 = 2,359,256" (four times)
assert table["conv2"].weights == 64 * 64 * 3 * 3 == 36_864 != PRINTED_CONV2
assert table["conv9"].weights == 512 * 512 * 3 * 3 == 2_359_296 != PRINTED_512_512
# ... and the left-open first line: "3 x 64 x 3 x 3 = x"
assert table["conv1"].weights == 3 * 64 * 3 * 3 == 1_728

# Printed layer sequence: the 256 -> 512 step comes one layer late (4 layers of 256, 5 of 512),
# which is no VGG at all; VGG-16 has 3 layers of 256 and 6 of 512.
PRINTED_CHANNELS = [(3, 64), (64, 64), (64, 128), (128, 128), (128, 256), (256, 256), (256, 256),
                    (256, 256), (256, 512), (512, 512), (512, 512), (512, 512), (512, 512)]
vgg16_channels = [(layer.weights // (9 * layer.biases), layer.biases)
                  for layer in table.values() if layer.name.startswith("conv")]
assert vgg16_channels[7] == (256, 512) != PRINTED_CHANNELS[7]
assert vgg16_channels != PRINTED_CHANNELS
# The printed key also stops at the 13 conv layers: the question asks for the dense layers too.
assert sum(1 for name in table if name.startswith("fc")) == 3
