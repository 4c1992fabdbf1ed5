"""The NumPy reference operations of dlref.cnn against PyTorch's, with the same weights."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from numpy.testing import assert_allclose

from torch_helpers import t
from dlref.cnn import causal_conv1d, conv2d, conv_transpose2d, deconvnet_saliency, max_pool2d


def random_pair(rng, low, high):
    """An int or an (h, w) pair, so that both spellings of every argument get exercised."""
    if rng.random() < 0.5:
        return int(rng.integers(low, high))
    return tuple(int(v) for v in rng.integers(low, high, size=2))


def as_pair(value):
    return value if isinstance(value, tuple) else (value, value)


# ---------------------------------------------------------------------------------------------
# conv2d
# ---------------------------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_conv2d_matches_f_conv2d_on_random_configurations():
    rng = np.random.default_rng(20)
    checked = 0
    for _ in range(50):
        groups = int(rng.integers(1, 4))
        c_in, c_out = groups * int(rng.integers(1, 3)), groups * int(rng.integers(1, 3))
        kernel = tuple(int(v) for v in rng.integers(1, 5, size=2))
        stride, dilation = random_pair(rng, 1, 3), random_pair(rng, 1, 3)
        padding = [random_pair(rng, 0, 3), "valid", "same"][int(rng.integers(0, 3))]
        if padding == "same":
            stride = 1  # PyTorch's 'same' is defined for stride 1 only
        x = rng.standard_normal((c_in, *rng.integers(3, 10, size=2)))
        weight = rng.standard_normal((c_out, c_in // groups, *kernel))
        bias = rng.standard_normal(c_out) if rng.random() < 0.5 else None
        try:
            expected = F.conv2d(t(x)[None], t(weight), None if bias is None else t(bias), stride,
                                padding, dilation, groups)[0].numpy()
        except RuntimeError:  # kernel wider than the padded input
            with pytest.raises(ValueError, match="kernel_size"):
                conv2d(x, weight, bias, stride, padding, dilation, groups)
            continue
        got = conv2d(x, weight, bias, stride, padding, dilation, groups)
        assert got.shape == expected.shape
        assert_allclose(got, expected, rtol=1e-10, atol=1e-10)
        checked += 1
    assert checked >= 30


def test_conv2d_is_cross_correlation_not_convolution():
    # an asymmetric kernel tells the two apart: flipping it must change the answer
    x = np.arange(16.0).reshape(4, 4)
    kernel = np.array([[1.0, 2.0], [0.0, -1.0]])
    expected = F.conv2d(t(x)[None, None], t(kernel)[None, None])[0, 0].numpy()
    assert_allclose(conv2d(x, kernel), expected)
    assert not np.allclose(conv2d(x, kernel[::-1, ::-1]), expected)


def test_conv2d_accepts_a_single_channel_image_and_kernel():
    rng = np.random.default_rng(21)
    x, kernel = rng.standard_normal((6, 7)), rng.standard_normal((3, 2))
    expected = F.conv2d(t(x)[None, None], t(kernel)[None, None], stride=2, padding=1)[0, 0].numpy()
    assert_allclose(conv2d(x, kernel, stride=2, padding=1), expected, rtol=1e-12)


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_conv2d_same_padding_puts_the_odd_zero_at_the_end_like_torch():
    rng = np.random.default_rng(22)
    x, kernel = rng.standard_normal((1, 5, 5)), rng.standard_normal((1, 1, 2, 4))
    expected = F.conv2d(t(x)[None], t(kernel), padding="same")[0].numpy()
    assert_allclose(conv2d(x, kernel, padding="same"), expected, rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# conv_transpose2d
# ---------------------------------------------------------------------------------------------

def test_conv_transpose2d_matches_f_conv_transpose2d_on_random_configurations():
    rng = np.random.default_rng(23)
    checked = 0
    for _ in range(50):
        c_in, c_out = (int(v) for v in rng.integers(1, 4, size=2))
        kernel = tuple(int(v) for v in rng.integers(1, 5, size=2))
        stride, dilation, padding = random_pair(rng, 1, 4), random_pair(rng, 1, 3), random_pair(rng, 0, 3)
        # a legal output_padding is below max(stride, dilation) on each axis
        output_padding = tuple(int(rng.integers(0, max(s, d)))
                               for s, d in zip(as_pair(stride), as_pair(dilation)))
        x = rng.standard_normal((c_in, *rng.integers(1, 7, size=2)))
        weight = rng.standard_normal((c_in, c_out, *kernel))
        bias = rng.standard_normal(c_out) if rng.random() < 0.5 else None
        try:
            expected = F.conv_transpose2d(t(x)[None], t(weight), None if bias is None else t(bias),
                                          stride, padding, output_padding, 1, dilation)[0].numpy()
        except RuntimeError:
            expected = None
        if expected is None or expected.size == 0:  # padding crops the whole output
            with pytest.raises(ValueError, match="padding"):
                conv_transpose2d(x, weight, bias, stride, padding, output_padding, dilation)
            continue
        got = conv_transpose2d(x, weight, bias, stride, padding, output_padding, dilation)
        assert got.shape == expected.shape
        assert_allclose(got, expected, rtol=1e-10, atol=1e-10)
        checked += 1
    assert checked >= 30


def test_conv_transpose2d_is_the_adjoint_of_conv2d():
    # <conv2d(x), y> == <x, conv_transpose2d(y)> for the same weight, stride, padding, dilation
    rng = np.random.default_rng(24)
    checked = 0
    for _ in range(30):
        c_in, c_out = (int(v) for v in rng.integers(1, 4, size=2))
        kernel = tuple(int(v) for v in rng.integers(1, 4, size=2))
        stride, dilation, padding = (tuple(int(v) for v in rng.integers(low, high, size=2))
                                     for low, high in ((1, 4), (1, 3), (0, 3)))
        hw = tuple(int(v) for v in rng.integers(3, 10, size=2))
        weight = rng.standard_normal((c_out, c_in, *kernel))
        x = rng.standard_normal((c_in, *hw))
        try:
            forward = conv2d(x, weight, stride=stride, padding=padding, dilation=dilation)
        except ValueError:
            continue  # kernel wider than the padded input
        y = rng.standard_normal(forward.shape)
        # the input rows the strided conv never reads come back as output_padding
        output_padding = tuple((n + 2 * p - d * (k - 1) - 1) % s
                               for n, k, s, p, d in zip(hw, kernel, stride, padding, dilation))
        backward = conv_transpose2d(y, weight, stride=stride, padding=padding,
                                    output_padding=output_padding, dilation=dilation)
        assert backward.shape == x.shape
        assert np.vdot(forward, y) == pytest.approx(np.vdot(x, backward), rel=1e-10, abs=1e-10)
        checked += 1
    assert checked >= 20


def test_conv_transpose2d_is_the_gradient_of_conv2d_in_torch():
    # the same adjoint property seen from autograd: d<conv(x), y>/dx = conv_transpose(y)
    rng = np.random.default_rng(25)
    weight = rng.standard_normal((3, 2, 3, 2))
    x = t(rng.standard_normal((1, 2, 8, 7))).requires_grad_()
    out = F.conv2d(x, t(weight), stride=2, padding=1, dilation=(1, 2))
    y = rng.standard_normal(out.shape[1:])
    (out * t(y)).sum().backward()
    got = conv_transpose2d(y, weight, stride=2, padding=1, output_padding=(1, 0), dilation=(1, 2))
    assert_allclose(got, x.grad[0].numpy(), rtol=1e-10, atol=1e-12)


def test_conv_transpose2d_accepts_a_single_channel_image_and_kernel():
    rng = np.random.default_rng(26)
    x, kernel = rng.standard_normal((3, 4)), rng.standard_normal((2, 3))
    expected = F.conv_transpose2d(t(x)[None, None], t(kernel)[None, None], stride=2)[0, 0].numpy()
    assert_allclose(conv_transpose2d(x, kernel, stride=2), expected, rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# max_pool2d
# ---------------------------------------------------------------------------------------------

def torch_pool_and_switches(x, kernel, stride):
    pooled, indices = F.max_pool2d(t(x)[None, None], kernel, stride, return_indices=True)
    switches = np.zeros(x.size)
    switches[indices.flatten().numpy()] = 1.0
    return pooled[0, 0].numpy(), switches.reshape(x.shape)


@pytest.mark.parametrize("ties", [False, True])
def test_max_pool2d_values_and_switches_match_torch_indices(ties):
    rng = np.random.default_rng(27 + ties)
    for _ in range(30):
        hw = tuple(int(v) for v in rng.integers(2, 10, size=2))
        kernel = random_pair(rng, 1, 4)
        stride = None if rng.random() < 0.4 else random_pair(rng, 1, 4)
        if any(k > n for k, n in zip(as_pair(kernel), hw)):
            continue
        # small integers make ties in most windows: both must then pick the first maximum
        x = rng.integers(0, 3, size=hw).astype(float) if ties else rng.standard_normal(hw)
        expected_pooled, expected_switches = torch_pool_and_switches(x, kernel, stride)
        pooled, switches = max_pool2d(x, kernel, stride)
        assert_allclose(pooled, expected_pooled)
        assert_allclose(switches, expected_switches)


def test_max_pool2d_first_maximum_wins_a_tie():
    x = np.array([[1.0, 5.0, 5.0, 0.0],
                  [5.0, 2.0, 0.0, 5.0]])
    _, expected = torch_pool_and_switches(x, 2, 2)
    _, switches = max_pool2d(x, 2)
    assert_allclose(switches, expected)
    assert_allclose(switches, [[0, 1, 1, 0], [0, 0, 0, 0]])


# ---------------------------------------------------------------------------------------------
# deconvnet_saliency
# ---------------------------------------------------------------------------------------------

class DeconvNetReLU(torch.autograd.Function):
    """ReLU forward; DeconvNet backward: the ReLU of the signal, not the gradient gated by the input."""

    @staticmethod
    def forward(ctx, x):
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.clamp(min=0)


def torch_deconvnet(image, kernel, pool_size):
    x = t(image)[None, None].requires_grad_()
    activation = DeconvNetReLU.apply(F.conv2d(x, t(kernel)[None, None]))
    F.max_pool2d(activation, pool_size).sum().backward()
    return x.grad[0, 0].numpy()


def test_deconvnet_saliency_matches_autograd_with_a_deconvnet_relu():
    rng = np.random.default_rng(29)
    for _ in range(25):
        kernel = rng.standard_normal(tuple(rng.integers(1, 4, size=2)))
        pool_size = int(rng.integers(1, 4))
        hw = tuple(int(k) - 1 + pool_size * int(rng.integers(1, 4)) + int(rng.integers(0, 2))
                   for k in kernel.shape)  # room for 1-3 pooling windows, sometimes a leftover row
        image = rng.standard_normal(hw)
        assert_allclose(deconvnet_saliency(image, kernel, pool_size),
                        torch_deconvnet(image, kernel, pool_size), rtol=1e-12, atol=1e-12)


def test_deconvnet_saliency_differs_from_the_plain_gradient():
    # guards against a backward pass that gates by the forward activation (plain backprop)
    rng = np.random.default_rng(30)
    image, kernel = rng.standard_normal((9, 9)), rng.standard_normal((3, 3))
    x = t(image)[None, None].requires_grad_()
    F.max_pool2d(F.relu(F.conv2d(x, t(kernel)[None, None])), 2).sum().backward()
    saliency = deconvnet_saliency(image, kernel, 2)
    assert_allclose(saliency, torch_deconvnet(image, kernel, 2), rtol=1e-12, atol=1e-12)
    assert not np.allclose(saliency, x.grad[0, 0].numpy())


# ---------------------------------------------------------------------------------------------
# causal_conv1d
# ---------------------------------------------------------------------------------------------

def torch_causal_conv1d(x, weight, dilation):
    """F.conv1d (a cross-correlation) on the input padded on the left only, with the kernel flipped
    so that weight[0] meets the current sample."""
    k = weight.shape[-1]
    padded = F.pad(x.reshape(1, 1, -1), (dilation * (k - 1), 0))
    return F.conv1d(padded, weight.flip(-1).reshape(1, 1, -1), dilation=dilation).reshape(-1)


def test_causal_conv1d_matches_left_padded_f_conv1d():
    rng = np.random.default_rng(31)
    for _ in range(40):
        length, k, d = int(rng.integers(1, 20)), int(rng.integers(1, 6)), int(rng.integers(1, 5))
        x, weight = rng.standard_normal(length), rng.standard_normal(k)
        expected = torch_causal_conv1d(t(x), t(weight), d).numpy()
        assert_allclose(causal_conv1d(x, weight, d), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("length, k, d", [(12, 3, 1), (12, 3, 2), (9, 4, 3), (3, 5, 2)])
def test_causal_conv1d_never_reads_the_future(length, k, d):
    rng = np.random.default_rng(32)
    weight = rng.standard_normal(k)
    x = t(rng.standard_normal(length))
    jacobian = torch.autograd.functional.jacobian(
        lambda inputs: torch_causal_conv1d(inputs, t(weight), d), x).numpy()
    # dlref is linear in x, so its Jacobian's column s is its response to a unit impulse at s
    dlref_jacobian = np.stack([causal_conv1d(np.eye(length)[s], weight, d) for s in range(length)],
                              axis=1)
    assert_allclose(dlref_jacobian, jacobian, rtol=1e-12, atol=1e-12)
    assert np.all(np.triu(jacobian, 1) == 0)      # dy[t]/dx[s] == 0 for s > t
    assert_allclose(np.diag(jacobian), weight[0])  # w[0] multiplies the current sample
