import itertools

import torch

T, V, polite = 2, 3, 2
logits = torch.zeros(T, V, dtype=torch.float64, requires_grad=True)


def log_prob(sequences):
    """log pi(s) of each sequence: the sum over positions of log softmax."""
    return torch.log_softmax(logits, dim=1)[torch.arange(T), sequences].sum(dim=1)


# Autograd through the exact expectation E[R] = sum_s pi(s) R(s), with no score-function trick.
everything = torch.tensor(list(itertools.product(range(V), repeat=T)))
R = (everything == polite).sum(dim=1).to(torch.float64)
(torch.exp(log_prob(everything)) * R).sum().backward()
expected = torch.tensor([[-1 / 9, -1 / 9, 2 / 9]] * T, dtype=torch.float64)
assert torch.allclose(logits.grad, expected)

# On sampled sequences: the REINFORCE estimate (1/N) sum R_n (onehot(s_n) - p) is minus the autograd
# gradient of the reward-weighted cross-entropy.
generator = torch.Generator().manual_seed(0)
samples = torch.multinomial(torch.softmax(logits.detach(), 1), 8, replacement=True, generator=generator).T
rewards = (samples == polite).sum(dim=1).to(torch.float64)
logits.grad = None
(rewards * -log_prob(samples)).mean().backward()
onehot = torch.nn.functional.one_hot(samples, V).to(torch.float64)              # (N, T, V)
reinforce = (rewards[:, None, None] * (onehot - torch.softmax(logits.detach(), 1))).mean(dim=0)
assert torch.allclose(reinforce, -logits.grad)

# With the same reward for every sequence the expected gradient vanishes (sum_s pi(s) = 1 is constant).
logits.grad = None
torch.exp(log_prob(everything)).sum().backward()
assert torch.allclose(logits.grad, torch.zeros(T, V, dtype=torch.float64))
