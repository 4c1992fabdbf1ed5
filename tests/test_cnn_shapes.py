"""Output shapes, kernel spans and receptive fields of dlref.cnn, each read off a real PyTorch run."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlref.cnn import (conv2d_output_shape, conv_output_size, conv_transpose_output_size,
                       effective_kernel_size, pool2d_output_shape, receptive_field)


def torch_conv_length(n, k, stride=1, padding=0, dilation=1):
    """Output length of F.conv2d along the width of a 1 x n image, or None if PyTorch refuses."""
    try:
        out = F.conv2d(torch.zeros(1, 1, 1, n), torch.zeros(1, 1, 1, k), stride=(1, stride),
                       padding=(0, padding), dilation=(1, dilation))
    except RuntimeError:
        return None
    return out.shape[-1]


def tf_same_pads(n, k, stride, dilation):
    """TensorFlow's 'same': pad just enough for ceil(n / s) outputs, the odd zero at the end."""
    total = max((math.ceil(n / stride) - 1) * stride + dilation * (k - 1) + 1 - n, 0)
    return total // 2, total - total // 2


def torch_tf_same_shape(hw, kernel, stride, dilation):
    """(H_out, W_out) of F.conv2d on an input explicitly padded the TensorFlow 'same' way."""
    (top, bottom), (left, right) = (tf_same_pads(n, k, s, d)
                                    for n, k, s, d in zip(hw, kernel, stride, dilation))
    x = F.pad(torch.zeros(1, 1, *hw), (left, right, top, bottom))
    return tuple(F.conv2d(x, torch.zeros(1, 1, *kernel), stride=stride, dilation=dilation).shape[2:])


# ---------------------------------------------------------------------------------------------
# conv_output_size
# ---------------------------------------------------------------------------------------------

def test_conv_output_size_matches_torch_on_random_configurations():
    rng = np.random.default_rng(0)
    checked = 0
    for _ in range(50):
        n, k, s, p, d = (int(v) for v in (rng.integers(1, 20), rng.integers(1, 7), rng.integers(1, 5),
                                          rng.integers(0, 4), rng.integers(1, 4)))
        expected = torch_conv_length(n, k, s, p, d)
        if expected is None:  # PyTorch refuses a kernel wider than the padded input; so must dlref
            with pytest.raises(ValueError, match="kernel_size"):
                conv_output_size(n, k, s, p, d)
        else:
            assert conv_output_size(n, k, s, p, d) == expected, (n, k, s, p, d)
            checked += 1
    assert checked >= 30  # the random cases must not be mostly refusals


@pytest.mark.parametrize("n, k, s, d", [(7, 3, 1, 1), (10, 4, 2, 1), (9, 3, 3, 2), (5, 5, 1, 1)])
def test_valid_padding_means_no_padding(n, k, s, d):
    out = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=s, dilation=d,
                   padding="valid")
    assert conv_output_size(n, k, s, "valid", d) == out.shape[-1]


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_same_padding_with_stride_one_matches_torch_same():
    rng = np.random.default_rng(1)
    for _ in range(30):
        n, k, d = int(rng.integers(1, 16)), int(rng.integers(1, 8)), int(rng.integers(1, 4))
        out = F.conv2d(torch.zeros(1, 1, 1, n), torch.zeros(1, 1, 1, k), padding="same",
                       dilation=(1, d))
        assert conv_output_size(n, k, 1, "same", d) == out.shape[-1] == n, (n, k, d)


def test_same_padding_with_stride_is_tensorflow_ceil_and_matches_explicit_padding():
    # PyTorch has no 'same' for stride > 1: check the TF definition and a conv on a padded input.
    rng = np.random.default_rng(2)
    for _ in range(30):
        n, k, s, d = (int(v) for v in (rng.integers(1, 20), rng.integers(1, 7), rng.integers(2, 5),
                                       rng.integers(1, 3)))
        got = conv_output_size(n, k, s, "same", d)
        assert got == math.ceil(n / s)
        assert torch_tf_same_shape((1, n), (1, k), (1, s), (1, d))[1] == got, (n, k, s, d)


