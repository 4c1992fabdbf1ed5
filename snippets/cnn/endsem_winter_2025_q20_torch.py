import torch
import torch.nn.functional as F


class DeconvReLU(torch.autograd.Function):
    """ReLU whose backward pass is DeconvNet's: relu(signal), not signal * (input > 0)."""

    @staticmethod
    def forward(ctx, x):
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad):
        return grad.clamp(min=0)


X = torch.arange(1.0, 10.0).reshape(1, 1, 3, 3).requires_grad_()
W = torch.ones(1, 1, 2, 2)
P = F.max_pool2d(DeconvReLU.apply(F.conv2d(X, W)), 2).sum()
P.backward()
assert X.grad[0, 0].tolist() == [[0, 0, 0], [0, 1, 1], [0, 1, 1]]

# Here every activation is positive, so plain autograd (the true gradient) gives the same map.
X_plain = X.detach().requires_grad_()
F.max_pool2d(F.relu(F.conv2d(X_plain, W)), 2).sum().backward()
assert torch.equal(X_plain.grad, X.grad)
