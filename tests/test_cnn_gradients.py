"""dlref.cnn's hand-derived gradients against PyTorch autograd."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from numpy.testing import assert_allclose

from torch_helpers import t
from dlref.cnn import conv2d_weight_gradient, residual_input_gradient


@pytest.mark.parametrize("case", range(30))
def test_conv2d_weight_gradient_matches_autograd(case):
    rng = np.random.default_rng(case)
    c_in, c_out = rng.integers(1, 4, size=2)
    kernel = tuple(int(k) for k in rng.integers(1, 4, size=2))
    stride = tuple(int(s) for s in rng.integers(1, 3, size=2))
    dilation = tuple(int(d) for d in rng.integers(1, 3, size=2))
    padding = tuple(int(p) for p in rng.integers(0, 2, size=2))
    x = rng.standard_normal((c_in, int(rng.integers(6, 10)), int(rng.integers(6, 10))))
    weight = t(rng.standard_normal((c_out, c_in, *kernel))).requires_grad_()
    out = F.conv2d(t(x)[None], weight, stride=stride, padding=padding, dilation=dilation)[0]
    grad_output = rng.standard_normal(tuple(out.shape))
    out.backward(t(grad_output))
    ours = conv2d_weight_gradient(x, grad_output, kernel, stride, padding, dilation)
    assert_allclose(ours, weight.grad.numpy(), rtol=1e-10, atol=1e-10)


def test_conv2d_weight_gradient_single_channel_is_the_input_under_each_tap():
    x = np.arange(9.0).reshape(3, 3)
    assert_allclose(conv2d_weight_gradient(x, np.ones((2, 2)), kernel_size=2),
                    [[0 + 1 + 3 + 4, 1 + 2 + 4 + 5], [3 + 4 + 6 + 7, 4 + 5 + 7 + 8]])


def test_conv2d_weight_gradient_rejects_a_gradient_of_the_wrong_size():
    with pytest.raises(ValueError, match="grad_output"):
        conv2d_weight_gradient(np.zeros((4, 4)), np.zeros((3, 3)), kernel_size=3)


@pytest.mark.parametrize("case", range(10))
def test_residual_input_gradient_matches_autograd(case):
    rng = np.random.default_rng(case)
    n = int(rng.integers(1, 6))
    w1, w2 = t(rng.standard_normal((n, n))), t(rng.standard_normal((n, n)))
    x = t(rng.standard_normal(n)).requires_grad_()
    upstream = rng.standard_normal(n)

    def residual(v):
        return w2 @ torch.tanh(w1 @ v)

    (x + residual(x)).backward(t(upstream))
    jacobian = torch.autograd.functional.jacobian(residual, x.detach()).numpy()
    assert_allclose(residual_input_gradient(upstream, jacobian), x.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_residual_input_gradient_checks_shapes():
    with pytest.raises(ValueError, match="residual_jacobian"):
        residual_input_gradient(np.ones(3), np.ones((2, 2)))
