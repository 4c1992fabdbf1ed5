import torch
from torch import nn

model = nn.Sequential(
    nn.Conv2d(3, 16, kernel_size=5, stride=1, padding="same"),
    nn.MaxPool2d(kernel_size=2, stride=2),
    nn.Conv2d(16, 32, kernel_size=3, stride=1, padding="valid"),
    nn.MaxPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(30_752, 100),
)
x = torch.zeros(1, 3, 128, 128)  # PyTorch is (batch, channels, height, width)
shapes = []
for layer in model[:4]:
    x = layer(x)
    shapes.append((x.shape[2], x.shape[3], x.shape[1]))
assert shapes == [(128, 128, 16), (64, 64, 16), (62, 62, 32), (31, 31, 32)]
assert model[4](x).shape == (1, 30_752)

def count(module):
    return sum(p.numel() for p in module.parameters())

assert count(model[0]) == 1_216
assert count(model[5]) == 3_075_300
