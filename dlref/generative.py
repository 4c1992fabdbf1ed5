"""VAEs, GANs and diffusion: the ELBO, KL divergences, gradient estimators, GAN losses, distances
between distributions, and the diffusion forward process.

Conventions:

* logarithms are natural (nats);
* a diagonal Gaussian is given by its mean ``mu`` and standard deviation ``sigma`` (arrays of shape
  ``(D,)``), never by its variance;
* a *discrete-latent model* has a latent ``z`` with ``K`` values: a prior ``p(z)`` (shape ``(K,)``)
  and the likelihood ``p(x|z)`` of one observed ``x`` for each ``z`` (shape ``(K,)``); a variational
  distribution ``q(z|x)`` is a probability vector of shape ``(K,)``. On such a model ``log p(x)`` is a
  finite sum, so the ELBO identities can be checked exactly.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from dlref import _checks


# ---------------------------------------------------------------------------------------------
# Argument checks
# ---------------------------------------------------------------------------------------------

def _probabilities(name: str, value, *, allow_zero: bool = True) -> np.ndarray:
    """A 1-D probability vector (non-negative, summing to 1)."""
    p = _checks.array(name, value, 1)
    if not np.all(np.isfinite(p)) or np.any(p < 0) or (not allow_zero and np.any(p == 0)):
        raise ValueError(f"{name} must hold {'positive' if not allow_zero else 'non-negative'} "
                         f"probabilities, got {p.tolist()}")
    if not math.isclose(float(p.sum()), 1.0, abs_tol=1e-9):
        raise ValueError(f"{name} must sum to 1, got sum {float(p.sum())!r}")
    return p


def _positive_array(name: str, value, ndim=1) -> np.ndarray:
    a = _checks.array(name, value, ndim)
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ValueError(f"{name} must be positive, got {a.tolist()}")
    return a


def _same_shape(names: tuple[str, str], a: np.ndarray, b: np.ndarray) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{names[0]} and {names[1]} must have the same shape, got {a.shape} and {b.shape}")


def _probability(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name} must lie strictly between 0 and 1, got {value}")
    return value


# ---------------------------------------------------------------------------------------------
# KL divergences
# ---------------------------------------------------------------------------------------------

def gaussian_kl_to_standard_normal(mu, sigma) -> float:
    """``KL(N(mu, diag sigma^2) || N(0, I)) = 1/2 sum_d (mu_d^2 + sigma_d^2 - 1 - ln sigma_d^2)``.

    ``mu`` and ``sigma`` have shape ``(D,)`` (a scalar is one dimension). This is the VAE's
    regulariser: it is zero only at ``mu = 0, sigma = 1`` and pulls every encoding towards the prior.
    """
    mu = _checks.array("mu", np.atleast_1d(mu), 1)
    sigma = _positive_array("sigma", np.atleast_1d(sigma))
    _same_shape(("mu", "sigma"), mu, sigma)
    return float(0.5 * np.sum(mu ** 2 + sigma ** 2 - 1.0 - np.log(sigma ** 2)))


def kl_divergence(q, p) -> float:
    """``KL(q || p) = sum_k q_k ln(q_k / p_k)`` for probability vectors of shape ``(K,)``
    (terms with ``q_k = 0`` are 0; ``inf`` if ``p_k = 0 < q_k``)."""
    q = _probabilities("q", q)
    p = _probabilities("p", p)
    _same_shape(("q", "p"), q, p)
    support = q > 0
    if np.any(p[support] == 0):
        return math.inf
    return float(np.sum(q[support] * np.log(q[support] / p[support])))


def js_divergence(p, q) -> float:
    """Jensen-Shannon divergence ``JS(P, Q) = 1/2 KL(P || M) + 1/2 KL(Q || M)``, ``M = (P + Q)/2``,
    for probability vectors of shape ``(K,)`` on a common support. It lies in ``[0, ln 2]``; ``ln 2``
    exactly when the supports do not overlap."""
    p = _probabilities("p", p)
    q = _probabilities("q", q)
    _same_shape(("p", "q"), p, q)
    m = 0.5 * (p + q)
    return 0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m)


def wasserstein1_1d(x, p, y, q) -> float:
    """Earth mover's distance ``W_1(P, Q) = integral |F_P(t) - F_Q(t)| dt`` between two discrete
    distributions on the real line: ``P`` puts mass ``p[i]`` at ``x[i]``, ``Q`` mass ``q[j]`` at ``y[j]``
    (``x, p`` of shape ``(N,)``, ``y, q`` of shape ``(M,)``)."""
    x = _checks.array("x", np.atleast_1d(x), 1)
    y = _checks.array("y", np.atleast_1d(y), 1)
    p = _probabilities("p", np.atleast_1d(p))
    q = _probabilities("q", np.atleast_1d(q))
    _same_shape(("x", "p"), x, p)
    _same_shape(("y", "q"), y, q)
    points = np.unique(np.concatenate([x, y]))
    cdf_p = np.array([p[x <= t].sum() for t in points])
    cdf_q = np.array([q[y <= t].sum() for t in points])
    return float(np.sum(np.abs(cdf_p - cdf_q)[:-1] * np.diff(points)))


def dirac_distances(theta: float) -> tuple[float, float]:
    """``(JS(delta_0, delta_theta), W_1(delta_0, delta_theta))``: ``(ln 2, |theta|)`` for
    ``theta != 0`` and ``(0, 0)`` at ``theta = 0``; computed from :func:`js_divergence` on the support
    ``{0, theta}`` and from :func:`wasserstein1_1d`."""
    if isinstance(theta, bool) or not isinstance(theta, (int, float, np.floating, np.integer)):
        raise TypeError(f"theta must be a number, got {type(theta).__name__} {theta!r}")
    theta = float(theta)
    if theta == 0.0:
        js = js_divergence([1.0], [1.0])
    else:
        js = js_divergence([1.0, 0.0], [0.0, 1.0])   # P on 0, Q on theta: no common point
    return js, wasserstein1_1d([0.0], [1.0], [theta], [1.0])


def central_difference(function, at: float, step: float = 1e-4) -> float:
    """``(f(at + step) - f(at - step)) / (2 step)``: the slope of a scalar function of one number."""
    if not step > 0:
        raise ValueError(f"step must be positive, got {step!r}")
    return (function(at + step) - function(at - step)) / (2.0 * step)


# ---------------------------------------------------------------------------------------------
# The ELBO on a discrete-latent model
# ---------------------------------------------------------------------------------------------

class ELBOTerms(NamedTuple):
    """The quantities of one observed ``x`` under a discrete-latent model and a ``q(z|x)``, in nats."""
    log_evidence: float           # log p(x) = log sum_z p(z) p(x|z)
    elbo: float                   # E_q[log p(x, z) - log q(z|x)]
    reconstruction: float         # E_q[log p(x|z)]
    kl_to_prior: float            # KL(q(z|x) || p(z))
    kl_to_posterior: float        # KL(q(z|x) || p(z|x)): the gap log p(x) - ELBO
    log_importance_weight: float  # log E_q[p(x, z) / q(z|x)]


def posterior(prior, likelihood) -> np.ndarray:
    """Bayes' rule ``p(z|x) = p(z) p(x|z) / p(x)``; ``prior`` and ``likelihood`` have shape ``(K,)``."""
    prior = _probabilities("prior", prior)
    likelihood = _checks.array("likelihood", likelihood, 1)
    _same_shape(("prior", "likelihood"), prior, likelihood)
    if np.any(likelihood < 0) or not np.all(np.isfinite(likelihood)):
        raise ValueError(f"likelihood must be finite and non-negative, got {likelihood.tolist()}")
    joint = prior * likelihood
    if joint.sum() <= 0:
        raise ValueError("prior * likelihood is zero everywhere: the observation has probability 0")
    return joint / joint.sum()


