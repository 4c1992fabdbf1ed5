import torch

# Autograd gradients of each loss at the same four points, against Rosenblatt's update.
w0 = torch.tensor([0.5, -1.0], dtype=torch.float64)
points = [([1.0, 2.0], 1), ([2.0, 0.5], 1), ([-1.0, 1.0], 0), ([2.0, -1.0], 0)]
losses = {
    "hinge": lambda s, y: torch.relu(-(2 * y - 1) * s),
    "zero_one": lambda s, y: torch.relu(torch.sign(-(2 * y - 1) * s)),   # 1 on a mistake; sign has zero slope
    "cross_entropy": lambda s, y: torch.nn.functional.binary_cross_entropy_with_logits(s, torch.tensor(float(y), dtype=torch.float64)),
    "squared": lambda s, y: 0.5 * (s - y) ** 2,
}
matches = {name: True for name in losses}
for x, y in points:
    x = torch.tensor(x, dtype=torch.float64)
    update = (y - float(w0 @ x > 0)) * x
    for name, loss in losses.items():
        w = w0.clone().requires_grad_()
        (grad,) = torch.autograd.grad(loss(w @ x, y), w, allow_unused=True)
        matches[name] &= bool(torch.allclose(-grad, update))
assert matches == {"hinge": True, "zero_one": False, "cross_entropy": False, "squared": False}
