from dlref.cnn import (conv2d_output_shape, conv2d_parameter_count, dense_parameter_count,
                       pool2d_output_shape)

# The givens, as the question states them.
image, in_channels = (128, 128), 3
conv1_filters, conv1_kernel, conv1_stride = 16, (5, 5), 1
pool_window, pool_stride = (2, 2), 2
conv2_filters, conv2_kernel, conv2_stride = 32, (3, 3), 1
dense_units = 100

conv1 = conv2d_output_shape(image, kernel_size=conv1_kernel, stride=conv1_stride, padding="same")
pool1 = pool2d_output_shape(conv1, kernel_size=pool_window, stride=pool_stride)
conv2 = conv2d_output_shape(pool1, kernel_size=conv2_kernel, stride=conv2_stride, padding="valid")
pool2 = pool2d_output_shape(conv2, kernel_size=pool_window, stride=pool_stride)

# (height, width, channels) after each of the first four layers
shapes = [(*conv1, conv1_filters), (*pool1, conv1_filters), (*conv2, conv2_filters), (*pool2, conv2_filters)]
assert shapes == [(128, 128, 16), (64, 64, 16), (62, 62, 32), (31, 31, 32)]

flattened = pool2[0] * pool2[1] * conv2_filters
assert flattened == 30_752

conv1_params = conv2d_parameter_count(in_channels, conv1_filters, kernel_size=conv1_kernel)
assert (conv1_params.weights, conv1_params.biases, conv1_params.total) == (1_200, 16, 1_216)

# Not asked, but it is where the parameters are: the dense layer.
dense_params = dense_parameter_count(flattened, dense_units).total
dense_to_conv1 = round(dense_params / conv1_params.total, -2)
assert (dense_params, dense_to_conv1) == (3_075_300, 2_500)