def elbo_terms(q, prior, likelihood) -> ELBOTerms:
    """Every term of ``log p(x) = E_q[log p(x|z)] - KL(q || p(z)) + KL(q || p(z|x))``, computed
    separately, so that the identity (and ELBO <= log p(x)) can be checked rather than assumed.

    ``q``, ``prior`` and ``likelihood`` have shape ``(K,)``; ``q`` must be positive wherever the prior is.
    """
    q = _probabilities("q", q)
    post = posterior(prior, likelihood)
    prior = np.asarray(prior, dtype=np.float64)
    likelihood = np.asarray(likelihood, dtype=np.float64)
    _same_shape(("q", "prior"), q, prior)
    support = q > 0
    if np.any(likelihood[support] == 0) or np.any(prior[support] == 0):
        raise ValueError("q puts mass where p(x, z) = 0: the ELBO is -inf")
    joint = prior * likelihood
    log_evidence = float(np.log(joint.sum()))
    s = support
    reconstruction = float(np.sum(q[s] * np.log(likelihood[s])))
    elbo = float(np.sum(q[s] * (np.log(joint[s]) - np.log(q[s]))))
    return ELBOTerms(log_evidence, elbo, reconstruction, kl_divergence(q, prior), kl_divergence(q, post),
                     float(np.log(np.sum(q[s] * joint[s] / q[s]))))


# ---------------------------------------------------------------------------------------------
# Gradient estimators (reparameterization versus score function)
# ---------------------------------------------------------------------------------------------

