import torch

weights = torch.softmax(torch.tensor([2.0, 0.0, -1.0], dtype=torch.float64), dim=0)
assert torch.allclose(weights, torch.tensor([0.8438, 0.1142, 0.0420], dtype=torch.float64), atol=5e-5)
