"""Parameter-efficient fine-tuning, quantization and pruning.

* **Block-wise absmax quantization** (QLoRA, Dettmers et al. 2023): a tensor is cut into blocks of
  ``B`` values; each block stores one constant ``c = max |x|`` and, for every value, the index of the
  code-book entry nearest to ``x / c`` (the code book lies in ``[-1, 1]``). Dequantization is
  ``x' = q[index] * c``.
* **NF4**: the 4-bit code book of QLoRA, built from quantiles of the standard normal so that each code
  is used equally often by normally distributed weights; block size 64. **Double quantization**
  stores the 32-bit block constants themselves in 8 bits, in blocks of 256, with one 32-bit constant
  per such block.
* **PEFT parameter counts** for a transformer with ``L`` layers and width ``d``: LoRA of rank ``r`` on a
  ``d_in x d_out`` matrix adds ``r (d_in + d_out)``; an adapter with bottleneck ``m`` adds
  ``2 d m (+ m + d biases)``; prefix-tuning with ``P`` virtual tokens stores ``P L d`` activations, or
  ``2 P L d`` when each layer gets its own keys *and* values (as implementations do).
* **Fisher pruning**: ``Delta L(theta, m) ~ 1/2 sum_{i: m_i = 0} theta_i^2 F_ii`` (second-order Taylor
  at a minimum, Hessian replaced by the diagonal empirical Fisher information).
"""

from __future__ import annotations

from functools import lru_cache
from statistics import NormalDist
from typing import NamedTuple

import numpy as np

from dlref import _checks

# ---------------------------------------------------------------------------------------------
# Block-wise absmax quantization to a code book
# ---------------------------------------------------------------------------------------------


class Quantized(NamedTuple):
    """What a block-wise quantized tensor stores: one code-book index per value, one absmax constant
    per block (and the code book, shared by the whole model)."""
    indices: np.ndarray    # (n,) ints in [0, len(codebook))
    constants: np.ndarray  # (ceil(n / block_size),) absmax of each block
    codebook: np.ndarray   # (k,) sorted values in [-1, 1]
    block_size: int


def _codebook(codebook) -> np.ndarray:
    book = _checks.array("codebook", codebook, 1)
    if len(book) < 2:
        raise ValueError(f"codebook must have at least 2 values, got {len(book)}")
    if np.any(np.diff(book) <= 0):
        raise ValueError(f"codebook must be strictly increasing, got {book.tolist()}")
    if book[0] < -1 or book[-1] > 1:
        raise ValueError(f"codebook must lie in [-1, 1] (values are divided by their absmax), got {book.tolist()}")
    return book


def absmax_quantize(x, codebook, block_size: int | None = None) -> Quantized:
    """Quantize ``x`` (any shape, flattened) block by block: ``c_b = max_{i in b} |x_i|`` and
    ``index_i = argmin_j |x_i / c_b - q_j|`` (ties go to the lower index). ``block_size=None`` is one
    block for the whole tensor. A block of zeros gets ``c = 1`` (any constant represents it)."""
    values = _checks.array("x", x, (1, 2, 3, 4)).ravel()
    book = _codebook(codebook)
    size = len(values) if block_size is None else _checks.positive("block_size", block_size)
    blocks = [values[start:start + size] for start in range(0, len(values), size)]
    constants = np.array([np.max(np.abs(block)) or 1.0 for block in blocks])
    scaled = values / np.repeat(constants, [len(block) for block in blocks])
    indices = np.argmin(np.abs(scaled[:, None] - book[None, :]), axis=1)
    return Quantized(indices, constants, book, size)


def dequantize(quantized: Quantized) -> np.ndarray:
    """``x'_i = q[index_i] * c_{block(i)}``, shape ``(n,)``."""
    if not isinstance(quantized, Quantized):
        raise TypeError(f"quantized must be a Quantized (from absmax_quantize), got {type(quantized).__name__}")
    repeat = np.minimum(quantized.block_size,
                        len(quantized.indices) - quantized.block_size * np.arange(len(quantized.constants)))
    return quantized.codebook[quantized.indices] * np.repeat(quantized.constants, repeat)


