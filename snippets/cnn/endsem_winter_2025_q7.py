from dlref.cnn import conv_output_size, effective_kernel_size

span = effective_kernel_size(kernel_size=3, dilation=2)  # taps at 0, 2, 4
assert span == 5
size = conv_output_size(7, kernel_size=3, stride=1, padding=0, dilation=2)
assert (size, size) == (3, 3)

options = {"a": (3, 3), "b": (5, 5), "c": (7, 7), "d": (9, 9)}
answer = [letter for letter, shape in options.items() if shape == (size, size)]
assert answer == ["a"]

# Where the wrong options come from:
assert conv_output_size(7, kernel_size=3) == 5                        # (b) dilation ignored
assert conv_output_size(7, kernel_size=3, padding=2, dilation=2) == 7  # (c) 'same' padding assumed
assert conv_output_size(7, kernel_size=3, padding=2) == 9             # (d) a "full" conv, no dilation
