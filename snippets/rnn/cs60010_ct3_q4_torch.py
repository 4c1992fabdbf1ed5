import torch
from torch import nn

torch.manual_seed(0)
n_x, n_h, n_classes, T = 3, 4, 5, 6
cell, head = nn.LSTMCell(n_x, n_h).double(), nn.Linear(n_h, n_classes).double()
xs = torch.randn(T, 1, n_x, dtype=torch.float64)

h = c = torch.zeros(1, n_h, dtype=torch.float64)
hs, cs, forget, output = [], [], [], []
for x in xs:
    gates = x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh
    i_gate, f_gate, g_gate, o_gate = gates.chunk(4, dim=1)        # PyTorch's gate order
    h, c = cell(x, (h, c))
    h.retain_grad(), c.retain_grad()
    hs.append(h), cs.append(c), forget.append(torch.sigmoid(f_gate)), output.append(torch.sigmoid(o_gate))
loss = nn.functional.cross_entropy(head(h), torch.tensor([2]))
loss.backward()

# Autograd's dL/dc_t satisfies the recursion of (a) at every step
for t in range(T - 1):
    expected = hs[t].grad * output[t] * (1 - torch.tanh(cs[t]) ** 2) + cs[t + 1].grad * forget[t + 1]
    assert torch.allclose(cs[t].grad, expected.detach())
assert torch.allclose(cs[-1].grad, (hs[-1].grad * output[-1] * (1 - torch.tanh(cs[-1]) ** 2)).detach())
