import math

import torch
from torch.distributions import Normal

# A linear-Gaussian model where log Pr(x) is known in closed form:
# z ~ N(0, 1), x | z ~ N(w z + b, s^2)  =>  x ~ N(b, w^2 + s^2), posterior N(m, v) below.
torch.manual_seed(0)
w, b, s, x = 2.0, 0.5, 0.7, torch.tensor(1.3, dtype=torch.float64)
log_evidence = Normal(torch.tensor(b, dtype=torch.float64), math.sqrt(w ** 2 + s ** 2)).log_prob(x)
v = 1 / (1 + w ** 2 / s ** 2)
m = v * w * (x - b) / s ** 2


def elbo_samples(q: Normal, n: int = 50_000) -> torch.Tensor:
    """log Pr(x, z) - log q(z) for z ~ q: their mean is the ELBO."""
    z = q.sample((n,))
    prior = Normal(torch.tensor(0.0, dtype=torch.float64), 1.0)
    return prior.log_prob(z) + Normal(w * z + b, s).log_prob(x) - q.log_prob(z)


loose = elbo_samples(Normal(torch.tensor(0.0, dtype=torch.float64), 1.0))
tight = elbo_samples(Normal(m, math.sqrt(v)))
assert loose.mean() < log_evidence - 0.1                            # a strict lower bound
assert torch.allclose(tight, log_evidence.expand_as(tight))        # q = posterior: every sample is log Pr(x)
