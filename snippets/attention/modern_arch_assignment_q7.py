import numpy as np

from dlref.attention import multi_head_attention, multi_head_shapes

# The givens, as the question states them.
seq_len, d_model, h = 4, 8, 2
d_k = d_v = d_model // h
assert d_k == d_v == 4

shapes = multi_head_shapes(seq_len, d_model, num_heads=h)
assert shapes.W_Q == shapes.W_K == shapes.W_V == (8, 4)       # d_model x d_k
assert shapes.W_O == (8, 8)                                   # h d_v x d_model
assert shapes.head == (4, 4) and shapes.scores == (4, 4)
assert shapes.concat == (4, 8) and shapes.output == (4, 8)

# Run it on random matrices: every intermediate has the shape above.
rng = np.random.default_rng(0)
X = rng.standard_normal((seq_len, d_model))
W_Q, W_K, W_V = ([rng.standard_normal(shapes.W_Q) for _ in range(h)] for _ in range(3))
W_O = rng.standard_normal(shapes.W_O)
steps = multi_head_attention(X, X, X, W_Q, W_K, W_V, W_O)
projected_query = (X @ W_Q[0]).shape
assert projected_query == (4, 4)
assert all(head.scores.shape == shapes.scores and head.output.shape == shapes.head for head in steps.heads)
assert steps.concat.shape == shapes.concat and steps.output.shape == shapes.output
assert steps.output.shape == X.shape                          # W^O brings the width back to d_model
