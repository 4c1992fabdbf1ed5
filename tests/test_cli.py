"""The ``dlref`` command answers for the user's own numbers what PyTorch itself gives, and refuses
impossible inputs with a message that says why; the examples on docs/calculator.md are its real output."""

import random
import re
import subprocess
import sys

import pytest
import torch
from torch import nn

import contract
from dlref import cli


def torch_stack(input_shape, layers):
    """Build the stack in PyTorch (independently of dlref) and read each layer's shape and parameters."""
    height, width, channels = input_shape
    x = torch.zeros(1, channels, height, width)
    rows = []
    for spec in layers:
        kind, _, rest = spec.partition(":")
        options = dict(part.split("=") for part in rest.split(",") if "=" in part)
        first = [part for part in rest.split(",") if part and "=" not in part]
        if kind == "conv":
            padding = options.get("p", "0")
            padding = padding if padding in ("same", "valid") else int(padding)
            module = nn.Conv2d(x.shape[1], int(first[0]), int(options.get("k", 3)), int(options.get("s", 1)),
                               padding, int(options.get("d", 1)), int(options.get("g", 1)))
        elif kind == "pool":
            module = nn.MaxPool2d(int(first[0]), int(options.get("s", first[0])), int(options.get("p", 0)))
        elif kind == "bn":
            module = nn.BatchNorm2d(x.shape[1])
        elif kind == "flatten":
            module = nn.Flatten()
        else:
            module = nn.Linear(x.shape[1], int(first[0]))
        x = module(x)
        shape = (x.shape[2], x.shape[3], x.shape[1]) if x.dim() == 4 else (x.shape[1],)
        rows.append((shape, sum(p.numel() for p in module.parameters())))
    return rows


STACKS = [
    ((128, 128, 3), ["conv:16,k=5,p=same", "pool:2", "conv:32,k=3", "pool:2", "flatten", "dense:100"]),
    ((224, 224, 3), ["conv:64,k=3,p=1", "bn", "conv:64,k=3,p=1,s=2", "pool:3,s=2,p=1", "conv:128,k=1,g=2", "flatten",
                     "dense:10"]),
    ((32, 32, 1), ["conv:8,k=3,d=2", "conv:8,k=3,p=same", "pool:2", "flatten", "dense:4"]),
]


@pytest.mark.parametrize("input_shape, layers", STACKS)
def test_cnn_table_agrees_with_pytorch(input_shape, layers):
    ours = [(row.shape, row.params.total) for row in cli.cnn_table(input_shape, layers)]
    assert ours == torch_stack(input_shape, layers)


@pytest.mark.parametrize("seed", range(5))
def test_cnn_table_agrees_with_pytorch_on_random_stacks(seed):
    rng = random.Random(seed)
    size, layers = rng.randint(24, 64), []
    for _ in range(rng.randint(1, 4)):
        k = rng.choice([1, 3, 5])
        layers.append(f"conv:{rng.randint(1, 12)},k={k},s={rng.randint(1, 2)},p={rng.randint(0, k // 2)}")
        if rng.random() < 0.5:
            layers.append("pool:2")
    layers += ["flatten", f"dense:{rng.randint(1, 20)}"]
    shape = (size, size, rng.randint(1, 4))
    assert [(r.shape, r.params.total) for r in cli.cnn_table(shape, layers)] == torch_stack(shape, layers)


@pytest.mark.parametrize("cell, module", [("lstm", nn.LSTM), ("gru", nn.GRU), ("rnn", nn.RNN)])
def test_rnn_counts_agree_with_pytorch(cell, module, capsys):
    cli.main(["rnn", cell, "--input", "30", "--hidden", "20", "--bidirectional", "--pytorch"])
    expected = sum(p.numel() for p in module(30, 20, bidirectional=True).parameters())
    assert capsys.readouterr().out.strip().endswith(f"parameters {expected:,}")


