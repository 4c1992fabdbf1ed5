"""Same question, new numbers: the generative chapter's variants (sitecontract/practice.py explains the format).

Each variant's answer is computed here by the ``dlref.generative`` function the worked solution uses;
its ``check`` recomputes it independently with PyTorch: ``torch.distributions`` (``kl_divergence``,
``log_prob``), autograd for gradients, ``torch.cumprod`` for the diffusion schedule, and Gauss–Hermite
quadrature for the exact variances of the gradient estimators.
"""

import math

import numpy as np
import torch
from torch.distributions import Categorical, Normal, kl_divergence

from dlref.generative import (GAN_LOSSES, alpha_bars, central_difference, diffusion_kernel, elbo_terms,
                              estimator_variances, gan_generator_gradients, gan_generator_logit_gradients,
                              gaussian_kl_to_standard_normal, js_divergence, linear_beta_schedule,
                              noise_prediction_loss, wasserstein1_1d)
from sitecontract.practice import Variant, number, number_list



def _scientific(value: float, digits: int = 3) -> str:
    """``4.04 \\times 10^{-5}`` (inside ``$...$``): for numbers too small for a few decimals."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def _vector(entries, digits: int = 4) -> str:
    """A scalar as itself, a vector in parentheses (inside ``$...$``)."""
    entries = np.atleast_1d(entries)
    return number_list(entries, digits) if len(entries) == 1 else f"({number_list(entries, digits)})"


def _double(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64)


# ---------------------------------------------------------------------------------------------
# End-Sem Winter 2025 Q18: every term of log p(x) = ELBO + KL(q || posterior) on a small model
# ---------------------------------------------------------------------------------------------


def _elbo_identity_check(prior, likelihood, q, expected):
    def check():
        p_z, p_x_given_z, q_z = _double(prior), _double(likelihood), Categorical(probs=_double(q))
        joint = p_z * p_x_given_z
        posterior = Categorical(probs=joint / joint.sum())
        computed = {
            "log_evidence": torch.log(joint.sum()),
            "reconstruction": (q_z.probs * torch.log(p_x_given_z)).sum(),
            "kl_to_prior": kl_divergence(q_z, Categorical(probs=p_z)),
            "kl_to_posterior": kl_divergence(q_z, posterior),
        }
        for name, value in computed.items():
            assert math.isclose(value.item(), expected[name], rel_tol=1e-9, abs_tol=1e-12), (name, value)
        elbo = computed["reconstruction"] - computed["kl_to_prior"]
        assert torch.isclose(elbo + computed["kl_to_posterior"], computed["log_evidence"])
    return check


def elbo_identity_terms():
    found = []
    for prior, likelihood, q in [
        ([0.6, 0.3, 0.1], [0.2, 0.5, 0.9], [0.3, 0.5, 0.2]),
        ([0.25, 0.25, 0.5], [0.8, 0.4, 0.1], [0.5, 0.3, 0.2]),
        ([0.4, 0.4, 0.2], [0.05, 0.3, 0.6], [0.2, 0.4, 0.4]),
    ]:
        t = elbo_terms(q, prior, likelihood)
        found.append(Variant(
            givens=f"A latent $z$ with three values, prior $p(z) = ({number_list(prior)})$, likelihood of the observed "
                   f"$x$ $p(x \\mid z) = ({number_list(likelihood)})$ and encoder $q(z \\mid x) = ({number_list(q)})$. "
                   f"Compute $\\log p(x)$, $\\mathbb E_q[\\log p(x \\mid z)]$, $\\text{{KL}}(q \\,\\|\\, p(z))$ and "
                   f"$\\text{{KL}}(q \\,\\|\\, p(z \\mid x))$, and check identity (d): $\\log p(x) = "
                   f"\\mathbb E_q[\\log p(x \\mid z)] - \\text{{KL}}(q \\,\\|\\, p(z)) + "
                   f"\\text{{KL}}(q \\,\\|\\, p(z \\mid x))$.",
            answer=f"$\\log p(x) = {number(t.log_evidence, 4)}$; $\\mathbb E_q[\\log p(x \\mid z)] = "
                   f"{number(t.reconstruction, 4)}$, $\\text{{KL}}(q \\| p(z)) = {number(t.kl_to_prior, 4)}$, so "
                   f"$\\text{{ELBO}} = {number(t.elbo, 4)}$; $\\text{{KL}}(q \\| p(z \\mid x)) = "
                   f"{number(t.kl_to_posterior, 4)}$, and $\\text{{ELBO}} + \\text{{KL}} = "
                   f"{number(t.elbo + t.kl_to_posterior, 4)} = \\log p(x)$.",
            working=f"$p(x) = \\sum_z p(z)\\, p(x \\mid z) = {number(round(math.exp(t.log_evidence), 6))}$; "
                    f"the posterior is $p(z)\\, p(x \\mid z) / p(x)$.",
            check=_elbo_identity_check(prior, likelihood, q, t._asdict())))
    return found


# ---------------------------------------------------------------------------------------------
# End-Sem Winter 2025 Q19: the variances of the reparameterized and the score-function estimators
# ---------------------------------------------------------------------------------------------


def _estimator_variance_check(mu, sigma, expected_reparameterized, expected_score):
    """Per-sample gradients of E[z^2] by autograd at the nodes of Gauss-Hermite quadrature (exact for
    these polynomials), then their exact mean and variance under eps ~ N(0, 1)."""
    def check():
        nodes, weights = np.polynomial.hermite_e.hermegauss(20)
        eps, w = _double(nodes), _double(weights / math.sqrt(2 * math.pi))
        mus = torch.full_like(eps, mu, requires_grad=True)
        reparameterized, = torch.autograd.grad(((mus + sigma * eps) ** 2).sum(), mus)
        z = (mus + sigma * eps).detach()
        score, = torch.autograd.grad((z ** 2 * Normal(mus, sigma).log_prob(z)).sum(), mus)
        for estimates, expected in ((reparameterized, expected_reparameterized), (score, expected_score)):
            mean = (w * estimates).sum()
            variance = (w * (estimates - mean) ** 2).sum()
            assert math.isclose(mean.item(), 2 * mu, rel_tol=1e-9, abs_tol=1e-12)
            assert math.isclose(variance.item(), expected, rel_tol=1e-9), (variance.item(), expected)
    return check


def estimator_variance_ratio():
    found = []
    for mu, sigma in [(2.0, 1.0), (0.5, 2.0), (1.5, 0.5)]:
        reparameterized, score = estimator_variances(mu, sigma)
        found.append(Variant(
            givens=f"Estimate $\\nabla_\\mu \\mathbb E[z^2]$ for $z \\sim \\mathcal N(\\mu, \\sigma^2)$ at "
                   f"$\\mu = {number(mu)}$, $\\sigma = {number(sigma)}$, from one sample "
                   f"$z = \\mu + \\sigma\\epsilon$. "
                   f"What is the true value, the per-sample variance of the reparameterized estimate "
                   f"$\\partial(z^2)/\\partial\\mu$ and of the score-function estimate $z^2 (z - \\mu)/\\sigma^2$? "
                   f"How many times as many samples does the score function need?",
            answer=f"$2\\mu = {number(2 * mu)}$ for both; variances ${number(round(reparameterized, 4))}$ "
                   f"(reparameterized) and ${number(round(score, 4))}$ (score function): "
                   f"${number(round(score / reparameterized, 2))}$ times as many samples.",
            working=f"$4\\sigma^2 = {number(round(reparameterized, 4))}$; $\\mu^4/\\sigma^2 + 14\\mu^2 + 15\\sigma^2 = "
                    f"{number(round(mu ** 4 / sigma ** 2, 4))} + {number(round(14 * mu ** 2, 4))} + "
                    f"{number(round(15 * sigma ** 2, 4))} = {number(round(score, 4))}$.",
            check=_estimator_variance_check(mu, sigma, reparameterized, score)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q10(a): the KL of an encoder's Gaussian to the standard normal
# ---------------------------------------------------------------------------------------------


def _gaussian_kl_check(codes, expected_kls, expected_gradient):
    """torch.distributions: KL of each code (independent dimensions summed); autograd for the first code."""
    def check():
        for index, ((mu, sigma), expected) in enumerate(zip(codes, expected_kls)):
            m = _double(mu).requires_grad_(True)
            s = _double(sigma).requires_grad_(True)
            kl = kl_divergence(Normal(m, s), Normal(torch.zeros_like(m), torch.ones_like(s))).sum()
            assert math.isclose(kl.item(), expected, rel_tol=1e-9), (kl.item(), expected)
            if index == 0:
                gradient = torch.autograd.grad(kl, (m, s))
                assert torch.allclose(torch.cat(gradient), _double(expected_gradient).flatten())
    return check


def gaussian_kl_to_prior():
    found = []
    for description, codes in [
        ("Two inputs in a 1-D latent space, coded as isolated islands", [((-2.0,), (0.1,)), ((2.0,), (0.1,))]),
        ("Two inputs in a 1-D latent space, coded as overlapping Gaussians", [((-0.4,), (0.9,)), ((0.4,), (0.9,))]),
        ("One input in a 2-D latent space", [((1.0, -0.5), (0.5, 2.0))]),
    ]:
        kls = [gaussian_kl_to_standard_normal(np.array(mu), np.array(sigma)) for mu, sigma in codes]
        mu, sigma = (np.array(v) for v in codes[0])
        gradient = np.concatenate([mu, sigma - 1 / sigma])   # d KL / d mu, d KL / d sigma of the first code
        listed = "; ".join(f"$\\mu = {_vector(m)}$, $\\sigma = {_vector(s)}$" for m, s in codes)
        total = f", in all ${number(round(sum(kls), 4))}$ nats" if len(kls) > 1 else " nats"
        found.append(Variant(
            givens=f"{description}: {listed}. What does the KL term "
                   f"$\\text{{KL}}(\\mathcal N(\\mu, \\operatorname{{diag}}\\sigma^2) \\,\\|\\, "
                   f"\\mathcal N(0, I))$ cost, "
                   f"and what is its gradient with respect to $\\mu$ and $\\sigma$"
                   f"{' of the first code' if len(codes) > 1 else ''}?",
            answer=f"KL ${number_list(kls)}${total}; gradient $\\partial/\\partial\\mu = {_vector(gradient[:len(mu)])}$, "
                   f"$\\partial/\\partial\\sigma = \\sigma - 1/\\sigma = {_vector(gradient[len(mu):])}$.",
            working=f"$\\tfrac12 \\sum_d (\\mu_d^2 + \\sigma_d^2 - 1 - \\ln \\sigma_d^2)$ with "
                    f"$\\mu = {_vector(mu)}$, $\\sigma = {_vector(sigma)}$: ${number(round(kls[0], 4))}$.",
            check=_gaussian_kl_check(codes, kls, gradient)))
    return found


# ---------------------------------------------------------------------------------------------
# End-Sem Winter 2025 Q21: the generator losses' gradients at another D(G(z))
# ---------------------------------------------------------------------------------------------

_TORCH_LOSSES = {
    "minimax": lambda p: torch.log(1 - p),
    "non-saturating": lambda p: -torch.log(p),
    "LSGAN": lambda p: (p - 1) ** 2,
    "Wasserstein": lambda p: -p,
}


def _gan_gradient_check(p, expected, expected_logit):
    """Autograd on each loss as a function of p, and through a sigmoid discriminator p = sigmoid(a)."""
    def check():
        for name, loss in _TORCH_LOSSES.items():
            at = torch.tensor(p, dtype=torch.float64, requires_grad=True)
            gradient, = torch.autograd.grad(loss(at), at)
            assert math.isclose(gradient.item(), expected[name], rel_tol=1e-12), name
            if name in expected_logit:
                a = torch.logit(torch.tensor(p, dtype=torch.float64)).requires_grad_(True)
                gradient, = torch.autograd.grad(loss(torch.sigmoid(a)), a)
                assert math.isclose(gradient.item(), expected_logit[name], rel_tol=1e-9), name
    return check


def gan_generator_gradient_sizes():
    found = []
    for p in (0.05, 0.002, 0.6):
        gradients = gan_generator_gradients(p)
        logit = gan_generator_logit_gradients(p)
        largest = max(GAN_LOSSES, key=lambda name: abs(gradients[name]))
        listed = ", ".join(f"{name} ${number(round(gradients[name], 4))}$" for name in GAN_LOSSES)
        found.append(Variant(
            givens=f"The discriminator scores a generated sample $p = D(G(z)) = {number(p)}$. What is "
                   f"$dL/dp$ for the minimax $\\log(1-p)$, non-saturating $-\\log p$, LSGAN $(p-1)^2$ and "
                   f"Wasserstein $-p$ generator losses, which is largest in magnitude, and what do the minimax "
                   f"and non-saturating losses give with respect to the logit $a$ of $p = \\sigma(a)$?",
            answer=f"{listed}: the {largest} loss is largest in magnitude. Through the sigmoid: minimax "
                   f"${number(round(logit['minimax'], 6))}$, non-saturating "
                   f"${number(round(logit['non-saturating'], 6))}$.",
            working=f"$-1/(1-p) = {number(round(gradients['minimax'], 4))}$, "
                    f"$-1/p = {number(round(gradients['non-saturating'], 4))}$, "
                    f"$2(p-1) = {number(round(gradients['LSGAN'], 4))}$; through the sigmoid multiply by "
                    f"$p(1-p) = {number(round(p * (1 - p), 6))}$.",
            check=_gan_gradient_check(p, gradients, logit)))
    return found


# ---------------------------------------------------------------------------------------------
# End-Sem Winter 2025 Intermediate Q1: JS and W_1 between two point masses
# ---------------------------------------------------------------------------------------------


def _point_mass_distances(a: float, theta: float) -> tuple[float, float]:
    """JS and W_1 between P = delta_a and Q = delta_theta, with dlref's discrete JS (on the support
    {a, theta}) and its 1-D Wasserstein distance, as the worked solution computes them."""
    if theta == a:
        return js_divergence([1.0], [1.0]), 0.0
    return js_divergence([1.0, 0.0], [0.0, 1.0]), wasserstein1_1d([a], [1.0], [theta], [1.0])


def _dirac_check(a, theta, js, w1, js_slope, w1_slope):
    """Autograd cannot differentiate through a point mass: smooth both into narrow Gaussians (std 0.02),
    integrate JS on a grid and take W_1 from sorted reparameterized samples (the 1-D optimal coupling)."""
    def check():
        s = 0.02        # narrow enough that the two bumps do not overlap even at a gap of 0.5
        grid = torch.linspace(min(a, theta) - 1, max(a, theta) + 1, 20_001, dtype=torch.float64)
        dx = grid[1] - grid[0]
        at = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
        log_p = Normal(torch.tensor(a, dtype=torch.float64), s).log_prob(grid)
        log_q = Normal(at, s).log_prob(grid)
        log_m = torch.logaddexp(log_p, log_q) - math.log(2)
        smoothed_js = ((log_p.exp() * (log_p - log_m)).sum() + (log_q.exp() * (log_q - log_m)).sum()) * dx / 2
        js_gradient, = torch.autograd.grad(smoothed_js, at)
        noise = torch.randn(2, 2000, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
        real, fake = a + s * noise[0], at + s * noise[1]
        smoothed_w1 = (torch.sort(real).values - torch.sort(fake).values).abs().mean()
        w1_gradient, = torch.autograd.grad(smoothed_w1, at)
        assert abs(smoothed_js.item() - js) < 1e-6 and abs(js_gradient.item() - js_slope) < 1e-6
        assert abs(smoothed_w1.item() - w1) < 0.01 and abs(w1_gradient.item() - w1_slope) < 1e-9
    return check


def dirac_distance_slopes():
    found = []
    for a, theta in [(0.0, 3.0), (0.0, -0.5), (1.0, -1.5)]:
        js, w1 = _point_mass_distances(a, theta)
        js_slope = central_difference(lambda t: _point_mass_distances(a, t)[0], theta)
        w1_slope = central_difference(lambda t: _point_mass_distances(a, t)[1], theta)
        direction = "decreases" if w1_slope > 0 else "increases"
        found.append(Variant(
            givens=f"Real data $P = \\delta_{{{number(a)}}}$, generated data $Q_\\theta = \\delta_\\theta$ at "
                   f"$\\theta = {number(theta)}$. Compute $\\text{{JS}}(P, Q_\\theta)$ and $W_1(P, Q_\\theta)$, and "
                   f"their slopes with respect to $\\theta$. Which one tells the generator where to move?",
            answer=f"$\\text{{JS}} = \\ln 2 = {number(js, 4)}$ with slope ${number(round(js_slope, 6))}$; "
                   f"$W_1 = |\\theta - {number(a)}| = {number(w1)}$ with slope ${number(round(w1_slope, 6))}$: only "
                   f"$W_1$ does, and gradient descent {direction} $\\theta$ towards ${number(a)}$.",
            working=f"$M$ puts $\\tfrac12$ on each point: $\\text{{KL}}(P \\| M) = \\text{{KL}}(Q_\\theta \\| M) = "
                    f"\\ln 2$, whatever the gap; the only coupling moves mass $1$ over "
                    f"$|{number(theta)} - {number(a)}| = {number(w1)}$.",
            check=_dirac_check(a, theta, js, w1, js_slope, w1_slope)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q10(c): the t = 1 reconstruction term as a noise-prediction loss
# ---------------------------------------------------------------------------------------------


def _reconstruction_check(beta_1, variance_1, x, eps, g, expected):
    """The reconstruction term straight from its definition: torch's Gaussian log-density of x under
    the decoder mean f_1, written through the noise prediction g (Prince eq. 18.37's parametrisation)."""
    def check():
        alpha_1, sigma_1 = 1 - beta_1, math.sqrt(variance_1)
        x_, eps_, g_ = _double(x), _double(eps), _double(g)
        z_1 = math.sqrt(alpha_1) * x_ + math.sqrt(1 - alpha_1) * eps_
        f_1 = z_1 / math.sqrt(1 - beta_1) - beta_1 / (math.sqrt(1 - alpha_1) * math.sqrt(1 - beta_1)) * g_
        reconstruction = -Normal(f_1, sigma_1).log_prob(x_).sum()
        assert math.isclose(reconstruction.item(), expected, rel_tol=1e-9), (reconstruction.item(), expected)
    return check


def noise_prediction_reconstruction():
    found = []
    for beta_1, variance_1, x, eps, g in [
        (0.01, 0.01, [0.5, -1.0], [1.2, 0.4], [1.0, 0.5]),
        (0.02, 0.01, [1.0, 0.0, -0.5], [-0.3, 0.8, 1.1], [0.0, 0.6, 1.0]),
        (0.001, 0.002, [0.2, -0.4, 0.6, 1.0], [0.5, -1.0, 0.0, 2.0], [0.3, -1.0, 0.2, 1.9]),
    ]:
        loss = noise_prediction_loss(np.array(g), np.array(eps), beta_1, math.sqrt(variance_1))
        squared_error = float(np.sum((np.array(g) - np.array(eps)) ** 2))
        D = len(x)
        found.append(Variant(
            givens=f"At the first diffusion step, $\\beta_1 = {number(beta_1)}$ (so $\\alpha_1 = 1 - \\beta_1$), "
                   f"decoder variance $\\sigma_1^2 = {number(variance_1)}$, an image of $D = {D}$ pixels "
                   f"$x = ({number_list(x)})$, noise $\\epsilon = ({number_list(eps)})$ and the network's prediction "
                   f"$g_1[z_1, \\phi_1] = ({number_list(g)})$. Write the reconstruction term "
                   f"$-\\log \\text{{Norm}}_x[f_1[z_1, \\phi_1], \\sigma_1^2 I]$ as weight $\\times$ "
                   f"$\\|g_1 - \\epsilon\\|^2$ + constant, and evaluate it.",
            answer=f"weight $\\beta_1 / (2\\sigma_1^2(1 - \\beta_1)) = {number(loss.weight, 5)}$, "
                   f"$\\|g_1 - \\epsilon\\|^2 = {number(round(squared_error, 6))}$, constant "
                   f"$\\tfrac D2 \\ln(2\\pi\\sigma_1^2) = {number(loss.constant, 4)}$: the term is "
                   f"${number(loss.value, 4)}$ ($x$ drops out).",
            working=f"$x - f_1 = c\\,(g_1 - \\epsilon)$ with $c^2 = \\beta_1/(1 - \\beta_1) = "
                    f"{number(beta_1 / (1 - beta_1), 6)}$; ${number(loss.weight, 5)} \\cdot "
                    f"{number(round(squared_error, 6))} + ({number(loss.constant, 4)}) = {number(loss.value, 4)}$.",
            check=_reconstruction_check(beta_1, variance_1, x, eps, g, loss.value)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q10(d): how close the diffusion kernel gets to the standard normal
# ---------------------------------------------------------------------------------------------


def _diffusion_check(betas, x, alpha_T, kl):
    def check():
        alphas = torch.cumprod(1 - _double(betas), dim=0)
        assert math.isclose(alphas[-1].item(), alpha_T, rel_tol=1e-9)
        kernel = Normal(alphas[-1].sqrt() * x, (1 - alphas[-1]).sqrt())
        divergence = kl_divergence(kernel, Normal(torch.tensor(0.0, dtype=torch.float64), 1.0))
        assert math.isclose(divergence.item(), kl, rel_tol=1e-6), (divergence.item(), kl)
    return check


def _format_small(value: float) -> str:
    return number(value, 4) if value >= 0.01 else _scientific(value)


def _listed_schedule(betas) -> tuple[str, np.ndarray]:
    return f"$T = {len(betas)}$ steps with $\\beta = ({number_list(betas)})$", np.array(betas)


def _linear_schedule(steps, start, end) -> tuple[str, np.ndarray]:
    return (f"$T = {steps}$ steps, $\\beta_t$ rising linearly from ${number(start)}$ to ${number(end)}$",
            linear_beta_schedule(steps, start, end))


def _constant_schedule(steps, beta) -> tuple[str, np.ndarray]:
    return f"$T = {steps}$ steps with a constant $\\beta_t = {number(beta)}$", np.full(steps, beta)


def diffusion_kernel_after_T_steps():
    found = []
    for (description, betas), x in [
        (_listed_schedule([0.1, 0.2, 0.3, 0.4]), 2.0),
        (_linear_schedule(50, 0.01, 0.2), 1.0),
        (_constant_schedule(100, 0.05), 3.0),
    ]:
        alpha = alpha_bars(betas)
        alpha_T = float(alpha[-1])
        (mean_T,), std_T = diffusion_kernel([x], alpha_T)
        kl = gaussian_kl_to_standard_normal(mean_T, std_T)
        beta_sum = float(betas.sum())
        found.append(Variant(
            givens=f"The diffusion encoder runs {description}. What is $\\alpha_T = \\prod_{{s=1}}^T (1 - \\beta_s)$, "
                   f"the kernel $q(z_T \\mid x)$ for an input $x = {number(x)}$, and its KL divergence from "
                   f"$\\mathcal N(0, 1)$?",
            answer=f"$\\alpha_T = {_format_small(alpha_T)}$; $q(z_T \\mid x) = \\mathcal N({_format_small(mean_T)}, "
                   f"{number(std_T, 4)}^2)$ (mean $\\sqrt{{\\alpha_T}}\\, x$, std $\\sqrt{{1 - \\alpha_T}}$); "
                   f"KL ${_format_small(kl)}$ nats.",
            working=f"$\\ln \\alpha_T \\le -\\sum_s \\beta_s = -{number(round(beta_sum, 4))}$, so "
                    f"$\\alpha_T \\le {_format_small(math.exp(-beta_sum))}$.",
            check=_diffusion_check(betas.tolist(), x, alpha_T, kl)))
    return found


PRACTICE = {
    "endsem-winter-2025-q18": elbo_identity_terms,
    "endsem-winter-2025-q19": estimator_variance_ratio,
    "cs60010-endsem-q10a": gaussian_kl_to_prior,
    "endsem-winter-2025-q21": gan_generator_gradient_sizes,
    "endsem-winter-2025-intermediate-q1": dirac_distance_slopes,
    "cs60010-endsem-q10c": noise_prediction_reconstruction,
    "cs60010-endsem-q10d": diffusion_kernel_after_T_steps,
}

NO_PRACTICE = {
    "endsem-winter-2025-q10": ("conceptual: naming the method (variational inference) that minimising "
                               "KL(q || posterior) is; the numbers of its identity are practised under Q18"),
    "cs60010-endsem-q10b": ("a derivation of the bound with Jensen's inequality, no numbers to vary; "
                            "the ELBO's terms on a small model are practised under End-Sem Winter 2025 Q18"),
}
