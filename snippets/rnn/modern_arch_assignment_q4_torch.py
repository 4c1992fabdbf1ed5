import torch

torch.manual_seed(1)
W_xh, W_hh = torch.randn(3, 2, dtype=torch.float64), torch.randn(3, 3, dtype=torch.float64)
xs = torch.randn(3, 2, dtype=torch.float64)
dL_dh3 = torch.randn(3, dtype=torch.float64)

h1 = torch.tanh(W_xh @ xs[0]).detach().requires_grad_()
h2 = torch.tanh(W_xh @ xs[1] + W_hh @ h1)
h3 = torch.tanh(W_xh @ xs[2] + W_hh @ h2)
(h3 @ dL_dh3).backward()        # a loss whose gradient at h_3 is dL_dh3

# The answer's chain, dh_t/dh_{t-1} = diag(1 - h_t^2) W_hh, against autograd:
with torch.no_grad():
    J2, J3 = torch.diag(1 - h2 ** 2) @ W_hh, torch.diag(1 - h3 ** 2) @ W_hh
    assert torch.allclose(h1.grad, J2.T @ J3.T @ dL_dh3)