@pytest.mark.parametrize("argv, message", [
    (["cnn", "7x7x1", "conv:1,k=9"], "larger than the padded input"),
    (["cnn", "7x7x1", "flatten", "conv:3"], "needs an image"),
    (["cnn", "7x7x1", "dense:3"], "needs a flat input"),
    (["cnn", "7x7", "conv:3"], "HEIGHTxWIDTHxCHANNELS"),
    (["cnn", "7x7x1", "conv:3,q=1"], "unknown option"),
    (["cnn", "7x7x1", "conv:three"], "whole number"),
    (["cnn", "7x7x1", "lstm:3"], "unknown layer"),
    (["rnn", "lstm", "--input", "0", "--hidden", "3"], "input_size"),
])
def test_impossible_inputs_say_why(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_the_calculator_page_shows_the_commands_real_output():
    page = (contract.DOCS / "calculator.md").read_text(encoding="utf-8")
    examples = re.findall(r"```console\n\$ (dlref [^\n]+)\n(.*?)```", page, re.S)
    assert len(examples) >= 2
    for command, shown in examples:
        result = subprocess.run([sys.executable, "-m", "dlref", *command.split()[1:]], capture_output=True,
                                text=True, cwd=contract.ROOT)
        assert result.stdout + result.stderr == shown, f"docs/calculator.md: the output of `{command}` changed"


@pytest.mark.parametrize("d_model, heads, d_ff, layers, vocab, positions, bias", [
    (64, 4, 256, 2, 1000, 128, True), (48, 6, 96, 3, 0, 0, False), (512, 8, 2048, 1, 0, 0, True)])
def test_transformer_counts_agree_with_pytorch(d_model, heads, d_ff, layers, vocab, positions, bias):
    stack = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, heads, d_ff, bias=bias), layers,
                                  enable_nested_tensor=False)
    parts = [stack] + ([nn.Embedding(vocab, d_model)] if vocab else []) + \
            ([nn.Embedding(positions, d_model)] if positions else [])
    expected = sum(p.numel() for part in parts for p in part.parameters())
    rows = dict(cli.transformer_rows(d_model, heads, d_ff, layers, vocab, positions, bias))
    assert rows["total"] == expected
    one = stack.layers[0]
    assert rows["one encoder layer"] == sum(p.numel() for p in one.parameters())
    assert rows["self-attention (W_Q, W_K, W_V, W_O), per layer"] == sum(p.numel() for p in one.self_attn.parameters())


def test_t5_command_prints_every_part_and_their_sum(capsys):
    cli.main(["t5", "--d-model", "64", "--d-ff", "128", "--layers", "2", "--heads", "4", "--d-kv", "16",
              "--vocab", "100", "--untied"])
    lines = capsys.readouterr().out.strip().splitlines()
    values = {line.rsplit(None, 1)[0].strip(): int(line.rsplit(None, 1)[1].replace(",", "")) for line in lines}
    assert values["total"] == sum(v for k, v in values.items() if k != "total")
    # the parts a hand count gives, written out independently: attention 4 d (h d_kv), FFN 2 d d_ff
    assert values["encoder self attention"] == 2 * 4 * 64 * 64 and values["decoder cross attention"] == 2 * 4 * 64 * 64
    assert values["encoder ffn"] == values["decoder ffn"] == 2 * 2 * 64 * 128
    assert values["embedding"] == values["lm head"] == 100 * 64
    assert values["relative bias"] == 2 * 32 * 4 and values["layer norms"] == (2 * 2 + 1 + 3 * 2 + 1) * 64


@pytest.mark.parametrize("argv, message", [
    (["transformer", "--d-model", "510", "--heads", "8", "--d-ff", "2048"], "not divisible by num_heads"),
    (["transformer", "--d-model", "8", "--heads", "2", "--d-ff", "4", "--layers", "0"], "layers must be at least 1"),
    (["transformer", "--d-model", "8", "--heads", "2", "--d-ff", "4", "--vocab", "-3"], "must not be negative"),
    (["t5", "--heads", "0"], "num_heads"),
])
def test_impossible_transformers_say_why(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err
