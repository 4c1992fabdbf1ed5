import numpy as np

from dlref.foundations import l2_strength_from_prior, negative_log_prior, ridge_map_estimate

# Which prior's negative log-density is a multiple of theta^2? Compare -log p(theta) + log p(0)
# with theta^2 on a few values: only a constant ratio is an L2 penalty.
thetas = [0.5, 1.0, 2.0, 4.0]


def penalty_over_square(prior):
    return [(negative_log_prior(t, prior) - negative_log_prior(0.0, prior)) / t ** 2 for t in thetas]


ratios = {prior: penalty_over_square(prior) for prior in ("laplace", "gaussian", "cauchy")}
quadratic = {prior: bool(np.ptp(r) < 1e-12) for prior, r in ratios.items()}
gaussian_ratio = ratios["gaussian"][0]            # 1 / (2 sigma^2) with sigma = 1
assert quadratic == {"laplace": False, "gaussian": True, "cauchy": False}

options = {
    "a": quadratic["laplace"],      # -log p = |theta| / b: the L1 penalty (lasso)
    "b": quadratic["gaussian"],     # -log p = theta^2 / (2 sigma^2): the L2 penalty
    "c": quadratic["cauchy"],       # -log p = log(1 + theta^2 / s^2): grows only like log theta
    "d": False,                     # a Dirichlet lives on the simplex (theta_j >= 0, sum 1), not on real weights
}
answer = [letter for letter, is_l2 in options.items() if is_l2]
assert answer == ["b"]

# MAP = ridge: linear regression, Gaussian noise sigma, Gaussian prior N(0, tau^2 I).
rng = np.random.default_rng(0)
X = rng.standard_normal((20, 3))
y = X @ np.array([1.0, -2.0, 0.5]) + 0.5 * rng.standard_normal(20)
noise_std, prior_std = 0.5, 1.0
lam = l2_strength_from_prior(noise_std, prior_std)      # sigma^2 / tau^2
theta_map = ridge_map_estimate(X, y, noise_std, prior_std)
# The gradient of the negative log-posterior vanishes there:
grad = X.T @ (X @ theta_map - y) / noise_std ** 2 + theta_map / prior_std ** 2
assert np.abs(grad).max() < 1e-10
assert lam == 0.25
