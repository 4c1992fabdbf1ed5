"""``dlref``: answer the papers' kinds of question for your own numbers.

    dlref cnn 128x128x3 conv:16,k=5,p=same pool:2 conv:32,k=3 pool:2 flatten dense:100
    dlref rnn lstm --input 300 --hidden 200 --bidirectional --backward-hidden 100
    dlref transformer --d-model 512 --heads 8 --d-ff 2048 --layers 6 --vocab 32000
    dlref t5 --d-model 512 --d-ff 2048 --layers 6 --heads 8

``cnn`` follows an image through a stack of layers and prints each layer's output shape and
parameters (weights, biases); ``rnn`` counts the parameters of a recurrent layer; ``transformer``
counts an encoder stack (``nn.TransformerEncoderLayer``) with optional embeddings, and ``t5`` a T5
encoder-decoder by part (defaults: T5-Large). Every number comes
from the same :mod:`dlref` functions that answer the questions on the site; impossible inputs (a kernel
larger than its padded input, a layer that needs a flat input) stop with a message that says why.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass

from dlref import attention, cnn, language_models, rnn


@dataclass
class Row:
    layer: str
    shape: tuple[int, ...]          # (H, W, C) or (features,)
    params: cnn.ParameterCount


def _options(text: str, spec: str) -> tuple[list[str], dict[str, str]]:
    """``16,k=5,p=same`` → (["16"], {"k": "5", "p": "same"})."""
    positional, named = [], {}
    for part in filter(None, text.split(",")):
        key, sep, value = part.partition("=")
        if sep:
            named[key.strip()] = value.strip()
        else:
            positional.append(part.strip())
    return positional, named


def _int(spec: str, name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{spec}: {name} must be a whole number, got {value!r}") from None
    if number < 0:
        raise ValueError(f"{spec}: {name} must not be negative, got {number}")
    return number


def parse_input(text: str) -> tuple[int, int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)x(\d+)", text.strip().lower())
    if not match:
        raise ValueError(f"input must be HEIGHTxWIDTHxCHANNELS, e.g. 128x128x3, got {text!r}")
    height, width, channels = (int(g) for g in match.groups())
    if min(height, width, channels) < 1:
        raise ValueError(f"input sizes must be positive, got {text!r}")
    return height, width, channels


def cnn_table(input_shape: tuple[int, int, int], layers: list[str]) -> list[Row]:
    """Each layer's output shape and parameters; layer specs as in this module's docstring."""
    shape: tuple[int, ...] = input_shape
    rows = []
    for spec in layers:
        kind, _, rest = spec.partition(":")
        positional, named = _options(rest, spec)
        unknown = set(named) - {"k", "s", "p", "d", "g", "bias"}
        if unknown:
            raise ValueError(f"{spec}: unknown option(s) {sorted(unknown)}; use k, s, p, d, g, bias")
        if kind in ("conv", "pool", "bn") and len(shape) != 3:
            raise ValueError(f"{spec}: needs an image (H x W x C), but the input here is flat {shape}")
        if kind == "conv":
            if len(positional) != 1:
                raise ValueError(f"{spec}: write conv:FILTERS[,k=K,s=S,p=P|same|valid,d=D,g=G]")
            filters = _int(spec, "filters", positional[0])
            kernel = _int(spec, "k", named.get("k", "3"))
            stride, dilation = _int(spec, "s", named.get("s", "1")), _int(spec, "d", named.get("d", "1"))
            groups = _int(spec, "g", named.get("g", "1"))
            padding = named.get("p", "0")
            padding = padding if padding in ("same", "valid") else _int(spec, "p", padding)
            bias = named.get("bias", "1") not in ("0", "false", "no")
            height, width = cnn.conv2d_output_shape(shape[:2], kernel, stride, padding, dilation)
            params = cnn.conv2d_parameter_count(shape[2], filters, kernel, groups=groups, bias=bias)
            shape = (height, width, filters)
        elif kind == "pool":
            if len(positional) != 1:
                raise ValueError(f"{spec}: write pool:K[,s=S,p=P]")
            kernel = _int(spec, "k", positional[0])
            stride = _int(spec, "s", named.get("s", str(kernel)))
            height, width = cnn.pool2d_output_shape(shape[:2], kernel, stride, _int(spec, "p", named.get("p", "0")))
            params, shape = cnn.ParameterCount(0, 0), (height, width, shape[2])
        elif kind == "bn":
            params = cnn.batchnorm_parameter_count(shape[2])
        elif kind == "flatten":
            size = 1
            for n in shape:
                size *= n
            params, shape = cnn.ParameterCount(0, 0), (size,)
        elif kind == "dense":
            if len(shape) != 1:
                raise ValueError(f"{spec}: a dense layer needs a flat input; add 'flatten' before it")
            if len(positional) != 1:
                raise ValueError(f"{spec}: write dense:UNITS")
            units = _int(spec, "units", positional[0])
            params = cnn.dense_parameter_count(shape[0], units, bias=named.get("bias", "1") not in ("0", "false"))
            shape = (units,)
        else:
            raise ValueError(f"{spec}: unknown layer {kind!r}; use conv, pool, bn, flatten or dense")
        rows.append(Row(spec, shape, params))
    return rows


def format_table(rows: list[Row], input_shape: tuple[int, ...]) -> str:
    lines = [f"{'layer':<28} {'output':>16} {'weights':>12} {'biases':>8} {'parameters':>12}",
             f"{'input':<28} {' x '.join(map(str, input_shape)):>16}"]
    for row in rows:
        lines.append(f"{row.layer:<28} {' x '.join(map(str, row.shape)):>16} {row.params.weights:>12,} "
                     f"{row.params.biases:>8,} {row.params.total:>12,}")
    total = sum((row.params for row in rows), cnn.ParameterCount(0, 0))
    lines.append(f"{'total':<28} {'':>16} {total.weights:>12,} {total.biases:>8,} {total.total:>12,}")
    return "\n".join(lines)


def transformer_rows(d_model: int, heads: int, d_ff: int, layers: int, vocab: int = 0,
                     max_positions: int = 0, bias: bool = True) -> list[tuple[str, int]]:
    """``(part, parameters)`` of an encoder stack: per layer self-attention ``4d^2 (+4d)``, feed-forward
    ``2 d d_ff (+ d_ff + d)``, two LayerNorms ``2d (+2d)`` (the terms in brackets are biases); then token
    and learned position embeddings."""
    if layers < 1:
        raise ValueError(f"layers must be at least 1, got {layers}")
    if vocab < 0 or max_positions < 0:
        raise ValueError("vocab and max_positions must not be negative")
    mha = attention.multi_head_attention_parameter_count(d_model, heads, bias).total
    layer = attention.transformer_encoder_layer_parameter_count(d_model, heads, d_ff, bias).total
    norms = 2 * attention.layernorm_parameter_count(d_model, bias).total
    rows = [("self-attention (W_Q, W_K, W_V, W_O), per layer", mha),
            ("feed-forward d -> d_ff -> d, per layer", layer - mha - norms),
            ("two LayerNorms, per layer", norms),
            ("one encoder layer", layer),
            (f"{layers} encoder layers", layers * layer)]
    if vocab:
        rows.append((f"token embedding ({vocab:,} x {d_model})", vocab * d_model))
    if max_positions:
        rows.append((f"learned positions ({max_positions:,} x {d_model})", max_positions * d_model))
    rows.append(("total", layers * layer + (vocab + max_positions) * d_model))
    return rows


def t5_rows(**config) -> list[tuple[str, int]]:
    """``(part, parameters)`` of a T5 v1.0 encoder-decoder (:func:`dlref.language_models.t5_parameter_count`)."""
    count = language_models.t5_parameter_count(**config)
    return [(name.replace("_", " "), value) for name, value in count._asdict().items()] + [("total", count.total)]


def format_counts(rows: list[tuple[str, int]]) -> str:
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value:>15,}" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dlref", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    conv = commands.add_parser("cnn", help="shapes and parameters through a stack of layers")
    conv.add_argument("input", help="HEIGHTxWIDTHxCHANNELS, e.g. 128x128x3")
    conv.add_argument("layers", nargs="+", help="conv:F[,k=,s=,p=,d=,g=,bias=0]  pool:K[,s=,p=]  bn  flatten  "
                                                 "dense:UNITS")
    recurrent = commands.add_parser("rnn", help="parameters of a recurrent layer")
    recurrent.add_argument("cell", choices=sorted(rnn.GATE_COUNT))
    recurrent.add_argument("--input", type=int, required=True, help="input size n_x")
    recurrent.add_argument("--hidden", type=int, required=True, help="hidden size n_h")
    recurrent.add_argument("--bidirectional", action="store_true", help="add a backward layer")
    recurrent.add_argument("--backward-hidden", type=int, help="hidden size of the backward layer")
    recurrent.add_argument("--pytorch", action="store_true", help="two bias vectors per gate, as PyTorch")
    encoder = commands.add_parser("transformer", help="parameters of a transformer encoder stack")
    encoder.add_argument("--d-model", type=int, required=True, help="model width d")
    encoder.add_argument("--heads", type=int, required=True, help="attention heads (must divide d)")
    encoder.add_argument("--d-ff", type=int, required=True, help="feed-forward width")
    encoder.add_argument("--layers", type=int, default=1, help="encoder layers (default 1)")
    encoder.add_argument("--vocab", type=int, default=0, help="vocabulary size, for a token embedding")
    encoder.add_argument("--max-positions", type=int, default=0, help="learned position embeddings")
    encoder.add_argument("--no-bias", action="store_true",
                         help="no biases in the linear layers and LayerNorms (nn.TransformerEncoderLayer(bias=False))")
    t5 = commands.add_parser("t5", help="parameters of a T5 encoder-decoder, by part (default T5-Large)")
    t5.add_argument("--d-model", type=int, default=1024)
    t5.add_argument("--d-ff", type=int, default=4096)
    t5.add_argument("--layers", type=int, default=24, help="layers per stack")
    t5.add_argument("--heads", type=int, default=16)
    t5.add_argument("--d-kv", type=int, default=64, help="width of one head")
    t5.add_argument("--vocab", type=int, default=32_128)
    t5.add_argument("--untied", action="store_true", help="a separate output layer (T5 v1.1 style)")
    args = parser.parse_args(argv)
    try:
        if args.command == "cnn":
            shape = parse_input(args.input)
            print(format_table(cnn_table(shape, args.layers), shape))
        elif args.command == "transformer":
            print(format_counts(transformer_rows(args.d_model, args.heads, args.d_ff, args.layers, args.vocab,
                                                 args.max_positions, bias=not args.no_bias)))
        elif args.command == "t5":
            print(format_counts(t5_rows(d_model=args.d_model, d_ff=args.d_ff, num_layers=args.layers,
                                        num_heads=args.heads, d_kv=args.d_kv, vocab_size=args.vocab,
                                        tie_word_embeddings=not args.untied)))
        else:
            bias_vectors = 2 if args.pytorch else 1
            if args.bidirectional:
                count = rnn.bidirectional_parameter_count(args.cell, args.input, args.hidden,
                                                          args.backward_hidden, bias_vectors)
            elif args.backward_hidden is not None:
                parser.error("--backward-hidden needs --bidirectional")
            else:
                count = rnn.recurrent_parameter_count(args.cell, args.input, args.hidden, bias_vectors)
            print(f"weights {count.weights:,}  biases {count.biases:,}  parameters {count.total:,}")
    except (ValueError, TypeError) as error:
        parser.exit(2, f"dlref: error: {error}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
