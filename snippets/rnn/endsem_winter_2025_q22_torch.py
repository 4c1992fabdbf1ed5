import torch

# The cell-state recursion run for 100 steps with constant gates, in PyTorch; C~_t = 1 throughout
c0 = torch.tensor(1.0, requires_grad=True)
c = c0
for _ in range(100):
    c = 0.99 * c + 0.01 * 1.0
c.backward()
assert round(c0.grad.item(), 3) == 0.366       # dC_100/dC_0 = f^100
