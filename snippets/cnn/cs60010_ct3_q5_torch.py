import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

depthwise = nn.Conv2d(3, 3, kernel_size=4, stride=1, padding=1, groups=3, bias=False)
pointwise = nn.Conv2d(3, 10, kernel_size=1, bias=False)
x = torch.zeros(1, 3, 200, 200)

FLOPS_PER_MULTIPLY_ADD = 2   # PyTorch's own FLOP counter counts a multiply-add as 2 FLOPs
with FlopCounterMode(display=False) as counter:
    middle = depthwise(x)
depthwise_mults = counter.get_total_flops() // FLOPS_PER_MULTIPLY_ADD
with FlopCounterMode(display=False) as counter:
    out = pointwise(middle)
pointwise_mults = counter.get_total_flops() // FLOPS_PER_MULTIPLY_ADD

assert tuple(middle.shape) == (1, 3, 199, 199) and tuple(out.shape) == (1, 10, 199, 199)
assert (depthwise_mults, pointwise_mults) == (1_900_848, 1_188_030)
assert depthwise_mults + pointwise_mults == 3_088_878
