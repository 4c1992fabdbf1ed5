import torch
from torch import nn

torch.manual_seed(0)
mha = nn.MultiheadAttention(8, 2, batch_first=True)
x = torch.randn(1, 5, 8)

output, weights = mha(x, x, x)                                   # default: weights averaged over heads
assert output.shape == (1, 5, 8) and weights.shape == (1, 5, 5)

_, per_head = mha(x, x, x, average_attn_weights=False)           # one matrix per head
assert per_head.shape == (1, 2, 5, 5)
assert torch.allclose(per_head.mean(dim=1), weights)

output_only, nothing = mha(x, x, x, need_weights=False)          # the fast path returns None for the weights
assert nothing is None and torch.allclose(output_only, output, atol=1e-6)
