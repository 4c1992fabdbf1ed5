import torch
from torch import nn

torch.manual_seed(0)
cell = nn.RNNCell(input_size=2, hidden_size=3, nonlinearity="tanh").double()
xs = torch.randn(3, 2, dtype=torch.float64)


def h3_of(xs):
    h = torch.zeros(3, dtype=torch.float64)
    for x in xs:                 # the same cell, so the same W_xh, W_hh, b, at every step
        h = cell(x, h)
    return h


jacobian = torch.autograd.functional.jacobian(h3_of, xs)    # dh_3 / dx_t for t = 1, 2, 3
assert all(jacobian[:, t].abs().max() > 0 for t in range(3))
