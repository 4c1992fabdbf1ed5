from math import comb

from dlref.rlhf import (comparison_pairs, preference_probability, reward_model_loss,
                        reward_model_loss_gradient)

# A labeller ranks K responses to one prompt: every ordered pair is one comparison.
K = 4
pairs = comparison_pairs(K)
assert pairs == comb(K, 2) == 6

# One pair: the reward model scores the preferred response s_w and the rejected one s_l.
r_w, r_l = 1.2, 0.4
margin = r_w - r_l
p_w = preference_probability(r_w, r_l)[0]    # Bradley-Terry: sigma(r_w - r_l)
loss = reward_model_loss(r_w, r_l)             # -log sigma(r_w - r_l)
grad_w, grad_l = (g[0] for g in reward_model_loss_gradient(r_w, r_l))
assert round(margin, 10) == 0.8
assert round(p_w, 4) == 0.6900 and round(loss, 4) == 0.3711
assert round(grad_w, 4) == -0.3100 and round(grad_l, 4) == 0.3100

# If the model ranked the pair the wrong way round, the loss and the push would be larger.
loss_swapped = reward_model_loss(r_l, r_w)
push_swapped = reward_model_loss_gradient(r_l, r_w)[1][0]
assert round(loss_swapped, 4) == 1.1711 and round(push_swapped, 4) == 0.6900
