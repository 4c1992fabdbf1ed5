import numpy as np

from dlref.attention import attention_gradients, softmax, softmax_jacobian, softmax_saturation

# (a) Worked on Assignment Q6's matrices, with the loss L = sum of all outputs (so dL/dO is all ones).
Q = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
K = np.array([[2.0, 1.0], [4.0, 3.0]])
V = np.array([[0.5, 1.0], [1.5, 2.0]])
grad_output = np.ones((3, 2))
grads = attention_gradients(Q, K, V, grad_output)
assert np.allclose(grads.weights, grad_output @ V.T)               # each row: the row sums of V
assert grads.weights[0].tolist() == [1.5, 3.5]
assert np.allclose(grads.scores.sum(axis=1), 0)                    # a softmax row's Jacobian sums to 0
assert np.allclose(grads.Q, grads.scores @ K / np.sqrt(2))

# Central differences on L(Q) agree with the hand-derived gradient.
def loss(Q):
    return (softmax(Q @ K.T / np.sqrt(2)) @ V).sum()

step = 1e-6
numeric = np.zeros_like(Q)
for index in np.ndindex(Q.shape):
    bump = np.zeros_like(Q)
    bump[index] = step
    numeric[index] = (loss(Q + bump) - loss(Q - bump)) / (2 * step)
assert np.allclose(numeric, grads.Q, atol=1e-8)

# (b) The softmax Jacobian diag(s) - s s^T: small when s is nearly one-hot (rows 2 and 3 of Q6).
row_gradient = np.abs(grads.Q).max(axis=1)
assert row_gradient[0] > 250 * row_gradient[1] > 250 * 250 * row_gradient[2]
J = softmax_jacobian([2.0, 0.0, -1.0])
assert np.allclose(J, J.T) and np.allclose(J.sum(axis=1), 0)

# (c) Unscaled dot products of d_k-dimensional unit-variance vectors have variance d_k.
rng = np.random.default_rng(0)
d_k = 64
products = (rng.standard_normal((20_000, d_k)) * rng.standard_normal((20_000, d_k))).sum(axis=1)
variance = products.var()
assert abs(variance - d_k) < 0.05 * d_k
wide, keys = 512, 16
unscaled = softmax_saturation(wide, scaled=False, length=keys)   # (mean largest weight, mean sum |Jacobian|)
scaled = softmax_saturation(wide, scaled=True, length=keys)
assert unscaled[0] > 0.9 and scaled[0] < 0.3
assert unscaled[1] < scaled[1] / 9                  # the gradient through the softmax is 10x smaller
