import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
mha = nn.MultiheadAttention(16, 2, batch_first=True)


def flops(n):
    x = torch.randn(1, n, 16)
    with FlopCounterMode(display=False) as counter:
        mha(x, x, x)
    return counter.get_total_flops()


# Doubling a long sequence multiplies the cost by almost 4: quadratic in n.
short_n, long_n = 256, 512
ratio = flops(long_n) / flops(short_n)
assert 3.5 < ratio < 4
