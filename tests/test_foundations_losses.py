"""dlref.foundations' priors, MAP estimate, loss gradients and perceptron against PyTorch."""

import math

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose
from torch.distributions import Cauchy, Laplace, Normal

from torch_helpers import t
from dlref.foundations import (linear_loss_gradient, l2_strength_from_prior, margin_perceptron_update_bound,
                               negative_log_prior, perceptron_mistake_bound, perceptron_update,
                               ridge_map_estimate, separable_data, sigmoid_squared_loss_gradient,
                               train_perceptron)

DISTRIBUTIONS = {"gaussian": Normal, "laplace": Laplace, "cauchy": Cauchy}


@pytest.mark.parametrize("case", range(10))
@pytest.mark.parametrize("prior", sorted(DISTRIBUTIONS))
def test_negative_log_prior_matches_torch_distributions(prior, case):
    rng = np.random.default_rng(case)
    theta, scale = rng.standard_normal(int(rng.integers(1, 6))) * 3, float(rng.uniform(0.2, 3))
    expected = -DISTRIBUTIONS[prior](t(0.0), t(scale)).log_prob(t(theta)).sum().item()
    assert negative_log_prior(theta, prior, scale) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_only_the_gaussian_prior_is_an_l2_penalty():
    for prior, quadratic in (("gaussian", True), ("laplace", False), ("cauchy", False)):
        ratios = [(negative_log_prior(v, prior) - negative_log_prior(0.0, prior)) / v ** 2 for v in (0.5, 3.0)]
        assert math.isclose(*ratios) == quadratic


@pytest.mark.parametrize("case", range(8))
def test_ridge_map_estimate_is_where_the_autograd_gradient_of_the_log_posterior_vanishes(case):
    rng = np.random.default_rng(case)
    n, d = int(rng.integers(3, 30)), int(rng.integers(1, 6))
    X, y = rng.standard_normal((n, d)), rng.standard_normal(n)
    sigma, tau = float(rng.uniform(0.1, 2)), float(rng.uniform(0.1, 2))
    theta = t(ridge_map_estimate(X, y, sigma, tau)).requires_grad_()
    loss = -(Normal(t(X) @ theta, t(sigma)).log_prob(t(y)).sum() + Normal(t(0.0), t(tau)).log_prob(theta).sum())
    (grad,) = torch.autograd.grad(loss, theta)
    assert grad.abs().max().item() < 1e-9
    assert l2_strength_from_prior(sigma, tau) == pytest.approx(sigma ** 2 / tau ** 2)


@pytest.mark.parametrize("case", range(20))
def test_sigmoid_squared_loss_gradient_matches_autograd(case):
    rng = np.random.default_rng(case)
    w, b, x, y = (float(v) for v in rng.standard_normal(4) * 2)
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    ((torch.sigmoid(wt * x + b) - y) ** 2).backward()
    assert sigmoid_squared_loss_gradient(w, b, x, y) == pytest.approx(wt.grad.item(), rel=1e-12, abs=1e-15)


TORCH_LOSSES = {
    "hinge": lambda s, y, margin: torch.relu(margin - (2 * y - 1) * s),
    "cross_entropy": lambda s, y, margin: torch.nn.functional.binary_cross_entropy_with_logits(
        s, torch.tensor(float(y), dtype=torch.float64)),
    "squared": lambda s, y, margin: 0.5 * (s - y) ** 2,
    "zero_one": lambda s, y, margin: torch.relu(torch.sign(-(2 * y - 1) * s)),
}


