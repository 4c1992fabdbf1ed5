from dlref.cnn import (conv2d_output_shape, conv2d_parameter_count, dense_parameter_count,
                       pool2d_output_shape)

conv1 = conv2d_output_shape((128, 128), kernel_size=5, stride=1, padding="same")
pool1 = pool2d_output_shape(conv1, kernel_size=2, stride=2)
conv2 = conv2d_output_shape(pool1, kernel_size=3, stride=1, padding="valid")
pool2 = pool2d_output_shape(conv2, kernel_size=2, stride=2)

# (height, width, channels) after each of the first four layers
shapes = [(*conv1, 16), (*pool1, 16), (*conv2, 32), (*pool2, 32)]
assert shapes == [(128, 128, 16), (64, 64, 16), (62, 62, 32), (31, 31, 32)]

flattened = 31 * 31 * 32
assert flattened == pool2[0] * pool2[1] * 32 == 30_752

conv1_params = conv2d_parameter_count(in_channels=3, out_channels=16, kernel_size=5)
assert (conv1_params.weights, conv1_params.biases, conv1_params.total) == (1_200, 16, 1_216)

# Not asked, but it is where the parameters are: the dense layer.
assert dense_parameter_count(flattened, 100).total == 3_075_300
