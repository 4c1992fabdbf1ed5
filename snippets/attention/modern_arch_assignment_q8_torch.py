import torch

Q = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=torch.float64, requires_grad=True)
K = torch.tensor([[2.0, 1.0], [4.0, 3.0]], dtype=torch.float64)
V = torch.tensor([[0.5, 1.0], [1.5, 2.0]], dtype=torch.float64)

A = torch.softmax(Q @ K.T / 2 ** 0.5, dim=-1)
(A @ V).sum().backward()                                  # autograd's dL/dQ

# The hand-derived formula, written in torch: dL/dA = G V^T, dL/dS = A (dL/dA - rowsum), dL/dQ = dL/dS K / sqrt(d_k)
with torch.no_grad():
    dA = torch.ones(3, 2, dtype=torch.float64) @ V.T
    dS = A * (dA - (A * dA).sum(dim=1, keepdim=True))
    dQ = dS @ K / 2 ** 0.5
assert torch.allclose(Q.grad, dQ)
assert abs(Q.grad[0, 0].item() - 0.0395) < 5e-5

# The softmax Jacobian by autograd is diag(s) - s s^T.
z = torch.tensor([2.0, 0.0, -1.0], dtype=torch.float64)
s = torch.softmax(z, dim=0)
J = torch.autograd.functional.jacobian(lambda z: torch.softmax(z, dim=0), z)
assert torch.allclose(J, torch.diag(s) - torch.outer(s, s))
