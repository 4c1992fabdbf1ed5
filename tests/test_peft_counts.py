"""LoRA, adapter and prefix-tuning parameter counts against real PyTorch modules; merged LoRA."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlref.peft import (GPT3_175B, adapter_parameter_count, lora_parameter_count,
                        prefix_parameter_count)


class LoRALinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update: y = x W^T + b + (alpha/r) x A^T B^T."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float = 1.0):
        super().__init__()
        self.base = base.requires_grad_(False)
        self.A = nn.Parameter(torch.randn(rank, base.in_features, dtype=base.weight.dtype) * 0.1)
        self.B = nn.Parameter(torch.randn(base.out_features, rank, dtype=base.weight.dtype) * 0.1)
        self.scale = alpha / rank

    def forward(self, x):
        return self.base(x) + self.scale * (x @ self.A.T) @ self.B.T

    def merged(self) -> nn.Linear:
        layer = nn.Linear(self.base.in_features, self.base.out_features, dtype=self.base.weight.dtype)
        with torch.no_grad():
            layer.weight.copy_(self.base.weight + self.scale * self.B @ self.A)
            layer.bias.copy_(self.base.bias)
        return layer


class Block(nn.Module):
    """A small attention block: W_q, W_k, W_v, W_o, with optional LoRA on W_q and W_k, two adapters,
    and a trainable prefix of keys and values."""

    def __init__(self, d, rank=None, bottleneck=None, prefix=None, bias=True):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(d, d, dtype=torch.float64) for _ in range(4))
        for layer in (self.q, self.k, self.v, self.o):
            layer.requires_grad_(False)
        if rank:
            self.q, self.k = LoRALinear(self.q, rank), LoRALinear(self.k, rank)
        self.adapters = nn.ModuleList(
            nn.Sequential(nn.Linear(d, bottleneck, bias=bias, dtype=torch.float64), nn.ReLU(),
                          nn.Linear(bottleneck, d, bias=bias, dtype=torch.float64))
            for _ in range(2)) if bottleneck else None
        self.prefix = nn.Parameter(torch.randn(2, prefix, d, dtype=torch.float64)) if prefix else None

    def forward(self, x):
        q, k, v = self.q(x), self.k(x), self.v(x)
        if self.prefix is not None:
            k, v = torch.cat([self.prefix[0], k]), torch.cat([self.prefix[1], v])
        h = x + self.o(F.scaled_dot_product_attention(q[None], k[None], v[None])[0])
        if self.adapters is not None:
            for adapter in self.adapters:
                h = h + adapter(h)
        return h


def trainable(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


@pytest.mark.parametrize("layers, d, rank", [(1, 8, 1), (3, 16, 2), (2, 24, 4)])
def test_lora_on_query_and_key_counts_what_pytorch_trains(layers, d, rank):
    model = nn.Sequential(*(Block(d, rank=rank) for _ in range(layers)))
    assert trainable(model) == lora_parameter_count(rank, d, d, matrices=2 * layers)


@pytest.mark.parametrize("d_in, d_out, rank", [(5, 7, 1), (12, 4, 3), (16, 16, 8)])
def test_lora_on_a_rectangular_matrix(d_in, d_out, rank):
    layer = LoRALinear(nn.Linear(d_in, d_out, dtype=torch.float64), rank)
    assert trainable(layer) == lora_parameter_count(rank, d_in, d_out)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("layers, d, bottleneck", [(1, 8, 1), (3, 16, 2), (2, 10, 5)])
def test_adapters_count_what_pytorch_trains(layers, d, bottleneck, bias):
    model = nn.Sequential(*(Block(d, bottleneck=bottleneck, bias=bias) for _ in range(layers)))
    assert trainable(model) == adapter_parameter_count(d, bottleneck, adapters=2 * layers, bias=bias)


@pytest.mark.parametrize("layers, d, tokens", [(1, 8, 1), (3, 16, 8), (2, 12, 5)])
def test_prefix_counts_what_pytorch_trains_and_attention_uses_it(layers, d, tokens):
    model = nn.Sequential(*(Block(d, prefix=tokens) for _ in range(layers)))
    assert trainable(model) == prefix_parameter_count(d, layers, tokens)
    assert prefix_parameter_count(d, layers, tokens, keys_and_values=False) * 2 == trainable(model)
    x = torch.randn(4, d, dtype=torch.float64)
    before = model(x)
    with torch.no_grad():
        model[0].prefix.add_(1.0)
    assert not torch.allclose(model(x), before)  # the virtual tokens are attended to


def test_merged_lora_gives_the_same_outputs():
    base = nn.Linear(12, 9, dtype=torch.float64)
    lora = LoRALinear(base, rank=3, alpha=6.0)
    x = torch.randn(5, 12, dtype=torch.float64)
    assert torch.allclose(lora(x), lora.merged()(x))
    update = lora.merged().weight - base.weight
    assert torch.linalg.matrix_rank(update) == 3
    assert lora.A.numel() + lora.B.numel() == lora_parameter_count(3, 12, 9)


def test_gpt3_configuration_gives_175_billion_parameters():
    """12 L d^2 for the blocks plus token (50,257) and position (2,048) embeddings: about 175B."""
    L, d = GPT3_175B.layers, GPT3_175B.d_model
    assert d % GPT3_175B.heads == 0 and d // GPT3_175B.heads == 128
    total = 12 * L * d ** 2 + (50_257 + 2_048) * d
    assert total == pytest.approx(175e9, rel=0.01)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="rank 9 exceeds"):
        lora_parameter_count(9, 8, 16)
    with pytest.raises(TypeError, match="bias must be True or False"):
        adapter_parameter_count(8, 2, bias=0)
    with pytest.raises(ValueError, match="virtual_tokens must be >= 1"):
        prefix_parameter_count(8, 2, 0)
