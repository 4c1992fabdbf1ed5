import torch
from torch import nn

fields = []
for dilation in (1, 2, 4):
    conv = nn.Conv2d(64, 64, kernel_size=3, padding=dilation, dilation=dilation)
    assert sum(p.numel() for p in conv.parameters()) == 36_928
    # Receptive field by autograd: the span of input columns that reach the centre output
    # (a dilated kernel touches only 3 of them; the holes in between are inside the field).
    x = torch.zeros(1, 64, 32, 32, requires_grad=True)
    conv(x)[0, 0, 16, 16].backward()
    touched = torch.nonzero(x.grad[0].abs().sum(dim=(0, 1))).flatten()
    fields.append(int(touched.max() - touched.min()) + 1)
assert fields == [3, 5, 9]
