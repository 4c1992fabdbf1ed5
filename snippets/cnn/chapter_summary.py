import math
import random

import torch
import torch.nn.functional as F
from torch import nn

from dlref.cnn import (batchnorm_parameter_count, conv2d_multiplications, conv2d_parameter_count,
                       conv_output_size, conv_transpose_output_size, depthwise_separable_parameter_count,
                       dense_parameter_count, effective_kernel_size, receptive_field)

# The coefficients of the formulas table, each checked against dlref and PyTorch on random sizes.
kernel_gaps_offset = 1    # k taps have k - 1 gaps between them, each stretched to d by the dilation
span_offset = 1           # ... plus the last tap itself: k_eff = d(k - 1) + 1
padding_sides = 2         # n + 2p: p on each side
first_window = 1          # the + 1 after the floor: the window at position 0
valid_padding = 0         # 'valid' pads nothing
input_gaps_offset = 1     # transposed: n inputs have n - 1 gaps, each stretched to s
batchnorm_learned_per_channel = 2   # a scale gamma and a shift beta per channel
field_start = 1           # one output pixel sees one input pixel before any kernel widens it


# The formulas of the table, written with these coefficients.
def kernel_span(k, d):
    return d * (k - kernel_gaps_offset) + span_offset


def conv_out(n, k, s, p, d):
    return (n + padding_sides * p - d * (k - kernel_gaps_offset) - span_offset) // s + first_window


def conv_transpose_out(n, k, s, p, d, output_padding):
    return ((n - input_gaps_offset) * s - padding_sides * p + d * (k - kernel_gaps_offset) + output_padding
            + span_offset)


def field(kernels, strides, dilations):
    return field_start + sum(d_l * (k_l - kernel_gaps_offset) * math.prod(strides[:l])
                             for l, (k_l, d_l) in enumerate(zip(kernels, dilations)))


