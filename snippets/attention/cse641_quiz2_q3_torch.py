import torch
from torch import nn

# nn.MultiheadAttention returns each head's weights separately: the heads attend independently.
torch.manual_seed(0)
mha = nn.MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True)
x = torch.randn(1, 5, 8)
_, per_head = mha(x, x, x, average_attn_weights=False)
assert per_head.shape == (1, 2, 5, 5)                       # (batch, heads, queries, keys)
assert not torch.allclose(per_head[0, 0], per_head[0, 1])   # two different distributions per query
assert torch.allclose(per_head.sum(dim=-1), torch.ones(1, 2, 5))

# A transformer layer still has its feed-forward network (linear1, linear2) besides the attention.
layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=32)
assert layer.linear1.weight.shape == (32, 8) and layer.linear2.weight.shape == (8, 32)
