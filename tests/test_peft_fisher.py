"""Fisher pruning against PyTorch: the formula, its normalised form, the empirical Fisher, a real run."""

import numpy as np
import pytest
import torch
from torch.autograd.functional import hessian

from dlref.peft import (empirical_fisher_diagonal, fisher_pruning_loss_change,
                        fisher_pruning_loss_change_normalised, fisher_saliency, pruning_mask,
                        train_and_prune)


@pytest.mark.parametrize("seed", range(5))
def test_loss_change_is_the_quadratic_form_of_the_pruning_step(seed):
    """1/2 delta^T diag(F) delta with delta = -theta * (1 - m), computed with torch."""
    generator = torch.Generator().manual_seed(seed)
    theta = torch.randn(9, generator=generator, dtype=torch.float64)
    fisher = torch.rand(9, generator=generator, dtype=torch.float64) * 5
    mask = (torch.rand(9, generator=generator) > 0.5).to(torch.float64)
    delta = -theta * (1 - mask)
    expected = 0.5 * delta @ torch.diag(fisher) @ delta
    args = theta.numpy(), fisher.numpy(), mask.int().numpy()
    assert fisher_pruning_loss_change(*args) == pytest.approx(expected.item())
    assert fisher_pruning_loss_change_normalised(*args) == pytest.approx(expected.item())


@pytest.mark.parametrize("seed", range(3))
def test_the_expansion_is_exact_for_a_quadratic_loss_at_its_minimum(seed):
    generator = torch.Generator().manual_seed(seed)
    theta = torch.randn(6, generator=generator, dtype=torch.float64)
    curvature = torch.rand(6, generator=generator, dtype=torch.float64) * 3

    def loss(phi):
        return 0.5 * (curvature * (phi - theta) ** 2).sum()

    hessian_diagonal = torch.diagonal(hessian(loss, theta))
    mask = np.array([1, 0, 1, 0, 0, 1])
    measured = loss(theta * torch.from_numpy(mask).to(torch.float64)) - loss(theta)
    assert fisher_pruning_loss_change(theta.numpy(), hessian_diagonal.numpy(), mask) == pytest.approx(measured.item())


def test_empirical_fisher_is_the_mean_squared_per_sample_gradient():
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(50, 4, generator=generator, dtype=torch.float64)
    y = torch.randn(50, generator=generator, dtype=torch.float64)
    w = torch.randn(4, generator=generator, dtype=torch.float64)
    gradients = []
    for xn, yn in zip(x, y):
        wn = w.clone().requires_grad_(True)
        torch.nn.functional.softplus(xn @ wn - yn).backward()
        gradients.append(wn.grad)
    gradients = torch.stack(gradients)
    expected = torch.diagonal(gradients.T @ gradients / len(x))    # diagonal of E[g g^T]
    assert np.allclose(empirical_fisher_diagonal(gradients.numpy()), expected.numpy())


def test_saliency_and_mask_prune_the_smallest_scores():
    theta, fisher = np.array([3.0, -0.1, 1.0, 0.5]), np.array([0.01, 100.0, 1.0, 2.0])
    assert np.allclose(fisher_saliency(theta, fisher), [0.09, 1.0, 1.0, 0.5])
    assert pruning_mask(fisher_saliency(theta, fisher), 2).tolist() == [0, 1, 1, 0]
    assert pruning_mask(np.abs(theta), 2).tolist() == [1, 0, 1, 0]


def test_the_run_is_at_a_minimum_where_the_fisher_approximates_the_hessian():
    run = train_and_prune()
    assert run.gradient_norm < 1e-6
    ratio = run.fisher_diagonal / run.hessian_diagonal
    assert 0.4 < ratio.min() and ratio.max() < 1.6 and 0.8 < np.median(ratio) < 1.2


def test_the_prediction_holds_for_small_masks_and_the_fisher_order_beats_magnitude():
    run = train_and_prune()
    predicted, measured = run.predicted["Fisher θ²F"], run.measured["Fisher θ²F"]
    for k in (1, 2, 3):
        assert 0.5 < predicted[k] / measured[k] < 1.5
    magnitude = run.measured["magnitude |θ|"]
    assert all(f <= m for f, m in zip(measured, magnitude))
    assert sum(magnitude) > 3 * sum(measured)


def test_the_run_measures_what_torch_measures_on_its_parameters():
    """Rebuild the network from the run's parameters with nn.Linear layers and prune one weight."""
    run = train_and_prune()
    generator = torch.Generator().manual_seed(4)
    x = torch.randn(256, 2, generator=generator, dtype=torch.float64)
    y = torch.sin(2 * x[:, 0]) + x[:, 1] / 2 + 0.3 * torch.randn(256, generator=generator, dtype=torch.float64)
    net = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1)).double()
    torch.nn.utils.vector_to_parameters(torch.from_numpy(run.theta), net.parameters())

    def loss():
        return (((y - net(x).squeeze(1)) / 0.3) ** 2 / 2).mean().item()

    assert loss() == pytest.approx(run.loss)
    mask = pruning_mask(fisher_saliency(run.theta, run.fisher_diagonal), 3)
    torch.nn.utils.vector_to_parameters(torch.from_numpy(run.theta * mask), net.parameters())
    assert loss() - run.loss == pytest.approx(run.measured["Fisher θ²F"][3])


def test_run_is_deterministic_and_returns_fresh_arrays():
    first = train_and_prune()
    first.theta[:] = 0
    second = train_and_prune()
    assert np.any(second.theta != 0)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="fisher_diagonal has shape"):
        fisher_saliency([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="fisher_diagonal must be >= 0"):
        fisher_saliency([1.0, 2.0], [1.0, -1.0])
    with pytest.raises(ValueError, match="mask must be a 0/1 vector"):
        fisher_pruning_loss_change([1.0, 2.0], [1.0, 1.0], [1, 2])
    with pytest.raises(ValueError, match="prune 3 is more than the 2 parameters"):
        pruning_mask([1.0, 2.0], 3)
    with pytest.raises(ValueError, match="Fisher-weighted norm"):
        fisher_pruning_loss_change_normalised([0.0, 0.0], [1.0, 1.0], [0, 1])
