"""dlref.foundations' clipping, FLOP and memory counts, autocast report, VC terms and shallow fits
against PyTorch."""

import math

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose
from torch import nn
from torch.utils.flop_counter import bmm_flop

from torch_helpers import t
from torch.utils._python_dispatch import TorchDispatchMode

from dlref.foundations import (autocast_dtypes, batched_matmul_flops, clip_grad_by_norm, global_grad_norm,
                               matrix_products_recorded, shallow_network_fit_error, tensor_bytes,
                               vc_generalization_gap, vc_sample_size)


@pytest.mark.parametrize("case", range(15))
def test_clip_grad_by_norm_matches_clip_grad_norm_(case):
    rng = np.random.default_rng(case)
    grads = [rng.standard_normal(tuple(int(s) for s in rng.integers(1, 4, size=int(rng.integers(1, 3)))))
             * rng.uniform(0.1, 5) for _ in range(int(rng.integers(1, 4)))]
    max_norm = float(rng.uniform(0.5, 6))
    params = [nn.Parameter(t(np.zeros_like(g))) for g in grads]
    for p, g in zip(params, grads):
        p.grad = t(g.copy())     # from_numpy shares memory; clipping is in place
    total = nn.utils.clip_grad_norm_(params, max_norm)
    assert global_grad_norm(grads) == pytest.approx(total.item(), rel=1e-12)
    for ours, p in zip(clip_grad_by_norm(grads, max_norm), params):
        assert_allclose(ours, p.grad.numpy(), rtol=1e-5, atol=1e-12)


def test_clipping_by_norm_leaves_a_short_gradient_alone_and_keeps_the_direction():
    assert_allclose(clip_grad_by_norm([np.array([0.3, 0.4])], 1.0)[0], [0.3, 0.4])
    assert_allclose(clip_grad_by_norm([np.array([3.0, -4.0])], 1.0)[0], [0.6, -0.8])


@pytest.mark.parametrize("case", range(5))
def test_batched_matmul_flops_matches_the_flop_counter(case):
    """PyTorch's FLOP counter's formula for bmm (FlopCounterMode itself takes seconds to start)."""
    b, n, m, p = (int(v) for v in np.random.default_rng(case).integers(1, 9, size=4))
    assert batched_matmul_flops(b, n, m, p) == bmm_flop((b, n, m), (b, m, p))


@pytest.mark.parametrize("dtype", ["float64", "float32", "bfloat16", "float16", "int8"])
def test_tensor_bytes_matches_element_size(dtype):
    shape = (3, 5, 2)
    tensor = torch.empty(shape, dtype=getattr(torch, dtype))
    assert tensor_bytes(shape, dtype) == tensor.numel() * tensor.element_size()


def test_autocast_report_matches_running_autocast_directly():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
    x, y = torch.randn(4, 8), torch.randint(0, 3, (4,))
    report = autocast_dtypes(model, x, y)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        hidden = model[0](x)
        loss = nn.functional.cross_entropy(model[2](model[1](hidden)), y)
    assert report["outputs"]["0"] == str(hidden.dtype).removeprefix("torch.") == "bfloat16"
    assert report["loss"] == str(loss.dtype).removeprefix("torch.") == "float32"
    assert report["parameters"] == report["gradients"] == {"float32"}
    assert all(p.grad is not None for p in model.parameters())


def test_vc_terms_are_inverse_and_scale_as_the_bound_says():
    assert vc_generalization_gap(10, 1000) == pytest.approx(0.1)
    assert vc_generalization_gap(10, 4000) == pytest.approx(vc_generalization_gap(10, 1000) / 2)
    for vc in (1, 7, 50):
        n = vc_sample_size(vc, 0.05)
        assert vc_generalization_gap(vc, round(n)) == pytest.approx(0.05, rel=1e-3)
    assert vc_sample_size(20, 0.1) == pytest.approx(2 * vc_sample_size(10, 0.1))


def torch_shallow_fit_error(activation, width, target=lambda x: torch.sin(2 * math.pi * x)):
    x = torch.linspace(0, 1, 201, dtype=torch.float64)[:, None]
    u = nn.functional.linear(x, torch.ones(width, 1, dtype=torch.float64),
                             -torch.arange(width, dtype=torch.float64) / width)
    hidden = {"relu": torch.relu(u), "step": (u > 0).double(), "square": u ** 2}[activation]
    design = torch.cat([torch.ones_like(x), hidden], dim=1)
    coef = torch.linalg.lstsq(design, target(x)).solution
    return (design @ coef - target(x)).abs().max().item()


@pytest.mark.parametrize("activation", ["relu", "step", "square"])
@pytest.mark.parametrize("width", [3, 10, 40])
def test_shallow_network_fit_error_matches_a_torch_least_squares_fit(activation, width):
    ours = shallow_network_fit_error(lambda x: np.sin(2 * np.pi * x), activation, width)
    assert ours == pytest.approx(torch_shallow_fit_error(activation, width), rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("call, argument", [
    (lambda: clip_grad_by_norm([np.ones(2)], 0.0), "max_norm"),
    (lambda: clip_grad_by_norm(np.ones(2), 1.0), "grads"),
    (lambda: batched_matmul_flops(0, 1, 1, 1), "b"),
    (lambda: matrix_products_recorded(torch.ones(2, 2) @ torch.ones(2, 2)), "result"),
    (lambda: tensor_bytes((2, 3), "float8"), "dtype"),
    (lambda: tensor_bytes((2, 0), "float32"), r"shape\[1\]"),
    (lambda: vc_sample_size(10, -0.1), "gap"),
    (lambda: shallow_network_fit_error(np.sin, "tanh", 4), "activation"),
    (lambda: shallow_network_fit_error(np.sin, "relu", 0), "width"),
    (lambda: autocast_dtypes(nn.Linear(2, 2), torch.zeros(1, 2), torch.zeros(1), "float64"), "dtype_name"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises((ValueError, TypeError), match=argument):
        call()


class MatrixKernelCalls(TorchDispatchMode):
    """Counts the aten bmm/mm kernels PyTorch dispatches (independently of the autograd graph)."""

    def __init__(self):
        super().__init__()
        self.calls = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.calls += func.overloadpacket in (torch.ops.aten.bmm, torch.ops.aten.mm)
        return func(*args, **(kwargs or {}))


@pytest.mark.parametrize("compute", [
    lambda A, B: torch.bmm(A, B),
    lambda A, B: torch.matmul(A, B),
    lambda A, B: torch.einsum("bnm,bmp->bnp", A, B),
    lambda A, B: torch.stack([A[i] @ B[i] for i in range(len(A))]),
    lambda A, B: torch.bmm(A, B) @ B.transpose(1, 2) @ B,
], ids=["bmm", "matmul", "einsum", "loop", "chain"])
def test_matrix_products_recorded_counts_the_dispatched_kernels(compute):
    A = torch.randn(5, 3, 4, dtype=torch.float64, requires_grad=True)
    B = torch.randn(5, 4, 2, dtype=torch.float64)
    with MatrixKernelCalls() as counter:
        result = compute(A, B)
    assert matrix_products_recorded(result) == counter.calls > 0
