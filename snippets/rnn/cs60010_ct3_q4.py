import numpy as np

from dlref.rnn import (LSTMWeights, lstm_bptt, lstm_cell_state_gradient, lstm_first_cell_gradient_norms,
                       lstm_forward, sigmoid)

rng = np.random.default_rng(0)
n_x, n_h, n_classes, steps_T = 3, 4, 5, 6
weights = LSTMWeights(*(rng.standard_normal((n_h, n_h + n_x)) * 0.5 for _ in range(4)),
                      *(rng.standard_normal(n_h) * 0.5 for _ in range(4)))
W_V, b_V = rng.standard_normal((n_classes, n_h)), rng.standard_normal(n_classes)
xs, label = rng.standard_normal((steps_T, n_x)), 2

steps = lstm_forward(xs, np.zeros(n_h), np.zeros(n_h), weights)
V_T = W_V @ steps[-1].h + b_V
y_hat = np.exp(V_T - V_T.max()) / np.exp(V_T - V_T.max()).sum()
dL_dh = np.zeros((steps_T, n_h))
dL_dh[-1] = W_V.T @ (y_hat - np.eye(n_classes)[label])    # softmax + cross-entropy: dL/dV_T = y_hat - y
grads = lstm_bptt(xs, np.zeros(n_h), np.zeros(n_h), weights, dL_dh)

# (a) the recursion, at every step (dL/dh_t is the total gradient into h_t):
for step in range(steps_T - 1):
    o, c, f_next = steps[step].o, steps[step].c, steps[step + 1].f
    assert np.allclose(grads.c[step], grads.h[step] * o * (1 - np.tanh(c) ** 2) + grads.c[step + 1] * f_next)
last = steps[-1]
assert np.allclose(grads.c[-1], lstm_cell_state_gradient(grads.h[-1], last.o, last.c))  # no c_{T+1}

# (b) unrolled: dL/dc_1 = sum_t (dL/dh_t * o_t * tanh'(c_t)) * f_2 * ... * f_t
unrolled = sum(grads.h[u] * steps[u].o * (1 - np.tanh(steps[u].c) ** 2)
               * np.prod([steps[k].f for k in range(1, u + 1)], axis=0) for u in range(steps_T))
assert np.allclose(grads.c[0], unrolled)

# With f_t = 1 the products are 1: the gradient from step T reaches c_1 undiminished.
lengths = [1, 50]
forget_bias_high, forget_bias_zero = 10.0, 0.0
f_high, f_half = float(sigmoid(forget_bias_high)), float(sigmoid(forget_bias_zero))   # 0.99995 and 0.5
kept = lstm_first_cell_gradient_norms(lengths, forget_bias=forget_bias_high)
lost = lstm_first_cell_gradient_norms(lengths, forget_bias=forget_bias_zero)
assert 0.2 < kept[1] / kept[0] < 5 and lost[1] / lost[0] < 1e-3
