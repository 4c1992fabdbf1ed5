"""dlref.generative against PyTorch: torch.distributions (KL, log_prob), autograd, and Monte Carlo with
fixed seeds, on the exam's numbers and on random cases."""

import math

import numpy as np
import pytest
import torch
from torch.distributions import Categorical, Normal, kl_divergence

from dlref import generative as gen

DOUBLE = torch.float64


def _t(values):
    return torch.as_tensor(np.asarray(values, dtype=np.float64))


# --- KL divergences ------------------------------------------------------------------------------

@pytest.mark.parametrize("mu, sigma", [([3.0], [0.05]), ([0.5], [0.8]), ([0.0], [1.0]), ([1.0, 0.5], [0.5, 2.0])])
def test_gaussian_kl_matches_torch_on_exam_numbers(mu, sigma):
    expected = kl_divergence(Normal(_t(mu), _t(sigma)), Normal(_t([0.0] * len(mu)), _t([1.0] * len(mu)))).sum()
    assert gen.gaussian_kl_to_standard_normal(mu, sigma) == pytest.approx(expected.item(), rel=1e-12, abs=1e-15)


def test_gaussian_kl_matches_torch_on_random_cases():
    rng = np.random.default_rng(1)
    for _ in range(50):
        d = int(rng.integers(1, 6))
        mu, sigma = rng.normal(size=d) * 2, rng.uniform(0.05, 3.0, size=d)
        expected = kl_divergence(Normal(_t(mu), _t(sigma)), Normal(torch.zeros(d, dtype=DOUBLE), 1.0)).sum()
        assert gen.gaussian_kl_to_standard_normal(mu, sigma) == pytest.approx(expected.item(), rel=1e-12)


def test_discrete_kl_and_js_match_torch():
    rng = np.random.default_rng(2)
    for _ in range(50):
        k = int(rng.integers(2, 7))
        p, q = rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k))
        assert gen.kl_divergence(q, p) == pytest.approx(
            kl_divergence(Categorical(probs=_t(q)), Categorical(probs=_t(p))).item(), rel=1e-10)
        pt, qt = _t(p), _t(q)
        m = (pt + qt) / 2
        js = 0.5 * (torch.xlogy(pt, pt / m).sum() + torch.xlogy(qt, qt / m).sum())
        assert gen.js_divergence(p, q) == pytest.approx(js.item(), rel=1e-10)


def test_js_of_disjoint_supports_is_ln2_and_kl_to_zero_mass_is_infinite():
    assert gen.js_divergence([0.3, 0.7, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5]) == pytest.approx(math.log(2))
    assert gen.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf


# --- Wasserstein-1 and the Dirac example ---------------------------------------------------------

def test_wasserstein1_matches_sorted_samples():
    """For two empirical distributions with N equal-weight points, W_1 = mean |sort(x) - sort(y)|."""
    torch.manual_seed(3)
    for n in (1, 5, 40):
        x, y = torch.randn(n, dtype=DOUBLE), 2 * torch.randn(n, dtype=DOUBLE) + 1
        expected = (torch.sort(x).values - torch.sort(y).values).abs().mean().item()
        weights = np.full(n, 1 / n)
        assert gen.wasserstein1_1d(x.numpy(), weights, y.numpy(), weights) == pytest.approx(expected, rel=1e-10)


def test_wasserstein1_with_unequal_weights():
    # P: 1/4 at 0 and 3/4 at 1; Q: all at 1. Moving 1/4 of the mass by 1 costs 1/4.
    assert gen.wasserstein1_1d([0.0, 1.0], [0.25, 0.75], [1.0], [1.0]) == pytest.approx(0.25)


@pytest.mark.parametrize("theta", [-2.0, -0.3, 0.7, 5.0])
def test_dirac_distances_and_slopes_against_smoothed_autograd(theta):
    """Narrow Gaussians for the point masses: autograd's JS slope ~ 0 and W_1 slope = sign(theta)."""
    js, w1 = gen.dirac_distances(theta)
    assert js == pytest.approx(math.log(2)) and w1 == pytest.approx(abs(theta))
    assert gen.central_difference(lambda t: gen.dirac_distances(t)[0], theta) == 0
    assert gen.central_difference(lambda t: gen.dirac_distances(t)[1], theta) == pytest.approx(math.copysign(1, theta))
    t = torch.tensor(theta, dtype=DOUBLE, requires_grad=True)
    s = 0.02
    real = s * torch.randn(2000, dtype=DOUBLE)
    fake = t + s * torch.randn(2000, dtype=DOUBLE)
    w1_smoothed = (torch.sort(real).values - torch.sort(fake).values).abs().mean()
    (grad,) = torch.autograd.grad(w1_smoothed, t)
    assert grad.item() == pytest.approx(math.copysign(1, theta))
    assert gen.dirac_distances(0.0) == (0.0, 0.0)