def nf4_codebook(offset: float = 0.9677083) -> np.ndarray:
    """The 16 NF4 values of QLoRA (``bitsandbytes.functional.create_normal_map``).

    8 positive codes ``Phi^{-1}(p)`` for ``p`` evenly spaced from ``offset`` to ``1/2`` (last one
    dropped), 7 negative codes from 7 such points, and an exact zero; all divided by the largest, so the
    code book spans ``[-1, 1]``. ``offset = 1/2 (1/32 + 1 - 1/30)`` ~ 0.9677 keeps the extreme
    quantile finite. Asymmetric (8 positive, 7 negative) so that 0 is represented exactly.
    """
    if not isinstance(offset, float) or not 0.5 < offset < 1:
        raise ValueError(f"offset must be a float in (0.5, 1), got {offset!r}")
    normal = NormalDist()
    positive = [normal.inv_cdf(p) for p in np.linspace(offset, 0.5, 9)[:-1]]
    negative = [-normal.inv_cdf(p) for p in np.linspace(offset, 0.5, 8)[:-1]]
    values = np.sort(np.array(positive + [0.0] + negative))
    return values / np.max(values)


def bits_per_parameter(bits: int, block_size: int, constant_bits: int = 32,
                       double_quant_block: int | None = None, double_quant_bits: int = 8) -> float:
    """Storage per weight of block-wise quantization.

    Without double quantization: ``bits + constant_bits / block_size`` (NF4: ``4 + 32/64 = 4.5``).
    With it, each block constant is stored in ``double_quant_bits`` and every ``double_quant_block``
    constants share one ``constant_bits`` constant:
    ``bits + double_quant_bits / block_size + constant_bits / (block_size * double_quant_block)``
    (NF4: ``4 + 8/64 + 32/(64 * 256) = 4.127``).
    """
    bits = _checks.positive("bits", bits)
    block_size = _checks.positive("block_size", block_size)
    constant_bits = _checks.positive("constant_bits", constant_bits)
    if double_quant_block is None:
        return bits + constant_bits / block_size
    double_quant_block = _checks.positive("double_quant_block", double_quant_block)
    double_quant_bits = _checks.positive("double_quant_bits", double_quant_bits)
    return bits + double_quant_bits / block_size + constant_bits / (block_size * double_quant_block)


# ---------------------------------------------------------------------------------------------
# Parameter counts of LoRA, adapters and prefix-tuning
# ---------------------------------------------------------------------------------------------


class TransformerConfig(NamedTuple):
    """The sizes a PEFT count needs: ``layers`` blocks of width ``d_model``."""
    name: str
    layers: int
    d_model: int
    heads: int


# Brown et al. 2020, "Language Models are Few-Shot Learners", Table 2.1 (GPT-3 175B).
GPT3_175B = TransformerConfig("GPT-3 175B", layers=96, d_model=12_288, heads=96)


def lora_parameter_count(rank: int, in_features: int, out_features: int, matrices: int = 1) -> int:
    """LoRA ``W + B A`` with ``A: (r, d_in)`` and ``B: (d_out, r)``: ``matrices * r (d_in + d_out)``."""
    rank = _checks.positive("rank", rank)
    in_features = _checks.positive("in_features", in_features)
    out_features = _checks.positive("out_features", out_features)
    matrices = _checks.positive("matrices", matrices)
    if rank > min(in_features, out_features):
        raise ValueError(f"rank {rank} exceeds min(in_features, out_features) = {min(in_features, out_features)}")
    return matrices * rank * (in_features + out_features)


def adapter_parameter_count(d_model: int, bottleneck: int, adapters: int = 1, bias: bool = True) -> int:
    """Houlsby adapters ``h + W_up f(W_down h + b_down) + b_up``: per adapter ``2 d m`` weights and
    ``m + d`` biases; times ``adapters`` (e.g. ``2 * layers`` for two per layer)."""
    d_model = _checks.positive("d_model", d_model)
    bottleneck = _checks.positive("bottleneck", bottleneck)
    adapters = _checks.positive("adapters", adapters)
    bias = _checks.boolean("bias", bias)
    return adapters * (2 * d_model * bottleneck + (bottleneck + d_model if bias else 0))


