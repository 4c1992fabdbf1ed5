import math

import torch
import torch.nn.functional as F
from torch.distributions import Categorical, Independent, Normal, kl_divergence

from dlref.generative import (alpha_bars, diffusion_decoder_mean, diffusion_forward_steps, diffusion_kernel,
                              dirac_distances, gan_generator_losses, gaussian_kl_to_standard_normal,
                              js_divergence, reparameterized_gradients, score_function_gradients,
                              wasserstein1_1d)

# The coefficients of the formulas table, each checked against dlref and PyTorch on random values.
prior_mean = 0            # the prior N(0, I)
kl_half, kl_unit = 0.5, 1  # KL = 1/2 sum_d (mu_d^2 + sigma_d^2 - 1 - ln sigma_d^2)
noise_mean = 0            # epsilon ~ N(0, I)
minimax_complement = 1    # minimax: log(1 - p), the log-probability that D calls the fake fake
lsgan_target = 1          # LSGAN: (p - 1)^2, the squared distance to the label "real"
js_weight = 0.5           # JS = 1/2 KL(P || M) + 1/2 KL(Q || M)
mixture_weight = 0.5      # M = 1/2 (P + Q)
unit_variance = 1         # diffusion keeps a unit variance: 1 - beta_t of it is signal, beta_t new noise
js_disjoint = dirac_distances(2.5)[0]   # delta_0 and delta_theta do not overlap
assert js_disjoint == math.log(2)

torch.manual_seed(0)
double = torch.float64


# The formulas of the table, written with these coefficients.
def kl_to_prior(mu, sigma):
    return kl_half * torch.sum(mu**2 + sigma**2 - kl_unit - torch.log(sigma**2))


def generator_losses(p, critic_score):
    return {"minimax": torch.log(minimax_complement - p), "non-saturating": -torch.log(p),
            "LSGAN": (p - lsgan_target) ** 2, "Wasserstein": -critic_score}


def js(P, Q):
    M = mixture_weight * (P + Q)
    assert math.isclose(M.sum().item(), 1.0)   # a distribution (Categorical would silently renormalise it)
    return (js_weight * kl_divergence(Categorical(probs=P), Categorical(probs=M))
            + js_weight * kl_divergence(Categorical(probs=Q), Categorical(probs=M)))


def diffusion_step(z_prev, beta_t, eps_t):
    return torch.sqrt(unit_variance - beta_t) * z_prev + torch.sqrt(beta_t) * eps_t


def alphas(betas):
    return torch.cumprod(unit_variance - betas, dim=0)


def kernel(x, alpha_t):   # mean and variance of q(z_t | x)
    return torch.sqrt(alpha_t) * x, (unit_variance - alpha_t) * torch.ones_like(x)


def recover_x(z_t, eps, alpha_t):
    return (z_t - torch.sqrt(unit_variance - alpha_t) * eps) / torch.sqrt(alpha_t)


def check_kl(D):
    """KL of a diagonal Gaussian to the prior: the formula, dlref and torch.distributions agree."""
    mu, sigma = torch.randn(D, dtype=double), 0.2 + torch.rand(D, dtype=double)
    q = Independent(Normal(mu, sigma), 1)
    prior = Independent(Normal(torch.full_like(mu, prior_mean), torch.ones_like(sigma)), 1)
    assert torch.isclose(kl_divergence(q, prior), kl_to_prior(mu, sigma))
    assert math.isclose(gaussian_kl_to_standard_normal(mu.numpy(), sigma.numpy()), kl_to_prior(mu, sigma).item())


def check_estimators(mu_value, sigma_value, S=200_000):
    """z = mu + sigma eps is what Normal.rsample draws; both estimators of d/dmu E[z^2] = 2 mu, by autograd."""
    mu = torch.tensor(mu_value, dtype=double, requires_grad=True)
    sigma = torch.tensor(sigma_value, dtype=double, requires_grad=True)
    z = Normal(mu, sigma).rsample((S,))
    eps = ((z - mu) / sigma).detach()
    assert abs(eps.mean().item() - noise_mean) < 0.01 and abs(eps.std().item() - 1) < 0.01
    assert torch.allclose(z, mu + sigma * eps)
    (reparameterized,) = torch.autograd.grad((z**2).mean(), mu)   # mean of d f(mu + sigma eps) / d mu
    assert math.isclose(reparameterized.item(), reparameterized_gradients(mu_value, sigma_value, eps.numpy()).mean())
    (score,) = torch.autograd.grad((z.detach() ** 2 * Normal(mu, sigma).log_prob(z.detach())).mean(), mu)
    assert math.isclose(score.item(), score_function_gradients(mu_value, sigma_value, eps.numpy()).mean())
    assert abs(reparameterized.item() - 2 * mu_value) < 0.02 and abs(score.item() - 2 * mu_value) < 0.2


