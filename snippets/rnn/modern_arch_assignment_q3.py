import numpy as np

from dlref.rnn import rnn_forward, rnn_step_jacobian

rng = np.random.default_rng(0)
n_x, n_h = 2, 3
W_xh, W_hh, b_h = rng.standard_normal((n_h, n_x)), rng.standard_normal((n_h, n_h)), rng.standard_normal(n_h)
x1, x2, x3 = rng.standard_normal((3, n_x))
h0 = np.zeros(n_h)

# (b) Unrolled, h_3 is one nested expression of all three inputs, with the same weights each time:
h1 = np.tanh(W_xh @ x1 + W_hh @ h0 + b_h)
h2 = np.tanh(W_xh @ x2 + W_hh @ h1 + b_h)
h3 = np.tanh(W_xh @ x3 + W_hh @ h2 + b_h)
assert np.allclose(rnn_forward(np.array([x1, x2, x3]), h0, W_xh, W_hh, b_h)[-1], h3)

# Each input reaches h_3, through a chain of step Jacobians dh_t/dh_{t-1} = diag(1 - h_t^2) W_hh:
J2, J3 = rnn_step_jacobian(h2, W_hh), rnn_step_jacobian(h3, W_hh)
dh3_dx = {
    "x_3": (1 - h3 ** 2)[:, None] * W_xh,
    "x_2": J3 @ ((1 - h2 ** 2)[:, None] * W_xh),
    "x_1": J3 @ J2 @ ((1 - h1 ** 2)[:, None] * W_xh),
}
assert all(np.abs(jacobian).max() > 0 for jacobian in dh3_dx.values())
