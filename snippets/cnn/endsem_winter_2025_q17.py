import numpy as np

from dlref.cnn import conv_transpose2d, conv_transpose_output_size

x = np.array([[1.0, 2.0],
              [3.0, 4.0]])
kernel = np.array([[1.0, 0.0, -1.0]] * 3)

assert conv_transpose_output_size(2, kernel_size=3, stride=2, padding=1) == 3   # (2-1)*2 - 2*1 + 3
out = conv_transpose2d(x, kernel, stride=2, padding=1)
assert out.tolist() == [[0, 1, 0],
                        [0, 2, 0],
                        [0, 1, 0]]
X, Y, Z = out[0, 0], out[2, 0], out[2, 2]
assert (X, Y, Z) == (0, 0, 0)

options = {"a": (-1, -1, None), "b": (0, -6, -4), "c": (2, -6, -4), "d": (1, -1, None)}  # Z lost in (a), (d)
answer = [letter for letter, values in options.items()
          if all(v is None or v == w for v, w in zip(values, (X, Y, Z)))]
assert answer == []            # no option is right

PRINTED_KEY = "a"
assert options[PRINTED_KEY][:2] == (-1, -1) != (X, Y)
assert options["b"][0] == X and options["b"][1:] != (Y, Z)     # (b) gets only X right

# Where -6 and -4 come from: the un-cropped 5x5 map (padding 0), last column.
full = conv_transpose2d(x, kernel, stride=2, padding=0)
assert full.shape == (5, 5) and (full[2, 4], full[4, 4]) == (-6, -4)
