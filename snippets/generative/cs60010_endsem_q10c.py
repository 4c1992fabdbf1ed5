import math

import numpy as np

from dlref.generative import diffusion_decoder_mean, gaussian_nll, linear_beta_schedule, noise_prediction_loss

# One training sample at t = 1: an image x of D = 4 pixels, its noise eps and the network's guess g.
rng = np.random.default_rng(0)
D = 4
x = rng.standard_normal(D)
eps = rng.standard_normal(D)
g = eps + 0.1 * rng.standard_normal(D)            # a nearly right noise prediction g_1[z_1, phi_1]
beta_1 = linear_beta_schedule()[0]                 # 1e-4, DDPM's first step
alpha_1 = 1 - beta_1                               # alpha_1 = prod_{s<=1} (1 - beta_s)
sigma_1 = math.sqrt(beta_1)                        # decoder std: sigma_t^2 = beta_t, as in Prince
z_1 = math.sqrt(alpha_1) * x + math.sqrt(1 - alpha_1) * eps

# The reconstruction term, straight from its definition ...
f_1 = diffusion_decoder_mean(z_1, g, beta_1, alpha_1)
reconstruction = gaussian_nll(x, f_1, sigma_1)
# ... equals a weighted squared error of the noise prediction, plus a constant.
loss = noise_prediction_loss(g, eps, beta_1, sigma_1)
assert np.isclose(reconstruction, loss.value)

# Each step of the derivation: x - f_1 = c (g - eps), with the coefficient c of eq. 18.37 ...
c = beta_1 / (math.sqrt(1 - alpha_1) * math.sqrt(1 - beta_1))
assert np.allclose(x - f_1, c * (g - eps))
# ... which equals sqrt(1 - alpha_1) / sqrt(alpha_1), the coefficient of eps in x (because alpha_1 = 1 - beta_1),
assert np.isclose(c, math.sqrt(1 - alpha_1) / math.sqrt(alpha_1))
# so the weight is c^2 / (2 sigma_1^2) = beta_1 / (2 sigma_1^2 (1 - beta_1)), here 1 / (2 (1 - beta_1)).
assert np.isclose(loss.weight, c ** 2 / (2 * sigma_1 ** 2))
assert np.isclose(loss.weight, 1 / (2 * (1 - beta_1)))
squared_error = float(np.sum((g - eps) ** 2))
constant = loss.constant                                   # D/2 ln(2 pi sigma_1^2): no phi in it
assert np.isclose(constant, D / 2 * math.log(2 * math.pi * sigma_1 ** 2))
