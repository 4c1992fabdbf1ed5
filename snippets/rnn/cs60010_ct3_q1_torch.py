import math

import torch
from torch import nn

# A real nn.LSTMCell forced to these gate values: zero weights, biases chosen so that
# sigma(bias) = gate (+-30 for the gates that are 1 or 0) and tanh(bias) = C~.
def logit(p):
    return 30.0 if p == 1 else -30.0 if p == 0 else math.log(p / (1 - p))


f, i, o, c_tilde = [1, 0.5, 0], [1, 0, 0.5], [1, 0, 0], [0.5, 0, 0.1]
cell = nn.LSTMCell(input_size=1, hidden_size=3).double()
with torch.no_grad():
    cell.weight_ih.zero_(), cell.weight_hh.zero_(), cell.bias_hh.zero_()
    gates = [logit(p) for p in i] + [logit(p) for p in f] + [math.atanh(v) for v in c_tilde] + [logit(p) for p in o]
    cell.bias_ih.copy_(torch.tensor(gates))       # PyTorch's order: i, f, g (= C~), o
h, c = cell(torch.zeros(1, 1, dtype=torch.float64),
            (torch.zeros(1, 3, dtype=torch.float64), torch.tensor([[0.2, 0.4, 0.8]], dtype=torch.float64)))
assert torch.allclose(c[0], torch.tensor([0.7, 0.2, 0.05], dtype=torch.float64))
assert torch.allclose(h[0], torch.tensor([math.tanh(0.7), 0, 0], dtype=torch.float64))
