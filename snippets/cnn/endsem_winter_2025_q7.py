from dlref.cnn import conv_output_size, effective_kernel_size

# The givens, as the question states them (stride 1 and no padding: the defaults).
kernel, dilation, image = (3, 3), 2, (7, 7)
stride, padding = 1, 0
k, d, n = kernel[0], dilation, image[0]

span = effective_kernel_size(kernel_size=k, dilation=d)  # taps at 0, 2, 4
assert span == 5
size = conv_output_size(n, kernel_size=k, stride=stride, padding=padding, dilation=d)
output = (size, size)
assert output == (3, 3)

options = {"a": (3, 3), "b": (5, 5), "c": (7, 7), "d": (9, 9)}
answer = [letter for letter, shape in options.items() if shape == output]
assert answer == ["a"]

# Where the wrong options come from:
undilated = conv_output_size(n, kernel_size=k)                         # (b) dilation ignored
same_padded = conv_output_size(n, kernel_size=k, padding=d, dilation=d)  # (c) 'same' padding assumed
full = conv_output_size(n, kernel_size=k, padding=k - 1)               # (d) a "full" conv, no dilation
assert (undilated, same_padded, full) == (5, 7, 9)
assert [(m, m) for m in (undilated, same_padded, full)] == [options["b"], options["c"], options["d"]]
