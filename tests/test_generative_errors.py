"""Bad input to dlref.generative raises TypeError (wrong kind) or ValueError (out of range), and the
message names the argument."""

import numpy as np
import pytest

from dlref import generative as gen

CASES = [
    ("negative sigma", lambda: gen.gaussian_kl_to_standard_normal([0.0], [-1.0]), ValueError, "sigma"),
    ("mu and sigma of different lengths", lambda: gen.gaussian_kl_to_standard_normal([0.0, 1.0], [1.0]), ValueError,
     "mu and sigma"),
    ("q that does not sum to 1", lambda: gen.kl_divergence([0.5, 0.6], [0.5, 0.5]), ValueError, "q"),
    ("negative probability", lambda: gen.js_divergence([1.5, -0.5], [0.5, 0.5]), ValueError, "p"),
    ("p and q of different lengths", lambda: gen.js_divergence([1.0], [0.5, 0.5]), ValueError, "p and q"),
    ("weights not matching points", lambda: gen.wasserstein1_1d([0.0, 1.0], [1.0], [0.0], [1.0]), ValueError, "x and p"),
    ("theta not a number", lambda: gen.dirac_distances("1"), TypeError, "theta"),
    ("zero step", lambda: gen.central_difference(abs, 0.0, step=0.0), ValueError, "step"),
    ("likelihood negative", lambda: gen.posterior([0.5, 0.5], [-0.1, 0.2]), ValueError, "likelihood"),
    ("impossible observation", lambda: gen.posterior([1.0, 0.0], [0.0, 0.3]), ValueError, "probability 0"),
    ("q on an impossible z", lambda: gen.elbo_terms([0.5, 0.5], [0.5, 0.5], [0.0, 1.0]), ValueError, "q puts mass"),
    ("sigma zero in an estimator", lambda: gen.reparameterized_gradients(0.0, 0.0, [0.1]), ValueError, "sigma"),
    ("mu not a number", lambda: gen.score_function_gradients("0", 1.0, [0.1]), TypeError, "mu"),
    ("2-D eps", lambda: gen.reparameterized_gradients(0.0, 1.0, np.zeros((2, 2))), ValueError, "eps"),
    ("p = 0 for GAN losses", lambda: gen.gan_generator_losses(0.0), ValueError, "p"),
    ("p = 1 for GAN gradients", lambda: gen.gan_generator_gradients(1.0), ValueError, "p"),
    ("p a string", lambda: gen.gan_generator_logit_gradients("0.5"), TypeError, "p"),
    ("zero steps", lambda: gen.linear_beta_schedule(0), ValueError, "steps"),
    ("beta_end of 1", lambda: gen.linear_beta_schedule(10, 1e-4, 1.0), ValueError, "beta_end"),
    ("beta of 0 in alpha_bars", lambda: gen.alpha_bars([0.0, 0.1]), ValueError, "betas"),
    ("alpha_t of 1", lambda: gen.diffusion_kernel([1.0], 1.0), ValueError, "alpha_t"),
    ("noise of the wrong shape", lambda: gen.diffusion_forward_steps([0.0, 1.0], [0.1, 0.2], np.zeros((2, 3))),
     ValueError, "noise"),
    ("z_t and g of different lengths", lambda: gen.diffusion_decoder_mean([0.0, 1.0], [0.0], 0.1, 0.5), ValueError,
     "z_t and g"),
    ("negative sigma in the NLL", lambda: gen.gaussian_nll([0.0], [0.0], -1.0), ValueError, "sigma"),
    ("g and eps of different lengths", lambda: gen.noise_prediction_loss([0.0], [0.0, 1.0], 0.1, 1.0), ValueError,
     "g and eps"),
    ("sigma_1 zero", lambda: gen.noise_prediction_loss([0.0], [0.0], 0.1, 0.0), ValueError, "sigma_1"),
]


@pytest.mark.parametrize("call, error, name", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_names_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()
