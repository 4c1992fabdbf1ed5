import numpy as np

from dlref.generative import estimator_variances, reparameterized_gradients, score_function_gradients

# Estimate d/dmu E[z^2], z ~ N(mu, sigma^2), whose true value is 2 mu, from the same noise two ways.
mu, sigma, samples = 1.0, 1.0, 100_000
true_gradient = 2 * mu
eps = np.random.default_rng(0).standard_normal(samples)

reparameterized = reparameterized_gradients(mu, sigma, eps)   # differentiate through z = mu + sigma * eps
score_function = score_function_gradients(mu, sigma, eps)     # f(z) * d log q(z) / d mu: no gradient of f
mean_reparameterized, mean_score = reparameterized.mean(), score_function.mean()
var_reparameterized, var_score = reparameterized.var(), score_function.var()
exact_var_reparameterized, exact_var_score = estimator_variances(mu, sigma)

# Both are unbiased (means agree with 2 mu within Monte Carlo error) ...
for estimates in (reparameterized, score_function):
    assert abs(estimates.mean() - true_gradient) < 4 * estimates.std() / np.sqrt(samples)
# ... but the reparameterized one is several times less noisy, as the exact variances say.
assert np.isclose(var_reparameterized, exact_var_reparameterized, rtol=0.05)
assert np.isclose(var_score, exact_var_score, rtol=0.1)
# Where the exact variances come from: Var[2(mu + sigma eps)] = 4 sigma^2, and
# Var[z^2 (z - mu) / sigma^2] = E[(mu + sigma eps)^4 eps^2] / sigma^2 - (2 mu)^2, expanded with the
# Gaussian moments E[eps^k] = (k-1)!! for even k.
moments = {k: float(np.prod(np.arange(k - 1, 0, -2))) for k in (2, 4, 6)}
reparameterized_coefficient = 2 ** 2
score_coefficients = (moments[2], 6 * moments[4] - 4, moments[6])   # of mu^4/sigma^2, mu^2, sigma^2
assert np.isclose(exact_var_reparameterized, reparameterized_coefficient * sigma ** 2)
assert np.isclose(exact_var_score, score_coefficients[0] * mu ** 4 / sigma ** 2
                  + score_coefficients[1] * mu ** 2 + score_coefficients[2] * sigma ** 2)
assert score_coefficients == (1, 14, 15)
variance_ratio = exact_var_score / exact_var_reparameterized
assert variance_ratio > 5

options = {
    "a": (False, "it adds work (one extra multiply-add per sample); it is not about cost"),
    "b": (False, "the reconstruction loss is minimised by training; the trick only lets its gradient through"),
    "c": (np.isclose(mean_reparameterized, true_gradient, atol=0.05),
          "z = mu + sigma * eps is a differentiable function of mu and sigma: backprop reaches the encoder"),
    "d": (False, "matching the prior is the KL term's job; the trick leaves the distribution of z unchanged"),
}
answer = [letter for letter, (verdict, _) in options.items() if verdict]
assert answer == ["c"]
