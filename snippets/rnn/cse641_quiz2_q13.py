import numpy as np

from dlref.rnn import rnn_bptt, rnn_forward, rnn_step_jacobian

# The paper's names: s_t = tanh(U s_{t-1} + W x_t), y_t = V s_t, L = sum_t 1/2 ||y_t - target_t||^2
rng = np.random.default_rng(0)
n_x, n_h, n_y, steps = 3, 4, 2, 6
U, W, V = rng.standard_normal((n_h, n_h)) * 0.5, rng.standard_normal((n_h, n_x)), rng.standard_normal((n_y, n_h))
xs, targets, s0 = rng.standard_normal((steps, n_x)), rng.standard_normal((steps, n_y)), np.zeros(n_h)


def phi_prime(a):
    return 1 - np.tanh(a) ** 2


s = rnn_forward(xs, s0, W_xh=W, W_hh=U)            # s_1 ... s_T
previous = np.vstack([s0, s[:-1]])                  # s_0 ... s_{T-1}
dL_dy = s @ V.T - targets                           # dL_t/dy_t for the squared error
grads = rnn_bptt(xs, s0, W_xh=W, W_hh=U, W_hy=V, dL_dy=dL_dy)
dL_dU = grads.W_hh                                  # sum_t delta_t s_{t-1}^T, delta_t = (1 - s_t^2) * dL/ds_t

# The derivation written out, step by step (what rnn_bptt does):
dL_ds, delta_next, by_hand = np.zeros((steps, n_h)), np.zeros(n_h), np.zeros((n_h, n_h))
for t in reversed(range(steps)):
    dL_ds[t] = V.T @ dL_dy[t] + U.T @ delta_next    # through y_t and through s_{t+1}
    delta = (1 - s[t] ** 2) * dL_ds[t]               # through tanh
    by_hand += np.outer(delta, previous[t])
    delta_next = delta
assert np.allclose(by_hand, dL_dU)
assert np.allclose(dL_ds, grads.hidden)

# The paper's equation (6), ds_{t+1}/ds_t = U phi'(U s_t + W x_{t+1}): its argument is step t+1's
# pre-activation, and it is the Jacobian when the phi' factor scales the rows of U.
for t in range(steps - 1):
    a_next = U @ s[t] + W @ xs[t + 1]
    assert np.allclose(rnn_step_jacobian(s[t + 1], U), phi_prime(a_next)[:, None] * U)

# The paper's equation (7): phi' taken at U s_t + W x_t (x_t, not x_{t+1}). Its order of factors
# has two readings: phi' applied before U^T (as it must be) or after.
def printed_recursion(phi_before_transpose, argument_input_step):
    result, following = np.zeros((steps, n_h)), np.zeros(n_h)
    for t in reversed(range(steps)):
        x_in = xs[t + argument_input_step] if t + argument_input_step < steps else np.zeros(n_x)
        factor = phi_prime(U @ s[t] + W @ x_in) if t + 1 < steps else np.zeros(n_h)
        result[t] = V.T @ dL_dy[t] + (U.T @ (following * factor) if phi_before_transpose
                                      else (U.T @ following) * factor)
        following = result[t]
    return result


for phi_before_transpose in (True, False):                    # under either reading ...
    PRINTED_dL_ds = printed_recursion(phi_before_transpose, argument_input_step=0)
    assert not np.allclose(PRINTED_dL_ds, dL_ds)             # ... equation (7) is wrong,
assert np.allclose(printed_recursion(True, argument_input_step=1), dL_ds)   # and x_{t+1} repairs it

# ... and equation (10), even fed the right dL/ds_t, drops the phi'(U s_{t-1} + W x_t) of its own (9):
PRINTED_dL_dU = sum(np.outer(dL_ds[t], previous[t]) for t in range(steps))
assert not np.allclose(PRINTED_dL_dU, dL_dU)
fixed_sum = sum(np.outer(phi_prime(U @ previous[t] + W @ xs[t]) * dL_ds[t], previous[t]) for t in range(steps))
assert np.allclose(fixed_sum, dL_dU)