def reparameterized_gradients(mu: float, sigma: float, eps) -> np.ndarray:
    """Per-sample estimates of ``d/dmu E_{z ~ N(mu, sigma^2)}[z^2]`` (true value ``2 mu``) with the
    reparameterization ``z = mu + sigma eps``: ``d(z^2)/dmu = 2 (mu + sigma eps)``; ``eps`` of shape ``(S,)``.
    Their variance is ``4 sigma^2``."""
    mu, sigma, eps = _estimator_args(mu, sigma, eps)
    return 2.0 * (mu + sigma * eps)


def score_function_gradients(mu: float, sigma: float, eps) -> np.ndarray:
    """Per-sample score-function (REINFORCE) estimates of the same gradient:
    ``f(z) d/dmu log N(z; mu, sigma^2) = z^2 (z - mu) / sigma^2`` with ``z = mu + sigma eps``.
    Their variance is ``mu^4 / sigma^2 + 14 mu^2 + 15 sigma^2``."""
    mu, sigma, eps = _estimator_args(mu, sigma, eps)
    z = mu + sigma * eps
    return z ** 2 * (z - mu) / sigma ** 2


def estimator_variances(mu: float, sigma: float) -> tuple[float, float]:
    """Exact variances ``(reparameterization, score function)`` of the per-sample estimates above:
    ``4 sigma^2`` and ``E[(mu + sigma eps)^4 eps^2] / sigma^2 - 4 mu^2 = mu^4/sigma^2 + 14 mu^2 + 15 sigma^2``
    (Gaussian moments ``E eps^2 = 1, E eps^4 = 3, E eps^6 = 15``)."""
    mu, sigma, _ = _estimator_args(mu, sigma, [0.0])
    return 4.0 * sigma ** 2, mu ** 4 / sigma ** 2 + 14.0 * mu ** 2 + 15.0 * sigma ** 2


