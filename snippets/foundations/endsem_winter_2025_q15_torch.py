import torch
from torch import nn

# PyTorch's own clip_grad_norm_ on the same gradient, and on a small model's gradients.
p = nn.Parameter(torch.zeros(2, dtype=torch.float64))
p.grad = torch.tensor([3.0, -4.0], dtype=torch.float64)
norm_before = nn.utils.clip_grad_norm_([p], max_norm=1.0)
assert torch.isclose(norm_before, torch.tensor(5.0, dtype=torch.float64))
assert torch.allclose(p.grad, torch.tensor([0.6, -0.8], dtype=torch.float64), atol=1e-6)

# Several parameters: one global norm, one common scale, every direction kept.
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)).double()
(10 * model(torch.randn(16, 4, dtype=torch.float64))).pow(2).mean().backward()
before = [q.grad.clone() for q in model.parameters()]
total = torch.sqrt(sum((g ** 2).sum() for g in before))
nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
after = [q.grad for q in model.parameters()]
assert total > 1.0
for g0, g1 in zip(before, after):
    assert torch.allclose(g1, g0 / total, atol=1e-6)
assert torch.isclose(torch.sqrt(sum((g ** 2).sum() for g in after)), torch.tensor(1.0, dtype=torch.float64))