def check_shapes(n, m, k, s, p, d, output_padding):
    """One n x m input: each formula against dlref and against the shape PyTorch returns."""
    x = torch.zeros(1, 2, n, m)
    # the dilated span: a stride-1 convolution of n inputs gives n - k_eff + 1 outputs
    assert effective_kernel_size(k, d) == kernel_span(k, d)
    assert nn.Conv1d(1, 1, k, dilation=d)(torch.zeros(1, 1, n)).shape[-1] == n - kernel_span(k, d) + 1
    # conv / pool output along each axis; 'valid' is p = 0, 'same' gives ceil(n / s)
    assert conv_output_size(n, k, s, p, d) == conv_out(n, k, s, p, d)
    assert nn.Conv2d(2, 3, k, s, p, d)(x).shape[-2:] == (conv_out(n, k, s, p, d), conv_out(m, k, s, p, d))
    if p <= k // 2:   # PyTorch pools with at most half a kernel of padding
        assert nn.MaxPool2d(k, s, p, d)(x).shape[-2:] == (conv_out(n, k, s, p, d), conv_out(m, k, s, p, d))
    assert conv_output_size(n, k, s, "valid", d) == conv_out(n, k, s, valid_padding, d)
    assert nn.Conv2d(2, 3, k, s, "valid", d)(x).shape[-2:] == (conv_out(n, k, s, valid_padding, d),
                                                               conv_out(m, k, s, valid_padding, d))
    total = max((math.ceil(n / s) - 1) * s + kernel_span(k, d) - n, 0)   # 'same' pads as much as needed
    padded = F.pad(torch.zeros(1, 1, n), (total // 2, total - total // 2))
    assert conv_output_size(n, k, s, "same", d) == math.ceil(n / s)
    assert F.conv1d(padded, torch.zeros(1, 1, k), stride=s, dilation=d).shape[-1] == math.ceil(n / s)
    # transposed conv output
    p = min(p, ((n - 1) * s + kernel_span(k, d) - 1) // 2)   # keep the output non-empty
    up = nn.ConvTranspose2d(2, 3, k, s, p, output_padding, dilation=d)
    assert conv_transpose_output_size(n, k, s, p, output_padding, d) == \
        conv_transpose_out(n, k, s, p, d, output_padding)
    assert up(x).shape[-2:] == (conv_transpose_out(n, k, s, p, d, output_padding),
                                conv_transpose_out(m, k, s, p, d, output_padding))


def check_counts(C_in, C_out, k_h, k_w, g, n_in, n_out, H, W):
    """Parameters and multiplications: each count against dlref and against PyTorch's numel()."""
    # conv parameters: C_out (C_in / g) k_h k_w weights + C_out biases
    conv = nn.Conv2d(C_in, C_out, (k_h, k_w), groups=g)
    count = conv2d_parameter_count(C_in, C_out, (k_h, k_w), g)
    assert conv.weight.numel() == count.weights == C_out * (C_in // g) * k_h * k_w
    assert conv.bias.numel() == count.biases == C_out
    # depthwise separable: C_in k_h k_w + C_in C_out weights, C_in + C_out biases
    separable = nn.Sequential(nn.Conv2d(C_in, C_in, (k_h, k_w), groups=C_in), nn.Conv2d(C_in, C_out, 1))
    count = depthwise_separable_parameter_count(C_in, C_out, (k_h, k_w))
    assert (count.weights, count.biases) == (C_in * k_h * k_w + C_in * C_out, C_in + C_out)
    assert sum(q.numel() for q in separable.parameters()) == count.total
    # dense layer: n_in n_out weights + n_out biases
    dense = nn.Linear(n_in, n_out)
    assert dense_parameter_count(n_in, n_out) == (dense.weight.numel(), dense.bias.numel()) == (n_in * n_out, n_out)
    # BatchNorm: 2C learned parameters (C = C_out here); the running mean and variance are buffers
    norm = nn.BatchNorm2d(C_out)
    assert sum(q.numel() for q in norm.parameters()) == batchnorm_parameter_count(C_out).total \
        == batchnorm_learned_per_channel * C_out
    assert {"running_mean", "running_var"} <= {name for name, _ in norm.named_buffers()}
    # conv multiplications: H_out W_out C_out (C_in / g) k_h k_w. Counted by PyTorch itself: with an input
    # and a kernel of ones (no bias) each output is the number of products summed into it.
    ones = F.conv2d(torch.ones(1, C_in, H, W, dtype=torch.float64),
                    torch.ones(C_out, C_in // g, k_h, k_w, dtype=torch.float64), groups=g)
    H_out, W_out = ones.shape[-2:]
    multiplications = conv2d_multiplications((H, W), C_in, C_out, (k_h, k_w), groups=g)
    assert multiplications == H_out * W_out * C_out * (C_in // g) * k_h * k_w == int(ones.sum())


def check_field(kernels, strides, dilations):
    """The receptive field against the span of inputs that autograd says one output depends on
    (all-ones kernels, so no gradient cancels; a dilated stack may skip inputs inside its span)."""
    assert receptive_field(kernels, strides, dilations) == field(kernels, strides, dilations)
    layers = [nn.Conv1d(1, 1, k, s, dilation=d, bias=False) for k, s, d in zip(kernels, strides, dilations)]
    for layer in layers:
        nn.init.ones_(layer.weight)
    x = torch.zeros(1, 1, field(kernels, strides, dilations) + 40, requires_grad=True)
    nn.Sequential(*layers)(x)[0, 0, 0].backward()
    seen = torch.nonzero(x.grad[0, 0]).flatten()
    assert int(seen.max() - seen.min()) + 1 == field(kernels, strides, dilations)


rng = random.Random(0)
for _ in range(20):
    kernel, stride, dilation = rng.randint(1, 5), rng.randint(1, 3), rng.randint(1, 3)
    smallest = kernel_span(kernel, dilation)
    check_shapes(rng.randint(smallest, 20), rng.randint(smallest, 20), kernel, stride, rng.randint(0, 2), dilation,
                 output_padding=rng.randint(0, max(stride, dilation) - 1))
for _ in range(10):
    groups, height, width = rng.choice([1, 2, 4]), rng.randint(1, 5), rng.randint(1, 5)
    check_counts(groups * rng.randint(1, 4), groups * rng.randint(1, 4), height, width, groups,
                 rng.randint(1, 50), rng.randint(1, 50), rng.randint(height, 16), rng.randint(width, 16))
for _ in range(10):
    depth = rng.randint(1, 4)
    check_field([rng.randint(1, 5) for _ in range(depth)], [rng.randint(1, 3) for _ in range(depth)],
                [rng.randint(1, 2) for _ in range(depth)])
