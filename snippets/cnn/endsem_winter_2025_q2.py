import numpy as np

from dlref.cnn import conv2d, conv2d_weight_gradient

x = np.array([[1.0, 2.0],
              [3.0, 4.0]])           # reconstructed input (the scan shows only its 2x2 shape)
kernel = np.array([[0.5, -1.0],
                   [2.0, 0.25]])     # any values of a, b, c, d: the answer does not depend on them

a, b, c, d = kernel.ravel()
# PyTorch's convention (cross-correlation): Y = a*1 + b*2 + c*3 + d*4, one output with 'valid'
y = conv2d(x, kernel)
assert y.shape == (1, 1)
Y = y[0, 0]
position = (1, 1)                    # counted from 1: the only output
dy_dkernel = conv2d_weight_gradient(x, np.ones_like(y), kernel_size=2)   # dY/d[a b; c d] = the input under each tap
assert dy_dkernel.tolist() == [[1.0, 2.0], [3.0, 4.0]]
dy_da = dy_dkernel[0, 0]
assert dy_da == 1

options = {"a": 1, "b": 2, "c": 3, "d": 4}
answer = [letter for letter, value in options.items() if value == dy_da]
assert answer == ["a"]

# The textbook convolution flips the kernel: Y = a*4 + b*3 + c*2 + d*1. Y is linear in a,
# so raising a by one raises Y by dY/da.
nudge = np.zeros_like(kernel)
nudge[0, 0] = 1.0
Y_flipped = conv2d(x, np.flip(kernel))[0, 0]
flipped_dy_da = (conv2d(x, np.flip(kernel + nudge)) - conv2d(x, np.flip(kernel)))[0, 0]
assert np.isclose(flipped_dy_da, 4)
flipped_answer = [letter for letter, value in options.items() if np.isclose(value, flipped_dy_da)]
assert flipped_answer == ["d"]
