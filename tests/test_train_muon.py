"""Muon's orthogonalised update, checked against the SVD, and its optimizer step."""

import pytest
import torch

from dlref.train.muon import Muon, orthogonalize


@pytest.mark.parametrize("shape", [(16, 16), (8, 40), (40, 8), (64, 576)])
def test_orthogonalize_keeps_the_singular_vectors_and_squeezes_the_singular_values(shape):
    torch.manual_seed(0)
    # A matrix with known singular vectors and singular values spread over two decades.
    rank = min(shape)
    u = torch.linalg.qr(torch.randn(shape[0], rank))[0]
    vh = torch.linalg.qr(torch.randn(shape[1], rank))[0].T
    s = torch.logspace(0, -2, rank)
    update = u @ torch.diag(s) @ vh
    result = orthogonalize(update, steps=5).float()
    # In the basis of the input's singular vectors the result is diagonal (same U and V) ...
    core = u.T @ result @ vh.T
    off_diagonal = core - torch.diag(torch.diagonal(core))
    assert off_diagonal.abs().max() < 0.08 * core.abs().max()   # bf16 arithmetic
    # ... with every singular value pulled into a band around 1 (Jordan's coefficients: about 0.7 to 1.2).
    singular = torch.linalg.svdvals(result)
    assert singular.min() > 0.5 and singular.max() < 1.5, singular


def test_orthogonalize_refuses_non_matrices():
    with pytest.raises(ValueError, match="update must be a 2-D tensor"):
        orthogonalize(torch.randn(3, 3, 3))
    with pytest.raises(ValueError, match="steps must be at least 1"):
        orthogonalize(torch.randn(3, 3), steps=0)


def test_muon_step_normalises_the_weight_then_subtracts_the_orthogonalised_nesterov_direction():
    torch.manual_seed(1)
    weight = torch.nn.Parameter(torch.randn(8, 4, 3, 3))
    gradient = torch.randn_like(weight)
    weight.grad = gradient.clone()
    before = weight.detach().clone()
    Muon([weight], lr=0.1, momentum=0.6, nesterov=True).step()
    # first step: buffer = g, Nesterov direction = g + 0.6 g
    expected = before * (8 ** 0.5 / before.norm()) - 0.1 * orthogonalize((1.6 * gradient).reshape(8, -1)).view(8, 4, 3, 3)
    torch.testing.assert_close(weight.detach(), expected)


@pytest.mark.parametrize("settings, message", [(dict(lr=-1), "lr must be non-negative"),
                                               (dict(momentum=1.0), "momentum must be in"),
                                               (dict(momentum=0.0, nesterov=True), "nesterov needs")])
def test_muon_refuses_bad_settings(settings, message):
    with pytest.raises(ValueError, match=message):
        Muon([torch.nn.Parameter(torch.zeros(2, 2))], **settings)
