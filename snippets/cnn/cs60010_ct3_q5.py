from dlref.cnn import conv2d_multiplications, conv2d_output_shape, depthwise_separable_multiplications

# Depthwise step: one 4x4 filter per input channel, stride 1, padding 1
depthwise_hw = conv2d_output_shape((200, 200), kernel_size=4, stride=1, padding=1)
assert (*depthwise_hw, 3) == (199, 199, 3)      # (200 + 2*1 - 4) / 1 + 1 = 199
# Pointwise step: ten 1x1x3 filters, no padding, spatial size unchanged
pointwise_shape = (*depthwise_hw, 10)
assert pointwise_shape == (199, 199, 10)

mults = depthwise_separable_multiplications((200, 200), in_channels=3, out_channels=10,
                                            kernel_size=4, stride=1, padding=1)
assert mults.depthwise == 199 * 199 * 3 * 4 * 4 == 1_900_848
assert mults.pointwise == 199 * 199 * 10 * 3 == 1_188_030
assert mults.total == 3_088_878

# For comparison: a standard 4x4 conv with 10 filters costs about 6x more
standard = conv2d_multiplications((200, 200), 3, 10, kernel_size=4, stride=1, padding=1)
assert standard == 19_008_480
