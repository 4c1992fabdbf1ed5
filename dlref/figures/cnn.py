"""Figures of the CNN page: VGG-19, pre-activation residual blocks, dilated causal convolutions.

Every number in a figure (shapes, parameter counts, the receptive field) is read from the layer
tables of :mod:`dlref.cnn`, so a figure cannot disagree with the computed answers.
"""

from __future__ import annotations

import math
import re

from dlref.cnn import (Layer, preactivation_block_table, preactivation_bottleneck_table,
                       receptive_field, vgg_layer_table)
from dlref.figures import svg


# ---------------------------------------------------------------------------------------------
# VGG
# ---------------------------------------------------------------------------------------------

def _vgg_items(table: list[Layer]) -> list[dict]:
    """The boxes of the VGG figure in order: input, every table row, softmax.

    Each item has the ``kind``, the label above the box, up to three lines below it, and the box
    size: height from the spatial size (square root, like the classic figure), width from the
    number of channels.
    """
    first = table[0]
    out_channels = first.output_shape[2]
    in_channels = first.weights // (9 * out_channels)  # VGG: every conv is 3x3
    largest = first.output_shape[0]

    def height(size):
        return max(18.0, 160 * math.sqrt(size / largest))

    def width(channels):
        return max(8.0, 10 + 8 * (math.log2(channels) - 5))

    items = [dict(kind="input", label="input", lines=("image", f"{largest}×{largest}×{in_channels}"),
                  box=(width(in_channels), height(largest)))]
    for layer in table:
        shape = "×".join(map(str, layer.output_shape))
        if layer.name.startswith("conv"):
            size, _, channels = layer.output_shape
            items.append(dict(kind="conv", label=layer.name, box=(width(channels), height(size)),
                              lines=(f"conv3-{channels}", shape, svg.count(layer.parameters))))
        elif layer.name.startswith("pool"):
            items.append(dict(kind="pool", label=layer.name,
                              box=(10, height(layer.output_shape[0])), lines=("max 2×2", shape)))
        else:
            features = layer.output_shape[0]
            items.append(dict(kind="fc", label=layer.name,
                              box=(16, 8 * math.log2(features) + 4),
                              lines=(f"FC-{features}", shape, svg.count(layer.parameters))))
    classes = table[-1].output_shape[0]
    items.append(dict(kind="softmax", label="softmax", box=(16, items[-1]["box"][1]),
                      lines=("softmax", str(classes))))
    for item in items:  # room for the widest label, with a gap for the arrows
        widest = max(svg.text_width(item["label"], 12, bold=True), item["box"][0] + 30,
                     *(svg.text_width(line, 11 if number else 12)
                       for number, line in enumerate(item["lines"])))
        item["column"] = math.ceil(widest) + 10
    return items


def _split_rows(items: list[dict]) -> list[list[dict]]:
    """Two rows, broken after the pooling layer that makes the wider row narrowest."""
    total = sum(item["column"] for item in items)
    best, best_width, running = len(items), total, 0
    for index, item in enumerate(items):
        running += item["column"]
        if item["kind"] == "pool" and max(running, total - running) < best_width:
            best, best_width = index + 1, max(running, total - running)
    return [row for row in (items[:best], items[best:]) if row]


def _vgg_row(row: list[dict], left: float, top: float, stage_of: dict) -> tuple[list[str], dict]:
    """Draw one row of the VGG figure; return the SVG pieces and the row's geometry."""
    tallest = max(item["box"][1] for item in row)
    axis = top + 46 + tallest / 2
    below = top + 46 + tallest + 20
    bottom = below + 2 * 15 + 10
    body, boxes, x = [], [], left
    # a pale panel behind the conv layers of each stage (drawn first, so it stays behind)
    stages: dict[int, list[float]] = {}
    for item in row:
        if id(item) in stage_of:
            span = stages.setdefault(stage_of[id(item)], [x, x])
            span[1] = x + item["column"]
        x += item["column"]
    for stage, (start, end) in stages.items():
        body.append(svg.element("rect", x=start + 2, y=top, width=end - start - 4,
                                height=bottom - top, rx=8, fill="#f4f6fa", stroke="#d5dbe5"))
        body.append(svg.text((start + end) / 2, top + 16, f"block {stage}", size=11,
                             fill=svg.MUTED))
    x = left
    for item in row:
        centre = x + item["column"] / 2
        box_width, box_height = item["box"]
        body.append(svg.box(centre - box_width / 2, axis - box_height / 2, box_width, box_height,
                            item["kind"]))
        body.append(svg.text(centre, top + 36, item["label"], size=12, weight="bold"))
        for number, line in enumerate(item["lines"]):
            body.append(svg.text(centre, below + 15 * number, line, size=11 if number else 12,
                                 fill=svg.TEXT if number < 2 else svg.MUTED))
        boxes.append((centre - box_width / 2, centre + box_width / 2))
        x += item["column"]
    for (_, right), (next_left, _) in zip(boxes, boxes[1:]):
        body.append(svg.arrow([(right + 2, axis), (next_left - 2, axis)]))
    return body, dict(axis=axis, bottom=bottom, first=boxes[0][0], last=boxes[-1][1], right=x)


