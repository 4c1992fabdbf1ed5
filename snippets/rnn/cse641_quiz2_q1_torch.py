import torch
from torch import nn

torch.manual_seed(0)
cell = nn.LSTMCell(input_size=3, hidden_size=4).double()
x, h, c = torch.randn(1, 3, dtype=torch.float64), torch.randn(1, 4, dtype=torch.float64), torch.randn(1, 4, dtype=torch.float64)
h_next, c_next = cell(x, (h, c))

# Option (a)'s equations, written out in PyTorch with the module's own weights (stacked i, f, g, o;
# W [h, x] + b is weight_hh h + weight_ih x + bias_ih + bias_hh):
with torch.no_grad():
    logits = x @ cell.weight_ih.T + h @ cell.weight_hh.T + cell.bias_ih + cell.bias_hh
    i_gate, f_gate, candidate, o_gate = logits.chunk(4, dim=1)
    f_t, i_t, o_t = torch.sigmoid(f_gate), torch.sigmoid(i_gate), torch.sigmoid(o_gate)
    c_t = f_t * c + i_t * torch.tanh(candidate)
    h_t = o_t * torch.tanh(c_t)
assert torch.allclose(c_t, c_next) and torch.allclose(h_t, h_next)
