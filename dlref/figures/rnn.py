"""Figures of the RNN page: an RNN unrolled over three time steps, and the LSTM cell quiz.

The LSTM figure replaces the exam paper's lost figure: numbered markers 1..12 sit on its wires,
and :data:`LSTM_POSITIONS` says what flows on each one. ``lstm_cell_svg(labelled=True)`` is the
same drawing with the names written next to the numbers, for the answer.
"""

from __future__ import annotations

from dlref.figures import svg

# the three weight matrices of the RNN, one colour each on every copy: (line, text)
W_XH = ("#3b7dc4", "#1f5fa8")
W_HH = ("#e08a2e", "#b3620f")
W_HY = ("#4f9a4f", "#2f7a34")

LSTM_POSITIONS: dict[int, str] = {  # marker number -> what flows on that wire (LaTeX)
    1: "C_{t-1}",
    2: "h_{t-1}",
    3: "x_t",
    4: "f_t",
    5: "i_t",
    6: "\\tilde{C}_t",
    7: "o_t",
    8: "f_t \\odot C_{t-1}",
    9: "i_t \\odot \\tilde{C}_t",
    10: "C_t",
    11: "\\tanh(C_t)",
    12: "h_t",
}


def figure_label(latex: str) -> str:
    """One of :data:`LSTM_POSITIONS` as figure text for :func:`svg.math_text`: ``\\tilde{C}`` ->
    ``C̃`` (combining tilde), ``\\odot`` -> ``⊙``, ``\\tanh`` -> ``tanh``; subscripts stay."""
    return (latex.replace("\\tilde{C}", "C\u0303").replace("\\odot", "⊙")
            .replace("\\tanh", "tanh"))


# ---------------------------------------------------------------------------------------------
# The RNN unrolled over time
# ---------------------------------------------------------------------------------------------

NODE = {  # (fill, stroke) of the boxes of the RNN figure
    "input": ("#eeeeee", "#8a8a8a"),
    "hidden": ("#f9efc4", "#b59a3a"),
    "output": ("#e6dcf0", "#8468a8"),
    "initial": ("#ffffff", "#9a9a9a"),
}


def _node(x, y, width, height, label, note=None, kind="input", dashed=False, **attributes):
    """A box centred on ``(x, y)`` with a variable (``"h_1"``) and an optional grey note below."""
    fill, stroke = NODE[kind]
    body = [svg.element("rect", x=x - width / 2, y=y - height / 2, width=width, height=height,
                        rx=6, fill=fill, stroke=stroke, stroke_width=1.3,
                        stroke_dasharray="4 3" if dashed else None)]
    if note is None:
        body.append(svg.math_text(x, y + 6, label, size=17, **attributes))
    else:
        body.append(svg.math_text(x, y - 1, label, size=17, **attributes))
        body.append(svg.math_text(x, y + height / 2 - 8, note, size=11, fill=svg.MUTED))
    return body


def _weight(x, y, name, colours, anchor="middle", **attributes) -> str:
    """The label of a weight matrix (``"W_xh"``) in its colour."""
    return svg.math_text(x, y, name, size=14, anchor=anchor, fill=colours[1], weight="bold",
                         **attributes)


