import torch
import torch.nn.functional as F

out = F.conv2d(torch.zeros(1, 1, 7, 7), torch.zeros(1, 1, 3, 3), dilation=2)
assert tuple(out.shape[2:]) == (3, 3)
