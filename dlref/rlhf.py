"""Reinforcement learning from human feedback: the reward model's loss, the policy gradient, the
KL-penalised reward.

* **Reward model** (Bradley-Terry, as in InstructGPT): for a preferred response ``s_w`` and a rejected
  one ``s_l``, ``P(s_w > s_l) = sigma(r_w - r_l)`` and the loss is
  ``-E[log sigma(r_w - r_l)]``; its gradient is ``d/dr_w = -sigma(r_l - r_w)``, ``d/dr_l = +sigma(r_l - r_w)``
  per pair (divided by the number of pairs for the mean).
* **Policy gradient** (REINFORCE): ``grad E_{s ~ pi}[R(s)] = E[R(s) grad log pi(s)]``, estimated on
  sequences *sampled from the policy*; the estimate is minus the gradient of the reward-weighted
  cross-entropy ``(1/N) sum_n R_n (-log pi(s_n))``.
* **KL-penalised reward**: ``R(s) = RM(s) - beta log(pi_RL(s) / pi_SFT(s))``; its expectation under
  ``pi_RL`` is ``E[RM] - beta KL(pi_RL || pi_SFT)``, maximised by ``pi*(s) ∝ pi_SFT(s) exp(RM(s) / beta)``.

The toy policy of this module generates a sequence of ``T`` tokens from a vocabulary of ``V``, each
position from its own categorical distribution: ``logits`` has shape ``(T, V)`` and
``pi(s) = prod_t softmax(logits[t])[s_t]``; a batch of sequences is an ``(N, T)`` array of token ids.
"""

from __future__ import annotations

import itertools

import numpy as np

from dlref import _checks
from dlref.rnn import sigmoid

# ---------------------------------------------------------------------------------------------
# The reward model
# ---------------------------------------------------------------------------------------------


def _rewards(reward_chosen, reward_rejected) -> tuple[np.ndarray, np.ndarray]:
    chosen = _checks.array("reward_chosen", np.atleast_1d(reward_chosen), 1)
    rejected = _checks.array("reward_rejected", np.atleast_1d(reward_rejected), 1)
    if chosen.shape != rejected.shape:
        raise ValueError(f"reward_chosen has shape {chosen.shape}, reward_rejected {rejected.shape}: one pair each")
    return chosen, rejected


def preference_probability(reward_chosen, reward_rejected) -> np.ndarray:
    """Bradley-Terry: ``P(s_w preferred to s_l) = sigma(r_w - r_l)``, one per pair."""
    chosen, rejected = _rewards(reward_chosen, reward_rejected)
    return sigmoid(chosen - rejected)


def reward_model_loss(reward_chosen, reward_rejected) -> float:
    """``-(1/N) sum_n log sigma(r_w,n - r_l,n)`` over ``N`` comparison pairs (computed as
    ``log(1 + exp(-(r_w - r_l)))`` so that large margins do not overflow)."""
    chosen, rejected = _rewards(reward_chosen, reward_rejected)
    return float(np.mean(np.logaddexp(0.0, -(chosen - rejected))))


def reward_model_loss_gradient(reward_chosen, reward_rejected) -> tuple[np.ndarray, np.ndarray]:
    """``(dL/dr_w, dL/dr_l)`` of :func:`reward_model_loss`: ``-sigma(r_l - r_w) / N`` and
    ``+sigma(r_l - r_w) / N`` per pair: the loss pushes the two rewards apart, harder the more the
    model's ranking disagrees with the human's."""
    chosen, rejected = _rewards(reward_chosen, reward_rejected)
    push = sigmoid(rejected - chosen) / len(chosen)
    return -push, push


def comparison_pairs(ranked: int) -> int:
    """A labeller who ranks ``K`` responses gives ``K (K - 1) / 2`` comparison pairs."""
    ranked = _checks.integer("ranked", ranked, minimum=2)
    return ranked * (ranked - 1) // 2


# ---------------------------------------------------------------------------------------------
# A toy policy over token sequences and its gradients
# ---------------------------------------------------------------------------------------------


def softmax(logits) -> np.ndarray:
    """Softmax along the last axis, shifted by the maximum so that it cannot overflow."""
    logits = np.asarray(logits, dtype=np.float64)
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _policy(logits) -> np.ndarray:
    return _checks.array("logits", logits, 2)


def _sequences(logits: np.ndarray, sequences) -> np.ndarray:
    tokens = np.asarray(sequences)
    if tokens.ndim == 1:
        tokens = tokens[None, :]
    if tokens.ndim != 2 or tokens.shape[1] != logits.shape[0]:
        raise ValueError(f"sequences must have shape (N, {logits.shape[0]}) (one token per position), "
                         f"got {np.shape(sequences)}")
    if not np.issubdtype(tokens.dtype, np.integer) or tokens.min() < 0 or tokens.max() >= logits.shape[1]:
        raise ValueError(f"sequences must hold token ids in [0, {logits.shape[1]}), got {tokens.tolist()}")
    return tokens


def sequence_log_probability(logits, sequences) -> np.ndarray:
    """``log pi(s) = sum_t log softmax(logits[t])[s_t]`` for each sequence: shape ``(N,)``."""
    logits = _policy(logits)
    tokens = _sequences(logits, sequences)
    log_p = np.log(softmax(logits))
    return log_p[np.arange(logits.shape[0]), tokens].sum(axis=1)


def score_function(logits, sequence) -> np.ndarray:
    """``grad_logits log pi(s) = onehot(s_t) - softmax(logits[t])`` for each position: ``(T, V)``."""
    logits = _policy(logits)
    tokens = _sequences(logits, sequence)
    if len(tokens) != 1:
        raise ValueError(f"sequence must be one sequence, got {len(tokens)}")
    onehot = np.zeros_like(logits)
    onehot[np.arange(logits.shape[0]), tokens[0]] = 1.0
    return onehot - softmax(logits)


