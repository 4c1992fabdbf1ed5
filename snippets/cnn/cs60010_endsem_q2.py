from dlref.cnn import preactivation_block_table, preactivation_bottleneck_table

# The givens, as the question states them.
channels, kernel = 512, (3, 3)                  # residual block: BN -> ReLU -> 3x3 conv, 512 -> 512
bottleneck_channels = 128                       # bottleneck: 1x1 512 -> 128, 3x3 128 -> 128, 1x1 128 -> 512
reduce_kernel = (1, 1)

plain = preactivation_block_table(channels, kernel_size=kernel[0])
bottleneck = preactivation_bottleneck_table(channels, bottleneck_channels=bottleneck_channels)


def split(table):
    conv = sum(layer.parameters for layer in table if layer.name.startswith("conv"))
    batchnorm = sum(layer.parameters for layer in table if layer.name.startswith("bn"))
    return conv, batchnorm


plain_conv, plain_bn = split(plain)
bottleneck_conv, bottleneck_bn = split(bottleneck)
assert (plain_conv, plain_bn) == (2_359_296, 1_024)                 # 512*512*3*3 ; 2*512
assert (bottleneck_conv, bottleneck_bn) == (278_528, 1_536)         # 65,536 + 147,456 + 65,536 ; 2*(512+128+128)
plain_total, bottleneck_total = plain_conv + plain_bn, bottleneck_conv + bottleneck_bn
assert (plain_total, bottleneck_total) == (2_360_320, 280_064)
ratio = round(plain_total / bottleneck_total, 1)
assert ratio == 8.4  # the bottleneck is ~8x cheaper

# The bottleneck's three stages: (kernel, in, out, BatchNorm parameters, conv parameters)
shapes = [(reduce_kernel, channels, bottleneck_channels), (kernel, bottleneck_channels, bottleneck_channels),
          (reduce_kernel, bottleneck_channels, channels)]
stages = [(k, c_in, c_out, bn.parameters, conv.parameters)
          for (k, c_in, c_out), bn, conv in zip(shapes, bottleneck[0::2], bottleneck[1::2])]
assert [row[3:] for row in stages] == [(1_024, 65_536), (256, 147_456), (256, 65_536)]

# The printed key gives the same four numbers (conv and BN separately).
PRINTED = (2_359_296, 1_024, 278_528, 1_536)
assert (plain_conv, plain_bn, bottleneck_conv, bottleneck_bn) == PRINTED

# If the convolutions had biases: +512 and +(128 + 128 + 512)
with_bias = [sum(l.parameters for l in t)
             for t in (preactivation_block_table(channels, conv_bias=True),
                       preactivation_bottleneck_table(channels, bottleneck_channels, conv_bias=True))]
assert with_bias == [2_360_832, 280_832]
