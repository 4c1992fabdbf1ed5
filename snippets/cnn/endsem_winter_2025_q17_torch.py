import torch
import torch.nn.functional as F

x = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
kernel = torch.tensor([[[[1.0, 0.0, -1.0]] * 3]])
out = F.conv_transpose2d(x, kernel, stride=2, padding=1)[0, 0]
assert out.tolist() == [[0, 1, 0], [0, 2, 0], [0, 1, 0]]
assert (out[0, 0].item(), out[2, 0].item(), out[2, 2].item()) == (0, 0, 0)

# Transposed conv = the gradient of the matching conv: autograd agrees.
z = torch.zeros(1, 1, 3, 3, requires_grad=True)
(grad,) = torch.autograd.grad(F.conv2d(z, kernel, stride=2, padding=1), z, grad_outputs=x)
assert torch.equal(grad[0, 0], out)