def prefix_parameter_count(d_model: int, layers: int, virtual_tokens: int, keys_and_values: bool = True) -> int:
    """Prefix-tuning (Li & Liang 2021) after training: each virtual token has an activation at every
    layer, ``P L d``; implementations store a key *and* a value per layer, ``2 P L d``. (The MLP that
    reparametrizes the prefix during training is dropped afterwards.)"""
    d_model = _checks.positive("d_model", d_model)
    layers = _checks.positive("layers", layers)
    virtual_tokens = _checks.positive("virtual_tokens", virtual_tokens)
    keys_and_values = _checks.boolean("keys_and_values", keys_and_values)
    return virtual_tokens * layers * d_model * (2 if keys_and_values else 1)


# ---------------------------------------------------------------------------------------------
# Fisher pruning
# ---------------------------------------------------------------------------------------------


def _pair_of_vectors(theta, fisher_diagonal) -> tuple[np.ndarray, np.ndarray]:
    theta = _checks.array("theta", theta, 1)
    fisher = _checks.array("fisher_diagonal", fisher_diagonal, 1)
    if fisher.shape != theta.shape:
        raise ValueError(f"fisher_diagonal has shape {fisher.shape}, theta has {theta.shape}")
    if np.any(fisher < 0):
        raise ValueError("fisher_diagonal must be >= 0 (it is a mean of squared gradients)")
    return theta, fisher


def empirical_fisher_diagonal(per_sample_gradients) -> np.ndarray:
    """``F_ii = (1/N) sum_n (d l_n / d theta_i)^2`` from an ``(N, d)`` array of per-sample gradients."""
    gradients = _checks.array("per_sample_gradients", per_sample_gradients, 2)
    return np.mean(gradients ** 2, axis=0)


def fisher_saliency(theta, fisher_diagonal) -> np.ndarray:
    """Importance of each parameter: ``theta_i^2 F_ii`` (twice its predicted loss increase)."""
    theta, fisher = _pair_of_vectors(theta, fisher_diagonal)
    return theta ** 2 * fisher


def _mask(mask, size: int) -> np.ndarray:
    mask = np.asarray(mask)
    if mask.shape != (size,) or not np.isin(mask, (0, 1)).all():
        raise ValueError(f"mask must be a 0/1 vector of shape ({size},), got {mask.tolist()!r}")
    return mask.astype(bool)


def fisher_pruning_loss_change(theta, fisher_diagonal, mask) -> float:
    """``Delta L(theta, m) ~ 1/2 sum_i (1 - m_i) theta_i^2 F_ii = 1/2 sum_{i: m_i = 0} theta_i^2 F_ii``."""
    saliency = fisher_saliency(theta, fisher_diagonal)
    kept = _mask(mask, len(saliency))
    return 0.5 * float(np.sum(saliency[~kept]))


def fisher_pruning_loss_change_normalised(theta, fisher_diagonal, mask) -> float:
    """The paper's form: ``1/2 sum_{m_i = 0} (theta_i^2 F_ii / ||theta||_F^2) * ||theta||_F^2`` with
    ``||theta||_F^2 = sum_j theta_j^2 F_jj``. The norm cancels: it is the same number as
    :func:`fisher_pruning_loss_change`; the ratio alone is the *share* of the Fisher norm removed."""
    saliency = fisher_saliency(theta, fisher_diagonal)
    kept = _mask(mask, len(saliency))
    norm = float(np.sum(saliency))
    if norm == 0:
        raise ValueError("the Fisher-weighted norm sum_j theta_j^2 F_jj is 0: nothing to normalise by")
    return 0.5 * float(np.sum(saliency[~kept] / norm)) * norm


def pruning_mask(scores, prune: int) -> np.ndarray:
    """The mask that zeroes the ``prune`` parameters of smallest score (ties: lower index first)."""
    scores = _checks.array("scores", scores, 1)
    prune = _checks.non_negative("prune", prune)
    if prune > len(scores):
        raise ValueError(f"prune {prune} is more than the {len(scores)} parameters")
    mask = np.ones(len(scores), dtype=int)
    mask[np.argsort(scores, kind="stable")[:prune]] = 0
    return mask


