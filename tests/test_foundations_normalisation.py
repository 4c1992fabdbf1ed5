"""dlref.foundations' LayerNorm, BatchNorm (train, eval, running statistics) against PyTorch."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from numpy.testing import assert_allclose

from torch_helpers import t
from dlref.foundations import batch_norm_eval, batch_norm_train, layer_norm, running_stats_update


@pytest.mark.parametrize("case", range(10))
def test_layer_norm_matches_functional_layer_norm(case):
    rng = np.random.default_rng(case)
    shape = tuple(int(s) for s in rng.integers(1, 5, size=int(rng.integers(1, 4))))
    d = int(rng.integers(2, 6))
    x, gamma, beta = rng.standard_normal((*shape, d)) * 3 + 1, rng.standard_normal(d), rng.standard_normal(d)
    expected = F.layer_norm(t(x), (d,), t(gamma), t(beta), eps=1e-5).numpy()
    assert_allclose(layer_norm(x, gamma, beta), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("case", range(10))
def test_batch_norm_train_matches_functional_batch_norm_on_2d_and_3d_batches(case):
    rng = np.random.default_rng(case)
    n, steps, d = int(rng.integers(2, 6)), int(rng.integers(1, 5)), int(rng.integers(1, 5))
    gamma, beta = rng.standard_normal(d), rng.standard_normal(d)
    x2 = rng.standard_normal((n, d)) * 2 - 1
    expected2 = F.batch_norm(t(x2), None, None, t(gamma), t(beta), training=True, eps=1e-5).numpy()
    assert_allclose(batch_norm_train(x2, gamma, beta), expected2, rtol=1e-10, atol=1e-12)
    x3 = rng.standard_normal((n, steps, d))           # (N, T, d): torch wants (N, d, T)
    expected3 = F.batch_norm(t(x3).transpose(1, 2), None, None, t(gamma), t(beta), training=True).transpose(1, 2)
    assert_allclose(batch_norm_train(x3, gamma, beta), expected3.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("case", range(10))
def test_running_stats_and_eval_mode_match_batchnorm1d(case):
    rng = np.random.default_rng(case)
    d, momentum = int(rng.integers(1, 5)), float(rng.uniform(0.05, 0.9))
    bn = torch.nn.BatchNorm1d(d, momentum=momentum).double()
    with torch.no_grad():
        bn.weight.copy_(t(rng.standard_normal(d)))
        bn.bias.copy_(t(rng.standard_normal(d)))
    mean, var = np.zeros(d), np.ones(d)
    for _ in range(3):
        batch = rng.standard_normal((int(rng.integers(2, 8)), d)) * 2 + 1
        bn(t(batch))
        mean, var = running_stats_update(mean, var, batch, momentum)
    assert_allclose(mean, bn.running_mean.numpy(), rtol=1e-12, atol=1e-14)
    assert_allclose(var, bn.running_var.numpy(), rtol=1e-12, atol=1e-14)
    bn.eval()
    test = rng.standard_normal((5, d)) * 3
    with torch.no_grad():
        expected = bn(t(test)).numpy()
    got = batch_norm_eval(test, mean, var, bn.weight.detach().numpy(), bn.bias.detach().numpy())
    assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


def test_layer_norm_ignores_padding_and_batch_norm_does_not():
    rng = np.random.default_rng(0)
    seq = rng.standard_normal((2, 3))
    batch = np.zeros((2, 4, 3))
    batch[0] = rng.standard_normal((4, 3))
    batch[1, :2] = seq
    assert_allclose(layer_norm(batch)[1, :2], layer_norm(seq))
    assert not np.allclose(batch_norm_train(batch)[1, :2], batch_norm_train(seq[None])[0])


@pytest.mark.parametrize("call, argument", [
    (lambda: layer_norm(np.ones((2, 3)), gamma=np.ones(2)), "gamma"),
    (lambda: batch_norm_train(np.ones(3)), "x"),
    (lambda: batch_norm_eval(np.ones((2, 3)), np.zeros(2), np.ones(3)), "running_mean"),
    (lambda: running_stats_update(np.zeros(3), np.ones(3), np.ones((1, 3))), "x"),
    (lambda: running_stats_update(np.zeros(3), np.ones(3), np.ones((2, 3)), momentum=1.5), "momentum"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises((ValueError, TypeError), match=argument):
        call()
