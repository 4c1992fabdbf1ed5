import numpy as np

from dlref.rlhf import (expected_reward_gradient, reinforce_gradient, reward_weighted_cross_entropy,
                        score_function, softmax)

# A toy policy: sequences of T = 2 tokens from V = 3, each position its own softmax; uniform at first.
T, V = 2, 3
logits = np.zeros((T, V))
polite = 2


def reward(sequence):
    """The reward model likes token 2: R(s) = how many times it occurs."""
    return sum(token == polite for token in sequence)


# Policy gradient: sample from the policy, weight each sample's log-likelihood gradient by its reward.
rng = np.random.default_rng(0)
N = 8
samples = np.stack([rng.choice(V, size=N, p=softmax(logits)[t]) for t in range(T)], axis=1)
rewards = np.array([reward(s) for s in samples], dtype=float)
g_pg = reinforce_gradient(logits, samples, rewards)

# The same vector is minus the gradient of the reward-weighted cross-entropy on those samples.
h = 1e-6
g_ce = np.zeros_like(logits)
for t in range(T):
    for v in range(V):
        step = np.zeros_like(logits)
        step[t, v] = h
        g_ce[t, v] = (reward_weighted_cross_entropy(logits + step, samples, rewards)
                      - reward_weighted_cross_entropy(logits - step, samples, rewards)) / (2 * h)
assert np.allclose(g_pg, -g_ce, atol=1e-8)

# On average over samples it is the true gradient of the expected reward: +2/9 for the liked token.
exact = expected_reward_gradient(logits, reward)
assert np.allclose(exact, [[-1 / 9, -1 / 9, 2 / 9]] * T)
many = 20_000
big = np.stack([rng.choice(V, size=many, p=softmax(logits)[t]) for t in range(T)], axis=1)
g_many = reinforce_gradient(logits, big, [reward(s) for s in big])
error_few, error_many = np.abs(g_pg - exact).max(), np.abs(g_many - exact).max()
assert error_many < 0.01 < error_few

# The key difference: the targets are the model's own samples, not ground truth. With the same reward
# for everything, the expected update is zero; cross-entropy on a ground-truth sequence is not.
constant = expected_reward_gradient(logits, lambda s: 1.0)
assert np.allclose(constant, 0)
ground_truth = (0, 1)
g_supervised = score_function(logits, ground_truth)        # -grad of the supervised cross-entropy
assert np.allclose(g_supervised, [[2 / 3, -1 / 3, -1 / 3], [-1 / 3, 2 / 3, -1 / 3]])
