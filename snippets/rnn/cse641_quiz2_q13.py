import numpy as np

from dlref.rnn import rnn_bptt, rnn_forward

# The paper's names: s_t = tanh(U s_{t-1} + W x_t), y_t = V s_t, L = sum_t 1/2 ||y_t - target_t||^2
rng = np.random.default_rng(0)
n_x, n_h, n_y, T = 3, 4, 2, 6
U, W, V = rng.standard_normal((n_h, n_h)) * 0.5, rng.standard_normal((n_h, n_x)), rng.standard_normal((n_y, n_h))
xs, targets, s0 = rng.standard_normal((T, n_x)), rng.standard_normal((T, n_y)), np.zeros(n_h)

s = rnn_forward(xs, s0, W_xh=W, W_hh=U)            # s_1 ... s_T
dL_dy = s @ V.T - targets                           # dL_t/dy_t for the squared error
grads = rnn_bptt(xs, s0, W_xh=W, W_hh=U, W_hy=V, dL_dy=dL_dy)
dL_dU = grads.W_hh                                  # sum_t delta_t s_{t-1}^T, delta_t = (1 - s_t^2) * dL/ds_t

# The derivation written out, step by step (what rnn_bptt does):
previous = np.vstack([s0, s[:-1]])
dL_ds, delta_next, by_hand = np.zeros((T, n_h)), np.zeros(n_h), np.zeros((n_h, n_h))
for t in reversed(range(T)):
    dL_ds[t] = V.T @ dL_dy[t] + U.T @ delta_next    # through y_t and through s_{t+1}
    delta = (1 - s[t] ** 2) * dL_ds[t]               # through tanh
    by_hand += np.outer(delta, previous[t])
    delta_next = delta
assert np.allclose(by_hand, dL_dU)
assert np.allclose(by_hand, sum(np.outer((1 - s[t] ** 2) * dL_ds[t], previous[t]) for t in range(T)))
assert np.allclose(dL_ds, grads.hidden)

# The paper's printed recursion, equation (7): phi' taken at U s_t + W x_t and applied after U^T
printed_dL_ds, printed_next = np.zeros((T, n_h)), np.zeros(n_h)
for t in reversed(range(T)):
    phi_prime = 1 - np.tanh(U @ s[t] + W @ xs[t]) ** 2
    printed_dL_ds[t] = V.T @ dL_dy[t] + (U.T @ printed_next) * phi_prime
    printed_next = printed_dL_ds[t]
assert not np.allclose(printed_dL_ds, dL_ds)                 # step 1 goes wrong ...

# ... and so does equation (10), even fed the right dL/ds_t: it drops phi'(U s_{t-1} + W x_t)
printed_sum = sum(np.outer(dL_ds[t], previous[t]) for t in range(T))
assert not np.allclose(printed_sum, dL_dU)
fixed_sum = sum(np.outer((1 - s[t] ** 2) * dL_ds[t], previous[t]) for t in range(T))
assert np.allclose(fixed_sum, dL_dU)
