from dlref.cnn import conv2d_multiplications, conv2d_parameter_count, conv_output_size, receptive_field

dilations = (1, 2, 4)
params = [conv2d_parameter_count(64, 64, kernel_size=3).total for _ in dilations]  # d is not an argument
fields = [receptive_field([3], dilations=[d]) for d in dilations]
same_sizes = [conv_output_size(32, 3, padding=d, dilation=d) for d in dilations]   # padding d keeps the size
valid_sizes = [conv_output_size(32, 3, padding=0, dilation=d) for d in dilations]
cost_per_output = [conv2d_multiplications(32, 64, 64, 3, padding=d, dilation=d) // (32 * 32 * 64)
                   for d in dilations]

assert params == [36_928, 36_928, 36_928]
assert fields == [3, 5, 9]
assert same_sizes == [32, 32, 32] and valid_sizes == [30, 28, 24]
assert cost_per_output == [576, 576, 576]  # 3 * 3 * 64 multiplications per output value, for every d

options = {
    "a": params[-1] > params[0],                 # more parameters?
    "b": fields[-1] > fields[0],                 # larger receptive field?
    "c": cost_per_output[-1] < cost_per_output[0],  # cheaper (our reading of the garbled option)?
    "d": max(same_sizes + valid_sizes) > 32,     # larger activation map?
}
answer = [letter for letter, holds in options.items() if holds]
assert answer == ["b"]

PRINTED_KEY = "c"
assert answer != [PRINTED_KEY]