def vgg_svg(config="VGG-19", table=None) -> str:
    """A VGG network drawn left to right from :func:`dlref.cnn.vgg_layer_table` (VGG-19 by default,
    the network of Prince's figure 10.17; ``config`` is any name or layer list that function takes).

    Input, the conv layers (3x3, grouped by stage) with the max-pool layers between stages, the
    three fully connected layers and the softmax, on two rows. Above each box: the table's layer
    name (weight layers are numbered 1..19 for VGG-19); below it: ``conv3-64``-style type, output
    shape, and (grey) the parameter count, weights + biases. Box heights follow the spatial size and
    widths the number of channels.
    """
    table = vgg_layer_table(config) if table is None else list(table)
    items = _vgg_items(table)
    stage_of, stage, previous = {}, 1, None
    for item in items:
        if item["kind"] == "conv":
            stage_of[id(item)] = stage
        elif item["kind"] == "pool" and previous == "conv":
            stage += 1
        previous = item["kind"]
    weight_layers = sum(1 for layer in table if layer.weights)
    left, top = 30, 62
    body = [svg.text(left, 34, f"VGG-{weight_layers}", size=18, anchor="start", weight="bold"),
            svg.text(left + 84, 34, "3×3 convolutions (stride 1, padding 1) and 2×2 max pooling; "
                     "shapes are height×width×channels", size=12, anchor="start", fill=svg.MUTED)]
    rows = []
    for row in _split_rows(items):
        pieces, geometry = _vgg_row(row, left, top, stage_of)
        body += pieces
        rows.append(geometry)
        top = geometry["bottom"] + 36
    for upper, lower in zip(rows, rows[1:]):  # the arrow that wraps from one row to the next
        turn = upper["bottom"] + 18
        body.append(svg.arrow([(upper["last"] + 2, upper["axis"]),
                               (upper["right"] + 8, upper["axis"]), (upper["right"] + 8, turn),
                               (left - 14, turn), (left - 14, lower["axis"]),
                               (lower["first"] - 2, lower["axis"])]))
    width = int(max(row["right"] for row in rows) + 24)
    total = sum(layer.parameters for layer in table)
    legend_y = top + 4
    body += svg.legend(left, legend_y, [
        ("input", "input", 80), ("conv", "conv 3×3 + ReLU", 160), ("pool", "max pool 2×2", 130),
        ("fc", f"fully connected + ReLU (none after {table[-1].name})", 300),
        ("softmax", "softmax", 100)])
    body.append(svg.text(left, legend_y + 26, "Grey numbers: parameters of the layer "
                         f"(weights + biases). Total: {svg.count(total)} parameters.", size=12,
                         anchor="start"))
    return svg.document(width, int(legend_y + 44), f"VGG-{weight_layers} architecture", body)


# ---------------------------------------------------------------------------------------------
# Residual blocks
# ---------------------------------------------------------------------------------------------

def _block_stages(table: list[Layer]) -> list[tuple[str, str, str, str]]:
    """``(kind, label, count, detail)`` for each box of a residual block, a ReLU after every BN.

    Channel numbers come from the table: a BN has one gamma and one beta per channel of the conv
    input it normalises; a ``k x k`` conv has ``k k C_in C_out`` weights.
    """
    stages, channels = [], None
    for layer in table:
        if layer.name.startswith("bn"):
            channels = layer.weights
            stages.append(("bn", f"BatchNorm ({channels})", svg.count(layer.parameters),
                           f"γ, β: {layer.weights} + {layer.biases}"))
            stages.append(("relu", "ReLU", "", ""))
        else:
            kernel = int(re.search(r"(\d+)x\d+$", layer.name).group(1))
            out = layer.weights // (kernel * kernel * channels)
            bias = "no bias" if layer.biases == 0 else f"+ {layer.biases} biases"
            stages.append(("conv", f"conv {kernel}×{kernel}, {channels}→{out}",
                           svg.count(layer.parameters),
                           f"{kernel}×{kernel}×{channels}×{out}, {bias}"))
            channels = out
    return stages


