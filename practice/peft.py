"""Same question, new numbers: the PEFT chapter's variants (sitecontract/practice.py explains the format).

Each variant's answer is computed here by the ``dlref.peft`` function the worked solution uses; its
``check`` recomputes it independently: the quantization with PyTorch tensor operations (and PyTorch's
own per-tensor quantizer), the parameter counts from PEFT modules built with ``torch.nn`` on the
``meta`` device, the pruning cost from a PyTorch loss whose Hessian is ``diag(F)``.
"""

import math

import numpy as np
import torch
from torch import nn
from torch.autograd.functional import hessian

from dlref.peft import (absmax_quantize, adapter_parameter_count, dequantize, fisher_pruning_loss_change,
                        fisher_pruning_loss_change_normalised, fisher_saliency, gaussian_channel_capacity,
                        lora_parameter_count, prefix_parameter_count, pruning_mask, quantization_noise_variance,
                        quantization_step)
from sitecontract.practice import Variant, number, number_list

CONSTANT_BITS = 32   # the absmax constant of a block is stored as a 32-bit float, as on the page
FP16_BITS = 16



def _scientific(value: float, digits: int = 3) -> str:
    """``3.36 \\times 10^{-4}`` (inside ``$...$``): for numbers too small for a few decimals."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q9(a): absmax quantization of one block to a code book
# ---------------------------------------------------------------------------------------------


def _nearest_codes_are_clear(x, codebook, margin: float = 0.02) -> None:
    """A variant must not sit on a tie between two codes: the nearest code has to win by ``margin``."""
    scaled = np.asarray(x, dtype=float) / np.max(np.abs(x))
    distances = np.sort(np.abs(scaled[:, None] - np.asarray(codebook)[None, :]), axis=1)
    assert np.all(distances[:, 1] - distances[:, 0] > margin), (x, codebook)


def _absmax_check(x, codebook, indices, constant, x_hat, error):
    def check():
        book = torch.tensor(codebook, dtype=torch.float64)
        values = torch.tensor(x, dtype=torch.float64)
        c = values.abs().max()
        nearest = (values[:, None] / c - book[None, :]).abs().argmin(dim=1)
        restored = book[nearest] * c
        assert nearest.tolist() == list(indices), (nearest.tolist(), indices)
        assert math.isclose(c.item(), constant)
        assert torch.allclose(restored, torch.tensor(x_hat, dtype=torch.float64))
        assert torch.allclose(values - restored, torch.tensor(error, dtype=torch.float64))
    return check


def quantize_to_codebook():
    found = []
    for bits, codebook, x in [
        (2, [-1, -0.3, 0.4, 1], [22, -40, 9, -13]),
        (2, [-1, -0.4, 0.2, 1], [-7, 20, 5, -12, 13]),
        (3, [-1, -0.6, -0.35, -0.15, 0, 0.2, 0.5, 1], [4, -80, 30, -50, 64, 10]),
    ]:
        assert len(codebook) == 2 ** bits
        _nearest_codes_are_clear(x, codebook)
        quantized = absmax_quantize(x, codebook)          # one block: the whole tensor
        constant = float(quantized.constants[0])
        x_hat = dequantize(quantized)
        error = np.asarray(x, dtype=float) - x_hat
        scaled = np.asarray(x, dtype=float) / constant
        codes = " ".join(format(int(i), f"0{bits}b") for i in quantized.indices)
        stored = len(x) * bits + CONSTANT_BITS
        found.append(Variant(
            givens=f"QLoRA-style {bits}-bit quantization with the code book $\\{{ {number_list(codebook)} \\}}$ and "
                   f"the input tensor $[{number_list(x)}]$, one block (divide by the block's absolute maximum, "
                   f"round to the nearest code). What do you store, and what is the output after "
                   f"dequantization?",
            answer=f"Store the indices ${number_list(quantized.indices)}$ ({bits} bits each: `{codes}`) and the "
                   f"constant $c = {number(constant)}$: ${len(x)} \\cdot {bits} + {CONSTANT_BITS} = {stored}$ "
                   f"bits against ${len(x) * FP16_BITS}$ in FP16. Dequantized: $[{number_list(x_hat)}]$ "
                   f"(errors $x - \\hat x = [{number_list(error)}]$).",
            working=f"$x / c = [{number_list(scaled)}]$; each value goes to its nearest code, and "
                    f"$\\hat x_i = q_{{\\text{{index}}_i}} \\cdot {number(constant)}$.",
            check=_absmax_check(x, codebook, quantized.indices.tolist(), constant, x_hat.tolist(),
                                error.tolist())))
    return found


# ---------------------------------------------------------------------------------------------
# End-Sem Winter 2025 Q16: the signal-to-noise bound of a per-tensor quantized activation
# ---------------------------------------------------------------------------------------------


def _fake_quantized_noise_variance(bits: int, low: float, high: float) -> float:
    """The measured mean squared rounding error of PyTorch's per-tensor quantizer on a dense, even
    grid inside the range (one step in from each end, so nothing is clipped)."""
    scale = (high - low) / (2 ** bits - 1)
    zero_point = round(-low / scale)
    grid = torch.linspace(low + scale, high - scale, 20_001, dtype=torch.float64)
    quantized = torch.fake_quantize_per_tensor_affine(grid.float(), scale, zero_point, 0, 2 ** bits - 1)
    return ((grid - quantized.double()) ** 2).mean().item()


def _snr_check(bits, low, high, variance_z, snr, capacity, gain):
    def check():
        measured = {b: variance_z / _fake_quantized_noise_variance(b, low, high) for b in (bits, bits + 1)}
        bound = {b: 0.5 * torch.log2(torch.tensor(1 + s)).item() for b, s in measured.items()}
        assert abs(measured[bits] / snr - 1) < 2e-3, (measured[bits], snr)
        assert abs(bound[bits] - capacity) < 2e-3, (bound[bits], capacity)
        assert abs(bound[bits + 1] - bound[bits] - gain) < 2e-3, (bound, gain)
    return check


def quantization_snr_bound():
    found = []
    for bits, low, high, variance_z in [(4, -3.0, 3.0, 1.0), (6, -2.0, 2.0, 0.25), (8, -6.0, 6.0, 4.0)]:
        step = quantization_step(bits, low, high)
        noise_variance = quantization_noise_variance(step)
        snr = variance_z / noise_variance
        capacity = float(gaussian_channel_capacity(snr))
        snr_more = variance_z / quantization_noise_variance(quantization_step(bits + 1, low, high))
        capacity_more = float(gaussian_channel_capacity(snr_more))
        gain = capacity_more - capacity
        snr_growth = snr_more / snr      # about 4: one more bit halves the step
        found.append(Variant(
            givens=f"A layer's activations $z \\sim \\mathcal N(0, {number(variance_z)})$ are quantized per "
                   f"tensor to $b = {bits}$ bits over $[{number(low)}, {number(high)}]$. Model the rounding "
                   f"error as independent uniform noise. What are the step $\\Delta$, the noise variance "
                   f"$\\sigma_n^2$, the signal-to-noise ratio $\\sigma_z^2 / \\sigma_n^2$ and the Gaussian-channel "
                   f"bound $\\tfrac12 \\log_2(1 + \\sigma_z^2/\\sigma_n^2)$ on the bits one activation can carry? "
                   f"What does one more bit ($b = {bits + 1}$) add?",
            answer=f"$\\Delta = {number(round(step, 4))}$, $\\sigma_n^2 = {_scientific(noise_variance)}$, "
                   f"$\\mathrm{{SNR}} \\approx {number(round(snr, 1))}$, bound ${number(capacity, 2)}$ bits; "
                   f"with {bits + 1} bits ${number(capacity_more, 2)}$ bits, "
                   f"${number(gain, 2)}$ bit more (the SNR grows ${number(snr_growth, 2)}$-fold).",
            working=f"$\\Delta = {number(high - low)}/(2^{{{bits}}} - 1) = {number(round(step, 4))}$, "
                    f"$\\sigma_n^2 = \\Delta^2/12$, $\\tfrac12 \\log_2(1 + {number(round(snr, 1))}) "
                    f"= {number(capacity, 2)}$.",
            check=_snr_check(bits, low, high, variance_z, snr, capacity, gain)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q9(b): LoRA, adapters and prefix-tuning for every user
# ---------------------------------------------------------------------------------------------


def _trainable(modules) -> int:
    return sum(p.numel() for module in modules for p in module.parameters() if p.requires_grad)


def _peft_counts_check(layers, d, rank, lora_matrices, adapters, bottleneck, virtual_tokens, expected):
    """Build one layer's PEFT modules (on the meta device: no memory) and count their parameters."""
    def check():
        with torch.device("meta"):
            lora = [module for _ in range(lora_matrices)
                    for module in (nn.Linear(d, rank, bias=False), nn.Linear(rank, d, bias=False))]
            adapter = [nn.Sequential(nn.Linear(d, bottleneck), nn.ReLU(), nn.Linear(bottleneck, d))
                       for _ in range(adapters)]
            prefix = nn.ParameterList([nn.Parameter(torch.empty(virtual_tokens, d))])
        counted = {"LoRA": layers * _trainable(lora), "prefix-tuning": layers * _trainable([prefix]),
                   "adapters": layers * _trainable(adapter)}
        assert counted == expected, (counted, expected)
    return check