def unrolled_rnn_svg(steps: int = 3) -> str:
    """The RNN ``h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)``, ``y_t = W_hy h_t + b_y``, folded and
    unrolled over ``steps`` time steps.

    Left: the folded network, one cell with a self-loop ``W_hh``. Right: ``h_0`` and one column per
    step, ``x_t`` (bottom) -> ``h_t`` (middle) -> ``y_t`` (top). Every copy of a weight matrix has
    the same colour (``W_xh`` blue, ``W_hh`` orange, ``W_hy`` green): the same matrices are used at
    every step. The per-step weight labels carry ``class="weight"`` and ``data-t``.
    """
    top_y, hidden_y, input_y = 124, 250, 376
    cell_w, cell_h, io_w, io_h = 100, 58, 64, 40
    markers = {"w-xh": W_XH[0], "w-hh": W_HH[0], "w-hy": W_HY[0]}
    body = [svg.text(30, 34, f"An RNN unrolled over {steps} time steps", size=16, anchor="start",
                     weight="bold"),
            svg.math_text(30, 62, [("h_t = tanh(", None), ("W_xh", W_XH[1]), (" x_t + ", None),
                                   ("W_hh", W_HH[1]), (" h_{t-1} + b_h),\u2003\u2003y_t = ", None),
                                   ("W_hy", W_HY[1]), (" h_t + b_y", None)],
                          size=14, anchor="start")]

    def column(x, t, css=None):
        """``x_t -> h_t -> y_t`` at ``x``, weight labels with class ``css`` and ``data-t``."""
        data = dict(class_=css, data_t=t) if css else {}
        pieces = [*_node(x, input_y, io_w, io_h, f"x_{t}", kind="input"),
                  *_node(x, hidden_y, cell_w, cell_h, f"h_{t}", "tanh(… + b_h)", kind="hidden"),
                  *_node(x, top_y, io_w + 8, io_h + 8, f"y_{t}", "+ b_y", kind="output")]
        pieces.append(svg.arrow([(x, input_y - io_h / 2), (x, hidden_y + cell_h / 2 + 1)],
                                colour=W_XH[0], width=2, marker="w-xh"))
        pieces.append(_weight(x - 8, (input_y - io_h / 2 + hidden_y + cell_h / 2) / 2 + 5, "W_xh",
                              W_XH, anchor="end", **data))
        pieces.append(svg.arrow([(x, hidden_y - cell_h / 2), (x, top_y + (io_h + 8) / 2 + 1)],
                                colour=W_HY[0], width=2, marker="w-hy"))
        pieces.append(_weight(x - 8, (hidden_y - cell_h / 2 + top_y + (io_h + 8) / 2) / 2 + 5,
                              "W_hy", W_HY, anchor="end", **data))
        return pieces

    # the folded network: one cell, its output fed back through W_hh
    folded = 96
    body += column(folded, "t")
    right = folded + cell_w / 2
    loop = (f"M{svg.value(right)},{svg.value(hidden_y - 16.0)} H{svg.value(right + 22.0)} "
            f"A16,16 0 0 1 {svg.value(right + 22.0)},{svg.value(hidden_y + 16.0)} "
            f"H{svg.value(right + 1.0)}")
    body.append(svg.element("path", d=loop, fill="none", stroke=W_HH[0], stroke_width=2,
                            marker_end="url(#w-hh)"))
    body.append(_weight(right + 46, hidden_y + 5, "W_hh", W_HH, anchor="start"))
    body.append(svg.text(folded, input_y + 46, "folded", size=12, fill=svg.MUTED))
    equals = right + 112
    body.append(svg.text(equals, hidden_y + 9, "=", size=28, fill=svg.MUTED))

    # the unrolled network: h_0, then one column per step
    start, step = equals + 70, 172
    body += _node(start, hidden_y, 62, cell_h, "h_0", "= 0", kind="initial", dashed=True)
    previous = start + 31
    for t in range(1, steps + 1):
        x = start + step * t - 32
        body += column(x, t, css="weight")
        body.append(svg.arrow([(previous, hidden_y), (x - cell_w / 2 - 1, hidden_y)],
                              colour=W_HH[0], width=2, marker="w-hh"))
        body.append(_weight((previous + x - cell_w / 2) / 2, hidden_y - 10, "W_hh", W_HH,
                            class_="weight", data_t=t))
        body.append(svg.text(x, input_y + 46, f"t = {t}", size=12, fill=svg.MUTED))
        previous = x + cell_w / 2
    width = int(previous + 40)

    legend_y = input_y + 88
    x = 30
    for name, colours, meaning in (("W_xh", W_XH, "input → hidden"),
                                   ("W_hh", W_HH, "hidden → hidden (previous step)"),
                                   ("W_hy", W_HY, "hidden → output")):
        body.append(svg.element("line", x1=x, y1=legend_y - 5, x2=x + 26, y2=legend_y - 5,
                                stroke=colours[0], stroke_width=3))
        body.append(svg.math_text(x + 34, legend_y, [(name, colours[1]), (f": {meaning}", None)],
                                  size=13, anchor="start"))
        x += 34 + svg.math_width(f"{name}: {meaning}", 13) + 24
    body.append(svg.math_text(30, legend_y + 26, [("same ", None), ("W_xh", W_XH[1]), (", ", None),
                                                  ("W_hh", W_HH[1]), (", ", None),
                                                  ("W_hy", W_HY[1]),
                                                  (" (and b_h, b_y) at every step "
                                                   "(shared weights)", None)],
                              size=13, anchor="start", weight="bold"))
    return svg.document(width, int(legend_y + 46), f"RNN unrolled over {steps} time steps", body,
                        markers=markers)


