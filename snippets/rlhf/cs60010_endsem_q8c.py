import numpy as np

from dlref.rlhf import kl_divergence, kl_penalised_reward, kl_regularised_optimal_policy

# Four possible replies to one prompt. The SFT model rarely writes the last one, a "reward hack"
# (say, flattery that the reward model over-scores): RM gives it 3.0, more than the best honest reply.
replies = ["helpful", "terse", "off-topic", "hack"]
pi_sft = np.array([0.5, 0.3, 0.199, 0.001])
rm = np.array([1.0, 0.5, 0.0, 3.0])
hack = replies.index("hack")

# A policy that has drifted towards the hack, and the penalised reward of two of its samples.
pi_rl = np.array([0.3, 0.1, 0.1, 0.5])
reply_table = list(zip(replies, pi_sft, rm, pi_rl))
beta = 0.5
penalised = kl_penalised_reward(rm, np.log(pi_rl), np.log(pi_sft), beta)
log_ratio_hack = np.log(pi_rl[hack] / pi_sft[hack])
log_ratio_helpful = np.log(pi_rl[0] / pi_sft[0])
assert round(log_ratio_helpful, 2) == -0.51
assert round(log_ratio_hack, 2) == 6.21
assert round(penalised[hack], 2) == -0.11                 # 3.0 - 0.5 * 6.21: the hack now loses
assert round(penalised[0], 2) == 1.26                     # 1.0 + 0.5 * 0.51: the helpful reply wins
assert penalised.argmax() == 0 and rm.argmax() == hack
no_penalty = kl_penalised_reward(rm, np.log(pi_rl), np.log(pi_sft), 0.0)
assert no_penalty.argmax() == hack                      # beta = 0: the reward model alone

# The average penalty is beta times a KL divergence: E_{pi_RL}[log pi_RL / pi_SFT] = KL(pi_RL || pi_SFT).
kl_rl = kl_divergence(pi_rl, pi_sft)
assert np.isclose(np.sum(pi_rl * (rm - penalised)), beta * kl_rl)
assert round(kl_rl, 2) == 2.78

# What beta does: the best policy for E[RM] - beta KL is pi_SFT * exp(RM / beta) / Z.
betas = [0.2, 0.5, 1, 2]
policies = [kl_regularised_optimal_policy(pi_sft, rm, b) for b in betas]
rows = [(b, float(p[hack]), kl_divergence(p, pi_sft), float(p @ rm)) for b, p in zip(betas, policies)]
hack_share = [row[1] for row in rows]
assert [round(100 * h, 1) for h in hack_share] == [97.7, 7.9, 1.0, 0.3]
assert all(a > b for a, b in zip(hack_share, hack_share[1:]))   # larger beta, less hacking
# rows shown on the page: beta, P(hack) in %, KL in nats, E[RM]
table = [(b, round(100 * h, 1), round(kl, 2), round(er, 2)) for b, h, kl, er in rows]
assert table == [(0.2, 97.7, 6.65, 2.95), (0.5, 7.9, 0.45, 1.04), (1, 1.0, 0.08, 0.8), (2, 0.3, 0.02, 0.73)]
