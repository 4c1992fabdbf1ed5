"""Parameter counts of T5 and ViT against PyTorch modules; compute-optimal scaling against autograd."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from dlref.language_models import (CHINCHILLA_FIT, SCALING_EXPONENTS, chinchilla_loss,
                                   chinchilla_optimal_model_size, compute_allocation, t5_parameter_count,
                                   vit_input_parameter_count)


def count(module):
    return sum(p.numel() for p in module.parameters())


class T5Attention(nn.Module):
    def __init__(self, d_model, inner, heads, buckets):
        super().__init__()
        self.q, self.k, self.v = (nn.Linear(d_model, inner, bias=False) for _ in range(3))
        self.o = nn.Linear(inner, d_model, bias=False)
        self.relative_bias = nn.Embedding(buckets, heads) if buckets else None


def t5_module(d_model, d_ff, enc, dec, heads, d_kv, vocab, buckets, tied):
    """T5 v1.0 as the Hugging Face implementation lays it out, from nn.Linear / nn.Embedding / nn.RMSNorm."""
    inner = heads * d_kv

    def block(cross, first):
        parts = [T5Attention(d_model, inner, heads, buckets if first else 0), nn.RMSNorm(d_model)]
        if cross:
            parts += [T5Attention(d_model, inner, heads, 0), nn.RMSNorm(d_model)]
        return nn.ModuleList(parts + [nn.Linear(d_model, d_ff, bias=False), nn.Linear(d_ff, d_model, bias=False),
                                      nn.RMSNorm(d_model)])

    model = nn.ModuleDict({
        "shared": nn.Embedding(vocab, d_model),
        "encoder": nn.ModuleList([block(False, i == 0) for i in range(enc)] + [nn.RMSNorm(d_model)]),
        "decoder": nn.ModuleList([block(True, i == 0) for i in range(dec)] + [nn.RMSNorm(d_model)]),
    })
    if not tied:
        model["lm_head"] = nn.Linear(d_model, vocab, bias=False)
    return model


T5_CONFIGS = [  # (d_model, d_ff, encoder layers, decoder layers, heads, d_kv, vocab, buckets, tied)
    (1024, 4096, 24, 24, 16, 64, 32_128, 32, True),    # T5-Large
    (512, 2048, 6, 6, 8, 64, 32_128, 32, True),        # T5-Small
    (768, 3072, 12, 12, 12, 64, 32_128, 32, True),     # T5-Base
    (1024, 16_384, 24, 24, 32, 128, 32_128, 32, True),  # T5-3B: h * d_kv = 4096 != d_model
]


@pytest.mark.parametrize("config", T5_CONFIGS + [
    tuple(int(v) for v in np.random.default_rng(seed).integers(1, 40, 8)) + (bool(seed % 2),) for seed in range(6)])
def test_t5_count_matches_the_modules(config):
    with torch.device("meta"):
        model = t5_module(*config)
    ours = t5_parameter_count(*config[:7], relative_attention_num_buckets=config[7], tie_word_embeddings=config[8])
    assert ours.total == count(model)
    assert ours.layer_norms == sum(p.numel() for m in model.modules() if isinstance(m, nn.RMSNorm)
                                   for p in m.parameters())


def test_t5_large_matches_pytorch_transformer_layers():
    with torch.device("meta"):
        layer = dict(d_model=1024, nhead=16, dim_feedforward=4096, bias=False, batch_first=True)
        encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(**layer), 24, norm=nn.LayerNorm(1024, bias=False),
                                        enable_nested_tensor=False)
        decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(**layer), 24, norm=nn.LayerNorm(1024, bias=False))
    large = t5_parameter_count()
    assert count(encoder) == large.encoder_self_attention + large.encoder_ffn + (2 * 24 + 1) * 1024
    assert count(decoder) == (large.decoder_self_attention + large.decoder_cross_attention + large.decoder_ffn
                              + (3 * 24 + 1) * 1024)
    assert large.total == 737_668_096          # the released checkpoint's trainable size (T5 issue 326)
    assert t5_parameter_count(tie_word_embeddings=False).total - large.total == 32_128 * 1024


class ViTInput(nn.Module):
    def __init__(self, image, patch, channels, d_model, cls):
        super().__init__()
        self.patches = nn.Conv2d(channels, d_model, kernel_size=patch, stride=patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, d_model)) if cls else None
        tokens = (image[0] // patch[0]) * (image[1] // patch[1]) + cls
        self.positions = nn.Parameter(torch.zeros(1, tokens, d_model))

    def forward(self, x):
        tokens = self.patches(x).flatten(2).transpose(1, 2)
        if self.cls is not None:
            tokens = torch.cat([self.cls.expand(len(x), -1, -1), tokens], dim=1)
        return tokens + self.positions


@pytest.mark.parametrize("image, patch, channels, d_model, cls", [
    ((224, 224), (8, 8), 3, 512, True), ((224, 224), (16, 16), 3, 768, True), ((32, 48), (4, 8), 1, 20, False),
    ((30, 30), (5, 3), 2, 7, True)])
def test_vit_input_counts_match_the_module(image, patch, channels, d_model, cls):
    module = ViTInput(image, patch, channels, d_model, cls)
    out = module(torch.zeros(1, channels, *image))
    ours = vit_input_parameter_count(image, patch, channels, d_model, class_token=cls)
    assert out.shape[1] == ours.num_patches + cls and out.shape[2] == d_model
    assert ours.positional == module.positions.numel()
    assert (ours.patch_weights, ours.patch_biases) == (module.patches.weight.numel(), module.patches.bias.numel())
    assert ours.class_token == (module.cls.numel() if cls else 0)
    assert sum(ours[1:]) == count(module)


def torch_optimal_model_size(compute):
    """argmin_N of Chinchilla's L(N, C/(6N)) by LBFGS on log N (autograd)."""
    log_n = torch.tensor(20.0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_n], max_iter=300, tolerance_grad=1e-15, tolerance_change=1e-15)
    log_budget = math.log(compute / 6)
    f = CHINCHILLA_FIT

    def closure():
        optimizer.zero_grad()
        loss = f["E"] + f["A"] * torch.exp(-f["alpha"] * log_n) + f["B"] * torch.exp(-f["beta"] * (log_budget - log_n))
        loss.backward()
        return loss

    optimizer.step(closure)
    return log_n.exp().item()