# ---------------------------------------------------------------------------------------------
# The LSTM cell
# ---------------------------------------------------------------------------------------------

LAYER = ("#f9efc4", "#b59a3a")  # a layer with weights: sigma or tanh box
POINTWISE = ("#f5d3d0", "#b8615b")  # a pointwise operation: x, + and tanh
CELL = ("#f3f6f2", "#b9c9b5")  # the cell's background


def _operation(x, y, symbol, radius=12) -> list[str]:
    """A pointwise-operation circle (``×``, ``+``) centred on ``(x, y)``."""
    fill, stroke = POINTWISE
    return [svg.element("circle", cx=x, cy=y, r=radius, fill=fill, stroke=stroke, stroke_width=1.3),
            svg.text(x, y + 6, symbol, size=17, weight="bold")]


def _layer(x, y, symbol, width=52, height=32) -> list[str]:
    """A layer box (``σ``, ``tanh``) centred on ``(x, y)``."""
    fill, stroke = LAYER
    return [svg.element("rect", x=x - width / 2, y=y - height / 2, width=width, height=height,
                        rx=5, fill=fill, stroke=stroke, stroke_width=1.3),
            svg.text(x, y + 5, symbol, size=15 if symbol == "σ" else 13, font_style="italic"
                     if symbol == "σ" else None)]


def _marker(x, y, number) -> list[str]:
    """A numbered position marker: white circle, dark ring, the number inside."""
    return [svg.element("circle", cx=x, cy=y, r=10, fill="#ffffff", stroke=svg.TEXT,
                        stroke_width=1.5, class_="position", data_position=number),
            svg.text(x, y + 4, str(number), size=11, weight="bold")]