def _block_panel(x, top, title, table) -> tuple[list[str], float]:
    """One residual block drawn top to bottom, the skip connection on the right; returns the SVG
    pieces and the y of the bottom of the panel."""
    box_left, box_width, box_height, step = x + 150, 200, 34, 52
    centre, skip = box_left + box_width / 2, box_left + box_width + 36
    body = [svg.text(x, top, title, size=14, anchor="start", weight="bold"),
            svg.text(centre, top + 40, "x", size=15, weight="bold")]
    split = top + 56
    body.append(svg.element("circle", cx=centre, cy=split, r=3, fill=svg.LINE))
    y = split + 22
    body.append(svg.arrow([(centre, split), (centre, y - 2)]))
    for kind, label, count, detail in _block_stages(table):
        body.append(svg.box(box_left, y, box_width, box_height, kind))
        body.append(svg.text(centre, y + 22, label, size=13))
        if count:
            body.append(svg.text(box_left - 12, y + 15, f"{count} params", size=12, anchor="end",
                                 weight="bold"))
            body.append(svg.text(box_left - 12, y + 29, detail, size=10.5, anchor="end",
                                 fill=svg.MUTED))
        body.append(svg.arrow([(centre, y + box_height), (centre, y + step - 2)]))
        y += step
    plus_y = y + 12
    body.append(svg.element("circle", cx=centre, cy=plus_y, r=12, fill="#ffffff", stroke=svg.LINE,
                            stroke_width=1.4))
    body.append(svg.text(centre, plus_y + 6, "+", size=18, weight="bold"))
    body.append(svg.arrow([(centre, split), (skip, split), (skip, plus_y), (centre + 14, plus_y)]))
    body.append(svg.text(skip + 8, (split + plus_y) / 2, "identity", size=11, anchor="start",
                         fill=svg.MUTED, transform=f"rotate(90 {svg.value(skip + 8.0)} "
                                               f"{svg.value((split + plus_y) / 2)})"))
    body.append(svg.arrow([(centre, plus_y + 12), (centre, plus_y + 40)]))
    body.append(svg.text(centre, plus_y + 58, "output", size=13))
    total = sum(layer.parameters for layer in table)
    body.append(svg.text(centre, plus_y + 86, f"block total: {svg.count(total)} parameters",
                         size=13, weight="bold"))
    return body, plus_y + 86


def residual_blocks_svg(channels: int = 512, bottleneck_channels: int = 128) -> str:
    """Two pre-activation residual blocks side by side (Prince, *Understanding Deep Learning*).

    (a) BN -> ReLU -> conv 3x3, C -> C, from :func:`dlref.cnn.preactivation_block_table`;
    (b) the bottleneck BN -> ReLU -> conv 1x1 C -> B -> BN -> ReLU -> conv 3x3 B -> B -> BN -> ReLU ->
    conv 1x1 B -> C, from :func:`dlref.cnn.preactivation_bottleneck_table`. In both the input ``x``
    also goes round the stack to a ``+`` node. Every BN and conv is annotated with its parameter
    count (weights + biases), and each block with its total.
    """
    plain = preactivation_block_table(channels)
    bottleneck = preactivation_bottleneck_table(channels, bottleneck_channels)
    body, _ = _block_panel(30, 36, "(a) Residual block", plain)
    right, bottom = _block_panel(470, 36, "(b) Bottleneck residual block", bottleneck)
    body += right
    legend_y = bottom + 40
    body += svg.legend(30, legend_y, [("bn", "batch normalisation", 190),
                                      ("relu", "ReLU (no parameters)", 220),
                                      ("conv", "convolution", 150)])
    return svg.document(900, int(legend_y + 22), "Pre-activation residual blocks", body)


# ---------------------------------------------------------------------------------------------
# Dilated causal convolutions
# ---------------------------------------------------------------------------------------------

