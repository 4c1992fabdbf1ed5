import torch
from torch import nn

torch.manual_seed(0)
cell = nn.GRUCell(input_size=3, hidden_size=4).double()
x, h = torch.randn(1, 3, dtype=torch.float64), torch.randn(1, 4, dtype=torch.float64)
expected = cell(x, h)

# PyTorch stacks (r, z, n); its candidate applies r after W_hn h ("reset after"). The gates act by
# element-wise products (*), and with them the module's output is reproduced exactly:
with torch.no_grad():
    from_x = x @ cell.weight_ih.T + cell.bias_ih
    from_h = h @ cell.weight_hh.T + cell.bias_hh
    (x_r, x_z, x_n), (h_r, h_z, h_n) = from_x.chunk(3, dim=1), from_h.chunk(3, dim=1)
    r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
    candidate = torch.tanh(x_n + r * h_n)
    h_new = (1 - z) * candidate + z * h
assert torch.allclose(h_new, expected)

# Unit j of the new state moves with z_j alone: the Jacobian in z is diagonal.
jacobian = torch.autograd.functional.jacobian(lambda z: (1 - z) * candidate + z * h, z)[0, :, 0, :]
assert torch.allclose(jacobian, torch.diag(torch.diag(jacobian)))
