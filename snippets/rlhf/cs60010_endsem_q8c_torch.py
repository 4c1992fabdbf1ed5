import torch

pi_sft = torch.tensor([0.5, 0.3, 0.199, 0.001], dtype=torch.float64)
rm = torch.tensor([1.0, 0.5, 0.0, 3.0], dtype=torch.float64)


def objective(logits, beta):
    """E_pi[RM] - beta KL(pi || pi_SFT) for pi = softmax(logits)."""
    pi = torch.softmax(logits, dim=0)
    return (pi * rm).sum() - beta * (pi * (torch.log(pi) - torch.log(pi_sft))).sum()


generator = torch.Generator().manual_seed(0)
for beta, hack_share in ((0.5, 0.0789), (1.0, 0.0097)):
    # pi_SFT exp(RM / beta) / Z: autograd finds no ascent direction there, and 100 random other
    # policies all score lower.
    best = (torch.log(pi_sft) + rm / beta).requires_grad_(True)
    gradient, = torch.autograd.grad(objective(best, beta), best)
    assert gradient.abs().max() < 1e-12
    others = best.detach() + torch.randn(100, 4, generator=generator, dtype=torch.float64)
    assert all(objective(other, beta) < objective(best.detach(), beta) for other in others)
    assert round(torch.softmax(best.detach(), 0)[3].item(), 4) == hack_share

# The mean of the per-sample penalty under pi_RL is beta times KL(pi_RL || pi_SFT), as F.kl_div computes it.
pi_rl = torch.tensor([0.3, 0.1, 0.1, 0.5], dtype=torch.float64)
kl = torch.nn.functional.kl_div(torch.log(pi_sft), pi_rl, reduction="sum")
assert round(kl.item(), 2) == 2.78