def reinforce_gradient(logits, sequences, rewards) -> np.ndarray:
    """The REINFORCE estimate ``(1/N) sum_n R_n grad log pi(s_n)`` of ``grad E[R]``: ``(T, V)``."""
    logits = _policy(logits)
    tokens = _sequences(logits, sequences)
    rewards = _checks.array("rewards", np.atleast_1d(rewards), 1)
    if len(rewards) != len(tokens):
        raise ValueError(f"rewards has {len(rewards)} values for {len(tokens)} sequences")
    counts = np.zeros_like(logits)   # sum_n R_n onehot(s_n), position by position
    for position in range(logits.shape[0]):
        np.add.at(counts[position], tokens[:, position], rewards)
    return counts / len(tokens) - rewards.mean() * softmax(logits)


def reward_weighted_cross_entropy(logits, sequences, rewards) -> float:
    """``(1/N) sum_n R_n (-log pi(s_n))``: the cross-entropy of each sequence, weighted by its reward.
    With ``R_n = 1`` and ground-truth sequences it is the supervised (teacher-forcing) loss."""
    log_p = sequence_log_probability(logits, sequences)
    rewards = _checks.array("rewards", np.atleast_1d(rewards), 1)
    if len(rewards) != len(log_p):
        raise ValueError(f"rewards has {len(rewards)} values for {len(log_p)} sequences")
    return float(np.mean(rewards * -log_p))


def all_sequences(length: int, vocabulary: int) -> np.ndarray:
    """Every sequence of ``length`` tokens from ``vocabulary`` ids: ``(V**T, T)``."""
    length = _checks.positive("length", length)
    vocabulary = _checks.positive("vocabulary", vocabulary)
    return np.array(list(itertools.product(range(vocabulary), repeat=length)), dtype=np.int64)


def expected_reward_gradient(logits, reward) -> np.ndarray:
    """The exact ``grad E_{s ~ pi}[R(s)] = sum_s pi(s) R(s) grad log pi(s)``, by enumerating every
    sequence; ``reward`` maps a sequence (a tuple of ids) to a number. Small ``V**T`` only."""
    logits = _policy(logits)
    if logits.shape[1] ** logits.shape[0] > 100_000:
        raise ValueError(f"logits of shape {logits.shape} give too many sequences to enumerate")
    sequences = all_sequences(*logits.shape)
    probabilities = np.exp(sequence_log_probability(logits, sequences))
    return sum(p * float(reward(tuple(int(t) for t in s))) * score_function(logits, s)
               for p, s in zip(probabilities, sequences))


# ---------------------------------------------------------------------------------------------
# The KL penalty
# ---------------------------------------------------------------------------------------------


def kl_penalised_reward(reward_model_score, log_prob_rl, log_prob_sft, beta: float) -> np.ndarray:
    """``R(s) = RM(s) - beta (log pi_RL(s) - log pi_SFT(s))``, element-wise."""
    score = np.asarray(reward_model_score, dtype=np.float64)
    log_rl = np.asarray(log_prob_rl, dtype=np.float64)
    log_sft = np.asarray(log_prob_sft, dtype=np.float64)
    if isinstance(beta, bool) or not isinstance(beta, (int, float)) or beta < 0:
        raise ValueError(f"beta must be a number >= 0, got {beta!r}")
    if np.any(log_rl > 0) or np.any(log_sft > 0):
        raise ValueError("log_prob_rl and log_prob_sft are log-probabilities: they must be <= 0")
    return score - beta * (log_rl - log_sft)


def kl_divergence(p, q) -> float:
    """``KL(p || q) = sum_i p_i log(p_i / q_i)`` (terms with ``p_i = 0`` are 0), in nats."""
    p = _checks.array("p", p, 1)
    q = _checks.array("q", q, 1)
    if p.shape != q.shape:
        raise ValueError(f"p has shape {p.shape}, q has {q.shape}")
    for name, value in (("p", p), ("q", q)):
        if np.any(value < 0) or not np.isclose(value.sum(), 1.0):
            raise ValueError(f"{name} must be a probability vector (>= 0, summing to 1), got {value.tolist()}")
    support = p > 0
    if np.any(q[support] == 0):
        return float("inf")
    return float(np.sum(p[support] * np.log(p[support] / q[support])))


def kl_regularised_optimal_policy(pi_sft, reward_model_score, beta: float) -> np.ndarray:
    """The policy over a finite set of responses that maximises ``E_pi[RM] - beta KL(pi || pi_SFT)``:
    ``pi*(s) = pi_SFT(s) exp(RM(s) / beta) / Z``. ``beta -> 0`` puts all mass on the highest RM score;
    ``beta -> infinity`` returns ``pi_SFT``."""
    pi_sft = _checks.array("pi_sft", pi_sft, 1)
    score = _checks.array("reward_model_score", reward_model_score, 1)
    if pi_sft.shape != score.shape:
        raise ValueError(f"pi_sft has shape {pi_sft.shape}, reward_model_score {score.shape}")
    if np.any(pi_sft <= 0) or not np.isclose(pi_sft.sum(), 1.0):
        raise ValueError(f"pi_sft must be a positive probability vector, got {pi_sft.tolist()}")
    if isinstance(beta, bool) or not isinstance(beta, (int, float)) or beta <= 0:
        raise ValueError(f"beta must be a number > 0, got {beta!r}")
    return softmax(np.log(pi_sft) + score / beta)
