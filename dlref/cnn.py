"""Convolutional networks: output shapes, parameter and multiplication counts, reference operations.

Conventions (the same as PyTorch, so that every function can be checked against it):

* a convolution is a *cross-correlation*: ``y[o, i, j] = sum_{c,a,b} w[o, c, a, b] x[c, s*i + d*a, s*j + d*b]``
  over the zero-padded input; ``s`` is the stride and ``d`` the dilation;
* arrays are channels-first: an image is ``(C, H, W)``, conv weights are ``(C_out, C_in/groups, k_h, k_w)``,
  transposed-conv weights are ``(C_in, C_out, k_h, k_w)``;
* ``padding`` is the number of zeros added on *each* side, or ``"valid"`` (none) or ``"same"``
  (TensorFlow/Keras semantics: output size ``ceil(n / s)``; for stride 1 this is PyTorch's ``"same"``).
"""

from __future__ import annotations

import math
from typing import NamedTuple, Sequence

import numpy as np

from dlref import _checks


# ---------------------------------------------------------------------------------------------
# Output shapes
# ---------------------------------------------------------------------------------------------

def effective_kernel_size(kernel_size: int, dilation: int = 1) -> int:
    """Span of a dilated kernel: ``k_eff = d (k - 1) + 1``."""
    kernel_size = _checks.positive("kernel_size", kernel_size)
    dilation = _checks.positive("dilation", dilation)
    return dilation * (kernel_size - 1) + 1


def conv_output_size(input_size: int, kernel_size: int, stride: int = 1, padding=0,
                     dilation: int = 1) -> int:
    """Output length of a convolution along one axis.

    ``n_out = floor((n + 2p - d(k - 1) - 1) / s) + 1``; ``padding="valid"`` means ``p = 0`` and
    ``padding="same"`` gives ``n_out = ceil(n / s)`` (the input is padded as much as needed).
    """
    input_size = _checks.positive("input_size", input_size)
    stride = _checks.positive("stride", stride)
    span = effective_kernel_size(kernel_size, dilation)
    if padding == "same":
        return math.ceil(input_size / stride)
    if padding == "valid":
        padding = 0
    elif isinstance(padding, str):
        raise ValueError(f"padding must be an int, 'same' or 'valid', got {padding!r}")
    padding = _checks.non_negative("padding", padding)
    padded = input_size + 2 * padding
    if span > padded:
        raise ValueError(
            f"kernel_size {kernel_size} (dilated span {span}) is larger than the padded input "
            f"{input_size} + 2*{padding} = {padded}")
    return (padded - span) // stride + 1


