from dlref.cnn import vgg_layer_table

# The network of the missing figure: VGG-19 (Prince, Understanding Deep Learning, figure 10.17),
# a 224x224 RGB image in, 1000 class scores out.
network, image_size, in_channels, num_classes = "VGG-19", 224, 3, 1000
kernel = (3, 3)                                   # every VGG convolution: 3x3, stride 1, padding 1

table = vgg_layer_table(network, image_size=image_size, in_channels=in_channels, num_classes=num_classes)
weight_layers = [(layer.name, layer.weights, layer.biases) for layer in table if layer.parameters]
assert weight_layers == [
    ("conv1", 1_728, 64), ("conv2", 36_864, 64),
    ("conv3", 73_728, 128), ("conv4", 147_456, 128),
    ("conv5", 294_912, 256), ("conv6", 589_824, 256), ("conv7", 589_824, 256), ("conv8", 589_824, 256),
    ("conv9", 1_179_648, 512), ("conv10", 2_359_296, 512), ("conv11", 2_359_296, 512),
    ("conv12", 2_359_296, 512),
    ("conv13", 2_359_296, 512), ("conv14", 2_359_296, 512), ("conv15", 2_359_296, 512),
    ("conv16", 2_359_296, 512),
    ("fc17", 102_760_448, 4_096), ("fc18", 16_777_216, 4_096), ("fc19", 4_096_000, 1_000),
]
convs = [layer for layer in table if layer.name.startswith("conv")]
fcs = [layer for layer in table if layer.name.startswith("fc")]
assert (len(convs), len(fcs)) == (16, 3)

# The spatial size after the input and each of the five max pools; what the first dense layer receives
sizes = [image_size] + [layer.output_shape[0] for layer in table if layer.name.startswith("pool")]
assert sizes == [224, 112, 56, 28, 14, 7]
last_pool = table[-len(fcs) - 1].output_shape
flattened = last_pool[0] * last_pool[1] * last_pool[2]
assert last_pool == (7, 7, 512) and flattened == 25_088
widths = [layer.output_shape[2] for layer in convs]
assert widths == [64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512]
conv_channels = list(zip([in_channels] + widths[:-1], widths))   # (C_in, C_out) of conv1 ... conv16
assert conv_channels[8] == (256, 512) and set(conv_channels[9:]) == {(512, 512)}

conv_total = sum(layer.parameters for layer in convs)
fc_total = sum(layer.parameters for layer in fcs)
total = conv_total + fc_total
assert (conv_total, fc_total, total) == (20_024_384, 123_642_856, 143_667_240)  # Prince: "144 million"
fc_share = round(100 * fc_total / total)          # the dense layers hold most of the parameters
first_fc_share = round(100 * fcs[0].weights / total)
assert (fc_share, first_fc_share) == (86, 72)