def peft_parameter_counts():
    found = []
    for name, layers, d, users, (prefix_length, infix_length), (rank, matrices), (adapters, m) in [
        ("a GPT-2 XL-sized model", 48, 1600, 1_000, (5, 3), (4, ("query", "value")), (2, 8)),
        ("a LLaMA-7B-sized model", 32, 4096, 50_000, (8, 8), (1, ("query", "value")), (2, 2)),
        ("a BERT-large-sized model", 24, 1024, 200_000, (4, 4), (8, ("query", "key")), (2, 16)),
    ]:
        P = prefix_length + infix_length
        per_user = {
            "LoRA": lora_parameter_count(rank, d, d, matrices=len(matrices) * layers),
            "prefix-tuning": prefix_parameter_count(d, layers, P, keys_and_values=False),
            "adapters": adapter_parameter_count(d, m, adapters=adapters * layers),
        }
        cheapest = [option for option, count in per_user.items() if count == min(per_user.values())]
        table = "; ".join(f"{option} ${number(count)}$ per user, ${number(count * users)}$ in all"
                          for option, count in per_user.items())
        found.append(Variant(
            givens=f"The same personalisation on {name}, $L = {layers}$ layers of width $d = {number(d)}$, for "
                   f"${number(users)}$ users: (1) prefix-tuning at all layers with a prefix of length "
                   f"{prefix_length} and an infix of length {infix_length}; (2) LoRA of rank $r = {rank}$ on the "
                   f"{matrices[0]} and {matrices[1]} matrices ($d \\times d$) of every layer; (3) {adapters} "
                   f"adapters per layer with projection dimension $m = {m}$. Count as the page does: one "
                   f"trained activation per virtual token and layer, adapters with biases. Compare the "
                   f"numbers of parameters.",
            answer=f"{table}. Cheapest: {' and '.join(cheapest)}.",
            working=f"Per layer: LoRA ${len(matrices)} \\cdot {rank}({number(d)} + {number(d)}) = "
                    f"{number(per_user['LoRA'] // layers)}$; prefix $P d = {P} \\cdot {number(d)} = "
                    f"{number(per_user['prefix-tuning'] // layers)}$; adapters ${adapters}(2 \\cdot {number(d)} "
                    f"\\cdot {m} + {m} + {number(d)}) = {number(per_user['adapters'] // layers)}$; times "
                    f"$L = {layers}$.",
            check=_peft_counts_check(layers, d, rank, len(matrices), adapters, m, P, per_user)))
    return found


