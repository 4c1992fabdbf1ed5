"""Costs and parameter counts of dlref.attention against PyTorch's FLOP counter and real modules."""

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from dlref import attention as A


def count(module):
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize("n, d, h", [(16, 32, 4), (40, 8, 1), (7, 24, 3)])
def test_self_attention_macs_match_the_flop_counter(n, d, h):
    mha = nn.MultiheadAttention(d, h, bias=False, batch_first=True)
    x = torch.randn(1, n, d)
    with FlopCounterMode(display=False) as counter:
        mha(x, x, x)
    cost = A.self_attention_macs(n, d, num_heads=h)
    assert counter.get_total_flops() == cost.flops == 2 * cost.total


def test_full_width_heads_cost_h_times_more_in_the_attention_products():
    base, wide = A.self_attention_macs(10, 16, 4), A.self_attention_macs(10, 16, 4, d_head=16)
    assert wide.scores == 4 * base.scores and wide.weighted_sum == 4 * base.weighted_sum
    assert wide.projections == 4 * base.projections


@pytest.mark.parametrize("d, h, bias", [(512, 8, True), (64, 4, False), (768, 12, True)])
def test_multi_head_attention_parameters_match_the_module(d, h, bias):
    assert A.multi_head_attention_parameter_count(d, h, bias).total == count(nn.MultiheadAttention(d, h, bias=bias))


@pytest.mark.parametrize("d, h, d_ff, bias", [(512, 8, 2048, True), (768, 12, 3072, True), (32, 4, 64, True),
                                               (48, 6, 96, False)])
def test_encoder_layer_parameters_match_nn_transformerencoderlayer(d, h, d_ff, bias):
    layer = nn.TransformerEncoderLayer(d, h, dim_feedforward=d_ff, bias=bias)
    assert A.transformer_encoder_layer_parameter_count(d, h, d_ff, bias).total == count(layer)


@pytest.mark.parametrize("d, bias", [(16, True), (16, False)])
def test_layernorm_parameters_match_nn_layernorm(d, bias):
    assert A.layernorm_parameter_count(d, bias).total == count(nn.LayerNorm(d, bias=bias))


@pytest.mark.parametrize("hidden, classes", [(768, 5), (1024, 3), (128, 2)])
def test_classification_head_matches_nn_linear(hidden, classes):
    head = A.classification_head_parameter_count(hidden, classes)
    assert head.total == count(nn.Linear(hidden, classes))
    assert head.weights == nn.Linear(hidden, classes).weight.numel()


def test_bert_count_matches_modules_built_from_pytorch():
    def bert(vocab, d, layers, heads, d_ff, positions):
        embeddings = [nn.Embedding(vocab, d), nn.Embedding(positions, d), nn.Embedding(2, d), nn.LayerNorm(d)]
        return (sum(count(m) for m in embeddings) + layers * count(nn.TransformerEncoderLayer(d, heads, d_ff))
                + count(nn.Linear(d, d)))

    assert A.bert_parameter_count().total == bert(30_522, 768, 12, 12, 3_072, 512)
    small = A.bert_parameter_count(vocab_size=1000, hidden_size=64, layers=2, heads=4, d_ff=128, max_positions=32)
    assert small.total == bert(1000, 64, 2, 4, 128, 32)


def test_alignment_scores_count_like_the_modules_that_compute_them():
    assert A.alignment_parameter_count("dot", 16, 16) == 0
    assert A.alignment_parameter_count("general", 16, 24) == count(nn.Bilinear(24, 16, 1, bias=False))
    additive = nn.ModuleList([nn.Linear(16, 10, bias=False), nn.Linear(24, 10, bias=False), nn.Linear(10, 1, bias=False)])
    assert A.alignment_parameter_count("additive", 24, 16, attention_size=10) == count(additive)
