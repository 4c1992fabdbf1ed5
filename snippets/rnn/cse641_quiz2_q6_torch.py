import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=2, hidden_size=3, batch_first=True)
x = torch.randn(1, 4, 2)

# nn.LSTM documents (h_0, c_0) as zeros when they are not given: None is a zero state.
out_none, (h_none, _) = lstm(x)
out_zeros, _ = lstm(x, (torch.zeros(1, 1, 3), torch.zeros(1, 1, 3)))
assert torch.equal(out_none, out_zeros)

# detach_() changes nothing about the numbers in the state.
h = h_none.clone()
assert torch.equal(h_none.detach_(), h)
