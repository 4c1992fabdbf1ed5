import numpy as np

from dlref.cnn import conv2d, deconvnet_saliency, max_pool2d

# The givens, as the question states them.
X = np.arange(1.0, 10.0).reshape(3, 3)
W = np.ones((2, 2))
pool_size = 2

feature_map = np.maximum(conv2d(X, W), 0)          # valid conv, then ReLU
assert feature_map.tolist() == [[12, 16], [24, 28]]
pooled, switches = max_pool2d(feature_map, pool_size)
P = pooled[0, 0]
assert P == 28 and switches.tolist() == [[0, 0], [0, 1]]

saliency = deconvnet_saliency(X, W, pool_size=pool_size)                # unpool -> ReLU -> full transposed conv with W
assert saliency.tolist() == [[0, 0, 0],
                             [0, 1, 1],
                             [0, 1, 1]]

options = {
    "a": [[0, 0, 0], [0, 1, 1], [0, 1, 1]],
    "b": [[0, 0, 0], [0, 2, 2], [0, 2, 2]],
    "c": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "d": [[0, 0, 0], [0, 0, 0], [0, 0, 1]],
}
answer = [letter for letter, grid in options.items() if np.array_equal(saliency, grid)]
assert answer == ["a"]

PRINTED_KEY = "a"            # the scan's key letter after the options
assert answer == [PRINTED_KEY]