@pytest.mark.parametrize("compute", [1e18, 5.76e23, 1e25])
def test_chinchilla_closed_form_is_the_autograd_minimum(compute):
    n_opt, d_opt = chinchilla_optimal_model_size(compute)
    assert n_opt == pytest.approx(torch_optimal_model_size(compute), rel=1e-6)
    assert 6 * n_opt * d_opt == pytest.approx(compute)
    assert chinchilla_loss(n_opt, d_opt) < min(chinchilla_loss(n_opt * s, d_opt / s) for s in (0.9, 1.1))


@pytest.mark.parametrize("factor", [10.0, 1e6, 1e9, 3.7])
def test_compute_allocation_splits_the_factor(factor):
    for law, (a, b) in SCALING_EXPONENTS.items():
        split = compute_allocation(factor, law)
        assert a + b == pytest.approx(1)
        assert split.model_factor * split.data_factor == pytest.approx(factor)
        assert split.model_factor == pytest.approx(factor ** a)
        assert split.log10_model == pytest.approx(math.log10(split.model_factor))
    fitted = torch_optimal_model_size(1e20 * factor) / torch_optimal_model_size(1e20)
    a_fit = CHINCHILLA_FIT["beta"] / (CHINCHILLA_FIT["alpha"] + CHINCHILLA_FIT["beta"])
    assert fitted == pytest.approx(factor ** a_fit, rel=1e-5)   # approach 3's a = 0.45, near Chinchilla's 0.5


def test_kaplan_and_chinchilla_exponents_are_the_published_ones():
    assert SCALING_EXPONENTS == {"kaplan": (0.73, 0.27), "chinchilla": (0.5, 0.5)}
    assert compute_allocation(1e6, "chinchilla").model_factor == pytest.approx(1e3)


@pytest.mark.parametrize("call, error, message", [
    (lambda: t5_parameter_count(d_model=0), ValueError, "d_model must be >= 1"),
    (lambda: t5_parameter_count(tie_word_embeddings=1), TypeError, "tie_word_embeddings must be True or False"),
    (lambda: t5_parameter_count(num_heads=2.5), TypeError, "num_heads must be an integer"),
    (lambda: vit_input_parameter_count(224, 5), ValueError, "must be divisible by patch_size"),
    (lambda: vit_input_parameter_count(224, 8, class_token="yes"), TypeError, "class_token must be True or False"),
    (lambda: compute_allocation(0.5, "kaplan"), ValueError, "compute_factor must be a number >= 1"),
    (lambda: compute_allocation(10, "gpt"), ValueError, "law must be one of"),
    (lambda: chinchilla_optimal_model_size(-1), ValueError, "compute must be a positive number"),
    (lambda: chinchilla_loss(0, 1), ValueError, "n_params and n_tokens must be positive"),
])
def test_bad_input_names_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()
