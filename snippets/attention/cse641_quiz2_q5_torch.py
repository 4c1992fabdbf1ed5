import torch
import torch.nn.functional as F

torch.manual_seed(0)
q, keys, values = torch.randn(1, 4), torch.randn(5, 4), torch.randn(5, 3)

kernel = torch.exp(q @ keys.T / 4 ** 0.5)                 # K(q, k_i) = exp(q . k_i / sqrt(d))
weights = kernel / kernel.sum(dim=-1, keepdim=True)       # option (b)
out = F.scaled_dot_product_attention(q[None], keys[None], values[None])[0]
assert torch.allclose(weights @ values, out, atol=1e-6)