def lstm_cell_svg(labelled: bool = False) -> str:
    """The LSTM cell as in Colah's "Understanding LSTM Networks", with positions 1..12 marked.

    The cell state runs along the top from ``C_{t-1}`` (left) through the forget ``×`` and the
    ``+`` to ``C_t`` (right); ``h_{t-1}`` (left) and ``x_t`` (bottom) merge into the line feeding
    the four layers ``σ, σ, tanh, σ``; the input ``×`` joins ``i_t`` and ``C̃_t`` into the ``+``,
    and ``tanh(C_t)`` times ``o_t`` is ``h_t``, which leaves right and up. Each wire of
    :data:`LSTM_POSITIONS` carries a white numbered circle (``class="position"``,
    ``data-position``); with ``labelled`` the variable is written next to it (``class="label"``).
    """
    cell_y, bus_y, layer_y, gate_y = 132, 404, 318, 222
    xs, f_x, i_x, g_x, o_x, out_x, up_x = 206, 266, 366, 466, 576, 686, 752
    entry, exit_ = 40, 842
    tanh_y, output_y = 190, 270
    body = [svg.text(30, 34, "LSTM cell" + (": the positions named" if labelled else ""),
                     size=16, anchor="start", weight="bold")]
    body.append(svg.element("rect", x=126, y=84, width=660, height=368, rx=18, fill=CELL[0],
                            stroke=CELL[1], stroke_width=1.3))
    wires = [
        # cell state: in, forget x, +, out
        svg.arrow([(entry, cell_y), (f_x - 13, cell_y)]),
        svg.arrow([(f_x + 12, cell_y), (g_x - 13, cell_y)]),
        svg.arrow([(g_x + 12, cell_y), (exit_, cell_y)]),
        # h_{t-1} and x_t merge into the line under the layers
        svg.arrow([(entry, bus_y), (o_x, bus_y), (o_x, layer_y + 17)]),
        svg.element("polyline", points=f"{xs},500 {xs},{bus_y}", fill="none", stroke=svg.LINE,
                    stroke_width=1.4),
        *(svg.arrow([(x, bus_y), (x, layer_y + 17)]) for x in (f_x, i_x, g_x)),
        # gates and candidate
        svg.arrow([(f_x, layer_y - 16), (f_x, cell_y + 13)]),
        svg.arrow([(i_x, layer_y - 16), (i_x, gate_y), (g_x - 13, gate_y)]),
        svg.arrow([(g_x, layer_y - 16), (g_x, gate_y + 13)]),
        svg.arrow([(g_x, gate_y - 12), (g_x, cell_y + 13)]),
        # output: tanh(C_t) times o_t
        svg.arrow([(out_x, cell_y), (out_x, tanh_y - 13)]),
        svg.arrow([(out_x, tanh_y + 12), (out_x, output_y - 13)]),
        svg.arrow([(o_x, layer_y - 16), (o_x, output_y), (out_x - 13, output_y)]),
        svg.arrow([(out_x, output_y + 12), (out_x, bus_y), (exit_, bus_y)]),
        # h_t also leaves upwards, over the cell-state line (a gap in it: no junction)
        svg.element("line", x1=up_x, y1=cell_y + 6, x2=up_x, y2=cell_y - 6, stroke=CELL[0],
                    stroke_width=11),
        svg.arrow([(up_x, bus_y), (up_x, 52)]),
    ]
    body += wires
    for x, y in ((xs, bus_y), (f_x, bus_y), (i_x, bus_y), (g_x, bus_y), (out_x, cell_y),
                 (up_x, bus_y)):
        body.append(svg.element("circle", cx=x, cy=y, r=3.2, fill=svg.LINE))
    body += _operation(f_x, cell_y, "×") + _operation(g_x, cell_y, "+")
    body += _operation(g_x, gate_y, "×") + _operation(out_x, output_y, "×")
    fill, stroke = POINTWISE
    body += [svg.element("ellipse", cx=out_x, cy=tanh_y, rx=24, ry=12, fill=fill, stroke=stroke,
                         stroke_width=1.3),
             svg.text(out_x, tanh_y + 4, "tanh", size=12)]
    for x, symbol in ((f_x, "σ"), (i_x, "σ"), (g_x, "tanh"), (o_x, "σ")):
        body += _layer(x, layer_y, symbol)

    # marker position and where its label goes: (x, y, label dx, label dy, anchor)
    places = {
        1: (170, cell_y, 0, -18, "middle"),
        2: (164, bus_y, 0, 28, "middle"),
        3: (xs, 474, 16, 5, "start"),
        4: (f_x, gate_y, 16, 5, "start"),
        5: (i_x, 266, 16, 5, "start"),
        6: (g_x, 270, 16, 5, "start"),
        7: (631, output_y, 0, 28, "middle"),
        8: (366, cell_y, 0, -18, "middle"),
        9: (g_x, 177, 16, 5, "start"),
        10: (626, cell_y, 0, -18, "middle"),
        11: (out_x, 230, -16, 5, "end"),
        12: (out_x, 346, 16, 5, "start"),
    }
    for number, (x, y, dx, dy, anchor) in places.items():
        body += _marker(x, y, number)
        if labelled:
            body.append(svg.math_text(x + dx, y + dy, figure_label(LSTM_POSITIONS[number]),
                                      size=14, anchor=anchor, weight="bold", fill="#1f5fa8",
                                      class_="label", data_position=number))

    legend_y = 524
    x = 30
    body.append(svg.element("rect", x=x, y=legend_y - 13, width=26, height=16, rx=3,
                            fill=LAYER[0], stroke=LAYER[1], stroke_width=1.2))
    body.append(svg.text(x + 34, legend_y, "layer: weights, bias, then σ or tanh", size=12,
                         anchor="start"))
    x += 290
    body.append(svg.element("circle", cx=x + 9, cy=legend_y - 5, r=9, fill=POINTWISE[0],
                            stroke=POINTWISE[1], stroke_width=1.2))
    body.append(svg.text(x + 26, legend_y, "pointwise operation (× is elementwise)", size=12,
                         anchor="start"))
    x += 300
    body.append(svg.element("circle", cx=x + 9, cy=legend_y - 5, r=9, fill="#ffffff",
                            stroke=svg.TEXT, stroke_width=1.5))
    body.append(svg.text(x + 26, legend_y, "position 1–12 on a wire", size=12, anchor="start"))
    caption = ("Our drawing (the paper's figure is missing) with the variable at each position"
               if labelled else "The paper's figure is missing: our drawing, positions 1–12")
    body.append(svg.text(30, legend_y + 28, caption, size=12, anchor="start", fill=svg.MUTED))
    title = "LSTM cell with positions 1 to 12" + (", named" if labelled else "")
    return svg.document(880, legend_y + 46, title, body)
