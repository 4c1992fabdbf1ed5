import numpy as np

from dlref.rnn import rnn_bptt, rnn_first_state_gradient_norms, rnn_forward, rnn_step_jacobian

rng = np.random.default_rng(1)
n_x, n_h = 2, 3
W_xh, W_hh = rng.standard_normal((n_h, n_x)), rng.standard_normal((n_h, n_h))
xs = rng.standard_normal((3, n_x))
h1, h2, h3 = rnn_forward(xs, np.zeros(n_h), W_xh, W_hh)

# (a) The loss depends on h_1 only through h_2 and then h_3 (loss on the last step):
dL_dh3 = rng.standard_normal(n_h)
J2, J3 = rnn_step_jacobian(h2, W_hh), rnn_step_jacobian(h3, W_hh)
assert np.allclose(J3, np.diag(1 - h3 ** 2) @ W_hh)
dL_dh1 = J2.T @ J3.T @ dL_dh3                  # dL/dh_1 = (dh_2/dh_1)^T (dh_3/dh_2)^T dL/dh_3

dL_dy = np.zeros((3, n_h))
dL_dy[-1] = dL_dh3                             # y_t = h_t here, a loss at t = 3 only
assert np.allclose(rnn_bptt(xs, np.zeros(n_h), W_xh, W_hh, np.eye(n_h), dL_dy).hidden[0], dL_dh1)

# (b) Each factor is at most ||W_hh|| (largest singular value) in size, times tanh' <= 1: over T - 1
# steps the product shrinks geometrically when ||W_hh|| < 1 (the guarantee). The plot's W_hh is scaled
# to spectral radius 0.5 instead (rho <= ||W_hh||): the decay is measured here, not guaranteed.
lengths = [1, 10, 20, 50]
norms = rnn_first_state_gradient_norms(lengths, spectral_radius=0.5)
assert norms[0] == 1 and np.all(np.diff(norms) < 0) and norms[2] < 1e-3

# (c) After 50 steps the signal from h_1 is gone: the gradient cannot teach h_1 what matters at h_50.
assert norms[3] < 1e-10
