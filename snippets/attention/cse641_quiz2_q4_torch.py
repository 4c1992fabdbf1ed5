import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

n, d_model = 512, 512
x = torch.randn(1, n, d_model)


def flops(num_heads):
    mha = nn.MultiheadAttention(d_model, num_heads, bias=False, batch_first=True)
    with FlopCounterMode(display=False) as counter:
        mha(x, x, x)   # need_weights=True: PyTorch runs the explicit matrix products, which the counter sees
    return counter.get_total_flops(), sum(p.numel() for p in mha.parameters())


one_head, eight_heads = flops(1), flops(8)
assert one_head == eight_heads                                  # same FLOPs, same parameters
assert one_head[0] == 2 * 805_306_368                           # FLOPs = 2 x multiply-adds
assert one_head[1] == 4 * 512 * 512
