import torch
from torch.autograd.functional import hessian

# 1. A loss whose minimum is theta and whose Hessian is diag(F): the Taylor expansion is exact.
theta = torch.tensor([0.5, -2.0, 0.1, 1.0], dtype=torch.float64)
F = torch.tensor([4.0, 0.1, 10.0, 1.0], dtype=torch.float64)


def quadratic(phi):
    return 0.5 * (F * (phi - theta) ** 2).sum()


assert torch.equal(hessian(quadratic, theta), torch.diag(F))
mask = torch.tensor([1.0, 0.0, 0.0, 1.0], dtype=torch.float64)
assert quadratic(theta * mask).item() - quadratic(theta).item() == 0.25

# 2. Linear regression with Gaussian noise (sigma = 0.5), at its least-squares minimum: the empirical
# Fisher E[(dl/dw)^2] matches the Hessian's diagonal (to sampling error), and pruning one weight costs
# 1/2 w^2 F.
generator = torch.Generator().manual_seed(0)
sigma = 0.5
x = torch.randn(4000, 3, generator=generator, dtype=torch.float64) * torch.tensor([1.0, 2.0, 0.5])
y = x @ torch.tensor([1.0, -0.3, 2.0], dtype=torch.float64) + sigma * torch.randn(4000, generator=generator,
                                                                               dtype=torch.float64)
w = torch.linalg.lstsq(x, y[:, None]).solution[:, 0]


def nll(w, x, y):
    """Per-sample negative log-likelihood (up to a constant); w is (3,) or one row per sample."""
    return (y - (x * w).sum(dim=-1)) ** 2 / (2 * sigma ** 2)


def loss(w):
    return nll(w, x, y).mean()


w_rows = w.expand(len(x), 3).clone().requires_grad_(True)   # one copy of w per sample
per_sample, = torch.autograd.grad(nll(w_rows, x, y).sum(), w_rows)  # row n: the gradient of l_n
assert per_sample.mean(dim=0).abs().max() < 1e-10                  # the minimum: mean gradient 0
fisher = (per_sample ** 2).mean(dim=0)
hessian_diagonal = torch.diagonal(hessian(loss, w))
assert torch.allclose(fisher, hessian_diagonal, rtol=0.15)
for i in range(3):
    pruned = w.clone()
    pruned[i] = 0
    measured = loss(pruned) - loss(w)
    assert torch.isclose(measured, 0.5 * w[i] ** 2 * fisher[i], rtol=0.15)