class PruningRun(NamedTuple):
    """A small trained network and what pruning it costs: per criterion, for each number of pruned
    parameters, the predicted (``1/2 sum theta^2 F``) and the measured loss increase."""
    theta: np.ndarray             # (d,) trained parameters
    fisher_diagonal: np.ndarray   # (d,) empirical Fisher at theta
    hessian_diagonal: np.ndarray  # (d,) exact diagonal of the Hessian of the training loss
    gradient_norm: float          # ||grad L(theta)||: ~0 at the minimum the derivation assumes
    loss: float                   # training loss at theta
    counts: tuple[int, ...]       # numbers of pruned parameters
    predicted: dict[str, list[float]]  # criterion -> 1/2 sum theta^2 F over the pruned set
    measured: dict[str, list[float]]   # criterion -> L(theta * m) - L(theta)


def train_and_prune(seed: int = 4, samples: int = 256, hidden: int = 4, steps: int = 200,
                    counts=tuple(range(11))) -> PruningRun:
    """Train a small network to a minimum and prune it two ways (see :func:`_train_and_prune`).

    The run is deterministic, so it is computed once per process for each set of arguments (the page,
    its figure and the tests share it); each call returns its own copies of the arrays.
    """
    run = _train_and_prune(seed, samples, hidden, steps, tuple(counts))
    return run._replace(theta=run.theta.copy(), fisher_diagonal=run.fisher_diagonal.copy(),
                        hessian_diagonal=run.hessian_diagonal.copy(),
                        predicted={k: list(v) for k, v in run.predicted.items()},
                        measured={k: list(v) for k, v in run.measured.items()})


@lru_cache(maxsize=8)
def _train_and_prune(seed: int, samples: int, hidden: int, steps: int, counts: tuple) -> PruningRun:
    """Train a 2-``hidden``-1 tanh network (Levenberg-Marquardt, full batch) on noisy synthetic data,
    ``y = sin(2 x_1) + x_2 / 2 + 0.3 eps``, with the Gaussian negative log-likelihood
    ``l_n = (y_n - f(x_n))^2 / (2 sigma^2)`` (``sigma = 0.3``: the noise, so that the Fisher of this
    model is its Hessian's expectation). Then prune by the Fisher saliency ``theta^2 F`` and by
    magnitude ``|theta|`` and measure each loss change. Deterministic for a given seed; ~0.1 s."""
    import torch

    seed = _checks.non_negative("seed", seed)
    samples = _checks.positive("samples", samples)
    hidden = _checks.positive("hidden", hidden)
    steps = _checks.positive("steps", steps)
    counts = tuple(_checks.non_negative("counts", count) for count in counts)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        generator = torch.Generator().manual_seed(seed)
        x = torch.randn(samples, 2, generator=generator, dtype=torch.float64)
        noise = 0.3
        y = torch.sin(2 * x[:, 0]) + x[:, 1] / 2 + noise * torch.randn(samples, generator=generator,
                                                                         dtype=torch.float64)
        shapes = [(hidden, 2), (hidden,), (1, hidden), (1,)]
        sizes = [int(np.prod(s)) for s in shapes]
        theta0 = 0.5 * torch.randn(sum(sizes), generator=generator, dtype=torch.float64)

        def residuals(theta):
            """``(y_n - f(x_n)) / sigma`` for each sample; ``theta`` is ``(d,)`` or one row per sample."""
            thetas = theta.expand(samples, -1) if theta.dim() == 1 else theta
            w1, b1, w2, b2 = (part.reshape(samples, *shape) for part, shape in zip(thetas.split(sizes, 1), shapes))
            hidden_units = torch.tanh(torch.einsum("nhi,ni->nh", w1, x) + b1)
            prediction = torch.einsum("noh,nh->no", w2, hidden_units).squeeze(1) + b2.squeeze(1)
            return (y - prediction) / noise

        def loss_of(theta):
            return 0.5 * (residuals(theta) ** 2).mean()

        def per_row_gradient(function, theta):
            """Row n: the gradient of ``function(theta)[n]`` (one copy of theta per sample, one backward)."""
            rows = theta.expand(samples, -1).clone().requires_grad_(True)
            gradient, = torch.autograd.grad(function(rows).sum(), rows)
            return gradient

        # Levenberg-Marquardt on the residuals: converges to a minimum with ||grad L|| ~ 0
        theta, damping = theta0, 1e-2
        for _ in range(steps):
            r, jacobian = residuals(theta), per_row_gradient(residuals, theta)
            gradient = jacobian.T @ r / samples
            if float(gradient.norm()) < 1e-10:
                break
            step = torch.linalg.solve(jacobian.T @ jacobian / samples + damping * torch.eye(len(theta),
                                      dtype=torch.float64), -gradient)
            if loss_of(theta + step) < loss_of(theta):
                theta, damping = theta + step, max(damping / 3, 1e-12)
            else:
                damping *= 4
        per_sample = per_row_gradient(lambda rows: 0.5 * residuals(rows) ** 2, theta)
        gradient = per_sample.mean(0)
        hessian = torch.autograd.functional.hessian(loss_of, theta)
        base = float(loss_of(theta))
        theta_np = theta.numpy().copy()
        fisher = empirical_fisher_diagonal(per_sample.numpy())
        scores = {"Fisher θ²F": fisher_saliency(theta_np, fisher), "magnitude |θ|": np.abs(theta_np)}
        predicted, measured = {}, {}
        for name, score in scores.items():
            predicted[name], measured[name] = [], []
            for count in counts:
                mask = pruning_mask(score, count)
                predicted[name].append(fisher_pruning_loss_change(theta_np, fisher, mask))
                pruned = theta * torch.from_numpy(mask).to(torch.float64)
                measured[name].append(float(loss_of(pruned)) - base)
        return PruningRun(theta_np, fisher, torch.diagonal(hessian).numpy().copy(), float(gradient.norm()),
                          base, tuple(counts), predicted, measured)
    finally:
        torch.set_num_threads(threads)


