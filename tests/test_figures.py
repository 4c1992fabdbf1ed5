"""The redrawn figures: committed files match the code, are valid SVG, and show what they must."""

import functools
import xml.etree.ElementTree as ET

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import contract
from dlref import figures
from dlref.cnn import (preactivation_block_table, preactivation_bottleneck_table, receptive_field,
                       vgg_layer_table)
from dlref.figures import cnn as cnn_figures
from dlref.figures import rnn as rnn_figures
from dlref.figures import svg


@functools.cache
def drawn(name: str) -> str:
    """Each figure drawn once per test session (the gradient plot re-runs its computation)."""
    return figures.FIGURES[name]()

SVG = "{http://www.w3.org/2000/svg}"
FIGURE_DIR = contract.DOCS / "figures"


def texts(svg: str) -> set[str]:
    return {element.text for element in ET.fromstring(svg).iter(f"{SVG}text")}


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_committed_figure_is_what_the_code_draws(name):
    path = FIGURE_DIR / name
    stale = f"docs/figures/{name} is missing or out of date: run `python -m dlref.figures`"
    assert path.exists(), stale
    assert path.read_text(encoding="utf-8") == drawn(name), stale


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_figure_is_well_formed_svg(name):
    root = ET.fromstring(drawn(name))
    assert root.tag == f"{SVG}svg"
    width, height = (root.get(side).removesuffix("pt") for side in ("width", "height"))  # matplotlib: pt
    assert root.get("viewBox") == f"0 0 {width} {height}"


def test_write_all_writes_every_figure(tmp_path, monkeypatch):
    monkeypatch.setattr(figures, "FIGURES", {name: functools.partial(drawn, name) for name in figures.FIGURES})
    paths = figures.write_all(tmp_path / "out")
    assert sorted(path.name for path in paths) == sorted(figures.FIGURES)
    assert all(path.read_text(encoding="utf-8") == drawn(path.name) for path in paths)


@pytest.mark.parametrize("config", ["VGG-19", "VGG-16"])
def test_vgg_figure_shows_every_layer_and_its_parameter_count(config):
    table = vgg_layer_table(config)
    shown = texts(cnn_figures.vgg_svg(config))
    assert config in shown
    for layer in table:
        assert layer.name in shown
        assert "×".join(map(str, layer.output_shape)) in shown
        if layer.parameters:
            assert f"{layer.parameters:,}" in shown, layer.name
    assert "224×224×3" in shown and "conv3-64" in shown
    assert any(f"{sum(layer.parameters for layer in table):,}" in text for text in shown)


def test_residual_figure_shows_every_parameter_count():
    shown = " ".join(texts(cnn_figures.residual_blocks_svg()))
    for table in (preactivation_block_table(512), preactivation_bottleneck_table(512, 128)):
        for layer in table:
            assert f"{layer.parameters:,} params" in shown, layer.name
        assert f"block total: {sum(layer.parameters for layer in table):,} parameters" in shown


def highlighted_inputs(svg: str) -> set[int]:
    return {int(circle.get("data-t")) for circle in ET.fromstring(svg).iter(f"{SVG}circle")
            if {"input", "field"} <= set(circle.get("class", "").split())}


def torch_field(kernel_size, dilations, length) -> set[int]:
    """Inputs with a nonzero gradient for the last output of a causal stack with ones weights."""
    x = torch.zeros(1, 1, length, requires_grad=True)
    hidden = x
    for dilation in dilations:
        conv = nn.Conv1d(1, 1, kernel_size, dilation=dilation, bias=False)
        nn.init.ones_(conv.weight)
        hidden = conv(F.pad(hidden, (dilation * (kernel_size - 1), 0)))  # left padding: causal
    hidden[0, 0, -1].backward()
    return set(torch.nonzero(x.grad[0, 0]).flatten().tolist())


@pytest.mark.parametrize("kernel_size, dilations, length", [(2, (1, 2, 4, 8), 16),
                                                           (2, (1, 2, 4), 12), (3, (1, 3, 9), 30)])
