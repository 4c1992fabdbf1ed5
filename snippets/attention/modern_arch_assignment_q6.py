import math

import numpy as np

from dlref.attention import scaled_dot_product_attention, softmax

# The givens, as the question states them.
Q = np.array([[1, 2], [3, 4], [5, 6]])
K = np.array([[2, 1], [4, 3]])
V = np.array([[0.5, 1.0], [1.5, 2.0]])
d_k = Q.shape[1]
assert d_k == 2

steps = scaled_dot_product_attention(Q, K, V)
scores, scaled, weights, output = steps
assert scores.tolist() == [[4, 10], [10, 24], [16, 38]]           # Q K^T, exact integers
assert np.allclose(scaled, scores / math.sqrt(2))
assert np.allclose(weights.sum(axis=1), 1)

# Row 1 by hand: with two keys the softmax is a sigmoid of the difference of the scaled scores.
gap = scaled[0, 1] - scaled[0, 0]                                  # (10 - 4)/sqrt(2) = 3 sqrt(2)
assert math.isclose(gap, 3 * math.sqrt(2))
row1 = softmax(scaled[0])
assert math.isclose(row1[0], 1 / (1 + math.exp(gap)))
assert np.allclose(row1, weights[0])
assert round(row1[0], 4) == 0.0142 and round(row1[1], 4) == 0.9858

# Each output row is a weighted average of the rows of V: between [0.5, 1.0] and [1.5, 2.0].
assert np.allclose(output, weights @ V)
assert np.allclose(output, V[0] + weights[:, 1:] * (V[1] - V[0]))
shape = output.shape
assert shape == (3, 2)                                             # (n_q, d_v): one row per query
