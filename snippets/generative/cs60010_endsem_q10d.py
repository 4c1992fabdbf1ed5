import numpy as np

from dlref.generative import (alpha_bars, diffusion_forward_steps, diffusion_kernel, gaussian_kl_to_standard_normal,
                              linear_beta_schedule)

# DDPM's linear schedule: beta_t from 1e-4 to 0.02 over T = 1000 steps.
T, beta_start, beta_end = 1000, 1e-4, 0.02
betas = linear_beta_schedule(T, beta_start, beta_end)
alpha = alpha_bars(betas)                   # alpha_t = prod_{s<=t} (1 - beta_s)
alpha_T = alpha[-1]
assert alpha_T < 1e-4
# Why: ln alpha_T = sum ln(1 - beta_s) <= -sum beta_s, and the betas add up to about 10.
beta_sum = betas.sum()
assert np.log(alpha_T) <= -beta_sum

# q(z_T | x) = N(sqrt(alpha_T) x, (1 - alpha_T) I): almost no trace of x is left.
x = 1.0
(mean_T,), std_T = diffusion_kernel([x], alpha_T)
kl_T = gaussian_kl_to_standard_normal(mean_T, std_T)       # KL(q(z_T | x) || N(0, 1))
assert kl_T < 1e-4

steps = [1, 10, 100, 500, 1000]
rows = [(t, alpha[t - 1], np.sqrt(alpha[t - 1]), np.sqrt(1 - alpha[t - 1])) for t in steps]

# Run the encoder step by step on data far from N(0, 1): two clusters at -2 and +2.
rng = np.random.default_rng(0)
n, cluster = 4000, 2.0
data = np.where(rng.random(n) < 0.5, -cluster, cluster) + 0.1 * rng.standard_normal(n)
z_T = diffusion_forward_steps(data, betas, rng.standard_normal((T, n)))
sample_mean, sample_var = z_T.mean(), z_T.var()
sample_kurtosis = np.mean((z_T - sample_mean) ** 4) / sample_var ** 2
assert abs(sample_mean) < 0.05 and abs(sample_var - 1) < 0.06 and abs(sample_kurtosis - 3) < 0.2
data_kurtosis = np.mean((data - data.mean()) ** 4) / data.var() ** 2
assert data.var() > 4 and abs(data_kurtosis - 3) > 1.5   # far from Gaussian

# The step-by-step chain has the closed-form kernel's moments (given the data's moments).
assert np.isclose(sample_var, alpha_T * data.var() + 1 - alpha_T, atol=0.06)

# The scan prints alpha_t = prod_{s=1}^{T} (1 - beta_s): the same number for every t.
printed_alpha = [np.prod(1 - betas[:T]) for t in steps]
assert printed_alpha[0] != alpha[0]