def check_gan(p_value):
    """Each generator loss: the formula, dlref, and PyTorch's BCE / MSE losses."""
    p = torch.tensor(p_value, dtype=double)
    losses = generator_losses(p, critic_score=p)
    assert all(math.isclose(losses[name].item(), value) for name, value in gan_generator_losses(p_value).items())
    assert torch.isclose(losses["minimax"], -F.binary_cross_entropy(p, torch.zeros_like(p)))
    assert torch.isclose(losses["non-saturating"], F.binary_cross_entropy(p, torch.ones_like(p)))
    assert torch.isclose(losses["LSGAN"], F.mse_loss(p, torch.full_like(p, 1.0)))


def check_distances(K, theta):
    """JS on random distributions and on disjoint supports; W_1 as the CDF integral and the sorted coupling."""
    P, Q = torch.rand(K, dtype=double), torch.rand(K, dtype=double)
    P, Q = P / P.sum(), Q / Q.sum()
    assert math.isclose(js(P, Q).item(), js_divergence(P.numpy(), Q.numpy()))
    P_apart = torch.cat([P, torch.zeros(K, dtype=double)])   # P on the first K points, Q on the next K
    Q_apart = torch.cat([torch.zeros(K, dtype=double), Q])
    assert math.isclose(js(P_apart, Q_apart).item(), js_disjoint) and math.isclose(
        js_divergence(P_apart.numpy(), Q_apart.numpy()), js_disjoint)
    x, y = torch.randn(K, dtype=double), torch.randn(K, dtype=double) + theta   # K equal masses each
    coupling = (torch.sort(x).values - torch.sort(y).values).abs().mean()
    assert math.isclose(wasserstein1_1d(x.numpy(), [1 / K] * K, y.numpy(), [1 / K] * K), coupling.item())
    assert dirac_distances(theta) == (js_disjoint, abs(theta))


def check_diffusion(T, N=4):
    """The step, the kernel (mean and variance of z_T given x, by autograd through T steps) and the
    noise-prediction inversion, against dlref's step-by-step encoder."""
    betas = 0.01 + 0.3 * torch.rand(T, dtype=double)
    alpha_T = alphas(betas)[-1]
    assert torch.allclose(alphas(betas), torch.tensor(alpha_bars(betas.numpy())))
    assert torch.isclose(alpha_T, torch.prod(1 - betas))
    x = torch.randn(N, dtype=double, requires_grad=True)
    noise = torch.randn(T, N, dtype=double, requires_grad=True)
    z = x
    for beta_t, eps_t in zip(betas, noise):
        z = diffusion_step(z, beta_t, eps_t)
    assert torch.allclose(z, torch.tensor(diffusion_forward_steps(x.detach().numpy(), betas.numpy(),
                                                                  noise.detach().numpy())))
    # z_T = sqrt(alpha_T) x + sum_t c_t eps_t: the mean coefficient and the noise variance sum_t c_t^2
    d_x, d_noise = torch.autograd.grad(z.sum(), (x, noise))
    mean, variance = kernel(x.detach(), alpha_T)
    assert torch.allclose(d_x * x.detach(), mean) and torch.allclose((d_noise**2).sum(dim=0), variance)
    dlref_mean, dlref_std = diffusion_kernel(x.detach().numpy(), alpha_T.item())
    assert torch.allclose(mean, torch.tensor(dlref_mean)) and math.isclose(dlref_std**2, variance[0].item())
    # noise prediction: the T draws add up to one N(0, 1) draw eps with z_T = sqrt(alpha_T) x + sqrt(1 - alpha_T) eps;
    # knowing eps gives x back
    eps = (d_noise * noise.detach()).sum(dim=0) / variance.sqrt()
    assert torch.allclose(recover_x(z.detach(), eps, alpha_T), x.detach())
    z_1 = torch.sqrt(1 - betas[0]) * x.detach() + torch.sqrt(betas[0]) * eps   # at t = 1, alpha_1 = 1 - beta_1
    assert torch.allclose(recover_x(z_1, eps, alphas(betas)[0]), torch.tensor(diffusion_decoder_mean(
        z_1.numpy(), eps.numpy(), betas[0].item(), alphas(betas)[0].item())))


for size in (1, 3, 8):
    check_kl(size)
for mean_value, std_value in ((0.5, 1.0), (-1.2, 0.3)):
    check_estimators(mean_value, std_value)
for probability in (0.01, 0.3, 0.9):
    check_gan(probability)
for support, shift in ((3, 2.5), (6, -0.7), (10, 4.0)):
    check_distances(support, shift)
for steps in (1, 5, 20):
    check_diffusion(steps)