def conv2d_output_shape(input_hw, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    """``(H_out, W_out)`` of a 2-D convolution; each argument is an int or an ``(h, w)`` pair.

    Each axis follows :func:`conv_output_size`.
    """
    height, width = _checks.pair("input_hw", input_hw)
    kernel = _checks.pair("kernel_size", kernel_size)
    strides = _checks.pair("stride", stride)
    dilations = _checks.pair("dilation", dilation)
    paddings = (padding, padding) if isinstance(padding, str) else _checks.pair(
        "padding", padding, _checks.non_negative)
    return (conv_output_size(height, kernel[0], strides[0], paddings[0], dilations[0]),
            conv_output_size(width, kernel[1], strides[1], paddings[1], dilations[1]))


def pool2d_output_shape(input_hw, kernel_size, stride=None, padding=0,
                        ceil_mode: bool = False) -> tuple[int, int]:
    """``(H_out, W_out)`` of a max/avg pooling layer; ``stride`` defaults to ``kernel_size``.

    ``n_out = floor((n + 2p - k) / s) + 1`` (``ceil`` instead of ``floor`` with ``ceil_mode``, where,
    as in PyTorch, a last window that would start inside the right padding is dropped).
    """
    ceil_mode = _checks.boolean("ceil_mode", ceil_mode)
    if stride is None:
        stride = kernel_size
    if not isinstance(padding, str):
        # PyTorch's rule: a window must never lie entirely in the padding
        for p, k in zip(_checks.pair("padding", padding, _checks.non_negative),
                        _checks.pair("kernel_size", kernel_size)):
            if p > k // 2:
                raise ValueError(f"padding {p} must be at most half of kernel_size {k} for pooling")
    if not ceil_mode:
        return conv2d_output_shape(input_hw, kernel_size, stride, padding)
    sizes = _checks.pair("input_hw", input_hw)
    kernels = _checks.pair("kernel_size", kernel_size)
    strides = _checks.pair("stride", stride)
    paddings = _checks.pair("padding", padding, _checks.non_negative)
    shape = []
    for n, k, s, p in zip(sizes, kernels, strides, paddings):
        out = math.ceil((n + 2 * p - k) / s) + 1
        if (out - 1) * s >= n + p:
            out -= 1
        if out < 1:  # as in PyTorch, a single partial window is allowed, none at all is not
            raise ValueError(f"kernel_size {k} is larger than the padded input {n} + 2*{p} = "
                             f"{n + 2 * p} (no window starts inside it, even with ceil_mode)")
        shape.append(out)
    return tuple(shape)


def conv_transpose_output_size(input_size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                               output_padding: int = 0, dilation: int = 1) -> int:
    """Output length of a transposed convolution along one axis.

    ``n_out = (n - 1) s - 2p + d(k - 1) + output_padding + 1`` (the inverse of the conv formula).
    """
    input_size = _checks.positive("input_size", input_size)
    stride = _checks.positive("stride", stride)
    padding = _checks.non_negative("padding", padding)
    output_padding = _checks.non_negative("output_padding", output_padding)
    span = effective_kernel_size(kernel_size, dilation)
    if output_padding >= max(stride, dilation):
        raise ValueError(f"output_padding must be smaller than stride or dilation, got "
                         f"output_padding={output_padding}, stride={stride}, dilation={dilation}")
    size = (input_size - 1) * stride - 2 * padding + span + output_padding
    if size < 1:
        raise ValueError(f"padding {padding} crops the whole output (size would be {size})")
    return size


# ---------------------------------------------------------------------------------------------
# Parameter counts
# ---------------------------------------------------------------------------------------------

class ParameterCount(NamedTuple):
    """Weights and biases of a layer, kept apart because exam questions ask for both."""

    weights: int
    biases: int

    @property
    def total(self) -> int:
        return self.weights + self.biases

    def __add__(self, other):  # so that counts of sub-layers add up to the count of the whole
        return ParameterCount(self.weights + other.weights, self.biases + other.biases)


def _groups_divide(in_channels: int, out_channels: int, groups: int) -> int:
    groups = _checks.positive("groups", groups)
    for name, channels in (("in_channels", in_channels), ("out_channels", out_channels)):
        if channels % groups:
            raise ValueError(f"{name}={channels} must be divisible by groups={groups}")
    return groups


def conv2d_parameter_count(in_channels: int, out_channels: int, kernel_size, groups: int = 1,
                           bias: bool = True) -> ParameterCount:
    """Parameters of ``nn.Conv2d``: ``C_out * (C_in / g) * k_h * k_w`` weights and ``C_out`` biases."""
    in_channels = _checks.positive("in_channels", in_channels)
    out_channels = _checks.positive("out_channels", out_channels)
    kernel_h, kernel_w = _checks.pair("kernel_size", kernel_size)
    groups = _groups_divide(in_channels, out_channels, groups)
    bias = _checks.boolean("bias", bias)
    weights = out_channels * (in_channels // groups) * kernel_h * kernel_w
    return ParameterCount(weights, out_channels if bias else 0)


def conv_transpose2d_parameter_count(in_channels: int, out_channels: int, kernel_size,
                                     groups: int = 1, bias: bool = True) -> ParameterCount:
    """Parameters of ``nn.ConvTranspose2d``: ``C_in * (C_out / g) * k_h * k_w`` weights, ``C_out`` biases.

    The same weight count as the convolution it transposes; only the bias follows the output.
    """
    in_channels = _checks.positive("in_channels", in_channels)
    out_channels = _checks.positive("out_channels", out_channels)
    kernel_h, kernel_w = _checks.pair("kernel_size", kernel_size)
    groups = _groups_divide(in_channels, out_channels, groups)
    bias = _checks.boolean("bias", bias)
    weights = in_channels * (out_channels // groups) * kernel_h * kernel_w
    return ParameterCount(weights, out_channels if bias else 0)


def depthwise_separable_parameter_count(in_channels: int, out_channels: int, kernel_size,
                                        depth_multiplier: int = 1,
                                        bias: bool = True) -> ParameterCount:
    """Depthwise ``k x k`` conv (``groups = C_in``) followed by a pointwise ``1 x 1`` conv.

    weights ``= C_in m k_h k_w + C_in m C_out``; biases ``= C_in m + C_out`` (``m`` = depth multiplier).
    """
    in_channels = _checks.positive("in_channels", in_channels)
    depth_multiplier = _checks.positive("depth_multiplier", depth_multiplier)
    middle = in_channels * depth_multiplier
    depthwise = conv2d_parameter_count(in_channels, middle, kernel_size, groups=in_channels, bias=bias)
    pointwise = conv2d_parameter_count(middle, out_channels, 1, bias=bias)
    return depthwise + pointwise


def dense_parameter_count(in_features: int, out_features: int, bias: bool = True) -> ParameterCount:
    """Parameters of ``nn.Linear``: ``in * out`` weights and ``out`` biases."""
    in_features = _checks.positive("in_features", in_features)
    out_features = _checks.positive("out_features", out_features)
    bias = _checks.boolean("bias", bias)
    return ParameterCount(in_features * out_features, out_features if bias else 0)


def batchnorm_parameter_count(num_features: int) -> ParameterCount:
    """Learned parameters of ``nn.BatchNorm2d``: a scale gamma and a shift beta per channel.

    Counted here as ``C`` "weights" (gamma) and ``C`` "biases" (beta). The running mean and variance
    are *buffers*, updated by averaging rather than by gradient descent, so they are not parameters.
    """
    num_features = _checks.positive("num_features", num_features)
    return ParameterCount(num_features, num_features)


# ---------------------------------------------------------------------------------------------
# Multiplication counts
# ---------------------------------------------------------------------------------------------

def conv2d_multiplications(input_hw, in_channels: int, out_channels: int, kernel_size, stride=1,
                           padding=0, dilation=1, groups: int = 1) -> int:
    """Multiplications of one forward pass: ``H_out W_out C_out (C_in / g) k_h k_w``.

    Every output value is a dot product of ``(C_in / g) k_h k_w`` weights with as many inputs.
    """
    in_channels = _checks.positive("in_channels", in_channels)
    out_channels = _checks.positive("out_channels", out_channels)
    groups = _groups_divide(in_channels, out_channels, groups)
    kernel_h, kernel_w = _checks.pair("kernel_size", kernel_size)
    out_h, out_w = conv2d_output_shape(input_hw, kernel_size, stride, padding, dilation)
    return out_h * out_w * out_channels * (in_channels // groups) * kernel_h * kernel_w


class SeparableMultiplications(NamedTuple):
    """Multiplications of the two steps of a depthwise separable convolution."""

    depthwise: int
    pointwise: int

    @property
    def total(self) -> int:
        return self.depthwise + self.pointwise


def depthwise_separable_multiplications(input_hw, in_channels: int, out_channels: int, kernel_size,
                                        stride=1, padding=0,
                                        dilation=1) -> SeparableMultiplications:
    """Depthwise: ``H' W' C_in k_h k_w``; pointwise: ``H' W' C_in C_out`` (stride and padding act in the
    depthwise step only; the ``1 x 1`` pointwise step keeps ``H' x W'``)."""
    depthwise = conv2d_multiplications(input_hw, in_channels, in_channels, kernel_size, stride,
                                       padding, dilation, groups=in_channels)
    middle_hw = conv2d_output_shape(input_hw, kernel_size, stride, padding, dilation)
    pointwise = conv2d_multiplications(middle_hw, in_channels, out_channels, 1)
    return SeparableMultiplications(depthwise, pointwise)


# ---------------------------------------------------------------------------------------------
# Receptive field
# ---------------------------------------------------------------------------------------------

def receptive_field(kernel_sizes: Sequence[int], strides: Sequence[int] | None = None,
                    dilations: Sequence[int] | None = None) -> int:
    """Receptive field (along one axis) of a stack of conv/pool layers, input to last output.

    ``r = 1 + sum_l d_l (k_l - 1) prod_{i<l} s_i``: layer ``l`` widens the field by its dilated
    kernel span minus one, measured in input pixels, i.e. scaled by the strides below it.
    """
    if isinstance(kernel_sizes, (int, str)) or len(kernel_sizes) == 0:
        raise ValueError(f"kernel_sizes must be a non-empty sequence of ints, got {kernel_sizes!r}")
    count = len(kernel_sizes)
    strides = [1] * count if strides is None else list(strides)
    dilations = [1] * count if dilations is None else list(dilations)
    for name, values in (("strides", strides), ("dilations", dilations)):
        if len(values) != count:
            raise ValueError(f"{name} must have one entry per layer ({count}), got {len(values)}")
    field, jump = 1, 1
    for layer, (kernel, stride, dilation) in enumerate(zip(kernel_sizes, strides, dilations)):
        field += (effective_kernel_size(kernel, dilation) - 1) * jump
        jump *= _checks.positive(f"strides[{layer}]", stride)
    return field


# ---------------------------------------------------------------------------------------------
# Reference operations in NumPy
# ---------------------------------------------------------------------------------------------

def _tap(a: int, b: int, dilation: tuple[int, int], stride: tuple[int, int],
         count: tuple[int, int]) -> tuple[slice, slice, slice]:
    """Index of the inputs that kernel tap ``(a, b)`` meets, one per output position:
    rows ``d_h a, d_h a + s_h, ...`` (``count[0]`` of them) and likewise for columns."""
    return (slice(None),
            slice(a * dilation[0], a * dilation[0] + stride[0] * (count[0] - 1) + 1, stride[0]),
            slice(b * dilation[1], b * dilation[1] + stride[1] * (count[1] - 1) + 1, stride[1]))


def _padding_pair(padding) -> tuple[int, int]:
    if isinstance(padding, str):
        raise ValueError(f"padding must be an int or a pair here ('same' only in conv2d with stride 1), "
                         f"got {padding!r}")
    return _checks.pair("padding", padding, _checks.non_negative)


def _as_channels(x, weight, weight_ndim_names):
    """Accept a single-channel ``(H, W)`` image and ``(k_h, k_w)`` kernel as a convenience."""
    x = _checks.array("x", x, (2, 3))
    weight = _checks.array("weight", weight, (2, 4))
    squeeze = x.ndim == 2
    if squeeze != (weight.ndim == 2):
        raise ValueError(f"x and weight must both be 2-D (one channel) or 3-D/4-D "
                         f"({weight_ndim_names}), got x {x.shape} and weight {weight.shape}")
    if squeeze:
        x, weight = x[None], weight[None, None]
    return x, weight, squeeze


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups: int = 1) -> np.ndarray:
    """2-D cross-correlation, as ``F.conv2d`` computes it.

    ``y[o, i, j] = b[o] + sum_{c, a, b} w[o, c, a, b] * x_pad[g(o) C_in/g + c, s_h i + d_h a, s_w j + d_w b]``.
    Shapes: ``x (C_in, H, W)``, ``weight (C_out, C_in/groups, k_h, k_w)``, result ``(C_out, H', W')``;
    or ``x (H, W)`` with ``weight (k_h, k_w)`` and a 2-D result.
    """
    x, weight, squeeze = _as_channels(x, weight, "x (C, H, W), weight (C_out, C_in/g, k_h, k_w)")
    in_channels, out_channels = x.shape[0], weight.shape[0]
    groups = _groups_divide(in_channels, out_channels, groups)
    if weight.shape[1] * groups != in_channels:
        raise ValueError(f"weight has {weight.shape[1]} input channels per group but x has "
                         f"{in_channels} channels in {groups} group(s)")
    kernel_h, kernel_w = weight.shape[2:]
    (stride_h, stride_w) = _checks.pair("stride", stride)
    (dil_h, dil_w) = _checks.pair("dilation", dilation)
    if padding == "same":
        pads = [(dil * (k - 1)) for k, dil in ((kernel_h, dil_h), (kernel_w, dil_w))]
        if (stride_h, stride_w) != (1, 1):
            raise ValueError("padding='same' needs stride 1 here (as in PyTorch)")
        # odd totals put the extra zero at the end, as PyTorch does
        pad_spec = ((0, 0), (pads[0] // 2, pads[0] - pads[0] // 2), (pads[1] // 2, pads[1] - pads[1] // 2))
    else:
        pad_h, pad_w = (0, 0) if padding == "valid" else _padding_pair(padding)
        pad_spec = ((0, 0), (pad_h, pad_h), (pad_w, pad_w))
    padded = np.pad(x, pad_spec)
    out_h = conv_output_size(padded.shape[1], kernel_h, stride_h, 0, dil_h)
    out_w = conv_output_size(padded.shape[2], kernel_w, stride_w, 0, dil_w)
    out = np.zeros((out_channels, out_h, out_w))
    in_per_group, out_per_group = in_channels // groups, out_channels // groups
    for g in range(groups):
        inputs = padded[g * in_per_group:(g + 1) * in_per_group]
        weights = weight[g * out_per_group:(g + 1) * out_per_group]
        for a in range(kernel_h):
            for b in range(kernel_w):
                window = inputs[_tap(a, b, (dil_h, dil_w), (stride_h, stride_w), (out_h, out_w))]
                out[g * out_per_group:(g + 1) * out_per_group] += np.einsum(
                    "oc,chw->ohw", weights[:, :, a, b], window)
    if bias is not None:
        bias = _checks.array("bias", bias, 1)
        if bias.shape != (out_channels,):
            raise ValueError(f"bias must have shape ({out_channels},), got {bias.shape}")
        out += bias[:, None, None]
    return out[0] if squeeze else out


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0,
                     dilation=1) -> np.ndarray:
    """2-D transposed convolution, as ``F.conv_transpose2d`` computes it (``groups = 1``).

    Scatter form: every input value ``x[c, i, j]`` adds ``x[c, i, j] * w[c, :, :, :]`` to the output
    window whose top-left corner is ``(s_h i, s_w j)`` (kernel taps ``d`` apart); afterwards ``padding``
    rows/columns are cropped from each border. Shapes: ``x (C_in, H, W)``, ``weight (C_in, C_out, k_h, k_w)``.
    It is the adjoint (transpose) of :func:`conv2d` with the same weight, stride, padding and dilation.
    """
    x, weight, squeeze = _as_channels(x, weight, "x (C_in, H, W), weight (C_in, C_out, k_h, k_w)")
    if weight.shape[0] != x.shape[0]:
        raise ValueError(f"weight has {weight.shape[0]} input channels but x has {x.shape[0]}")
    kernel_h, kernel_w = weight.shape[2:]
    (stride_h, stride_w) = _checks.pair("stride", stride)
    (pad_h, pad_w) = _padding_pair(padding)
    (outpad_h, outpad_w) = _checks.pair("output_padding", output_padding, _checks.non_negative)
    (dil_h, dil_w) = _checks.pair("dilation", dilation)
    in_h, in_w = x.shape[1:]
    out_h = conv_transpose_output_size(in_h, kernel_h, stride_h, pad_h, outpad_h, dil_h)
    out_w = conv_transpose_output_size(in_w, kernel_w, stride_w, pad_w, outpad_w, dil_w)
    full = np.zeros((weight.shape[1], out_h + 2 * pad_h, out_w + 2 * pad_w))
    for a in range(kernel_h):
        for b in range(kernel_w):
            full[_tap(a, b, (dil_h, dil_w), (stride_h, stride_w), (in_h, in_w))] += np.einsum(
                "co,chw->ohw", weight[:, :, a, b], x)
    out = full[:, pad_h: pad_h + out_h, pad_w: pad_w + out_w]
    if bias is not None:
        bias = _checks.array("bias", bias, 1)
        if bias.shape != (out.shape[0],):
            raise ValueError(f"bias must have shape ({out.shape[0]},), got {bias.shape}")
        out = out + bias[:, None, None]
    return out[0] if squeeze else out


def conv2d_weight_gradient(x, grad_output, kernel_size, stride=1, padding=0,
                           dilation=1) -> np.ndarray:
    """Gradient of a loss with respect to the conv weights (``groups = 1``).

    ``dL/dw[o, c, a, b] = sum_{i, j} g[o, i, j] * x_pad[c, s_h i + d_h a, s_w j + d_w b]``: each kernel tap
    sees exactly the inputs it multiplied. Shapes: ``x (C_in, H, W)``, ``grad_output (C_out, H', W')``
    (``H' x W'`` must be the conv's output size), result ``(C_out, C_in, k_h, k_w)``; or 2-D ``x`` and
    ``grad_output`` with a 2-D result. With one output and ``g = 1``: ``dY/dw[a, b] = x[a, b]``.
    """
    x = _checks.array("x", x, (2, 3))
    grad_output = _checks.array("grad_output", grad_output, (2, 3))
    squeeze = x.ndim == 2
    if squeeze != (grad_output.ndim == 2):
        raise ValueError(f"x and grad_output must both be 2-D or both 3-D, got {x.shape} and {grad_output.shape}")
    if squeeze:
        x, grad_output = x[None], grad_output[None]
    kernel_h, kernel_w = _checks.pair("kernel_size", kernel_size)
    stride_h, stride_w = _checks.pair("stride", stride)
    pad_h, pad_w = _padding_pair(padding)
    dil_h, dil_w = _checks.pair("dilation", dilation)
    expected = conv2d_output_shape(x.shape[1:], (kernel_h, kernel_w), (stride_h, stride_w),
                                   (pad_h, pad_w), (dil_h, dil_w))
    if grad_output.shape[1:] != expected:
        raise ValueError(f"grad_output must have the conv's output size {expected}, got {grad_output.shape[1:]}")
    padded = np.pad(x, ((0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    grad = np.zeros((grad_output.shape[0], x.shape[0], kernel_h, kernel_w))
    for a in range(kernel_h):
        for b in range(kernel_w):
            window = padded[_tap(a, b, (dil_h, dil_w), (stride_h, stride_w), expected)]
            grad[:, :, a, b] = np.einsum("ohw,chw->oc", grad_output, window)
    return grad[0, 0] if squeeze else grad


def residual_input_gradient(grad_output, residual_jacobian) -> np.ndarray:
    """Backward pass through a residual connection ``y = F(x) + x``.

    ``dL/dx = (I + dF/dx)^T dL/dy = dL/dy + J_F^T dL/dy``: the identity path hands the upstream
    gradient back unchanged, whatever ``F`` does. ``grad_output (n,)``, ``residual_jacobian (n, n)``.
    """
    grad_output = _checks.array("grad_output", grad_output, 1)
    jacobian = _checks.array("residual_jacobian", residual_jacobian, 2)
    n = grad_output.shape[0]
    if jacobian.shape != (n, n):
        raise ValueError(f"residual_jacobian must have shape ({n}, {n}) to match grad_output, got {jacobian.shape}")
    return grad_output + jacobian.T @ grad_output


def max_pool2d(x, kernel_size, stride=None) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling of ``x (H, W)``; returns ``(pooled, switches)``.

    ``switches`` has ``x``'s shape with a 1 where each window's maximum was (the first one on ties,
    as PyTorch picks it) - the "switches" that DeconvNet's unpooling puts the signal back through.
    """
    x = _checks.array("x", x, 2)
    kernel_h, kernel_w = _checks.pair("kernel_size", kernel_size)
    stride_h, stride_w = _checks.pair("stride", kernel_size if stride is None else stride)
    out_h, out_w = pool2d_output_shape(x.shape, (kernel_h, kernel_w), (stride_h, stride_w))
    pooled = np.empty((out_h, out_w))
    switches = np.zeros_like(x)
    for i in range(out_h):
        for j in range(out_w):
            window = x[i * stride_h: i * stride_h + kernel_h, j * stride_w: j * stride_w + kernel_w]
            a, b = np.unravel_index(np.argmax(window), window.shape)
            pooled[i, j] = window[a, b]
            switches[i * stride_h + a, j * stride_w + b] = 1.0
    return pooled, switches


def deconvnet_saliency(image, kernel, pool_size: int = 2) -> np.ndarray:
    """DeconvNet (Zeiler & Fergus) reconstruction for ``P = sum(maxpool(relu(conv_valid(X, W))))``.

    Backward pass: unpool (a 1 at each pooled maximum) -> ReLU applied to the *signal*
    (``max(g, 0)``, not gated by the forward activation) -> full transposed conv with ``W``.
    Single channel: ``image (H, W)``, ``kernel (k_h, k_w)``; the result has the image's shape.
    """
    image = _checks.array("image", image, 2)
    kernel = _checks.array("kernel", kernel, 2)
    pool_size = _checks.positive("pool_size", pool_size)
    activation = np.maximum(conv2d(image, kernel), 0.0)
    if pool_size > min(activation.shape):
        raise ValueError(f"pool_size {pool_size} is larger than the conv output {activation.shape}")
    _, switches = max_pool2d(activation, pool_size)
    signal = np.maximum(switches, 0.0)  # DeconvNet's ReLU on the backward signal
    return conv_transpose2d(signal, kernel)


def causal_conv1d(x, weight, dilation: int = 1) -> np.ndarray:
    """Causal 1-D convolution: ``y[t] = sum_{i=0}^{k-1} w[i] x[t - d i]`` with ``x[t < 0] = 0``.

    ``w[0]`` multiplies the *current* input, so ``y[t]`` reads ``x[t - d(k-1)], ..., x[t]`` and never a
    future ``x[t + m]``. ``x`` has shape ``(T,)``, ``weight`` ``(k,)``; the result has shape ``(T,)``.
    """
    x = _checks.array("x", x, 1)
    weight = _checks.array("weight", weight, 1)
    dilation = _checks.positive("dilation", dilation)
    length = x.shape[0]
    y = np.zeros(length)
    for i, w in enumerate(weight):
        shift = dilation * i
        if shift < length:
            y[shift:] += w * x[:length - shift]
    return y


# ---------------------------------------------------------------------------------------------
# Whole stacks: VGG and residual blocks
# ---------------------------------------------------------------------------------------------

class Layer(NamedTuple):
    """One row of a layer table: name, weights, biases, and the output shape after the layer."""

    name: str
    weights: int
    biases: int
    output_shape: tuple = ()

    @property
    def parameters(self) -> int:
        return self.weights + self.biases


VGG11 = (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M")
"""VGG configuration "A" (Simonyan & Zisserman 2015): 8 conv layers (3x3, padding 1), "M" = 2x2 max pool."""
VGG13 = (64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M")
"""VGG configuration "B": 10 conv layers."""
VGG16 = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M")
"""VGG configuration "D": 13 conv layers."""
VGG19 = (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
         512, 512, 512, 512, "M")
"""VGG configuration "E": 16 conv layers (Prince, *Understanding Deep Learning*, figure 10.17)."""
VGG_CONFIGS = {"VGG-11": VGG11, "VGG-13": VGG13, "VGG-16": VGG16, "VGG-19": VGG19}
"""The four VGG configurations by name; each has 3 fully connected layers on top of its convs."""


def vgg_layer_table(config: Sequence | str = VGG16, image_size: int = 224, in_channels: int = 3,
                    hidden_features: Sequence[int] = (4096, 4096),
                    num_classes: int = 1000) -> list[Layer]:
    """Layer-by-layer table of a VGG network: 3x3 convs (padding 1, stride 1) and 2x2 max pools,
    then fully connected layers.

    ``config`` is a name of :data:`VGG_CONFIGS` (``"VGG-19"``) or a layer list: conv widths and
    ``"M"`` for a 2x2 max pool. A conv from ``C_in`` to ``C_out`` has ``9 C_in C_out`` weights and
    ``C_out`` biases; a dense layer ``n_in n_out`` weights and ``n_out`` biases. Weight layers are
    numbered 1, 2, ... in order (conv1 ... conv16, fc17 ... fc19 for VGG-19); output shapes are
    ``(H, W, C)`` for conv/pool and ``(features,)`` for dense layers.
    """
    if isinstance(config, str):
        if config not in VGG_CONFIGS:
            raise ValueError(f"config {config!r} is not a known VGG; use one of {sorted(VGG_CONFIGS)} "
                             "or a list of conv widths and 'M'")
        config = VGG_CONFIGS[config]
    size = _checks.positive("image_size", image_size)
    channels = _checks.positive("in_channels", in_channels)
    pools = sum(1 for item in config if item == "M")
    if size < 2 ** pools:
        raise ValueError(f"image_size must be at least 2**{pools} = {2 ** pools} to survive {pools} "
                         f"2x2 max pools, got {size}")
    table, number, pools = [], 0, 0
    for item in config:
        if item == "M":
            pools += 1
            size = pool2d_output_shape(size, 2)[0]
            table.append(Layer(f"pool{pools}", 0, 0, (size, size, channels)))
            continue
        width = _checks.positive("config entry", item)
        number += 1
        count = conv2d_parameter_count(channels, width, 3)
        size = conv_output_size(size, 3, 1, 1)
        table.append(Layer(f"conv{number}", count.weights, count.biases, (size, size, width)))
        channels = width
    features = size * size * channels
    for width in (*hidden_features, num_classes):
        number += 1
        count = dense_parameter_count(features, _checks.positive("features", width))
        table.append(Layer(f"fc{number}", count.weights, count.biases, (width,)))
        features = width
    return table


def preactivation_block_table(channels: int, kernel_size: int = 3,
                              conv_bias: bool = False) -> list[Layer]:
    """Residual block BN -> ReLU -> ``k x k`` conv, ``channels`` in and out (pre-activation ResNet).

    ReLU has no parameters; the conv has no bias by default because a following BatchNorm's shift
    makes it redundant (as in torchvision's ResNets).
    """
    channels = _checks.positive("channels", channels)
    conv_bias = _checks.boolean("conv_bias", conv_bias)
    bn = batchnorm_parameter_count(channels)
    conv = conv2d_parameter_count(channels, channels, kernel_size, bias=conv_bias)
    return [Layer("bn", *bn), Layer(f"conv{kernel_size}x{kernel_size}", *conv)]


def preactivation_bottleneck_table(channels: int, bottleneck_channels: int,
                                   conv_bias: bool = False) -> list[Layer]:
    """Bottleneck residual block: three BN -> ReLU -> conv stages,
    ``1x1: C -> B``, ``3x3: B -> B``, ``1x1: B -> C`` (each BN normalises the conv's *input*)."""
    channels = _checks.positive("channels", channels)
    bottleneck_channels = _checks.positive("bottleneck_channels", bottleneck_channels)
    conv_bias = _checks.boolean("conv_bias", conv_bias)
    stages = ((channels, bottleneck_channels, 1), (bottleneck_channels, bottleneck_channels, 3),
              (bottleneck_channels, channels, 1))
    table = []
    for index, (c_in, c_out, kernel) in enumerate(stages, start=1):
        table.append(Layer(f"bn{index}", *batchnorm_parameter_count(c_in)))
        table.append(Layer(f"conv{index} {kernel}x{kernel}",
                           *conv2d_parameter_count(c_in, c_out, kernel, bias=conv_bias)))
    return table
