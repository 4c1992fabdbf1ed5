import torch
import torch.nn.functional as F

torch.manual_seed(0)
q, k, v = torch.randn(1, 4, 8), torch.randn(1, 4, 8), torch.randn(1, 4, 8)
allowed = torch.ones(4, 4).tril().bool()                        # True = may attend (causal)

scores = q @ k.transpose(1, 2) / 8 ** 0.5
weights = torch.softmax(scores.masked_fill(~allowed, -1e6), dim=-1)
assert torch.all(weights[0][~allowed] == 0)                     # masked positions: exactly zero weight
assert torch.allclose(weights @ v, F.scaled_dot_product_attention(q, k, v, attn_mask=allowed), atol=1e-6)
assert torch.allclose(weights @ v, F.scaled_dot_product_attention(q, k, v, is_causal=True), atol=1e-6)
