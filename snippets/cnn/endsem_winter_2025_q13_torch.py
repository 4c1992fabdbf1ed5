import torch
from torch import nn

PER_GROUP = 2   # 8 channels in 4 groups
conv = nn.Conv2d(8, 8, kernel_size=3, groups=4, bias=False)
assert tuple(conv.weight.shape) == (8, 2, 3, 3) and conv.weight.numel() == 144

# Which input channels does each output channel depend on? Autograd answers exactly.
x = torch.randn(1, 8, 10, 10, requires_grad=True)
depends = torch.zeros(8, 8, dtype=torch.bool)
for out_channel in range(8):
    (grad,) = torch.autograd.grad(conv(x)[0, out_channel].sum(), x)
    depends[out_channel] = grad[0].abs().sum(dim=(1, 2)) > 0
block_diagonal = torch.block_diag(*[torch.ones(PER_GROUP, PER_GROUP, dtype=torch.bool)] * 4)
assert torch.equal(depends, block_diagonal)