# --- The ELBO ----------------------------------------------------------------------------------

def test_elbo_terms_match_torch_and_the_identity_holds():
    rng = np.random.default_rng(4)
    for _ in range(50):
        k = int(rng.integers(2, 6))
        prior, q, likelihood = rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k)), rng.uniform(0.01, 1, k)
        t = gen.elbo_terms(q, prior, likelihood)
        pt, qt, lt = _t(prior), _t(q), _t(likelihood)
        log_evidence = torch.logsumexp(torch.log(pt) + torch.log(lt), 0)
        posterior = Categorical(logits=torch.log(pt) + torch.log(lt))
        assert t.log_evidence == pytest.approx(log_evidence.item(), rel=1e-12)
        assert t.kl_to_prior == pytest.approx(kl_divergence(Categorical(probs=qt), Categorical(probs=pt)).item())
        assert t.kl_to_posterior == pytest.approx(kl_divergence(Categorical(probs=qt), posterior).item(), abs=1e-12)
        assert t.reconstruction == pytest.approx((qt * torch.log(lt)).sum().item())
        assert t.elbo == pytest.approx(t.reconstruction - t.kl_to_prior)
        assert t.log_evidence == pytest.approx(t.elbo + t.kl_to_posterior)
        assert t.log_importance_weight == pytest.approx(t.log_evidence)
        assert np.allclose(gen.posterior(prior, likelihood), posterior.probs.numpy())


def test_elbo_is_tight_at_the_posterior():
    prior, likelihood = [0.5, 0.3, 0.2], [0.1, 0.6, 0.3]
    t = gen.elbo_terms(gen.posterior(prior, likelihood), prior, likelihood)
    assert t.elbo == pytest.approx(t.log_evidence) and t.kl_to_posterior == pytest.approx(0, abs=1e-15)


# --- Gradient estimators -----------------------------------------------------------------------

@pytest.mark.parametrize("mu, sigma", [(1.0, 1.0), (-0.7, 0.4), (2.0, 1.5)])
def test_per_sample_estimators_match_autograd(mu, sigma):
    eps = torch.randn(200, dtype=DOUBLE)
    mus = torch.full((200,), mu, dtype=DOUBLE, requires_grad=True)
    (reparameterized,) = torch.autograd.grad(((mus + sigma * eps) ** 2).sum(), mus)
    z = (mus + sigma * eps).detach()
    (score,) = torch.autograd.grad((z ** 2 * Normal(mus, sigma).log_prob(z)).sum(), mus)
    assert np.allclose(gen.reparameterized_gradients(mu, sigma, eps.numpy()), reparameterized.numpy())
    assert np.allclose(gen.score_function_gradients(mu, sigma, eps.numpy()), score.numpy())


@pytest.mark.parametrize("mu, sigma", [(1.0, 1.0), (0.5, 2.0)])
def test_estimator_variances_match_monte_carlo(mu, sigma):
    torch.manual_seed(5)
    eps = torch.randn(400_000, dtype=DOUBLE)
    rep = 2 * (mu + sigma * eps)
    z = mu + sigma * eps
    score = z ** 2 * (z - mu) / sigma ** 2
    exact_rep, exact_score = gen.estimator_variances(mu, sigma)
    assert rep.mean().item() == pytest.approx(2 * mu, abs=0.02) and score.mean().item() == pytest.approx(2 * mu, abs=0.1)
    assert rep.var().item() == pytest.approx(exact_rep, rel=0.01)
    assert score.var().item() == pytest.approx(exact_score, rel=0.05)


# --- GAN generator losses ----------------------------------------------------------------------

TORCH_LOSSES = {"minimax": lambda p: torch.log(1 - p), "non-saturating": lambda p: -torch.log(p),
                "LSGAN": lambda p: (p - 1) ** 2, "Wasserstein": lambda p: -p}


@pytest.mark.parametrize("p", [1e-4, 0.01, 0.1, 0.37, 0.5, 0.93])
def test_gan_losses_and_gradients_match_autograd(p):
    losses, gradients = gen.gan_generator_losses(p), gen.gan_generator_gradients(p)
    logit_gradients = gen.gan_generator_logit_gradients(p)
    for name, loss in TORCH_LOSSES.items():
        pt = torch.tensor(p, dtype=DOUBLE, requires_grad=True)
        value = loss(pt)
        (grad,) = torch.autograd.grad(value, pt)
        assert losses[name] == pytest.approx(value.item(), rel=1e-12)
        assert gradients[name] == pytest.approx(grad.item(), rel=1e-12)
        if name != "Wasserstein":
            a = torch.logit(torch.tensor(p, dtype=DOUBLE)).requires_grad_()
            (grad_a,) = torch.autograd.grad(loss(torch.sigmoid(a)), a)
            assert logit_gradients[name] == pytest.approx(grad_a.item(), rel=1e-8, abs=1e-15)


