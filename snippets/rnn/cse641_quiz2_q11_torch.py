import numpy as np
import torch
from torch import nn

from dlref.rnn import GRUWeights, gru_cell

torch.manual_seed(0)
cell = nn.GRUCell(input_size=3, hidden_size=4).double()
x, h = torch.randn(1, 3, dtype=torch.float64), torch.randn(1, 4, dtype=torch.float64)
expected = cell(x, h)[0].detach().numpy()

# PyTorch stacks (r, z, n) and keeps two biases; its candidate applies r after W_hn h ("reset after").
n = 4
W_ih, W_hh = cell.weight_ih.detach().numpy(), cell.weight_hh.detach().numpy()
b_ih, b_hh = cell.bias_ih.detach().numpy(), cell.bias_hh.detach().numpy()
r_rows, z_rows, n_rows = slice(0, n), slice(n, 2 * n), slice(2 * n, 3 * n)
weights = GRUWeights(
    W_z=np.hstack([W_hh[z_rows], W_ih[z_rows]]), W_r=np.hstack([W_hh[r_rows], W_ih[r_rows]]),
    W_h=np.hstack([W_hh[n_rows], W_ih[n_rows]]),
    b_z=b_ih[z_rows] + b_hh[z_rows], b_r=b_ih[r_rows] + b_hh[r_rows], b_h=b_ih[n_rows], b_hn=b_hh[n_rows])
assert np.allclose(gru_cell(x[0].numpy(), h[0].numpy(), weights, reset_after=True), expected)
