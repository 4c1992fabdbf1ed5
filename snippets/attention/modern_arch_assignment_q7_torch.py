import torch
from torch import nn

torch.manual_seed(0)
mha = nn.MultiheadAttention(embed_dim=8, num_heads=2, bias=False, batch_first=True)
# PyTorch stacks W^Q, W^K, W^V of all heads in one (3*8, 8) matrix and stores nn.Linear's transpose.
assert mha.in_proj_weight.shape == (24, 8)
assert mha.out_proj.weight.shape == (8, 8)
W_q, W_k, W_v = (w.T for w in mha.in_proj_weight.chunk(3))          # each (8, 8): both heads side by side
W_q_head = [W_q[:, 4 * i:4 * (i + 1)] for i in range(2)]            # W_i^Q: (8, 4)
assert all(w.shape == (8, 4) for w in W_q_head)

X = torch.randn(1, 4, 8)
out, _ = mha(X, X, X)
assert out.shape == (1, 4, 8)

# The same output from the formula, one head at a time.
heads = []
for i in range(2):
    cols = slice(4 * i, 4 * (i + 1))
    q, k, v = X[0] @ W_q[:, cols], X[0] @ W_k[:, cols], X[0] @ W_v[:, cols]   # (4, 4) each
    heads.append(torch.softmax(q @ k.T / 4 ** 0.5, dim=-1) @ v)
concat = torch.cat(heads, dim=1)                                      # (4, 8)
assert concat.shape == (4, 8)
assert torch.allclose(concat @ mha.out_proj.weight.T, out[0], atol=1e-6)
