from dlref.cnn import conv2d_multiplications, conv2d_parameter_count, conv_output_size, receptive_field

# An example layer: a 3x3 convolution, 64 -> 64 channels, on a 32x32 map, for three dilations.
k, channels, size = 3, 64, 32
dilations = (1, 2, 4)
params = [conv2d_parameter_count(channels, channels, kernel_size=k).total for _ in dilations]  # d is not an argument
fields = [receptive_field([k], dilations=[d]) for d in dilations]
same_sizes = [conv_output_size(size, k, padding=d, dilation=d) for d in dilations]   # padding d keeps the size
valid_sizes = [conv_output_size(size, k, padding=0, dilation=d) for d in dilations]
cost_per_output = [conv2d_multiplications(size, channels, channels, k, padding=d, dilation=d)
                   // (size * size * channels) for d in dilations]

assert params == [36_928, 36_928, 36_928]
assert fields == [3, 5, 9]
assert same_sizes == [32, 32, 32] and valid_sizes == [30, 28, 24]
assert cost_per_output == [576, 576, 576]  # 3 * 3 * 64 multiplications per output value, for every d

options = {
    "a": params[-1] > params[0],                 # more parameters?
    "b": fields[-1] > fields[0],                 # larger receptive field?
    "c": cost_per_output[-1] < cost_per_output[0],  # cheaper (our reading of the garbled option)?
    "d": max(same_sizes + valid_sizes) > size,   # larger activation map?
}
answer = [letter for letter, holds in options.items() if holds]
assert answer == ["b"]

PRINTED_KEY = "c"
assert answer != [PRINTED_KEY]
