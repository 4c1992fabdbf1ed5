import torch

codebook = torch.tensor([-1, -0.2, 0.6, 1], dtype=torch.float64)
x = torch.tensor([-48, -3, 38, 50], dtype=torch.float64)

constant = x.abs().max()
indices = (x[:, None] / constant - codebook[None, :]).abs().argmin(dim=1)
x_hat = codebook[indices] * constant

assert constant.item() == 50
assert indices.tolist() == [0, 1, 2, 3]
assert x_hat.tolist() == [-50, -10, 30, 50]
assert (x - x_hat).tolist() == [2, 7, 8, 0]
