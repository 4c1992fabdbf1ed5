from dlref.cnn import VGG16, vgg_layer_table

table = vgg_layer_table(VGG16, image_size=224, in_channels=3, num_classes=1000)
weight_layers = [(layer.name, layer.weights, layer.biases) for layer in table if layer.parameters]
assert weight_layers == [
    ("conv1", 1_728, 64), ("conv2", 36_864, 64),
    ("conv3", 73_728, 128), ("conv4", 147_456, 128),
    ("conv5", 294_912, 256), ("conv6", 589_824, 256), ("conv7", 589_824, 256),
    ("conv8", 1_179_648, 512), ("conv9", 2_359_296, 512), ("conv10", 2_359_296, 512),
    ("conv11", 2_359_296, 512), ("conv12", 2_359_296, 512), ("conv13", 2_359_296, 512),
    ("fc14", 102_760_448, 4_096), ("fc15", 16_777_216, 4_096), ("fc16", 4_096_000, 1_000),
]
conv_total = sum(layer.parameters for layer in table if layer.name.startswith("conv"))
fc_total = sum(layer.parameters for layer in table if layer.name.startswith("fc"))
assert table[-4].output_shape == (7, 7, 512)            # what the first dense layer receives
assert (conv_total, fc_total) == (14_714_688, 123_642_856)
assert conv_total + fc_total == 138_357_544             # 89% of it in the dense layers
assert sum(1 for layer in table if layer.name.startswith("conv")) == 13
assert round(100 * table[-3].weights / (conv_total + fc_total)) == 74   # fc14 alone
assert round(100 * fc_total / (conv_total + fc_total)) == 89