# ---------------------------------------------------------------------------------------------
# End-Sem Winter 2025 Advanced Q1: the predicted loss change of a pruning mask
# ---------------------------------------------------------------------------------------------


def _pruning_check(theta, fisher, prune, expected_mask, expected_delta, expected_magnitude_delta):
    """A loss whose minimum is theta and whose Hessian is diag(F) makes the quadratic expansion exact:
    prune in PyTorch (smallest theta^2 F, or smallest |theta|) and measure the loss increase."""
    def check():
        t = torch.tensor(theta, dtype=torch.float64)
        f = torch.tensor(fisher, dtype=torch.float64)

        def loss(phi):
            return 0.5 * (f * (phi - t) ** 2).sum()

        assert torch.equal(hessian(loss, t), torch.diag(f))
        masks = {}
        for criterion, scores, expected in (("fisher", t ** 2 * f, expected_delta),
                                            ("magnitude", t.abs(), expected_magnitude_delta)):
            mask = torch.ones_like(t)
            mask[torch.topk(scores, prune, largest=False).indices] = 0
            increase = (loss(t * mask) - loss(t)).item()
            assert math.isclose(increase, expected, abs_tol=1e-12), (criterion, increase, expected)
            masks[criterion] = mask.tolist()
        assert masks["fisher"] == list(expected_mask), (masks, expected_mask)
    return check


