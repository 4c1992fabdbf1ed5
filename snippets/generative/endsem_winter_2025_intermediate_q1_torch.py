import math

import torch

# Smooth the two deltas into narrow Gaussians, P = N(0, s^2) and Q = N(theta, s^2), so that autograd can
# differentiate both distances with respect to theta.
torch.manual_seed(0)
s = 0.05
grid = torch.linspace(-3, 4, 70_001, dtype=torch.float64)
dx = grid[1] - grid[0]


def js_divergence(theta: torch.Tensor) -> torch.Tensor:
    log_p = torch.distributions.Normal(0.0, s).log_prob(grid)
    log_q = torch.distributions.Normal(theta, s).log_prob(grid)
    log_m = torch.logaddexp(log_p, log_q) - math.log(2)
    kl_pm = (log_p.exp() * (log_p - log_m)).sum() * dx
    kl_qm = (log_q.exp() * (log_q - log_m)).sum() * dx
    return (kl_pm + kl_qm) / 2


def wasserstein1(theta: torch.Tensor, n: int = 20_000) -> torch.Tensor:
    real = s * torch.randn(n, dtype=torch.float64)
    fake = theta + s * torch.randn(n, dtype=torch.float64)         # reparameterized generator samples
    return (torch.sort(real).values - torch.sort(fake).values).abs().mean()   # 1-D optimal coupling


for value in (-2.0, -1.0, 1.0, 2.0):
    theta = torch.tensor(value, dtype=torch.float64, requires_grad=True)
    js = js_divergence(theta)
    (js_grad,) = torch.autograd.grad(js, theta)
    w1 = wasserstein1(theta)
    (w1_grad,) = torch.autograd.grad(w1, theta)
    assert abs(js.item() - math.log(2)) < 1e-6 and abs(js_grad.item()) < 1e-6   # flat: no signal
    assert abs(w1.item() - abs(value)) < 0.01 and abs(w1_grad.item() - math.copysign(1, value)) < 1e-9
