from dlref.cnn import conv2d_multiplications, conv2d_output_shape, depthwise_separable_multiplications

# The givens, as the question states them.
image, in_channels = (200, 200), 3
kernel, stride, padding, out_channels = (4, 4), 1, 1, 10

# Depthwise step: one 4x4 filter per input channel; the padding is applied here only
depthwise_hw = conv2d_output_shape(image, kernel_size=kernel, stride=stride, padding=padding)
depthwise_shape = (*depthwise_hw, in_channels)
assert depthwise_shape == (199, 199, 3)      # (200 + 2*1 - 4) / 1 + 1 = 199
# Pointwise step: ten 1x1x3 filters, no padding, spatial size unchanged
pointwise_shape = (*depthwise_hw, out_channels)
assert pointwise_shape == (199, 199, 10)

mults = depthwise_separable_multiplications(image, in_channels=in_channels, out_channels=out_channels,
                                            kernel_size=kernel, stride=stride, padding=padding)
assert mults.depthwise == 199 * 199 * 3 * 4 * 4 == 1_900_848
assert mults.pointwise == 199 * 199 * 10 * 3 == 1_188_030
assert mults.total == 3_088_878

# For comparison: a standard 4x4 conv with 10 filters costs about 6x more
standard = conv2d_multiplications(image, in_channels, out_channels, kernel_size=kernel, stride=stride,
                                  padding=padding)
assert standard == 19_008_480
assert round(standard / mults.total) == 6