def test_only_the_non_saturating_gradient_grows_as_p_goes_to_zero():
    small = gen.gan_generator_gradients(1e-6)
    assert max(small, key=lambda name: abs(small[name])) == "non-saturating"
    assert abs(small["non-saturating"]) == pytest.approx(1e6)


# --- Diffusion -----------------------------------------------------------------------------------

def test_alpha_bars_match_torch_cumprod():
    betas = gen.linear_beta_schedule(1000, 1e-4, 0.02)
    expected = torch.cumprod(1 - torch.linspace(1e-4, 0.02, 1000, dtype=DOUBLE), 0)
    assert np.allclose(gen.alpha_bars(betas), expected.numpy(), rtol=1e-12)
    assert betas[0] == 1e-4 and betas[-1] == pytest.approx(0.02) and len(betas) == 1000


def test_forward_steps_equal_the_closed_form_kernel_in_distribution():
    """Run the chain in PyTorch and with dlref on the same noise; the result has the kernel's moments."""
    torch.manual_seed(6)
    betas = gen.linear_beta_schedule(200, 1e-3, 0.05)
    x = torch.full((20_000,), 1.5, dtype=DOUBLE)
    noise = torch.randn(200, 20_000, dtype=DOUBLE)
    z = x.clone()
    for beta, eps in zip(torch.as_tensor(betas), noise):
        z = torch.sqrt(1 - beta) * z + torch.sqrt(beta) * eps
    ours = gen.diffusion_forward_steps(x.numpy(), betas, noise.numpy())
    assert np.allclose(ours, z.numpy())
    mean, std = gen.diffusion_kernel([1.5], gen.alpha_bars(betas)[-1])
    assert z.mean().item() == pytest.approx(mean[0], abs=0.02)
    assert z.std().item() == pytest.approx(std, rel=0.02)


def test_noise_prediction_loss_matches_torch_log_prob():
    rng = np.random.default_rng(7)
    for beta_1, sigma_1, d in [(1e-4, 1e-2, 4), (0.02, 0.3, 3), (0.1, 1.0, 8)]:
        x, eps = rng.standard_normal(d), rng.standard_normal(d)
        g = eps + 0.3 * rng.standard_normal(d)
        alpha_1 = 1 - beta_1
        z_1 = math.sqrt(alpha_1) * x + math.sqrt(1 - alpha_1) * eps
        f_1 = gen.diffusion_decoder_mean(z_1, g, beta_1, alpha_1)
        nll = -Normal(_t(f_1), sigma_1).log_prob(_t(x)).sum().item()
        assert gen.gaussian_nll(x, f_1, sigma_1) == pytest.approx(nll, rel=1e-10)
        assert gen.noise_prediction_loss(g, eps, beta_1, sigma_1).value == pytest.approx(nll, rel=1e-8)


def test_decoder_mean_matches_prince_formula_at_later_steps():
    """For t > 1 the z_t terms do not cancel; the decoder mean is still Prince's formula."""
    torch.manual_seed(8)
    z, g = torch.randn(5, dtype=DOUBLE), torch.randn(5, dtype=DOUBLE)
    beta, alpha = 0.01, 0.4
    expected = z / math.sqrt(1 - beta) - beta / (math.sqrt(1 - alpha) * math.sqrt(1 - beta)) * g
    assert np.allclose(gen.diffusion_decoder_mean(z.numpy(), g.numpy(), beta, alpha), expected.numpy())


@pytest.mark.parametrize("mu, sigma", [(1.0, 1.0), (0.5, 2.0), (-1.3, 0.6)])
def test_estimator_variances_are_exact(mu, sigma):
    """Gauss-Hermite quadrature integrates the polynomial moments exactly: an independent computation."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(12)
    weights = weights / weights.sum()
    z = mu + sigma * nodes
    rep, score = 2 * z, z ** 2 * (z - mu) / sigma ** 2
    variances = (np.sum(weights * rep ** 2) - np.sum(weights * rep) ** 2,
                 np.sum(weights * score ** 2) - np.sum(weights * score) ** 2)
    assert np.sum(weights * score) == pytest.approx(2 * mu)
    assert gen.estimator_variances(mu, sigma) == pytest.approx(variances, rel=1e-10)
