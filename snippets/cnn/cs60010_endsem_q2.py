from dlref.cnn import preactivation_block_table, preactivation_bottleneck_table

plain = preactivation_block_table(512, kernel_size=3)
bottleneck = preactivation_bottleneck_table(512, bottleneck_channels=128)


def split(table):
    conv = sum(layer.parameters for layer in table if layer.name.startswith("conv"))
    batchnorm = sum(layer.parameters for layer in table if layer.name.startswith("bn"))
    return conv, batchnorm


assert split(plain) == (2_359_296, 1_024)             # 512*512*3*3 ; 2*512
assert split(bottleneck) == (278_528, 1_536)          # 65,536 + 147,456 + 65,536 ; 2*(512+128+128)
plain_total, bottleneck_total = sum(split(plain)), sum(split(bottleneck))
assert (plain_total, bottleneck_total) == (2_360_320, 280_064)
assert round(plain_total / bottleneck_total, 1) == 8.4  # the bottleneck is ~8x cheaper

# The printed key gives the same four numbers (conv and BN separately).
PRINTED = (2_359_296, 1_024, 278_528, 1_536)
assert (*split(plain), *split(bottleneck)) == PRINTED

# If the convolutions had biases: +512 and +(128 + 128 + 512)
with_bias = [sum(l.parameters for l in t) for t in (preactivation_block_table(512, conv_bias=True),
                                                    preactivation_bottleneck_table(512, 128, conv_bias=True))]
assert with_bias == [2_360_832, 280_832]
