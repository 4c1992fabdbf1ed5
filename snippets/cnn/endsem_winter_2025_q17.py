import numpy as np

from dlref.cnn import conv_transpose2d, conv_transpose_output_size

# The givens, as the question states them.
x = np.array([[1.0, 2.0],
              [3.0, 4.0]])
kernel = np.array([[1.0, 0.0, -1.0]] * 3)
stride, padding = 2, 1
X_at, Y_at, Z_at = (0, 0), (2, 0), (2, 2)       # (row, column), counted from 0

size = conv_transpose_output_size(2, kernel_size=3, stride=stride, padding=padding)
assert size == 3                                 # (2-1)*2 - 2*1 + 3
out = conv_transpose2d(x, kernel, stride=stride, padding=padding)
assert out.tolist() == [[0, 1, 0],
                        [0, 2, 0],
                        [0, 1, 0]]
xyz = (out[X_at], out[Y_at], out[Z_at])
assert xyz == (0, 0, 0)

options = {"a": (-1, -1, None), "b": (0, -6, -4), "c": (2, -6, -4), "d": (1, -1, None)}  # Z lost in (a), (d)
answer = [letter for letter, values in options.items()
          if all(v is None or v == w for v, w in zip(values, xyz))]
assert answer == []            # no option is right

PRINTED_KEY = "a"
assert options[PRINTED_KEY][:2] == (-1, -1) != xyz[:2]
assert options["b"][0] == xyz[0] and options["b"][1:] != xyz[1:]     # (b) gets only X right

# The other convention, a flipped kernel (zeros inserted, then a true convolution): still X = Y = Z = 0.
flipped = conv_transpose2d(x, np.flip(kernel), stride=stride, padding=padding)
flipped_xyz = (flipped[X_at], flipped[Y_at], flipped[Z_at])
assert flipped_xyz == (0, 0, 0) and flipped_xyz[:2] != options[PRINTED_KEY][:2]

# Where -6 and -4 come from: the un-cropped 5x5 map (padding 0), last column.
full = conv_transpose2d(x, kernel, stride=stride, padding=0)
assert full.shape == (5, 5) and (full[2, 4], full[4, 4]) == (-6, -4)
# The only way we found to X = Y = -1: flip the kernel, ignore the padding, read Y at (0, 2).
full_flipped = conv_transpose2d(x, np.flip(kernel), stride=stride, padding=0)
assert (full_flipped[0, 0], full_flipped[0, 2]) == (-1, -1)
