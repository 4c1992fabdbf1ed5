import math

import torch
from torch import nn

# The same networks as nn.Sequential modules: hidden weights fixed (knots c_i = i/width), the output
# layer solved by least squares with torch.linalg.lstsq, the sup error measured on a grid.
x = torch.linspace(0, 1, 201, dtype=torch.float64)[:, None]
y = torch.sin(2 * math.pi * x)


class Square(nn.Module):
    def forward(self, u):
        return u ** 2


class Step(nn.Module):
    def forward(self, u):
        return (u > 0).to(u.dtype)


def sup_error(activation, width):
    net = nn.Sequential(nn.Linear(1, width), activation, nn.Linear(width, 1)).double()
    with torch.no_grad():
        net[0].weight.fill_(1.0)
        net[0].bias.copy_(-torch.arange(width, dtype=torch.float64) / width)
        hidden = net[1](net[0](x))
        design = torch.cat([torch.ones_like(x), hidden], dim=1)
        coef = torch.linalg.lstsq(design, y).solution
        net[2].bias.copy_(coef[0])
        net[2].weight.copy_(coef[1:].T)
        return (net(x) - y).abs().max().item()


for activation in (nn.ReLU(), Step()):
    assert sup_error(activation, 64) < 0.05 < sup_error(activation, 4)
stuck = [sup_error(Square(), w) for w in (4, 16, 64)]
assert min(stuck) > 0.9 and max(stuck) - min(stuck) < 1e-6