def causal_field(kernel_size: int, dilations, length: int) -> list[set[int]]:
    """Which nodes of each row the last output depends on, row 0 being the input.

    Walks back from the last output ``t = length - 1`` through the taps ``t - d i``, ``i = 0..k-1``,
    of :func:`dlref.cnn.causal_conv1d` (taps before ``t = 0`` read zero padding and are dropped).
    """
    field = [{length - 1}]
    for dilation in reversed(dilations):
        field.insert(0, {t - dilation * i for t in field[0] for i in range(kernel_size)
                         if t - dilation * i >= 0})
    return field


def causal_stack_svg(kernel_size: int = 2, dilations=(1, 2, 4, 8), length: int = 16) -> str:
    """The WaveNet stack of dilated causal convolutions (van den Oord et al. 2016, figure 3).

    One row of circles per time series, input at the bottom and output on top; every node of a
    layer is joined to the ``kernel_size`` nodes ``t - d i`` below it. The connections feeding the
    last output are drawn dark and the nodes they reach filled: the input nodes among them (SVG
    class ``field``) are its receptive field, ``receptive_field([k] * L, dilations=dilations)`` of them.
    """
    dilations = tuple(dilations)
    field_size = receptive_field([kernel_size] * len(dilations), dilations=dilations)
    if length < field_size:
        raise ValueError(f"length {length} is shorter than the receptive field {field_size}: "
                         "the figure would not show the whole field")
    field = causal_field(kernel_size, dilations, length)
    step = max(24.0, min(48.0, 780 / length))
    radius = min(10.0, step / 4)
    left, top, row_gap = 190, 70, 82

    def position(row, t):
        return left + step * t + step / 2, top + row_gap * (len(dilations) - row)

    faint, strong, nodes, labels = [], [], [], []
    for row, dilation in enumerate(dilations, start=1):
        for t in range(length):
            x, y = position(row, t)
            for i in range(kernel_size):
                if t - dilation * i < 0:
                    continue
                x0, y0 = position(row - 1, t - dilation * i)
                dark = t in field[row]
                line = svg.element("line", x1=x0, y1=y0 - radius, x2=x, y2=y + radius,
                                   stroke="#1f5fa8" if dark else "#cfcfcf",
                                   stroke_width=2 if dark else 1)
                (strong if dark else faint).append(line)
    for row in range(len(dilations) + 1):
        name = "input" if row == 0 else "output" if row == len(dilations) else f"hidden{row}"
        for t in range(length):
            x, y = position(row, t)
            inside = t in field[row]
            nodes.append(svg.element("circle", cx=x, cy=y, r=radius, stroke_width=1.4,
                                     fill="#1f5fa8" if inside else "#ffffff",
                                     stroke="#1f5fa8" if inside else "#9a9a9a",
                                     class_=f"{name} field" if inside else name, data_t=t))
        _, y = position(row, 0)
        title = "Input" if row == 0 else "Output" if row == len(dilations) else "Hidden layer"
        labels.append(svg.text(left - 16, y - 2 if row else y + 5, title, size=13, anchor="end",
                               weight="bold"))
        if row:
            labels.append(svg.text(left - 16, y + 14, f"dilation = {dilations[row - 1]}", size=12,
                                   anchor="end", fill=svg.MUTED))
    width = int(left + step * length + 30)
    axis_y = top + row_gap * len(dilations) + 34
    ticks = [svg.text(position(0, t)[0], axis_y, str(t), size=10, fill=svg.MUTED)
             for t in range(length) if length <= 20 or t % 5 == 0 or t == length - 1]
    ticks.append(svg.text(left - 16, axis_y, "time t", size=11, anchor="end", fill=svg.MUTED))
    spans = " + ".join(str(d) for d in dilations)
    caption = (f"Filled: what the last output depends on. Its receptive field: "
               f"1 + (k − 1) × (sum of dilations) = "
               f"1 + {kernel_size - 1} × ({spans}) = {field_size} inputs")
    body = [svg.text(30, 34, f"Dilated causal convolutions: kernel size {kernel_size}, "
                     f"dilations {', '.join(map(str, dilations))}", size=16, anchor="start",
                     weight="bold"),
            *faint, *strong, *nodes, *labels, *ticks,
            svg.text(30, axis_y + 30, caption, size=12, anchor="start")]
    return svg.document(width, int(axis_y + 46), "Stack of dilated causal convolutions", body)
