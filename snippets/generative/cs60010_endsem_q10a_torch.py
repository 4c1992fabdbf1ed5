import torch
from torch.distributions import Normal, kl_divergence

standard = Normal(torch.tensor(0.0, dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64))
for m, s in [(-3.0, 0.05), (3.0, 0.05), (-0.5, 0.8), (0.5, 0.8), (0.0, 1.0)]:
    mu = torch.tensor(m, dtype=torch.float64, requires_grad=True)
    sigma = torch.tensor(s, dtype=torch.float64, requires_grad=True)
    kl = kl_divergence(Normal(mu, sigma), standard)
    # The closed form used on the page: 1/2 (mu^2 + sigma^2 - 1 - ln sigma^2).
    assert torch.isclose(kl, 0.5 * (mu ** 2 + sigma ** 2 - 1 - torch.log(sigma ** 2)))
    kl.backward()
    assert torch.isclose(mu.grad, mu.detach()) and torch.isclose(sigma.grad, sigma.detach() - 1 / sigma.detach())

# The table's values: islands cost about 7 nats each, overlapping codes about 0.17.
islands = kl_divergence(Normal(torch.tensor(3.0, dtype=torch.float64), 0.05), standard)
overlapping = kl_divergence(Normal(torch.tensor(0.5, dtype=torch.float64), 0.8), standard)
assert abs(islands.item() - 6.997) < 5e-4 and abs(overlapping.item() - 0.168) < 5e-4
