import numpy as np
import torch

from dlref.rnn import rnn_bptt

rng = np.random.default_rng(0)
n_x, n_h, n_y, T = 3, 4, 2, 6
U, W, V = rng.standard_normal((n_h, n_h)) * 0.5, rng.standard_normal((n_h, n_x)), rng.standard_normal((n_y, n_h))
xs, targets = rng.standard_normal((T, n_x)), rng.standard_normal((T, n_y))

U_t, W_t, V_t = (torch.tensor(m, requires_grad=True) for m in (U, W, V))
s, loss = torch.zeros(n_h, dtype=torch.float64), 0.0
for t in range(T):
    s = torch.tanh(U_t @ s + W_t @ torch.tensor(xs[t]))
    loss = loss + 0.5 * ((V_t @ s - torch.tensor(targets[t])) ** 2).sum()
loss.backward()

# dL/dy_t from the forward pass, then dlref's BPTT, against autograd for U, W and V
s_np = np.zeros((T, n_h))
state = np.zeros(n_h)
for t in range(T):
    state = np.tanh(U @ state + W @ xs[t])
    s_np[t] = state
grads = rnn_bptt(xs, np.zeros(n_h), W_xh=W, W_hh=U, W_hy=V, dL_dy=s_np @ V.T - targets)
for ours, theirs in ((grads.W_hh, U_t), (grads.W_xh, W_t), (grads.W_hy, V_t)):
    assert np.allclose(ours, theirs.grad.numpy())
