import torch
from torch import nn

torch.manual_seed(0)
residual = nn.Sequential(nn.Conv2d(3, 3, 3, padding=1), nn.ReLU(), nn.Conv2d(3, 3, 3, padding=1))
x = torch.randn(1, 3, 5, 5, requires_grad=True)
upstream = torch.randn(1, 3, 5, 5)

(grad_x,) = torch.autograd.grad(residual(x) + x, x, grad_outputs=upstream)       # autograd, y = F(x) + x
(through_f,) = torch.autograd.grad(residual(x), x, grad_outputs=upstream)        # J_F^T dL/dy
assert torch.allclose(grad_x, upstream + through_f)        # option (c): dL/dy (1 + dF/dx)
assert not torch.allclose(grad_x, upstream)                # option (a) drops the path through F
assert not torch.allclose(grad_x, 2 * upstream)            # option (d)