@pytest.mark.parametrize("case", range(15))
@pytest.mark.parametrize("loss", sorted(TORCH_LOSSES))
def test_linear_loss_gradient_matches_autograd(loss, case):
    rng = np.random.default_rng(case)
    d = int(rng.integers(1, 5))
    w, x, y, margin = rng.standard_normal(d), rng.standard_normal(d), int(rng.integers(0, 2)), float(rng.uniform(0, 2))
    wt = t(w).requires_grad_()
    (grad,) = torch.autograd.grad(TORCH_LOSSES[loss](wt @ t(x), y, margin), wt)
    assert_allclose(linear_loss_gradient(loss, w, x, y, margin=margin), grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("case", range(20))
def test_perceptron_update_is_minus_the_autograd_subgradient_of_the_perceptron_criterion(case):
    rng = np.random.default_rng(case)
    d = int(rng.integers(1, 5))
    w, x, y, lr = rng.standard_normal(d), rng.standard_normal(d), int(rng.integers(0, 2)), float(rng.uniform(0.1, 2))
    wt = t(w).requires_grad_()
    (grad,) = torch.autograd.grad(torch.relu(-(2 * y - 1) * (wt @ t(x))), wt)
    assert_allclose(perceptron_update(w, x, y, lr), -lr * grad.numpy(), atol=1e-15)


def torch_perceptron(X, y, margin):
    w, updates, changed = torch.zeros(X.shape[1], dtype=torch.float64), 0, True
    while changed:
        changed = False
        for x_i, y_i in zip(X, y):
            if y_i * (w @ x_i) <= margin / 2 * w.norm():
                w, updates, changed = w + y_i * x_i, updates + 1, True
    return w, updates


@pytest.mark.parametrize("seed", range(6))
def test_train_perceptron_matches_a_torch_run_and_respects_both_bounds(seed):
    X, y, w_star = separable_data(n=60, d=int(2 + seed % 3), gamma=0.2, seed=seed)
    gamma = float(np.min(y * (X @ w_star)))
    radius = float(np.linalg.norm(X, axis=1).max())
    for margin, bound in ((None, perceptron_mistake_bound(radius, gamma)),
                          (gamma, margin_perceptron_update_bound(radius, gamma))):
        w, updates = train_perceptron(X, y, margin=margin)
        w_torch, updates_torch = torch_perceptron(t(X), t(y), 0.0 if margin is None else margin)
        assert updates == updates_torch and updates <= bound
        assert_allclose(w, w_torch.numpy(), atol=1e-12)
        assert np.all(y * (X @ w) > 0)


def test_separable_data_has_the_margin_it_was_asked_for():
    X, y, w_star = separable_data(n=300, d=3, gamma=0.3, seed=1)
    assert np.linalg.norm(w_star) == pytest.approx(1.0)
    assert np.min(y * (X @ w_star)) == pytest.approx(0.3)


def test_mistake_bounds_on_hand_numbers():
    assert perceptron_mistake_bound(3.0, 0.5) == pytest.approx(36.0)              # (3 / 0.5)^2
    assert margin_perceptron_update_bound(3.0, 0.5) == pytest.approx(8 * 36 + 4 * 6)


@pytest.mark.parametrize("call, argument", [
    (lambda: negative_log_prior([1.0], "student"), "prior"),
    (lambda: negative_log_prior([1.0], "gaussian", scale=0), "scale"),
    (lambda: ridge_map_estimate(np.ones((3, 2)), np.ones(4), 1.0, 1.0), "y"),
    (lambda: perceptron_update([1.0, 2.0], [1.0], 1), "w and x"),
    (lambda: perceptron_update([1.0], [1.0], -1), "y"),
    (lambda: linear_loss_gradient("logistic", [1.0], [1.0], 1), "loss"),
    (lambda: train_perceptron(np.ones((2, 2)), np.array([1.0, 0.0])), "y"),
    (lambda: train_perceptron(np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([1.0, -1.0]), max_epochs=3),
     "max_epochs"),
    (lambda: margin_perceptron_update_bound(1.0, 0.0), "gamma"),
    (lambda: sigmoid_squared_loss_gradient("1", 0.0, 1.0, 1.0), "w"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises((ValueError, TypeError), match=argument):
        call()