def test_exam_dilated_3x3_kernel_on_7x7_gives_3x3():
    out = F.conv2d(torch.zeros(1, 1, 7, 7), torch.zeros(1, 1, 3, 3), dilation=2)
    assert tuple(out.shape[2:]) == (3, 3)
    assert conv2d_output_shape((7, 7), 3, stride=1, padding=0, dilation=2) == (3, 3)
    assert conv_output_size(7, 3, dilation=2) == 3


# ---------------------------------------------------------------------------------------------
# conv2d_output_shape
# ---------------------------------------------------------------------------------------------

def test_conv2d_output_shape_matches_nn_conv2d_with_rectangular_settings():
    rng = np.random.default_rng(3)
    checked = 0
    for _ in range(40):
        hw = tuple(int(v) for v in rng.integers(3, 16, size=2))
        kernel = tuple(int(v) for v in rng.integers(1, 6, size=2))
        stride = tuple(int(v) for v in rng.integers(1, 4, size=2))
        dilation = tuple(int(v) for v in rng.integers(1, 3, size=2))
        padding = tuple(int(v) for v in rng.integers(0, 3, size=2))
        conv = nn.Conv2d(1, 1, kernel, stride, padding, dilation, bias=False)
        try:
            expected = tuple(conv(torch.zeros(1, 1, *hw)).shape[2:])
        except RuntimeError:  # kernel wider than the padded input
            with pytest.raises(ValueError, match="kernel_size"):
                conv2d_output_shape(hw, kernel, stride, padding, dilation)
            continue
        assert conv2d_output_shape(hw, kernel, stride, padding, dilation) == expected
        checked += 1
    assert checked >= 25


@pytest.mark.parametrize("hw, kernel, stride, dilation", [
    ((9, 12), (3, 4), (2, 3), (1, 1)),
    ((5, 5), (5, 5), (2, 2), (1, 1)),
    ((8, 7), (3, 3), (3, 2), (2, 1)),
    ((4, 4), (7, 7), (2, 2), (1, 1)),   # kernel larger than the input: 'same' still pads enough
])
def test_conv2d_output_shape_same_with_stride_matches_explicit_padding(hw, kernel, stride, dilation):
    expected = torch_tf_same_shape(hw, kernel, stride, dilation)
    assert expected == tuple(math.ceil(n / s) for n, s in zip(hw, stride))
    assert conv2d_output_shape(hw, kernel, stride, "same", dilation) == expected


def test_exam_128x128_conv_same_pool_conv_valid_pool():
    model = nn.Sequential(nn.Conv2d(3, 16, 5, padding="same"), nn.MaxPool2d(2, 2),
                          nn.Conv2d(16, 32, 3, padding="valid"), nn.MaxPool2d(2, 2))
    x = torch.zeros(1, 3, 128, 128)
    expected = []
    for layer in model:
        x = layer(x)
        expected.append(tuple(x.shape[2:]))

    conv1 = conv2d_output_shape((128, 128), 5, 1, "same")
    pool1 = pool2d_output_shape(conv1, 2, 2)
    conv2 = conv2d_output_shape(pool1, 3, 1, "valid")
    pool2 = pool2d_output_shape(conv2, 2, 2)
    assert [conv1, pool1, conv2, pool2] == expected
    assert pool2 == (31, 31)  # the published answer: 31 * 31 * 32 = 30,752 features


