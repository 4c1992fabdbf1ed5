import torch
from torch.distributions import Categorical, kl_divergence

torch.manual_seed(0)
prior = torch.tensor([0.5, 0.3, 0.2], dtype=torch.float64)
likelihood = torch.tensor([0.1, 0.6, 0.3], dtype=torch.float64)
log_evidence = torch.log((prior * likelihood).sum())
posterior = prior * likelihood / (prior * likelihood).sum()

# Fit q = softmax(logits) by gradient ascent on the ELBO alone: it lands on the posterior.
logits = torch.zeros(3, dtype=torch.float64, requires_grad=True)
for _ in range(300):
    q = torch.softmax(logits, dim=0)
    elbo = (q * (torch.log(prior * likelihood) - torch.log(q))).sum()
    (gradient,) = torch.autograd.grad(elbo, logits)
    with torch.no_grad():
        logits += 2.0 * gradient

q = torch.softmax(logits, dim=0).detach()
elbo = (q * (torch.log(prior * likelihood) - torch.log(q))).sum()
gap = kl_divergence(Categorical(probs=q), Categorical(probs=posterior))
assert torch.isclose(log_evidence, elbo + gap)
assert torch.allclose(q, posterior, atol=1e-4)