def test_causal_figure_highlights_the_receptive_field(kernel_size, dilations, length):
    highlighted = highlighted_inputs(cnn_figures.causal_stack_svg(kernel_size, dilations, length))
    assert len(highlighted) == receptive_field([kernel_size] * len(dilations), dilations=dilations)
    assert highlighted == torch_field(kernel_size, dilations, length)
    assert max(highlighted) == length - 1


def test_committed_causal_figure_uses_the_defaults():
    committed = (FIGURE_DIR / "causal_stack.svg").read_text(encoding="utf-8")
    assert len(highlighted_inputs(committed)) == receptive_field([2] * 4, dilations=(1, 2, 4, 8)) == 16


def test_causal_figure_refuses_a_series_shorter_than_the_field():
    with pytest.raises(ValueError, match="receptive field 16"):
        cnn_figures.causal_stack_svg(2, (1, 2, 4, 8), 10)


def test_refactored_cnn_figures_are_the_ones_registered():
    assert drawn("vgg19.svg") == cnn_figures.vgg_svg("VGG-19")
    assert drawn("causal_stack.svg") == cnn_figures.causal_stack_svg()


# ---------------------------------------------------------------------------------------------
# Text with subscripts
# ---------------------------------------------------------------------------------------------

def rendered(element) -> str:
    """What a text element shows, its subscripts (``class="sub"`` tspans) written ``_{...}``."""
    out = element.text or ""
    for child in element:
        inner = rendered(child)
        out += f"_{{{inner}}}" if "sub" in child.get("class", "").split() else inner
        out += child.tail or ""
    return out


def math_texts(svg_text: str, css: str | None = None) -> list:
    """The ``<text>`` elements of a figure, those with class ``css`` if given."""
    return [element for element in ET.fromstring(svg_text).iter(f"{SVG}text")
            if css is None or css in element.get("class", "").split()]


def test_math_text_lowers_subscripts_and_goes_back_up():
    drawn = svg.math_text(10, 20, "h_{t-1} + W_xh x_t & <")
    element = ET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{drawn}</svg>')[0]
    assert rendered(element) == "h_{t−1} + W_{xh} x_{t} & <"
    shifts = [float(tspan.get("dy")) for tspan in element.iter(f"{SVG}tspan") if tspan.get("dy")]
    assert shifts == [3.9, -3.9, 3.9, -3.9, 3.9, -3.9]  # down for each subscript, back up after
    assert all(float(sub.get("font-size")) < 13 for sub in element.iter(f"{SVG}tspan")
               if sub.get("class") == "sub")
    assert svg.subscript_parts("tanh(C_t)") == [("tanh(C", False), ("t", True), (")", False)]


# ---------------------------------------------------------------------------------------------
# The unrolled RNN
# ---------------------------------------------------------------------------------------------

def test_unrolled_rnn_shows_every_step_and_its_shared_weights():
    drawing = rnn_figures.unrolled_rnn_svg()
    shown = {rendered(element) for element in math_texts(drawing)}
    for name in [f"x_{{{t}}}" for t in (1, 2, 3)] + [f"h_{{{t}}}" for t in (0, 1, 2, 3)] + \
            [f"y_{{{t}}}" for t in (1, 2, 3)]:
        assert name in shown, name
    weights = math_texts(drawing, "weight")
    for name in ("W_{xh}", "W_{hh}", "W_{hy}"):
        copies = [element for element in weights if rendered(element) == name]
        assert sorted(element.get("data-t") for element in copies) == ["1", "2", "3"], name
        assert len({element.get("fill") for element in copies}) == 1, f"{name}: one colour"
    assert len({element.get("fill") for element in weights}) == 3  # three matrices, three colours


def test_unrolled_rnn_arrows_of_one_matrix_share_its_colour():
    lines = [line for line in ET.fromstring(rnn_figures.unrolled_rnn_svg()).iter()
             if line.get("marker-end", "").startswith("url(#w-")]
    for marker, colour in (("w-xh", rnn_figures.W_XH[0]), ("w-hh", rnn_figures.W_HH[0]),
                           ("w-hy", rnn_figures.W_HY[0])):
        mine = [line for line in lines if line.get("marker-end") == f"url(#{marker})"]
        assert len(mine) == 4  # the folded cell and three steps (W_hh: the loop, h0->h1, 2 more)
        assert {line.get("stroke") for line in mine} == {colour}


