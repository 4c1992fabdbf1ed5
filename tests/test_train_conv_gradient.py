"""The GEMM weight gradient of ``dlref.train.conv_gradient`` against PyTorch's own convolution."""

import pytest
import torch
import torch.nn.functional as F

from dlref.train.conv_gradient import SMALL_MAP_PIXELS, conv3x3, im2col_3x3, weight_gradient_3x3


def test_im2col_rows_are_the_padded_3x3_neighbourhoods():
    x = torch.randn(2, 3, 4, 5)
    # F.unfold orders a column (c, i, j) per position; ours is (i, j, c) per row.
    reference = F.unfold(x, 3, padding=1).view(2, 3, 3, 3, 20).permute(0, 4, 2, 3, 1).reshape(40, 27)
    assert torch.equal(im2col_3x3(x), reference)


@pytest.mark.parametrize("memory_format", [torch.contiguous_format, torch.channels_last])
@pytest.mark.parametrize("shape", [(4, 8, 7, 7), (3, 5, 3, 3), (2, 6, 5, 4)])
def test_weight_gradient_is_autograds(shape, memory_format):
    x = torch.randn(shape, dtype=torch.float64).contiguous(memory_format=memory_format)
    weight = torch.randn(7, shape[1], 3, 3, dtype=torch.float64, requires_grad=True)
    output = F.conv2d(x, weight, padding=1)
    grad_output = torch.randn_like(output)
    expected, = torch.autograd.grad(output, weight, grad_output)
    torch.testing.assert_close(weight_gradient_3x3(grad_output, x), expected)


def test_conv3x3_passes_gradcheck():
    x = torch.randn(2, 3, 5, 5, dtype=torch.float64, requires_grad=True)
    weight = torch.randn(4, 3, 3, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(conv3x3, (x, weight))
    assert torch.autograd.gradcheck(conv3x3, (x.detach().contiguous(memory_format=torch.channels_last)
                                              .requires_grad_(), weight))


@pytest.mark.parametrize("size", [3, 7, 15])  # 15x15 is above SMALL_MAP_PIXELS: PyTorch's own path
def test_conv3x3_under_bf16_autocast_matches_conv2d(size):
    torch.manual_seed(0)
    x = torch.randn(8, 16, size, size).contiguous(memory_format=torch.channels_last)
    weight = torch.randn(32, 16, 3, 3).mul_(0.1).contiguous(memory_format=torch.channels_last)
    results = []
    for function in (conv3x3, lambda a, w: F.conv2d(a, w, padding=1)):
        a, w = x.clone().requires_grad_(), weight.clone().requires_grad_()
        with torch.autocast("cpu", dtype=torch.bfloat16):
            y = function(a, w)
        y.float().square().sum().backward()
        results.append((y, a.grad, w.grad))
    (y, grad_x, grad_w), (y_ref, grad_x_ref, grad_w_ref) = results
    assert y.dtype == y_ref.dtype == torch.bfloat16 and grad_w.dtype == torch.float32
    torch.testing.assert_close(y, y_ref)
    torch.testing.assert_close(grad_x, grad_x_ref, rtol=2e-2, atol=2e-2)
    torch.testing.assert_close(grad_w, grad_w_ref, rtol=2e-2, atol=2e-1 * grad_w_ref.abs().mean().item())
    # Small maps take the GEMM weight gradient; larger ones are left to F.conv2d.
    assert (type(y.grad_fn).__name__ == "_Conv3x3Backward") == (size * size <= SMALL_MAP_PIXELS) == (size < 15)


def test_in_the_cifar10_net_the_gemm_gradient_serves_the_7x7_and_3x3_maps():
    """What docs/training/index.md says: the net's 3x3 convolutions on 7x7 and 3x3 maps, no others."""
    from dlref.train import cifar10

    model, sizes = cifar10.ResNet((8, 16, 16)), {}
    for name, module in model.named_modules():
        if isinstance(module, cifar10.Conv):
            module.register_forward_hook(lambda m, args, out, name=name: sizes.__setitem__(name, out.grad_fn))
    model(torch.randn(2, 3, 32, 32))
    gemm = {name for name, grad_fn in sizes.items() if type(grad_fn).__name__ == "_Conv3x3Backward"}
    assert gemm == {"stages.1.residual.0.conv", "stages.2.conv", "stages.2.residual.0.conv"}
    shapes = {row["layer"]: row["output"][1:] for row in cifar10.model_summary(model)}
    assert {shapes[name] for name in gemm} == {(7, 7), (3, 3)}
    assert all(shapes[name][0] * shapes[name][1] > SMALL_MAP_PIXELS for name in sizes if name not in gemm)


def test_conv3x3_refuses_other_kernel_sizes():
    with pytest.raises(ValueError, match="3x3"):
        conv3x3(torch.randn(1, 2, 5, 5), torch.randn(3, 2, 5, 5))
