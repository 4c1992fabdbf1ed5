import numpy as np

from dlref.attention import alignment_parameter_count, scaled_dot_product_attention

# A small example: n = 4 encoder states h_j and the previous decoder state s_{k-1}, all of size 3.
H = np.array([[1.0, 0.0, 1.0],
              [0.0, 2.0, 0.0],
              [1.0, 1.0, 1.0],
              [0.0, 0.0, 1.0]])             # row j is h_j
s_prev = np.array([1.0, 0.0, 2.0])
hidden = H.shape[1]

# (a) e_kj = s_{k-1}^T h_j; alpha_kj = softmax_j(e_kj); C_k = sum_j alpha_kj h_j.
e = H @ s_prev
assert e.tolist() == [3.0, 0.0, 3.0, 2.0]
steps = scaled_dot_product_attention(s_prev[None], H, H, scale=1.0)  # plain (unscaled) dot product
alpha, C_k = steps.weights[0], steps.output[0]
assert np.allclose(steps.scores[0], e)
assert np.allclose(C_k, alpha @ H) and np.isclose(alpha.sum(), 1)
assert C_k.shape == (hidden,)              # the same size as h_n, which it replaces as decoder input

# (b) Extra parameters: the dot-product score has none, and the decoder's input has the same size
# (C_k instead of h_n), so its weights are unchanged.
extra = alignment_parameter_count("dot", encoder_size=hidden, decoder_size=hidden)
assert extra == 0

# For comparison, scores that do learn parameters (hidden size 256, attention size 256):
state_size = 256
general = alignment_parameter_count("general", state_size, state_size)
additive = alignment_parameter_count("additive", state_size, state_size, attention_size=state_size)
assert (general, additive) == (65_536, 131_328)
