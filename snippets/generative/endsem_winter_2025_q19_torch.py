import torch
from torch.distributions import Normal

torch.manual_seed(0)
mu = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
sigma = torch.tensor(1.0, dtype=torch.float64)
q = Normal(mu, sigma)

# sample() cuts the graph: no gradient can reach mu through z.
assert q.sample().grad_fn is None
# rsample() is mu + sigma * eps: autograd differentiates E[z^2] through it.
z = q.rsample((100_000,))
(reparameterized,) = torch.autograd.grad((z ** 2).mean(), mu)

# The score-function estimator differentiates log q instead, with f(z) held constant.
z_detached = q.sample((100_000,))
(score,) = torch.autograd.grad((z_detached ** 2 * q.log_prob(z_detached)).mean(), mu)

assert abs(reparameterized - 2.0) < 0.03 and abs(score - 2.0) < 0.1   # both estimate 2 mu

# Per-sample variances, from autograd on each sample.
eps = torch.randn(20_000, dtype=torch.float64)
mus = mu.detach().repeat(20_000).requires_grad_()
(per_sample_rep,) = torch.autograd.grad(((mus + sigma * eps) ** 2).sum(), mus)
zs = (mus + sigma * eps).detach()
(per_sample_score,) = torch.autograd.grad((zs ** 2 * Normal(mus, sigma).log_prob(zs)).sum(), mus)
assert abs(per_sample_rep.var() - 4.0) < 0.3 and abs(per_sample_score.var() - 30.0) < 5.0
