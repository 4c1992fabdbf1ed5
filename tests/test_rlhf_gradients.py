"""dlref.rlhf against PyTorch autograd: the reward-model loss, the policy gradient, the KL penalty."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlref.rlhf import (all_sequences, comparison_pairs, expected_reward_gradient, kl_divergence,
                        kl_penalised_reward, kl_regularised_optimal_policy, preference_probability,
                        reinforce_gradient, reward_model_loss, reward_model_loss_gradient,
                        reward_weighted_cross_entropy, score_function, sequence_log_probability)


@pytest.mark.parametrize("seed", range(4))
def test_reward_model_loss_and_gradient_match_autograd(seed):
    generator = torch.Generator().manual_seed(seed)
    chosen = (torch.randn(7, generator=generator, dtype=torch.float64) * 3).requires_grad_(True)
    rejected = (torch.randn(7, generator=generator, dtype=torch.float64) * 3).requires_grad_(True)
    loss = -F.logsigmoid(chosen - rejected).mean()
    loss.backward()
    assert reward_model_loss(chosen.detach().numpy(), rejected.detach().numpy()) == pytest.approx(loss.item())
    grad_w, grad_l = reward_model_loss_gradient(chosen.detach().numpy(), rejected.detach().numpy())
    assert np.allclose(grad_w, chosen.grad.numpy()) and np.allclose(grad_l, rejected.grad.numpy())
    assert np.allclose(preference_probability(chosen.detach().numpy(), rejected.detach().numpy()),
                       torch.sigmoid(chosen - rejected).detach().numpy())


def test_reward_model_loss_survives_large_margins():
    assert reward_model_loss(1000.0, -1000.0) == pytest.approx(0.0)
    assert reward_model_loss(-1000.0, 1000.0) == pytest.approx(2000.0)
    margin = torch.tensor(-2000.0, dtype=torch.float64)
    assert reward_model_loss(-1000.0, 1000.0) == pytest.approx(-F.logsigmoid(margin).item())


def test_comparison_pairs_counts_the_pairs_of_a_ranking():
    for k in range(2, 10):
        assert comparison_pairs(k) == len(list(itertools.combinations(range(k), 2)))


def random_policy(seed, T=3, V=4, N=6):
    generator = torch.Generator().manual_seed(seed)
    logits = torch.randn(T, V, generator=generator, dtype=torch.float64)
    samples = torch.randint(0, V, (N, T), generator=generator)
    rewards = torch.randn(N, generator=generator, dtype=torch.float64)
    return logits, samples, rewards


def torch_log_prob(logits, sequences):
    return torch.log_softmax(logits, dim=1)[torch.arange(logits.shape[0]), sequences].sum(dim=1)


@pytest.mark.parametrize("seed", range(4))
def test_sequence_log_probability_matches_torch(seed):
    logits, samples, _ = random_policy(seed)
    assert np.allclose(sequence_log_probability(logits.numpy(), samples.numpy()),
                       torch_log_prob(logits, samples).numpy())


@pytest.mark.parametrize("seed", range(4))
def test_reinforce_is_minus_the_gradient_of_reward_weighted_cross_entropy(seed):
    logits, samples, rewards = random_policy(seed)
    logits.requires_grad_(True)
    loss = (rewards * -torch_log_prob(logits, samples)).mean()
    loss.backward()
    assert reward_weighted_cross_entropy(logits.detach().numpy(), samples.numpy(), rewards.numpy()) == \
        pytest.approx(loss.item())
    assert np.allclose(reinforce_gradient(logits.detach().numpy(), samples.numpy(), rewards.numpy()),
                       -logits.grad.numpy())


@pytest.mark.parametrize("seed", range(3))
def test_score_function_matches_autograd(seed):
    logits, samples, _ = random_policy(seed)
    logits.requires_grad_(True)
    torch_log_prob(logits, samples[:1]).sum().backward()
    assert np.allclose(score_function(logits.detach().numpy(), samples[0].numpy()), logits.grad.numpy())


@pytest.mark.parametrize("seed", range(3))
def test_expected_reward_gradient_matches_autograd_through_the_expectation(seed):
    logits, _, _ = random_policy(seed, T=2, V=3)
    table = torch.randn(3, 3, generator=torch.Generator().manual_seed(seed + 10), dtype=torch.float64)
    everything = torch.tensor(list(itertools.product(range(3), repeat=2)))
    logits.requires_grad_(True)
    (torch.exp(torch_log_prob(logits, everything)) * table[everything[:, 0], everything[:, 1]]).sum().backward()
    exact = expected_reward_gradient(logits.detach().numpy(), lambda s: table[s].item())
    assert np.allclose(exact, logits.grad.numpy())


def test_reinforce_estimate_converges_to_the_exact_gradient():
    logits = np.array([[0.5, -0.2, 0.0], [0.1, 0.3, -0.4]])
    reward = lambda s: float(s[0] == 2) + 0.5 * float(s[1] == 0)  # noqa: E731
    rng = np.random.default_rng(3)
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    samples = np.stack([rng.choice(3, size=40_000, p=p[t]) for t in range(2)], axis=1)
    estimate = reinforce_gradient(logits, samples, [reward(s) for s in samples])
    assert np.abs(estimate - expected_reward_gradient(logits, reward)).max() < 0.01


def test_all_sequences_enumerates_every_sequence_once():
    sequences = all_sequences(3, 4)
    assert sequences.shape == (64, 3) and len({tuple(s) for s in sequences}) == 64


@pytest.mark.parametrize("beta", [0.0, 0.1, 1.0])
def test_kl_penalised_reward_matches_torch(beta):
    generator = torch.Generator().manual_seed(0)
    rm = torch.randn(5, generator=generator, dtype=torch.float64)
    log_rl = torch.log_softmax(torch.randn(5, generator=generator, dtype=torch.float64), 0)
    log_sft = torch.log_softmax(torch.randn(5, generator=generator, dtype=torch.float64), 0)
    expected = rm - beta * (log_rl - log_sft)
    assert np.allclose(kl_penalised_reward(rm.numpy(), log_rl.numpy(), log_sft.numpy(), beta), expected.numpy())
    # its mean under pi_RL is E[RM] - beta KL(pi_RL || pi_SFT)
    pi_rl = log_rl.exp()
    kl = F.kl_div(log_sft, pi_rl, reduction="sum")
    assert float((pi_rl * expected).sum()) == pytest.approx(float((pi_rl * rm).sum() - beta * kl))
    assert kl_divergence(pi_rl.numpy(), log_sft.exp().numpy()) == pytest.approx(kl.item())


@pytest.mark.parametrize("beta", [0.3, 1.0, 4.0])
def test_optimal_policy_is_a_stationary_point_found_by_autograd(beta):
    generator = torch.Generator().manual_seed(1)
    pi_sft = torch.softmax(torch.randn(6, generator=generator, dtype=torch.float64), 0)
    rm = torch.randn(6, generator=generator, dtype=torch.float64)
    best = torch.log(torch.from_numpy(kl_regularised_optimal_policy(pi_sft.numpy(), rm.numpy(), beta)))
    best.requires_grad_(True)
    pi = torch.softmax(best, 0)
    objective = (pi * rm).sum() - beta * (pi * (torch.log(pi) - torch.log(pi_sft))).sum()
    gradient, = torch.autograd.grad(objective, best)
    assert gradient.abs().max() < 1e-10


def test_beta_interpolates_between_the_reward_model_and_sft():
    pi_sft, rm = np.array([0.7, 0.2, 0.1]), np.array([0.0, 1.0, 2.0])
    assert kl_regularised_optimal_policy(pi_sft, rm, 1e-3).argmax() == 2
    assert np.allclose(kl_regularised_optimal_policy(pi_sft, rm, 1e6), pi_sft, atol=1e-5)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="reward_chosen has shape"):
        reward_model_loss([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="sequences must have shape"):
        sequence_log_probability(np.zeros((2, 3)), [[0, 1, 2]])
    with pytest.raises(ValueError, match="token ids"):
        sequence_log_probability(np.zeros((2, 3)), [[0, 3]])
    with pytest.raises(ValueError, match="rewards has 1 values for 2 sequences"):
        reinforce_gradient(np.zeros((2, 3)), [[0, 1], [1, 1]], [1.0])
    with pytest.raises(ValueError, match="beta must be a number >= 0"):
        kl_penalised_reward(1.0, -1.0, -2.0, -0.1)
    with pytest.raises(ValueError, match="log-probabilities"):
        kl_penalised_reward(1.0, 0.5, -2.0, 0.1)
    with pytest.raises(ValueError, match="p must be a probability vector"):
        kl_divergence([0.5, 0.6], [0.5, 0.5])
    with pytest.raises(ValueError, match="ranked must be >= 2"):
        comparison_pairs(1)
    with pytest.raises(ValueError, match="beta must be a number > 0"):
        kl_regularised_optimal_policy([0.5, 0.5], [1.0, 0.0], 0)
