import torch
import torch.nn.functional as F
from torch import nn

# The rewards of the pair, as leaves of the autograd graph.
rewards = torch.tensor([1.2, 0.4], dtype=torch.float64, requires_grad=True)
loss = -F.logsigmoid(rewards[0] - rewards[1])
loss.backward()
assert round(loss.item(), 4) == 0.3711
assert [round(g, 4) for g in rewards.grad.tolist()] == [-0.31, 0.31]

# It is a binary cross-entropy with the margin as logit and "s_w wins" as label.
bce = F.binary_cross_entropy_with_logits(rewards[0] - rewards[1], torch.tensor(1.0, dtype=torch.float64))
assert torch.isclose(bce, loss)

# A reward model is a network with a scalar head (here on made-up 8-d features of the two responses):
# one gradient step on the loss raises the preferred response's reward and lowers the rejected one's.
torch.manual_seed(0)
head = nn.Linear(8, 1, dtype=torch.float64)
features_w, features_l = torch.randn(8, dtype=torch.float64), torch.randn(8, dtype=torch.float64)
before = (head(features_w) - head(features_l)).item()
(-F.logsigmoid(head(features_w) - head(features_l))).sum().backward()
with torch.no_grad():
    for parameter in head.parameters():
        parameter -= 0.1 * parameter.grad
assert (head(features_w) - head(features_l)).item() > before
