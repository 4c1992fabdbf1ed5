"""The chapter's plots show what dlref.generative computes, and what autograd computes."""

import math

import pytest
import torch

from dlref.figures import generative as figures

TORCH_LOSSES = {"minimax": lambda p: torch.log(1 - p), "non-saturating": lambda p: -torch.log(p),
                "LSGAN": lambda p: (p - 1) ** 2, "Wasserstein": lambda p: -p}


def test_gan_gradient_curves_are_autograd_magnitudes():
    probabilities = figures.GAN_PROBABILITIES[::20]
    curves = figures.gan_gradient_curves(probabilities)
    for name, loss in TORCH_LOSSES.items():
        for p, shown in zip(probabilities, curves[name]):
            pt = torch.tensor(p, dtype=torch.float64, requires_grad=True)
            (grad,) = torch.autograd.grad(loss(pt), pt)
            assert shown == pytest.approx(abs(grad.item()), rel=1e-12)


def test_gan_plot_covers_p_near_zero_where_non_saturating_dominates():
    probabilities = figures.GAN_PROBABILITIES
    assert probabilities[0] <= 1e-4 and probabilities[-1] < 1
    curves = figures.gan_gradient_curves(probabilities)
    assert max(curves, key=lambda name: curves[name][0]) == "non-saturating"
    assert curves["non-saturating"][0] > 1000 * curves["minimax"][0]


def test_dirac_curves_show_flat_js_and_linear_w1():
    curves = figures.dirac_distance_curves()
    gaps = figures.GAPS
    assert 0.0 in gaps and min(gaps) < 0 < max(gaps)
    for t, js, w1, js_slope, w1_slope in zip(gaps, curves["JS"], curves["W1"], curves["JS slope"], curves["W1 slope"]):
        if t == 0:
            assert js == 0 and w1 == 0
        else:
            assert js == pytest.approx(math.log(2)) and w1 == pytest.approx(abs(t))
            assert js_slope == 0 and w1_slope == pytest.approx(math.copysign(1, t))