# ---------------------------------------------------------------------------------------------
# The LSTM cell quiz
# ---------------------------------------------------------------------------------------------

SHOWN_LABELS = {  # LSTM_POSITIONS as the figure shows them (subscripts written _{...})
    1: "C_{t−1}", 2: "h_{t−1}", 3: "x_{t}", 4: "f_{t}", 5: "i_{t}", 6: "C\u0303_{t}", 7: "o_{t}",
    8: "f_{t} ⊙ C_{t−1}", 9: "i_{t} ⊙ C\u0303_{t}", 10: "C_{t}", 11: "tanh(C_{t})", 12: "h_{t}"}


def test_lstm_positions_are_the_answer_key():
    assert rnn_figures.LSTM_POSITIONS == {
        1: "C_{t-1}", 2: "h_{t-1}", 3: "x_t", 4: "f_t", 5: "i_t", 6: "\\tilde{C}_t", 7: "o_t",
        8: "f_t \\odot C_{t-1}", 9: "i_t \\odot \\tilde{C}_t", 10: "C_t", 11: "\\tanh(C_t)",
        12: "h_t"}


def markers(svg_text: str) -> dict[int, tuple[float, float]]:
    circles = [circle for circle in ET.fromstring(svg_text).iter(f"{SVG}circle")
               if circle.get("class") == "position"]
    numbers = [int(circle.get("data-position")) for circle in circles]
    assert sorted(numbers) == list(range(1, 13)), "positions 1..12, each exactly once"
    return {int(circle.get("data-position")): (float(circle.get("cx")), float(circle.get("cy")))
            for circle in circles}


@pytest.mark.parametrize("labelled", [False, True])
def test_lstm_figure_has_the_twelve_numbered_markers(labelled):
    drawing = rnn_figures.lstm_cell_svg(labelled=labelled)
    places = markers(drawing)
    assert len(set(places.values())) == 12
    numbers = {int(element.text): (float(element.get("x")), float(element.get("y")))
               for element in math_texts(drawing) if (element.text or "").isdigit()}
    assert sorted(numbers) == list(range(1, 13))
    for number, (x, y) in numbers.items():  # each number written inside its circle
        assert x == places[number][0] and 0 < y - places[number][1] < 10, number


def test_lstm_quiz_figure_gives_no_variable_away():
    drawing = rnn_figures.lstm_cell_svg()
    assert not math_texts(drawing, "label")
    assert "class=\"sub\"" not in drawing  # no subscripted variable anywhere
    assert "The paper's figure is missing: our drawing, positions 1–12" in \
        {rendered(element) for element in math_texts(drawing)}


def test_lstm_answer_figure_names_every_position_next_to_its_marker():
    drawing = rnn_figures.lstm_cell_svg(labelled=True)
    places = markers(drawing)
    labels = math_texts(drawing, "label")
    assert sorted(int(element.get("data-position")) for element in labels) == list(range(1, 13))
    for element in labels:
        number = int(element.get("data-position"))
        assert rendered(element) == SHOWN_LABELS[number], number
        x, y = places[number]
        assert abs(float(element.get("x")) - x) <= 20 and abs(float(element.get("y")) - y) <= 30


def test_gradient_norm_plot_shows_vanishing_rnn_and_lasting_lstm_gradients():
    from dlref.figures.plots import gradient_norm_curves

    curves = gradient_norm_curves(lengths=(1, 40, 80))
    small_rnn = curves["tanh RNN, ρ(W_hh) = 0.5"]
    assert small_rnn[0] == 1 and small_rnn[2] < 1e-20                # ||v|| = 1, then geometric decay
    lasting = next(values for label, values in curves.items() if "forget bias 10" in label)
    assert 0.1 < lasting[2] / lasting[0] < 10                        # f ~ 1: no decay over 80 steps
    fading = next(values for label, values in curves.items() if "forget bias 0 " in label)
    assert fading[2] < 1e-15
