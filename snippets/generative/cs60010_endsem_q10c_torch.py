import math

import torch
from torch.distributions import Normal

torch.manual_seed(0)
D, beta_1 = 4, 1e-4
alpha_1, sigma_1 = 1 - beta_1, math.sqrt(beta_1)
x, eps = torch.randn(D, dtype=torch.float64), torch.randn(D, dtype=torch.float64)
g = (eps + 0.1 * torch.randn(D, dtype=torch.float64)).requires_grad_()
z_1 = math.sqrt(alpha_1) * x + math.sqrt(1 - alpha_1) * eps

# -log Norm_x[f_1(z_1, phi_1), sigma_1^2 I], with the decoder mean written through the noise predictor g.
f_1 = z_1 / math.sqrt(1 - beta_1) - beta_1 / (math.sqrt(1 - alpha_1) * math.sqrt(1 - beta_1)) * g
reconstruction = -Normal(f_1, sigma_1).log_prob(x).sum()
mse = torch.nn.functional.mse_loss(g, eps, reduction="sum")
weight = beta_1 / (2 * sigma_1 ** 2 * (1 - beta_1))
constant = D / 2 * math.log(2 * math.pi * sigma_1 ** 2)
assert torch.isclose(reconstruction, weight * mse + constant)

# Same gradient for the network: training on the reconstruction term is training to predict the noise.
(grad_reconstruction,) = torch.autograd.grad(reconstruction, g)
(grad_mse,) = torch.autograd.grad(weight * torch.nn.functional.mse_loss(g, eps, reduction="sum"), g)
assert torch.allclose(grad_reconstruction, grad_mse)
