"""A 3x3 convolution whose weight gradient is one matrix product (for small feature maps on a CPU).

oneDNN's bfloat16 weight-gradient kernel is slow on small maps: on our 2-core CPU, for 256 -> 256
channels on 3x3 maps and a batch of 1024 it took 100-125 ms, ten times the forward pass. Written as
im2col followed by one matrix multiplication the same gradient takes about 25 ms, since a plain
bfloat16 GEMM runs at 370-760 GMAC/s on the AMX units here. On large maps (15x15 and up) oneDNN is
faster, because im2col's copy then costs more than the kernel's inefficiency (see
:data:`SMALL_MAP_PIXELS`). The forward pass and the input gradient stay with PyTorch's kernels.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

# Maps of at most this many pixels (7x7 and 3x3 in the CIFAR-10 net) take the GEMM weight gradient.
SMALL_MAP_PIXELS = 64


def im2col_3x3(x: torch.Tensor) -> torch.Tensor:
    """The 3x3 neighbourhoods of ``x`` (B, C, H, W), zero-padded by 1, as rows:
    ``cols[(b, h, w), (i, j, c)] = x_pad[b, c, h + i, w + j]``, shape (B*H*W, 9*C)."""
    batch, channels, height, width = x.shape
    padded = F.pad(x.permute(0, 2, 3, 1), (0, 0, 1, 1, 1, 1))  # (B, H+2, W+2, C)
    windows = [padded[:, i:i + height, j:j + width, :] for i in range(3) for j in range(3)]
    return torch.cat(windows, dim=3).reshape(batch * height * width, 9 * channels)


def weight_gradient_3x3(grad_output: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """dL/dW for ``y = conv2d(x, W, padding=1)``:
    dL/dW[o, c, i, j] = sum_{b,h,w} dL/dy[b, o, h, w] * x_pad[b, c, h + i, w + j],
    i.e. ``G^T @ im2col(x)`` with G = dL/dy as a (B*H*W, C_out) matrix."""
    out_channels = grad_output.shape[1]
    rows = grad_output.permute(0, 2, 3, 1).reshape(-1, out_channels)
    gradient = rows.t() @ im2col_3x3(x)  # (C_out, 9*C_in), columns ordered (i, j, c)
    return gradient.view(out_channels, 3, 3, -1).permute(0, 3, 1, 2)


class _Conv3x3(torch.autograd.Function):
    """``conv2d(x, weight, padding=1)``, differentiated with :func:`weight_gradient_3x3`."""

    @staticmethod
    def forward(ctx, x, weight):
        ctx.save_for_backward(x, weight)
        return F.conv2d(x, weight, padding=1)

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        grad_output = grad_output.contiguous(memory_format=torch.channels_last)
        grad_x = grad_weight = None
        if ctx.needs_input_grad[0]:
            grad_x = torch.ops.aten.convolution_backward(
                grad_output, x, weight, None, [1, 1], [1, 1], [1, 1], False, [0, 0], 1,
                [True, False, False])[0]
        if ctx.needs_input_grad[1]:
            grad_weight = weight_gradient_3x3(grad_output, x).contiguous(
                memory_format=torch.channels_last if weight.is_contiguous(memory_format=torch.channels_last)
                else torch.contiguous_format)
        return grad_x, grad_weight


def conv3x3(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """``F.conv2d(x, weight, padding=1)`` for a bias-free 3x3 filter bank, with the GEMM weight
    gradient on CPU maps of at most :data:`SMALL_MAP_PIXELS` pixels. Under autocast the inputs are
    cast as ``conv2d`` would cast them, so the result and its gradients match ``F.conv2d``'s."""
    if weight.shape[-2:] != (3, 3):
        raise ValueError(f"weight must be a 3x3 filter bank, got shape {tuple(weight.shape)}")
    if x.device.type != "cpu" or x.shape[-2] * x.shape[-1] > SMALL_MAP_PIXELS:
        return F.conv2d(x, weight, padding=1)
    if torch.is_autocast_enabled("cpu"):
        dtype = torch.get_autocast_dtype("cpu")
        x, weight = x.to(dtype), weight.to(dtype)
    with torch.autocast("cpu", enabled=False):
        return _Conv3x3.apply(x, weight)
