import torch
from torch import nn

torch.manual_seed(0)
d = 4
long_seq, short_seq = torch.randn(5, d), torch.randn(2, d)
batch = torch.zeros(2, 8, d)
batch[0, :5], batch[1, :2] = long_seq, short_seq

ln = nn.LayerNorm(d)
assert torch.allclose(ln(batch)[1, :2], ln(short_seq), atol=1e-6)    # padding does not matter

bn = nn.BatchNorm1d(d)            # expects (N, C, L): features on axis 1
bn_in_batch = bn(batch.transpose(1, 2)).transpose(1, 2)[1, :2]
bn_alone = bn(short_seq.T[None]).transpose(1, 2)[0]
assert (bn_in_batch - bn_alone).abs().max() > 0.1                     # padding and batch-mates leak in

ln_params = sum(p.numel() for p in ln.parameters())
bn_params = sum(p.numel() for p in bn.parameters())
assert ln_params == bn_params == 2 * d
