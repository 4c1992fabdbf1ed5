"""Same question, new numbers: the RLHF chapter's variants (sitecontract/practice.py explains the format).

Each variant's answer is computed here by the ``dlref.rlhf`` function the worked solution uses; its
``check`` recomputes it independently with PyTorch: autograd through ``F.logsigmoid`` for the reward
model, autograd on the reward-weighted cross-entropy and on the exact expectation for the policy
gradient, ``F.kl_div`` and autograd on the regularised objective for the KL penalty.
"""

import itertools
import math

import numpy as np
import torch
import torch.nn.functional as F

from dlref.rlhf import (comparison_pairs, expected_reward_gradient, kl_divergence, kl_penalised_reward,
                        kl_regularised_optimal_policy, preference_probability, reinforce_gradient,
                        reward_model_loss, reward_model_loss_gradient)
from sitecontract.practice import Variant, number, number_list



# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q8(a): the Bradley-Terry loss of the reward model on one pair
# ---------------------------------------------------------------------------------------------


def _reward_pair_check(r_w, r_l, K, p_w, loss, grad_w, grad_l, pairs):
    def check():
        rewards = torch.tensor([r_w, r_l], dtype=torch.float64, requires_grad=True)
        nll = -F.logsigmoid(rewards[0] - rewards[1])
        nll.backward()
        assert math.isclose(torch.exp(-nll).item(), p_w, rel_tol=1e-12)
        assert math.isclose(nll.item(), loss, rel_tol=1e-12)
        assert np.allclose(rewards.grad.tolist(), [grad_w, grad_l], rtol=1e-12)
        assert len(list(itertools.combinations(range(K), 2))) == pairs
    return check


