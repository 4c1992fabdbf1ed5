import torch
import torch.nn.functional as F

x = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
kernel = torch.tensor([[[[0.5, -1.0], [2.0, 0.25]]]], requires_grad=True)
F.conv2d(x, kernel).sum().backward()        # 'valid' is PyTorch's default (padding=0)
assert kernel.grad[0, 0].tolist() == [[1.0, 2.0], [3.0, 4.0]]
assert kernel.grad[0, 0, 0, 0].item() == 1