# ---------------------------------------------------------------------------------------------
# Uniform (per-tensor affine) quantization as a noise channel
# ---------------------------------------------------------------------------------------------


def _bits_and_range(bits: int, low: float, high: float) -> tuple[int, float, float]:
    bits = _checks.positive("bits", bits)
    if not high > low:
        raise ValueError(f"the range must have high > low, got low={low!r}, high={high!r}")
    return bits, float(low), float(high)


def quantization_step(bits: int, low: float, high: float) -> float:
    """Step of a ``bits``-bit uniform quantizer whose ``2^b`` levels span ``[low, high]``:
    ``Delta = (high - low) / (2^b - 1)``."""
    bits, low, high = _bits_and_range(bits, low, high)
    return (high - low) / (2 ** bits - 1)


def uniform_quantize(x, bits: int, low: float, high: float) -> np.ndarray:
    """Per-tensor affine quantization, dequantized: ``low + Delta * clip(round((x - low) / Delta), 0, 2^b - 1)``
    (what ``torch.fake_quantize_per_tensor_affine`` computes, with zero point ``-low / Delta``)."""
    bits, low, high = _bits_and_range(bits, low, high)
    values = np.asarray(x, dtype=np.float64)
    step = quantization_step(bits, low, high)
    zero_point = np.round(-low / step)
    codes = np.clip(np.round(values / step) + zero_point, 0, 2 ** bits - 1)
    return (codes - zero_point) * step


def quantization_noise_variance(step: float) -> float:
    """Variance of the rounding error of a fine uniform quantizer, uniform on ``[-Delta/2, Delta/2]``:
    ``sigma_n^2 = Delta^2 / 12``."""
    if isinstance(step, bool) or not isinstance(step, (int, float)) or step <= 0:
        raise ValueError(f"step must be a number > 0, got {step!r}")
    return step ** 2 / 12


def gaussian_channel_capacity(snr) -> np.ndarray:
    """Bits per use of an additive Gaussian-noise channel with signal-to-noise ratio ``sigma_z^2 / sigma_n^2``:
    ``C = 1/2 log2(1 + SNR)``, the most information one noisy activation can carry."""
    snr = np.asarray(snr, dtype=np.float64)
    if np.any(snr < 0):
        raise ValueError(f"snr must be >= 0, got {snr.tolist()}")
    return 0.5 * np.log2(1 + snr)
