import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode


def flops(l, h):
    mha = nn.MultiheadAttention(h, 1, bias=False, batch_first=True)
    x = torch.randn(1, l, h)
    with FlopCounterMode(display=False) as counter:
        mha(x, x, x)
    return counter.get_total_flops()


# Both terms are there: 2 x (4 l h^2 + 2 l^2 h) FLOPs for any l and h.
for l, h in [(64, 16), (16, 64), (128, 32)]:
    assert flops(l, h) == 2 * (4 * l * h ** 2 + 2 * l ** 2 * h)