def _estimator_args(mu, sigma, eps):
    for name, value in (("mu", mu), ("sigma", sigma)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got {sigma!r}")
    return float(mu), float(sigma), _checks.array("eps", eps, 1)


# ---------------------------------------------------------------------------------------------
# GAN generator losses
# ---------------------------------------------------------------------------------------------

GAN_LOSSES = ("minimax", "non-saturating", "LSGAN", "Wasserstein")


def gan_generator_losses(p: float) -> dict[str, float]:
    """The generator's loss for a fake sample that the discriminator scores ``p = D(G(z))``:
    minimax ``log(1 - p)``, non-saturating ``-log p``, LSGAN ``(p - 1)^2`` and Wasserstein ``-p``
    (there ``p`` is the critic's unbounded score; here we evaluate it on the same number)."""
    p = _probability("p", p)
    return {"minimax": math.log(1.0 - p), "non-saturating": -math.log(p), "LSGAN": (p - 1.0) ** 2,
            "Wasserstein": -p}


def gan_generator_gradients(p: float) -> dict[str, float]:
    """``dL/dp`` of each loss of :func:`gan_generator_losses`: ``-1/(1-p)``, ``-1/p``, ``2(p-1)``, ``-1``.
    As ``p -> 0`` only the non-saturating one grows without bound (``|dL/dp| = 1/p``)."""
    p = _probability("p", p)
    return {"minimax": -1.0 / (1.0 - p), "non-saturating": -1.0 / p, "LSGAN": 2.0 * (p - 1.0),
            "Wasserstein": -1.0}


def gan_generator_logit_gradients(p: float) -> dict[str, float]:
    """``dL/da`` for a discriminator ``p = sigmoid(a)`` (``dp/da = p(1-p)``): minimax ``-p`` (vanishes as
    ``p -> 0``), non-saturating ``-(1-p)`` (tends to -1), LSGAN ``2(p-1) p (1-p)`` (vanishes)."""
    p = _probability("p", p)
    slope = p * (1.0 - p)
    gradients = gan_generator_gradients(p)
    return {name: gradients[name] * slope for name in ("minimax", "non-saturating", "LSGAN")}


# ---------------------------------------------------------------------------------------------
# Diffusion: forward process and the t = 1 reconstruction term
# ---------------------------------------------------------------------------------------------

def linear_beta_schedule(steps: int = 1000, beta_start: float = 1e-4, beta_end: float = 0.02) -> np.ndarray:
    """``beta_t`` rising linearly from ``beta_start`` to ``beta_end`` over ``t = 1..steps`` (DDPM's
    schedule by default); shape ``(steps,)``, entry ``t - 1`` is ``beta_t``."""
    steps = _checks.positive("steps", steps)
    for name, value in (("beta_start", beta_start), ("beta_end", beta_end)):
        _probability(name, value)
    return np.linspace(beta_start, beta_end, steps)


def alpha_bars(betas) -> np.ndarray:
    """``alpha_t = prod_{s=1}^{t} (1 - beta_s)`` for every ``t`` (Prince writes ``alpha_t``, DDPM
    ``alpha-bar_t``); shape ``(T,)`` like ``betas``."""
    betas = _checks.array("betas", betas, 1)
    if np.any(betas <= 0) or np.any(betas >= 1):
        raise ValueError("betas must lie strictly between 0 and 1")
    return np.cumprod(1.0 - betas)


def diffusion_kernel(x, alpha_t: float) -> tuple[np.ndarray, float]:
    """``q(z_t | x) = N(sqrt(alpha_t) x, (1 - alpha_t) I)``: its mean (shape of ``x``) and its
    (shared) standard deviation ``sqrt(1 - alpha_t)``."""
    x = _checks.array("x", np.atleast_1d(x), 1)
    alpha_t = _probability("alpha_t", alpha_t)
    return math.sqrt(alpha_t) * x, math.sqrt(1.0 - alpha_t)


def diffusion_forward_steps(x, betas, noise) -> np.ndarray:
    """Run the encoder step by step: ``z_t = sqrt(1 - beta_t) z_{t-1} + sqrt(beta_t) eps_t``, ``z_0 = x``.
    ``x`` has shape ``(N,)`` (N samples of a 1-D variable), ``noise`` shape ``(T, N)``; returns ``z_T``."""
    x = _checks.array("x", np.atleast_1d(x), 1)
    betas = _checks.array("betas", betas, 1)
    noise = _checks.array("noise", noise, 2)
    if noise.shape != (len(betas), len(x)):
        raise ValueError(f"noise must have shape (T, N) = {(len(betas), len(x))}, got {noise.shape}")
    z = x.copy()
    for beta, eps in zip(betas, noise):
        z = math.sqrt(1.0 - beta) * z + math.sqrt(beta) * eps
    return z


def diffusion_decoder_mean(z_t, g, beta_t: float, alpha_t: float) -> np.ndarray:
    """Prince's decoder mean written with the noise predictor ``g``:
    ``f_t = z_t / sqrt(1 - beta_t) - beta_t / (sqrt(1 - alpha_t) sqrt(1 - beta_t)) g``; shapes ``(D,)``."""
    z_t = _checks.array("z_t", np.atleast_1d(z_t), 1)
    g = _checks.array("g", np.atleast_1d(g), 1)
    _same_shape(("z_t", "g"), z_t, g)
    beta_t, alpha_t = _probability("beta_t", beta_t), _probability("alpha_t", alpha_t)
    return z_t / math.sqrt(1 - beta_t) - beta_t / (math.sqrt(1 - alpha_t) * math.sqrt(1 - beta_t)) * g


def gaussian_nll(x, mean, sigma: float) -> float:
    """``-log N(x; mean, sigma^2 I) = D/2 ln(2 pi sigma^2) + ||x - mean||^2 / (2 sigma^2)``; shapes ``(D,)``."""
    x = _checks.array("x", np.atleast_1d(x), 1)
    mean = _checks.array("mean", np.atleast_1d(mean), 1)
    _same_shape(("x", "mean"), x, mean)
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got {sigma!r}")
    return float(0.5 * len(x) * math.log(2 * math.pi * sigma ** 2) + np.sum((x - mean) ** 2) / (2 * sigma ** 2))


class NoisePredictionLoss(NamedTuple):
    """``-log N(x; f_1, sigma_1^2 I) = weight * ||g - eps||^2 + constant`` (Prince eq. 18.37)."""
    weight: float     # beta_1 / (2 sigma_1^2 (1 - beta_1))
    constant: float   # D/2 ln(2 pi sigma_1^2)
    value: float      # weight * ||g - eps||^2 + constant


def noise_prediction_loss(g, eps, beta_1: float, sigma_1: float) -> NoisePredictionLoss:
    """The t = 1 reconstruction term as a noise-prediction MSE. With ``alpha_1 = 1 - beta_1`` the ``z_1``
    terms of ``x - f_1`` cancel and ``x - f_1 = sqrt(beta_1 / (1 - beta_1)) (g - eps)``, so
    ``-log N(x; f_1, sigma_1^2 I) = beta_1/(2 sigma_1^2 (1 - beta_1)) ||g - eps||^2 + D/2 ln(2 pi sigma_1^2)``."""
    g = _checks.array("g", np.atleast_1d(g), 1)
    eps = _checks.array("eps", np.atleast_1d(eps), 1)
    _same_shape(("g", "eps"), g, eps)
    beta_1 = _probability("beta_1", beta_1)
    if not sigma_1 > 0:
        raise ValueError(f"sigma_1 must be positive, got {sigma_1!r}")
    weight = beta_1 / (2 * sigma_1 ** 2 * (1 - beta_1))
    constant = 0.5 * len(g) * math.log(2 * math.pi * sigma_1 ** 2)
    return NoisePredictionLoss(weight, constant, float(weight * np.sum((g - eps) ** 2) + constant))
