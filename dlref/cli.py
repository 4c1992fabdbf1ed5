"""``dlref``: answer the papers' kinds of question for your own numbers.

    dlref cnn 128x128x3 conv:16,k=5,p=same pool:2 conv:32,k=3 pool:2 flatten dense:100
    dlref rnn lstm --input 300 --hidden 200 --bidirectional --backward-hidden 100

``cnn`` follows an image through a stack of layers and prints each layer's output shape and
parameters (weights, biases); ``rnn`` counts the parameters of a recurrent layer. Every number comes
from the same :mod:`dlref` functions that answer the questions on the site; impossible inputs (a kernel
larger than its padded input, a layer that needs a flat input) stop with a message that says why.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass

from dlref import cnn, rnn


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
    args = parser.parse_args(argv)
    try:
        if args.command == "cnn":
            shape = parse_input(args.input)
            print(format_table(cnn_table(shape, args.layers), shape))
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
