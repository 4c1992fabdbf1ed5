import torch
from torch.distributions import Cauchy, Laplace, Normal

# The penalty each prior implies, from torch.distributions' own log-densities.
theta = torch.tensor([0.5, 1.0, 2.0, 4.0], dtype=torch.float64)
zero = torch.zeros(1, dtype=torch.float64)
for prior, is_l2 in ((Normal(0.0, 1.0), True), (Laplace(0.0, 1.0), False), (Cauchy(0.0, 1.0), False)):
    ratio = (prior.log_prob(zero) - prior.log_prob(theta)) / theta ** 2
    assert bool(torch.allclose(ratio, ratio[0].expand(4))) == is_l2

# MAP by minimising the negative log-posterior with autograd, against ridge in closed form. The
# objective is quadratic in w, so one Newton step (autograd gradient and Hessian) lands on its minimum.
torch.manual_seed(0)
X = torch.randn(20, 3, dtype=torch.float64)
y = X @ torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64) + 0.5 * torch.randn(20, dtype=torch.float64)
sigma, tau = 0.5, 1.0


def negative_log_posterior(w):
    return -(Normal(X @ w, sigma).log_prob(y).sum() + Normal(0.0, tau).log_prob(w).sum())


w0 = torch.zeros(3, dtype=torch.float64, requires_grad=True)
(gradient,) = torch.autograd.grad(negative_log_posterior(w0), w0)
hessian = torch.autograd.functional.hessian(negative_log_posterior, w0.detach())
w_map = w0.detach() - torch.linalg.solve(hessian, gradient)
ridge = torch.linalg.solve(X.T @ X + (sigma ** 2 / tau ** 2) * torch.eye(3, dtype=torch.float64), X.T @ y)
assert torch.allclose(w_map, ridge, atol=1e-10)
w = w_map.clone().requires_grad_()
(at_map,) = torch.autograd.grad(negative_log_posterior(w), w)
assert at_map.abs().max() < 1e-8
