"""The redrawn figures: committed files match the code, are valid SVG, and show the tables' numbers."""

import xml.etree.ElementTree as ET

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import contract
from dlref import figures
from dlref.cnn import (preactivation_block_table, preactivation_bottleneck_table, receptive_field,
                       vgg_layer_table)

SVG = "{http://www.w3.org/2000/svg}"
FIGURE_DIR = contract.DOCS / "figures"


def texts(svg: str) -> set[str]:
    return {element.text for element in ET.fromstring(svg).iter(f"{SVG}text")}


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_committed_figure_is_what_the_code_draws(name):
    path = FIGURE_DIR / name
    stale = f"docs/figures/{name} is missing or out of date: run `python -m dlref.figures`"
    assert path.exists(), stale
    assert path.read_text(encoding="utf-8") == figures.FIGURES[name](), stale


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_figure_is_well_formed_svg(name):
    root = ET.fromstring(figures.FIGURES[name]())
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


def test_write_all_writes_every_figure(tmp_path):
    paths = figures.write_all(tmp_path / "out")
    assert sorted(path.name for path in paths) == sorted(figures.FIGURES)
    assert all(path.read_text(encoding="utf-8") == figures.FIGURES[path.name]() for path in paths)


def test_vgg_figure_shows_every_layer_and_its_parameter_count():
    table = vgg_layer_table()
    shown = texts(figures.vgg16_svg())
    for layer in table:
        assert layer.name in shown
        assert "×".join(map(str, layer.output_shape)) in shown
        if layer.parameters:
            assert f"{layer.parameters:,}" in shown, layer.name
    assert "224×224×3" in shown and "conv3-64" in shown
    assert any(f"{sum(layer.parameters for layer in table):,}" in text for text in shown)


def test_residual_figure_shows_every_parameter_count():
    shown = " ".join(texts(figures.residual_blocks_svg()))
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
    highlighted = highlighted_inputs(figures.causal_stack_svg(kernel_size, dilations, length))
    assert len(highlighted) == receptive_field([kernel_size] * len(dilations), dilations=dilations)
    assert highlighted == torch_field(kernel_size, dilations, length)
    assert max(highlighted) == length - 1


def test_committed_causal_figure_uses_the_defaults():
    committed = (FIGURE_DIR / "causal_stack.svg").read_text(encoding="utf-8")
    assert len(highlighted_inputs(committed)) == receptive_field([2] * 4, dilations=(1, 2, 4, 8)) == 16


def test_causal_figure_refuses_a_series_shorter_than_the_field():
    with pytest.raises(ValueError, match="receptive field 16"):
        figures.causal_stack_svg(2, (1, 2, 4, 8), 10)
