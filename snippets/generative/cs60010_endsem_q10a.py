import numpy as np

from dlref.generative import gaussian_kl_to_standard_normal

# Three ways an encoder could place two inputs' codes in a 1-D latent space: (mean, std) per input.
encodings = {
    "islands": [(-3.0, 0.05), (3.0, 0.05)],   # far apart, almost deterministic: holes in between
    "overlapping": [(-0.5, 0.8), (0.5, 0.8)],  # close to the prior, overlapping: a continuous space
    "prior": [(0.0, 1.0), (0.0, 1.0)],         # the KL's minimum, which ignores the input
}
kl = {name: sum(gaussian_kl_to_standard_normal(m, s) for m, s in codes) for name, codes in encodings.items()}
rows = [(m, s, gaussian_kl_to_standard_normal(m, s)) for name in ("islands", "overlapping") for m, s in encodings[name]]

# The penalty is large for isolated, sharp codes and zero only at the prior itself.
assert kl["islands"] > 10 * kl["overlapping"] > 0 == kl["prior"]

# The gradient of the KL pulls every mean towards 0 and every std towards 1.
m, s, h = 3.0, 0.05, 1e-6
dkl_dmu = (gaussian_kl_to_standard_normal(m + h, s) - gaussian_kl_to_standard_normal(m - h, s)) / (2 * h)
dkl_dsigma = (gaussian_kl_to_standard_normal(m, s + h) - gaussian_kl_to_standard_normal(m, s - h)) / (2 * h)
assert np.isclose(dkl_dmu, m) and np.isclose(dkl_dsigma, s - 1 / s)

# Its minimum, found on a grid: the standard normal.
grid = [(m, s) for m in np.linspace(-2, 2, 41) for s in np.linspace(0.1, 3, 30)]
minimiser = min(grid, key=lambda ms: gaussian_kl_to_standard_normal(*ms))
assert np.allclose(minimiser, (0.0, 1.0))
