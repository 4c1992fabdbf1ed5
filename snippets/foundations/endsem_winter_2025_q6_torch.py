import torch

# The same point, with autograd instead of the chain rule by hand.
w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
b = torch.tensor(-1.0, dtype=torch.float64, requires_grad=True)
x, y = torch.tensor(3.0, dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64)
loss = (torch.sigmoid(w * x + b) - y) ** 2
loss.backward()
s = torch.sigmoid(w * x + b).detach()
assert torch.isclose(w.grad, 2 * (s - y) * s * (1 - s) * x)
assert torch.isclose(b.grad, 2 * (s - y) * s * (1 - s))   # option (d) is dL/db, not dL/dw

# and on random points: option (a) is the autograd gradient everywhere
torch.manual_seed(0)
w, b, x, y = torch.randn(4, 1000, dtype=torch.float64)
w.requires_grad_()
(torch.sigmoid(w * x + b) - y).pow(2).sum().backward()
s = torch.sigmoid(w * x + b).detach()
assert torch.allclose(w.grad, 2 * (s - y) * s * (1 - s) * x)
