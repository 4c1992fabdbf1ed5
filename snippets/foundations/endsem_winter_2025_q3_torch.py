import torch

# Measured, not bounded: threshold classifiers 1[x > t] on [0, 1] (VC dimension 1), data uniform,
# labels 1[x > 0.5]. The worst gap over t between empirical and true risk, averaged over 200 draws,
# at n and 4n points: it halves, as sqrt(VC/n) says.
torch.manual_seed(0)
thresholds = torch.linspace(0, 1, 1001, dtype=torch.float64)
true_risk = (thresholds - 0.5).abs()


def mean_worst_gap(n, trials=200):
    x, _ = torch.rand(trials, n, dtype=torch.float64).sort(dim=1)
    below = lambda v: torch.searchsorted(x, v.expand(trials, -1).contiguous()).to(torch.float64) / n  # noqa: E731
    errors = (below(torch.full((1, 1), 0.5, dtype=torch.float64)) - below(thresholds[None])).abs()
    return (errors - true_risk).abs().max(dim=1).values.mean().item()


n_small = 100
gap_n, gap_4n = mean_worst_gap(n_small), mean_worst_gap(4 * n_small)
assert 0.4 < gap_4n / gap_n < 0.6
