"""The attention chapter's figures: the heatmap prints the computed weights, the saturation plot shows
the unscaled softmax saturating and the scaled one not, and the redrawn encoder-decoder has its parts."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
import torch

import contract
from dlref.figures import FIGURES
from dlref.figures import attention as figures

SVG = "{http://www.w3.org/2000/svg}"
OURS = ["attention_weights_q6.svg", "attention_softmax_saturation.svg", "attention_encoder_decoder.svg"]


def texts_of(svg_text: str, css_class: str) -> list[str]:
    return ["".join(e.itertext()) for e in ET.fromstring(svg_text).iter(f"{SVG}text")
            if css_class in (e.get("class") or "").split()]


@pytest.mark.parametrize("name", OURS)
def test_figure_is_registered_and_committed(name):
    """Registered, so tests/test_figures.py checks the committed file against what the code draws."""
    assert FIGURES[name] is figures.FIGURES[name]
    assert (contract.DOCS / "figures" / name).is_file(), f"run `python -m dlref.figures` ({name} is missing)"


def test_heatmap_prints_pytorchs_softmax_weights_row_by_row():
    Q = torch.tensor(figures.ASSIGNMENT_Q, dtype=torch.float64)
    K = torch.tensor(figures.ASSIGNMENT_K, dtype=torch.float64)
    weights = torch.softmax(Q @ K.T / 2 ** 0.5, dim=-1)
    shown = texts_of(figures.attention_heatmap_svg(), "weight")
    expected = [figures.weight_label(float(w)) for w in weights.flatten()]
    assert shown == expected
    assert shown[:2] == ["0.0142", "0.9858"] and shown[4] == "1.8e-07"
    assert texts_of(figures.attention_heatmap_svg(), "query") == ["q1", "q2", "q3"]


def test_heatmap_follows_its_inputs():
    shown = texts_of(figures.attention_heatmap_svg(Q=[[0, 0]], K=[[1, 2], [3, 4]], V=[[1], [2]]), "weight")
    assert shown == ["0.5000", "0.5000"]          # a zero query weighs every key equally


def test_weight_label_switches_to_scientific_below_half_a_unit_of_the_fourth_decimal():
    assert figures.weight_label(0.98583) == "0.9858"
    assert figures.weight_label(5.02e-5) == "0.0001"
    assert figures.weight_label(1.7537e-7) == "1.8e-07"


def test_saturation_curves_unscaled_saturate_scaled_do_not():
    curves = figures.saturation_curves(widths=(1, 64, 1024))
    unscaled_max = [m for m, _ in curves["unscaled"]]
    unscaled_gradient = [g for _, g in curves["unscaled"]]
    scaled_max = [m for m, _ in curves["scaled"]]
    assert unscaled_max[0] < unscaled_max[1] < unscaled_max[2] and unscaled_max[2] > 0.9
    assert unscaled_gradient[0] > 5 * unscaled_gradient[2]
    assert max(scaled_max) - min(scaled_max) < 0.1          # the scaled softmax does not depend on d_k
    assert curves["unscaled"][0] == curves["scaled"][0]     # d_k = 1: scaling by 1 changes nothing


def test_saturation_plot_is_deterministic_svg():
    first = figures.softmax_saturation_svg(widths=(1, 4), length=4)
    assert first == figures.softmax_saturation_svg(widths=(1, 4), length=4)
    assert ET.fromstring(first).tag == f"{SVG}svg"


def test_encoder_decoder_figure_shows_each_encoder_state_and_its_score():
    drawn = figures.encoder_decoder_svg(encoder_steps=5)
    assert len(texts_of(drawn, "encoder")) == 5 and len(texts_of(drawn, "score")) == 5
    assert texts_of(drawn, "context") == ["Ck"]
    assert sorted(texts_of(drawn, "decoder")) == ["sk", "sk−1"]
    with pytest.raises(ValueError, match="encoder_steps"):
        figures.encoder_decoder_svg(encoder_steps=1)
