import torch

# Each generator loss as a function of p = D(G(z)), differentiated by autograd near p = 0.
losses = {
    "a": lambda p: torch.log(1 - p),       # minimax
    "b": lambda p: -torch.log(p),          # non-saturating
    "c": lambda p: (p - 1) ** 2,           # LSGAN
    "d": lambda p: -p,                     # Wasserstein (critic score)
}
for value in (0.1, 0.01, 0.001):
    sizes = {}
    for letter, loss in losses.items():
        p = torch.tensor(value, dtype=torch.float64, requires_grad=True)
        loss(p).backward()
        sizes[letter] = p.grad.abs().item()
    assert max(sizes, key=sizes.get) == "b"
    assert abs(sizes["b"] - 1 / value) < 1e-9 and sizes["a"] < 1.2 and sizes["c"] <= 2 and sizes["d"] == 1

# Through a sigmoid discriminator p = sigmoid(a): the minimax loss saturates, the non-saturating one does not.
a = torch.tensor(-6.0, dtype=torch.float64, requires_grad=True)   # p = 0.0025
torch.log(1 - torch.sigmoid(a)).backward()
minimax_logit = a.grad.item()
a.grad = None
(-torch.log(torch.sigmoid(a))).backward()
assert abs(minimax_logit) < 0.003 and abs(a.grad.item() + 1) < 0.003
