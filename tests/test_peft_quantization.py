"""dlref.peft quantization against PyTorch: block-wise absmax to a code book, NF4, storage per weight."""

import numpy as np
import pytest
import torch

from dlref.peft import Quantized, absmax_quantize, bits_per_parameter, dequantize, nf4_codebook

# bitsandbytes' NF4 table (bitsandbytes/functional.py, get_4bit_type("nf4")), the reference QLoRA uses.
BITSANDBYTES_NF4 = [
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
    -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
    0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
    0.7229568362236023, 1.0]


def torch_blockwise(x: torch.Tensor, codebook: torch.Tensor, block_size: int):
    """Absmax block quantization written with tensor ops: pad to whole blocks, scale, nearest code."""
    n = x.numel()
    blocks = torch.nn.functional.pad(x.flatten(), (0, -n % block_size)).view(-1, block_size)
    constants = blocks.abs().amax(dim=1)
    constants = torch.where(constants == 0, torch.ones_like(constants), constants)
    scaled = blocks / constants[:, None]
    indices = (scaled[..., None] - codebook).abs().argmin(dim=-1).flatten()[:n]
    x_hat = (codebook[indices].view(-1) * constants.repeat_interleave(block_size)[:n])
    return indices, constants, x_hat


def test_exam_tensor_matches_torch():
    codebook = torch.tensor([-1, -0.2, 0.6, 1], dtype=torch.float64)
    x = torch.tensor([-48.0, -3, 38, 50], dtype=torch.float64)
    indices, constants, x_hat = torch_blockwise(x, codebook, 4)
    quantized = absmax_quantize(x.numpy(), codebook.numpy())
    assert quantized.indices.tolist() == indices.tolist()
    assert quantized.constants.tolist() == constants.tolist()
    assert dequantize(quantized).tolist() == x_hat.tolist()


@pytest.mark.parametrize("seed", range(6))
def test_random_blocks_match_torch(seed):
    generator = torch.Generator().manual_seed(seed)
    n = int(torch.randint(5, 300, (1,), generator=generator))
    block = int(torch.randint(1, 70, (1,), generator=generator))
    x = torch.randn(n, generator=generator, dtype=torch.float64) * 3
    codebook = torch.sort(torch.rand(7, generator=generator, dtype=torch.float64) * 2 - 1).values
    indices, constants, x_hat = torch_blockwise(x, codebook, block)
    quantized = absmax_quantize(x.numpy(), codebook.numpy(), block_size=block)
    assert quantized.indices.tolist() == indices.tolist()
    assert np.allclose(quantized.constants, constants.numpy())
    assert np.allclose(dequantize(quantized), x_hat.numpy())


def test_values_on_the_grid_come_back_exactly_and_each_block_keeps_its_maximum():
    codebook = np.array(BITSANDBYTES_NF4)
    x = np.concatenate([codebook * 3.0, codebook[::-1] * 0.5])
    x_hat = dequantize(absmax_quantize(x, codebook, block_size=16))
    assert np.allclose(x_hat, x)
    rng = np.random.default_rng(1)
    y = rng.normal(size=200)
    y_hat = dequantize(absmax_quantize(y, nf4_codebook(), block_size=64))
    for start in range(0, 200, 64):
        block = slice(start, start + 64)
        peak = np.argmax(np.abs(y[block]))
        assert np.isclose(y_hat[block][peak], y[block][peak])


def test_nf4_is_the_bitsandbytes_table():
    assert np.allclose(nf4_codebook(), BITSANDBYTES_NF4, atol=1e-7)


def test_nf4_codes_are_normal_quantiles():
    normal = torch.distributions.Normal(0.0, 1.0)
    positive = normal.icdf(torch.linspace(0.9677083, 0.5, 9, dtype=torch.float64)[:-1])
    negative = -normal.icdf(torch.linspace(0.9677083, 0.5, 8, dtype=torch.float64)[:-1])
    values = torch.sort(torch.cat([positive, torch.zeros(1, dtype=torch.float64), negative])).values
    assert np.allclose(nf4_codebook(), (values / values.max()).numpy())


def test_nf4_uses_its_codes_about_equally_often_on_normal_weights():
    weights = torch.randn(64 * 2000, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    counts = np.bincount(absmax_quantize(weights.numpy(), nf4_codebook(), block_size=64).indices, minlength=16)
    uniform = absmax_quantize(weights.numpy(), np.linspace(-1, 1, 16), block_size=64).indices
    # quantiles spread the codes more evenly than a uniform grid: compare the entropies
    def entropy(c):
        p = c / c.sum()
        return -(p[p > 0] * np.log2(p[p > 0])).sum()
    assert entropy(counts) > entropy(np.bincount(uniform, minlength=16)) + 0.2


@pytest.mark.parametrize("double", [False, True])
def test_bits_per_parameter_is_the_storage_of_real_tensors(double):
    """Pack 64 * 256 * 3 weights as QLoRA stores them and count bytes: two 4-bit codes per byte, the
    block constants as FP32 (or as int8 with one FP32 per 256 of them)."""
    n = 64 * 256 * 3
    codes = torch.zeros(n // 2, dtype=torch.uint8)
    if double:
        constants = [torch.zeros(n // 64, dtype=torch.int8), torch.zeros(n // (64 * 256), dtype=torch.float32)]
    else:
        constants = [torch.zeros(n // 64, dtype=torch.float32)]
    bits = 8 * sum(t.numel() * t.element_size() for t in [codes, *constants]) / n
    expected = bits_per_parameter(4, 64, double_quant_block=256 if double else None)
    assert bits == pytest.approx(expected)
    assert expected == (pytest.approx(4.126953125) if double else 4.5)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="codebook must be strictly increasing"):
        absmax_quantize([1.0, 2.0], [0.5, -0.5])
    with pytest.raises(ValueError, match=r"codebook must lie in \[-1, 1\]"):
        absmax_quantize([1.0, 2.0], [-2, 2])
    with pytest.raises(ValueError, match="block_size must be >= 1"):
        absmax_quantize([1.0, 2.0], [-1, 1], block_size=0)
    with pytest.raises(TypeError, match="quantized must be a Quantized"):
        dequantize([0, 1])
    with pytest.raises(ValueError, match="offset"):
        nf4_codebook(1.5)
    with pytest.raises(TypeError, match="bits must be an integer"):
        bits_per_parameter(4.0, 64)
    assert isinstance(absmax_quantize([0.0, 0.0], [-1, 1]), Quantized)
