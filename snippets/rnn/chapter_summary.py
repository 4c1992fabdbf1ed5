from torch import nn

from dlref.rnn import recurrent_parameter_count

# Weight blocks k of each cell: its weights over n_h (n_h + n_x), for any sizes, e.g. n_x = 5, n_h = 3.
n_x, n_h = 5, 3
blocks = {cell: recurrent_parameter_count(cell, n_x, n_h).weights // (n_h * (n_h + n_x))
          for cell in ("rnn", "lstm", "gru")}
assert blocks == {"rnn": 1, "lstm": 4, "gru": 3}

# PyTorch stacks the blocks in weight_ih and keeps two bias vectors per block (b_ih and b_hh).
modules = {"rnn": nn.RNN(n_x, n_h), "lstm": nn.LSTM(n_x, n_h), "gru": nn.GRU(n_x, n_h)}
assert {cell: m.weight_ih_l0.shape[0] // n_h for cell, m in modules.items()} == blocks
pytorch_bias_vectors = recurrent_parameter_count("lstm", n_x, n_h, bias_vectors=2).biases // (blocks["lstm"] * n_h)
assert pytorch_bias_vectors == 2
assert sum(p.numel() for p in modules["lstm"].parameters()) == recurrent_parameter_count("lstm", n_x, n_h, 2).total
