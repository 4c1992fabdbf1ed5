import numpy as np
import torch
from torch import nn

from dlref.rnn import lstm_cell, lstm_weights_from_pytorch

torch.manual_seed(0)
cell = nn.LSTMCell(input_size=3, hidden_size=4).double()
x, h, c = torch.randn(1, 3, dtype=torch.float64), torch.randn(1, 4, dtype=torch.float64), torch.randn(1, 4, dtype=torch.float64)
h_next, c_next = cell(x, (h, c))

# Option (a)'s equations, computed with dlref from PyTorch's own weights, give PyTorch's answer.
weights = lstm_weights_from_pytorch(*(p.detach().numpy() for p in
                                      (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)))
step = lstm_cell(x[0].numpy(), h[0].numpy(), c[0].numpy(), weights)
assert np.allclose(step.h, h_next[0].detach().numpy()) and np.allclose(step.c, c_next[0].detach().numpy())
