import torch
from torch.distributions import Normal, kl_divergence

torch.manual_seed(0)
T = 1000
betas = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
alphas = torch.cumprod(1 - betas, dim=0)

# Step by step in PyTorch: z_t = sqrt(1 - beta_t) z_{t-1} + sqrt(beta_t) eps_t, from clustered data.
z = torch.where(torch.rand(4000) < 0.5, -2.0, 2.0).double()
x = z.clone()
for beta in betas:
    z = torch.sqrt(1 - beta) * z + torch.sqrt(beta) * torch.randn_like(z)

# The chain matches the closed-form kernel N(sqrt(alpha_T) x, (1 - alpha_T)): regress z_T on x.
slope = ((z - z.mean()) * (x - x.mean())).mean() / x.var(unbiased=False)
assert abs(slope - alphas[-1].sqrt()) < 0.02
assert abs(z.mean()) < 0.05 and abs(z.var() - 1) < 0.06

# And that kernel is within a hair of the standard normal, for an input x = 1.
kernel = Normal(alphas[-1].sqrt() * 1.0, (1 - alphas[-1]).sqrt())
assert kl_divergence(kernel, Normal(torch.tensor(0.0, dtype=torch.float64), 1.0)) < 1e-4
