"""The language-model figures show what PyTorch computes, for the givens the pages use."""

import functools
import runpy
import xml.etree.ElementTree as ET

import numpy as np
import torch

import contract
from dlref.figures import language_models as figures
from torch_helpers import n, t

SVG = "{http://www.w3.org/2000/svg}"


@functools.cache
def shown(name: str) -> list[str]:
    """Every text of a committed figure (matplotlib keeps them as <text> with svg.fonttype = none)."""
    root = ET.fromstring((contract.DOCS / "figures" / name).read_text(encoding="utf-8"))
    return ["".join(element.itertext()).strip() for element in root.iter(f"{SVG}text")]


def snippet(name: str) -> dict:
    return runpy.run_path(str(contract.SNIPPETS / "language_models" / name), run_name="__snippet__")


def test_heatmap_weights_are_pytorchs_causal_softmax():
    X = t(figures.ATTENTION_EMBEDDINGS)
    Q, K = X[:, [0, 2]], X[:, [1, 3]]
    scores = (Q @ K.T / 2 ** 0.5).masked_fill(~torch.ones(3, 3, dtype=torch.bool).tril(), float("-inf"))
    expected = scores.softmax(-1)
    np.testing.assert_allclose(figures.masked_attention_weights(), n(expected), atol=1e-12)
    # and those weights are the ones the two-head output is made of
    out = torch.nn.functional.scaled_dot_product_attention(Q, K, X[:, :2], is_causal=True)
    np.testing.assert_allclose(n(expected @ X[:, :2]), n(out), atol=1e-12)


def test_heatmap_shows_each_weight_and_each_masked_cell():
    texts = shown("lm_masked_attention.svg")
    weights = figures.masked_attention_weights()
    for i, j in zip(*np.tril_indices(3)):
        assert f"{weights[i, j]:.3f}" in texts, (i, j)
    assert texts.count("masked") == 3
    assert {"how", "are", "you"} <= set(texts)


def test_heatmap_uses_the_pages_embeddings():
    q5 = snippet("cs60010_endsem_q5.py")
    assert q5["X"].tolist() == [list(row) for row in figures.ATTENTION_EMBEDDINGS]
    np.testing.assert_allclose(q5["all_weights"], figures.masked_attention_weights())


def test_bars_are_the_hugging_face_filters_of_the_pages_distribution():
    q6b = snippet("cs60010_endsem_q6b.py")
    assert q6b["tokens"] == list(figures.NEXT_WORDS)
    np.testing.assert_allclose(q6b["probs"], figures.NEXT_WORD_PROBS)
    assert (q6b["k"], q6b["p"]) == (figures.TOP_K, figures.TOP_P)
    logits = torch.log(t(figures.NEXT_WORD_PROBS))
    top_k = logits.masked_fill(logits < torch.topk(logits, figures.TOP_K).values[-1], float("-inf")).softmax(-1)
    sorted_logits, order = torch.sort(logits)
    drop = sorted_logits.softmax(-1).cumsum(-1) <= 1 - figures.TOP_P
    top_p = logits.masked_fill(drop.scatter(0, order, drop), float("-inf")).softmax(-1)
    panels = list(figures.filtered_distributions().values())
    np.testing.assert_allclose(panels[0], figures.NEXT_WORD_PROBS)
    np.testing.assert_allclose(panels[1], n(top_k), atol=1e-12)
    np.testing.assert_allclose(panels[2], n(top_p), atol=1e-12)


def test_bar_chart_labels_every_kept_probability():
    texts = shown("lm_top_k_top_p.svg")
    original, top_k, top_p = figures.filtered_distributions().values()
    assert sum(f"{v:.2f}" == text for v in original for text in texts) == len(original)
    for values in (top_k, top_p):
        kept = [f"{v:.3f}" for v in values if v > 0]
        assert kept and all(label in texts for label in kept)
    assert len([text for text in texts if text == "mat"]) == 3           # one axis per panel
    assert any("top-k, k = 5" == text for text in texts) and any("top-p, p = 0.6" == text for text in texts)