def fisher_pruning_cost():
    found = []
    for theta, fisher, prune in [
        ([2.0, -0.2, 0.8, -1.0, 0.3], [0.02, 5.0, 1.0, 0.5, 2.0], 2),
        ([0.4, -1.2, 0.05, 2.0], [3.0, 0.25, 20.0, 0.1], 2),
        ([1.0, -0.5, 0.2, 3.0, -0.1, 0.6], [0.3, 2.0, 4.0, 0.01, 10.0, 1.0], 3),
    ]:
        saliency = fisher_saliency(theta, fisher)
        assert len(set(np.round(saliency, 10))) == len(saliency)   # no ties: the mask is unique
        norm = float(saliency.sum())
        mask = pruning_mask(saliency, prune)
        delta = fisher_pruning_loss_change(theta, fisher, mask)
        assert math.isclose(fisher_pruning_loss_change_normalised(theta, fisher, mask), delta)
        shares = saliency[mask == 0] / norm     # the printed form: shares of the Fisher norm, times the norm
        magnitude_mask = pruning_mask(np.abs(theta), prune)
        delta_magnitude = fisher_pruning_loss_change(theta, fisher, magnitude_mask)
        found.append(Variant(
            givens=f"A trained network has parameters $\\theta = ({number_list(theta)})$ with diagonal Fisher "
                   f"information $F_{{ii}} = ({number_list(fisher)})$. Prune {prune} parameters with the "
                   f"approximation $\\Delta L \\approx \\tfrac12 \\sum_{{i:\\, m_i = 0}} \\theta_i^2 F_{{ii}}$: which "
                   f"mask $m$, what $\\Delta L$, and what share of $\\|\\theta\\|_F^2$ does it remove? What would "
                   f"pruning the {prune} smallest $|\\theta_i|$ cost?",
            answer=f"$\\theta_i^2 F_{{ii}} = ({number_list(saliency)})$, $\\|\\theta\\|_F^2 = {number(round(norm, 4))}$; "
                   f"$m = ({number_list(mask)})$, $\\Delta L \\approx {number(round(delta, 4))}$, removing "
                   f"${' + '.join(number(round(s, 4)) for s in shares)} = {number(round(shares.sum(), 4))}$ of "
                   f"the norm. By magnitude $m = ({number_list(magnitude_mask)})$, "
                   f"$\\Delta L \\approx {number(round(delta_magnitude, 4))}$.",
            working=f"$\\Delta L \\approx \\tfrac12 ({' + '.join(number(round(s, 4)) for s in saliency[mask == 0])}) "
                    f"= \\tfrac12 \\cdot {number(round(shares.sum(), 4))} \\cdot {number(round(norm, 4))} "
                    f"= {number(round(delta, 4))}$.",
            check=_pruning_check(theta, fisher, prune, mask.tolist(), delta, delta_magnitude)))
    return found


PRACTICE = {
    "cs60010-endsem-q9a": quantize_to_codebook,
    "endsem-winter-2025-q16": quantization_snr_bound,
    "cs60010-endsem-q9b": peft_parameter_counts,
    "endsem-winter-2025-advanced-q1": fisher_pruning_cost,
}

NO_PRACTICE = {}
