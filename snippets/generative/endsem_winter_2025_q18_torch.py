import torch
from torch.distributions import Categorical, kl_divergence

torch.manual_seed(0)
prior = torch.tensor([0.5, 0.3, 0.2], dtype=torch.float64)
likelihood = torch.tensor([0.1, 0.6, 0.3], dtype=torch.float64)
q = Categorical(probs=torch.tensor([0.2, 0.5, 0.3], dtype=torch.float64))
log_evidence = torch.log((prior * likelihood).sum())
true_posterior = Categorical(probs=prior * likelihood / (prior * likelihood).sum())

# Monte Carlo over z ~ q: the importance weights p(x,z)/q(z|x) average to p(x) (option (c)), while the
# average of their logarithm, the ELBO, stays below log p(x) by KL(q || posterior) (option (d)).
z = q.sample((200_000,))
log_weights = torch.log(prior[z] * likelihood[z]) - q.log_prob(z)
assert torch.isclose(torch.log(log_weights.exp().mean()), log_evidence, atol=5e-3)
elbo = log_weights.mean()
gap = kl_divergence(q, true_posterior)
assert torch.isclose(elbo + gap, log_evidence, atol=5e-3)
reconstruction = (q.probs * torch.log(likelihood)).sum()
kl_prior = kl_divergence(q, Categorical(probs=prior))
assert torch.isclose(reconstruction - kl_prior + gap, log_evidence)
