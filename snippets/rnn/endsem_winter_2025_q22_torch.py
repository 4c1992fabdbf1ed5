import torch

# The cell-state recursion run with constant gates f = 0.99, i = 0.01 in PyTorch; C~_t = 1 throughout
steps = 100
c0 = torch.tensor(1.0, requires_grad=True)
c = c0
for _ in range(steps):
    c = 0.99 * c + 0.01 * 1.0
c.backward()
assert round(c0.grad.item(), 3) == 0.366       # dC_100/dC_0 = f^100