def reward_model_pair():
    found = []
    for r_w, r_l, K in [(0.5, -1.0, 5), (2.0, 2.3, 3), (-0.2, -1.4, 6)]:
        margin = r_w - r_l
        p_w = float(preference_probability(r_w, r_l)[0])       # sigma(r_w - r_l)
        loss = reward_model_loss(r_w, r_l)                     # -log sigma(r_w - r_l)
        grad_w, grad_l = (float(g[0]) for g in reward_model_loss_gradient(r_w, r_l))
        pairs = comparison_pairs(K)
        # a pair the model ranks the wrong way round is pushed hardest: say so when it happens
        verdict = ("the model ranks this pair the wrong way round, so the push is large"
                   if margin < 0 else "a descent step raises $r_w$ and lowers $r_l$")
        found.append(Variant(
            givens=f"The reward model scores a preferred response $r_w = {number(r_w)}$ and the rejected one "
                   f"$r_l = {number(r_l)}$. What is the Bradley–Terry probability $P(s^w \\succ s^l)$, the loss "
                   f"$-\\log \\sigma(r_w - r_l)$ and its gradients with respect to $r_w$ and $r_l$? How many "
                   f"pairs does a labeller who ranks $K = {K}$ responses give?",
            answer=f"$P = \\sigma({number(round(margin, 4))}) = {number(p_w, 4)}$, loss ${number(loss, 4)}$, "
                   f"$\\partial \\mathcal L / \\partial r_w = {number(grad_w, 4)}$, "
                   f"$\\partial \\mathcal L / \\partial r_l = {number(grad_l, 4)}$ ({verdict}); "
                   f"${K} \\cdot {K - 1} / 2 = {pairs}$ pairs.",
            working=f"$-\\ln {number(p_w, 4)} = {number(loss, 4)}$; "
                    f"$\\partial \\mathcal L / \\partial r_w = -(1 - {number(p_w, 4)}) = {number(grad_w, 4)}$.",
            check=_reward_pair_check(r_w, r_l, K, p_w, loss, grad_w, grad_l, pairs)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q8(b): the REINFORCE estimate on given samples, and the exact policy gradient
# ---------------------------------------------------------------------------------------------


def _policy_gradient_check(logits, samples, token_reward, estimate, exact):
    """Autograd in PyTorch: the estimate is minus the gradient of the reward-weighted cross-entropy on
    the samples; the exact gradient is autograd through sum_s pi(s) R(s) over every sequence."""
    def check():
        T, V = np.shape(logits)
        theta = torch.tensor(logits, dtype=torch.float64, requires_grad=True)

        def log_prob(sequences):
            return torch.log_softmax(theta, dim=1)[torch.arange(T), sequences].sum(dim=1)

        def reward(sequences):
            return torch.tensor(token_reward, dtype=torch.float64)[sequences].sum(dim=1)

        tokens = torch.tensor(samples)
        (reward(tokens) * -log_prob(tokens)).mean().backward()
        assert torch.allclose(-theta.grad, torch.tensor(estimate, dtype=torch.float64))
        theta.grad = None
        everything = torch.tensor(list(itertools.product(range(V), repeat=T)))
        (torch.exp(log_prob(everything)) * reward(everything)).sum().backward()
        assert torch.allclose(theta.grad, torch.tensor(exact, dtype=torch.float64))
    return check


def _matrix(rows) -> str:
    """One bracketed row per position: ``[0.375, -0.125]; [0, 0.25]`` (inside ``$...$``)."""
    return r";\ ".join(f"[{number_list(row)}]" for row in rows)


def policy_gradient_on_samples():
    found = []
    # policy (probabilities per position), reward of each token (R(s) = sum over positions), samples
    for probabilities, token_reward, samples in [
        ([[0.25, 0.25, 0.25, 0.25]], [1, 0, 0, 0], [(0,), (2,), (0,), (3,)]),
        ([[1 / 3] * 3, [1 / 3] * 3], [0, 1, 0], [(1, 1), (0, 2), (1, 0), (2, 2)]),
        ([[0.5, 0.3, 0.2]], [1, 0, 2], [(2,), (0,), (0,), (1,), (2,)]),
    ]:
        logits = np.log(probabilities)
        rewards = [sum(token_reward[t] for t in s) for s in samples]
        estimate = reinforce_gradient(logits, np.array(samples), rewards)
        exact = expected_reward_gradient(logits, lambda s: sum(token_reward[t] for t in s))
        T, V = logits.shape
        policy = ("uniform" if np.allclose(probabilities, 1 / V)
                  else f"$\\pi = ({number_list(probabilities[0])})$")
        length = "a single token" if T == 1 else f"$T = {T}$ tokens"
        listed = ", ".join("(" + ", ".join(str(t) for t in s) + ")" for s in samples)
        found.append(Variant(
            givens=f"A toy policy writes {length} from $V = {V}$ (ids $0$ to ${V - 1}$), each position "
                   f"its own softmax over logits, {policy}. The reward of a sequence is the sum over its "
                   f"tokens of $r = ({number_list(token_reward)})$ (token $v$ earns $r_v$). "
                   f"On the $N = {len(samples)}$ sampled "
                   f"sequences ${listed}$, what is the REINFORCE estimate "
                   f"$\\tfrac1N \\sum_n R(s_n) \\nabla_{{\\text{{logits}}}} \\log \\pi(s_n)$, and what is the exact "
                   f"gradient of $\\mathbb E_\\pi[R]$?",
            answer=f"Estimate (one row per position) ${_matrix(estimate)}$; exact ${_matrix(exact)}$. The "
                   f"estimate is minus the gradient of the reward-weighted cross-entropy on these samples.",
            working=f"Rewards $R_n = ({number_list(rewards)})$; per position "
                    f"$\\tfrac1N \\sum_n R_n\\, \\mathrm{{onehot}}(s_{{n,t}}) - \\bar R\\, \\pi_t$ with "
                    f"$\\bar R = {number(round(float(np.mean(rewards)), 4))}$; exact: "
                    f"$\\pi_v (\\mathbb E[R \\mid s_t = v] - \\mathbb E[R])$.",
            check=_policy_gradient_check(logits, samples, token_reward, estimate, exact)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q8(c): the KL-penalised reward
# ---------------------------------------------------------------------------------------------


def _penalty_check(pi_sft, rm, pi_rl, beta, penalised, kl, optimal):
    def check():
        sft, score, rl = (torch.tensor(v, dtype=torch.float64) for v in (pi_sft, rm, pi_rl))
        reward = score - beta * (torch.log(rl) - torch.log(sft))
        assert torch.allclose(reward, torch.tensor(penalised, dtype=torch.float64))
        divergence = F.kl_div(torch.log(sft), rl, reduction="sum")
        assert math.isclose(divergence.item(), kl, rel_tol=1e-9)
        assert math.isclose((rl * (score - reward)).sum().item(), beta * kl, rel_tol=1e-9)
        # pi_SFT exp(RM / beta) / Z: autograd finds no ascent direction of E[RM] - beta KL there
        logits = (torch.log(sft) + score / beta).requires_grad_(True)
        pi = torch.softmax(logits, dim=0)
        objective = (pi * score).sum() - beta * (pi * (torch.log(pi) - torch.log(sft))).sum()
        gradient, = torch.autograd.grad(objective, logits)
        assert gradient.abs().max() < 1e-12
        assert torch.allclose(pi.detach(), torch.tensor(optimal, dtype=torch.float64))
    return check


def kl_penalised_reward_variants():
    found = []
    for replies, pi_sft, rm, pi_rl, beta in [
        (["helpful", "terse", "flattery"], [0.6, 0.35, 0.05], [1.0, 0.2, 2.5], [0.3, 0.2, 0.5], 0.4),
        (["helpful", "terse", "flattery"], [0.6, 0.35, 0.05], [1.0, 0.2, 2.5], [0.3, 0.2, 0.5], 1.0),
        (["short", "detailed", "off-topic", "hack"], [0.4, 0.4, 0.19, 0.01], [0.8, 1.2, -0.5, 2.0],
         [0.25, 0.35, 0.1, 0.3], 0.5),
    ]:
        hack = int(np.argmax(rm))                           # the reply the reward model over-rates
        penalised = kl_penalised_reward(rm, np.log(pi_rl), np.log(pi_sft), beta)
        kl = kl_divergence(pi_rl, pi_sft)
        optimal = kl_regularised_optimal_policy(pi_sft, rm, beta)
        best = replies[int(np.argmax(penalised))]
        # with too small a beta the penalty does not undo the reward model's over-rating
        if best == replies[hack]:
            outcome = f"{best} still scores highest: $\\beta$ is too small to undo the over-rating"
        else:
            outcome = f"{best} scores highest, while the reward model alone prefers {replies[hack]}"
        table = ", ".join(f"{name} ({number(p)}, {number(r)}, {number(q)})"
                          for name, p, r, q in zip(replies, pi_sft, rm, pi_rl))
        log_ratio = math.log(pi_rl[hack] / pi_sft[hack])
        found.append(Variant(
            givens=f"Replies with $(\\pi^{{SFT}}, RM_\\phi, \\pi^{{RL}})$: {table}; $\\beta = {number(beta)}$. "
                   f"What is the penalised reward $R = RM_\\phi - \\beta \\log(\\pi^{{RL}}/\\pi^{{SFT}})$ of each "
                   f"reply, which reply does it favour, what is the average penalty "
                   f"$\\beta\\,\\mathrm{{KL}}(\\pi^{{RL}} \\| \\pi^{{SFT}})$, and how much mass does the best "
                   f"policy $\\pi^* \\propto \\pi^{{SFT}} \\exp(RM_\\phi/\\beta)$ put on {replies[hack]}?",
            answer=f"$R = ({number_list(penalised, 3)})$: {outcome}; average penalty "
                   f"${number(beta)} \\cdot {number(kl, 4)} = "
                   f"{number(beta * kl, 3)}$ nats; $\\pi^*(\\text{{{replies[hack]}}}) = "
                   f"{number(100 * optimal[hack], 1)}\\%$.",
            working=f"{replies[hack].capitalize()}: $\\ln({number(pi_rl[hack])}/{number(pi_sft[hack])}) = "
                    f"{number(log_ratio, 3)}$, so $R = {number(rm[hack])} - {number(beta)} \\cdot "
                    f"{number(log_ratio, 3)} = {number(penalised[hack], 3)}$.",
            check=_penalty_check(pi_sft, rm, pi_rl, beta, penalised.tolist(), kl, optimal.tolist())))
    return found


PRACTICE = {
    "cs60010-endsem-q8a": reward_model_pair,
    "cs60010-endsem-q8b": policy_gradient_on_samples,
    "cs60010-endsem-q8c": kl_penalised_reward_variants,
}

NO_PRACTICE = {}
