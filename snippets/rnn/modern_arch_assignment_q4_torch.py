import numpy as np
import torch

from dlref.rnn import rnn_forward, rnn_step_jacobian

rng = np.random.default_rng(1)
W_xh, W_hh = rng.standard_normal((3, 2)), rng.standard_normal((3, 3))
xs = rng.standard_normal((3, 2))
dL_dh3 = rng.standard_normal(3)

W_xh_t, W_hh_t = torch.tensor(W_xh), torch.tensor(W_hh)
h1 = torch.tanh(W_xh_t @ torch.tensor(xs[0])).detach().requires_grad_()
h2 = torch.tanh(W_xh_t @ torch.tensor(xs[1]) + W_hh_t @ h1)
h3 = torch.tanh(W_xh_t @ torch.tensor(xs[2]) + W_hh_t @ h2)
(h3 @ torch.tensor(dL_dh3)).backward()        # a loss whose gradient at h_3 is dL_dh3

_, h2_np, h3_np = rnn_forward(xs, np.zeros(3), W_xh, W_hh)
chain = rnn_step_jacobian(h2_np, W_hh).T @ rnn_step_jacobian(h3_np, W_hh).T @ dL_dh3
assert np.allclose(h1.grad.numpy(), chain)