# ---------------------------------------------------------------------------------------------
# pool2d_output_shape
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("ceil_mode", [False, True])
def test_pool2d_output_shape_matches_max_pool2d(ceil_mode):
    rng = np.random.default_rng(4 + ceil_mode)
    checked = 0
    for _ in range(40):
        hw = tuple(int(v) for v in rng.integers(1, 14, size=2))
        kernel = tuple(int(v) for v in rng.integers(1, 5, size=2))
        stride = None if rng.random() < 0.3 else tuple(int(v) for v in rng.integers(1, 4, size=2))
        # PyTorch only allows padding up to half the kernel
        padding = tuple(int(rng.integers(0, k // 2 + 1)) for k in kernel)
        try:
            expected = tuple(F.max_pool2d(torch.zeros(1, 1, *hw), kernel, stride, padding,
                                          ceil_mode=ceil_mode).shape[2:])
        except RuntimeError:
            with pytest.raises(ValueError, match="kernel_size"):
                pool2d_output_shape(hw, kernel, stride, padding, ceil_mode)
            continue
        assert pool2d_output_shape(hw, kernel, stride, padding, ceil_mode) == expected, (
            hw, kernel, stride, padding)
        checked += 1
    assert checked >= 25


@pytest.mark.parametrize("n, k, s, p", [
    (5, 2, 2, 0),   # ceil keeps a partial last window: 3 instead of 2
    (6, 3, 2, 1),
    (7, 3, 3, 1),
    (4, 2, 3, 1),   # a last window that would start in the right padding is dropped
    (5, 3, 2, 1),
])
def test_pool2d_ceil_mode_edge_cases_match_torch(n, k, s, p):
    for ceil_mode in (False, True):
        out = F.max_pool2d(torch.zeros(1, 1, n, n), k, s, p, ceil_mode=ceil_mode)
        assert pool2d_output_shape((n, n), k, s, p, ceil_mode) == tuple(out.shape[2:])


@pytest.mark.parametrize("n, k, s", [(1, 2, 2), (2, 3, 2), (5, 6, 3)])
def test_pool2d_ceil_mode_allows_one_partial_window_wider_than_the_input(n, k, s):
    out = F.max_pool2d(torch.zeros(1, 1, n, n), k, s, ceil_mode=True)
    assert pool2d_output_shape((n, n), k, s, ceil_mode=True) == tuple(out.shape[2:]) == (1, 1)
    with pytest.raises(RuntimeError):
        F.max_pool2d(torch.zeros(1, 1, n, n), k, s, ceil_mode=False)
    with pytest.raises(ValueError, match="kernel_size"):
        pool2d_output_shape((n, n), k, s, ceil_mode=False)


def test_pool2d_ceil_mode_differs_from_floor_somewhere():
    # guards against a ceil_mode flag that is silently ignored
    floor = F.max_pool2d(torch.zeros(1, 1, 5, 5), 2, ceil_mode=False).shape[-1]
    ceil = F.max_pool2d(torch.zeros(1, 1, 5, 5), 2, ceil_mode=True).shape[-1]
    assert (floor, ceil) == (2, 3)
    assert pool2d_output_shape(5, 2)[1] == floor and pool2d_output_shape(5, 2, ceil_mode=True)[1] == ceil


def test_pool2d_stride_defaults_to_kernel_size():
    out = nn.MaxPool2d(kernel_size=3)(torch.zeros(1, 1, 10, 8))
    assert pool2d_output_shape((10, 8), 3) == tuple(out.shape[2:]) == (3, 2)


# ---------------------------------------------------------------------------------------------
# conv_transpose_output_size
# ---------------------------------------------------------------------------------------------

def test_conv_transpose_output_size_matches_torch_on_random_configurations():
    rng = np.random.default_rng(6)
    checked = 0
    for _ in range(50):
        n, k, s, p, d = (int(v) for v in (rng.integers(1, 10), rng.integers(1, 6), rng.integers(1, 4),
                                          rng.integers(0, 3), rng.integers(1, 3)))
        op = int(rng.integers(0, max(s, d) + 1))  # sometimes one too large, on purpose
        try:
            out = F.conv_transpose2d(torch.zeros(1, 1, 1, n), torch.zeros(1, 1, 1, k),
                                     stride=(1, s), padding=(0, p), output_padding=(0, op),
                                     dilation=(1, d))
            expected = out.shape[-1] if out.shape[-1] > 0 else None
        except RuntimeError:
            expected = None
        if expected is None:
            with pytest.raises(ValueError, match="padding"):
                conv_transpose_output_size(n, k, s, p, op, d)
        else:
            assert conv_transpose_output_size(n, k, s, p, op, d) == expected, (n, k, s, p, op, d)
            checked += 1
    assert checked >= 25


def test_conv_transpose_output_size_restores_the_conv_input_size():
    # the torch transposed conv, given output_size, recovers every input size the conv maps to n_out
    conv = nn.Conv2d(1, 1, 3, stride=2, padding=1, bias=False)
    deconv = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, bias=False)
    for n in (7, 8):
        y = conv(torch.zeros(1, 1, n, n))
        op = n - tuple(deconv(y).shape[2:])[0]
        assert tuple(deconv(y, output_size=[n, n]).shape[2:]) == (n, n)
        assert conv_transpose_output_size(y.shape[-1], 3, 2, 1, op) == n


# ---------------------------------------------------------------------------------------------
# effective_kernel_size and receptive_field
# ---------------------------------------------------------------------------------------------

def input_span_of_one_output(layers, length):
    """Span (first to last) of the input positions whose gradient reaches the centre output.

    The span, not the count of nonzero gradients: a dilated kernel leaves holes inside its field.
    """
    x = torch.zeros(1, 1, length, requires_grad=True)
    y = x
    for layer in layers:
        y = layer(y)
    y[0, 0, y.shape[-1] // 2].backward()
    touched = torch.nonzero(x.grad[0, 0]).flatten()
    return int(touched.max() - touched.min()) + 1


def ones_conv1d(kernel, stride=1, dilation=1):
    conv = nn.Conv1d(1, 1, kernel, stride=stride, dilation=dilation, bias=False)
    nn.init.ones_(conv.weight)  # positive weights: no gradient can cancel to zero
    return conv


@pytest.mark.parametrize("k, d", [(1, 1), (3, 1), (3, 2), (3, 4), (5, 3), (2, 7)])
def test_effective_kernel_size_is_the_span_a_dilated_kernel_reads(k, d):
    assert effective_kernel_size(k, d) == input_span_of_one_output([ones_conv1d(k, dilation=d)], 40)


def test_receptive_field_matches_autograd_on_random_conv1d_stacks():
    rng = np.random.default_rng(7)
    for _ in range(25):
        depth = int(rng.integers(1, 5))
        kernels = [int(v) for v in rng.integers(1, 6, size=depth)]
        strides = [int(v) for v in rng.integers(1, 4, size=depth)]
        dilations = [int(v) for v in rng.integers(1, 4, size=depth)]
        layers = [ones_conv1d(k, s, d) for k, s, d in zip(kernels, strides, dilations)]
        # long enough that the centre output's field lies inside the input (field <= 481 here)
        expected = input_span_of_one_output(layers, 1200)
        assert receptive_field(kernels, strides, dilations) == expected, (kernels, strides, dilations)


def test_receptive_field_defaults_are_stride_and_dilation_one():
    layers = [ones_conv1d(3), ones_conv1d(3), ones_conv1d(5)]
    assert receptive_field([3, 3, 5]) == input_span_of_one_output(layers, 30)


def test_receptive_field_of_a_2d_stack_along_each_axis():
    convs = [nn.Conv2d(1, 1, (3, 5), stride=(2, 1), dilation=(1, 2), bias=False),
             nn.Conv2d(1, 1, (3, 3), stride=(1, 2), dilation=(2, 1), bias=False),
             nn.Conv2d(1, 1, (2, 3), bias=False)]
    for conv in convs:
        nn.init.ones_(conv.weight)
    x = torch.zeros(1, 1, 40, 40, requires_grad=True)
    y = nn.Sequential(*convs)(x)
    y[0, 0, y.shape[2] // 2, y.shape[3] // 2].backward()
    rows, cols = torch.nonzero(x.grad[0, 0], as_tuple=True)
    assert receptive_field([3, 3, 2], [2, 1, 1], [1, 2, 1]) == int(rows.max() - rows.min()) + 1
    assert receptive_field([5, 3, 3], [1, 2, 1], [2, 1, 1]) == int(cols.max() - cols.min()) + 1


def test_exam_dilated_3x3_receptive_fields_grow_3_5_9():
    fields = [input_span_of_one_output([ones_conv1d(3, dilation=d)], 32) for d in (1, 2, 4)]
    assert fields == [3, 5, 9]
    assert [receptive_field([3], dilations=[d]) for d in (1, 2, 4)] == fields
