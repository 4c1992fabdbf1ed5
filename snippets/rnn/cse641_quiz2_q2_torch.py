import torch
from torch import nn

forget_layer = nn.Linear(2, 1)                  # W_f acting on [h_{t-1}, x_t]
with torch.no_grad():
    forget_layer.weight.fill_(1.2)
    forget_layer.bias.fill_(-0.1)
f = torch.sigmoid(forget_layer(torch.tensor([0.5, 0.3])))
assert round(f.item(), 2) == 0.70
