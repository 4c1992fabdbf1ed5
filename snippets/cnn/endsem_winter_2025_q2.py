import numpy as np

from dlref.cnn import conv2d, conv2d_weight_gradient

x = np.array([[1.0, 2.0],
              [3.0, 4.0]])           # reconstructed input (the scan shows only its 2x2 shape)
kernel = np.array([[0.5, -1.0],
                   [2.0, 0.25]])     # any values of a, b, c, d: the answer does not depend on them

y = conv2d(x, kernel)                # 'valid': one output, Y = a*1 + b*2 + c*3 + d*4
assert y.shape == (1, 1)

dy_dkernel = conv2d_weight_gradient(x, np.ones_like(y), kernel_size=2)   # dY/d[a b; c d] = the input under each tap
assert dy_dkernel.tolist() == [[1.0, 2.0], [3.0, 4.0]]
dy_da = dy_dkernel[0, 0]
assert dy_da == 1

options = {"a": 1, "b": 2, "c": 3, "d": 4}
answer = [letter for letter, value in options.items() if value == dy_da]
assert answer == ["a"]
