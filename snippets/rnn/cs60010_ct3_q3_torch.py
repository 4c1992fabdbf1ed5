from torch import nn

cell = nn.LSTMCell(input_size=2, hidden_size=3)
# PyTorch stacks the four gates: weight_ih is (4*3, 2), weight_hh is (4*3, 3); W_f is rows 3..5 of both.
assert tuple(cell.weight_ih[3:6].shape) == (3, 2) and tuple(cell.weight_hh[3:6].shape) == (3, 3)
assert sum(p.numel() for p in cell.parameters()) == 84                      # two bias vectors
assert cell.weight_ih.numel() + cell.weight_hh.numel() == 60
assert sum(p.numel() for p in nn.LSTMCell(2, 3, bias=False).parameters()) == 60
