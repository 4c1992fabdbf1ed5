"""Figures of the language-model questions: the masked attention weights of CS60010 End-Sem Q5 and the
top-k / top-p filtered distributions of Q6(b) (whose figure the scanned paper lost).

Both are plots of numbers computed by :mod:`dlref.language_models`, drawn with matplotlib into
deterministic SVG text. Text is kept as ``<text>`` (``svg.fonttype = none``) so the tests can read
every number a figure shows.
"""

from __future__ import annotations

import io

import numpy as np

from dlref.language_models import causal_mask, masked_attention, top_k_filter, top_p_filter

# CS60010 End-Sem Q5: 'how are you', embedding = concat(in-vector, out-vector) of Table 1 (Q4).
ATTENTION_WORDS = ("how", "are", "you")
ATTENTION_EMBEDDINGS = ((-1, -1, 1, 1), (1, 1, -1, -1), (-1, 2, 1, -2))

# CS60010 End-Sem Q6(b): our distribution over ten next words (the paper's figure is missing).
NEXT_WORDS = ("mat", "floor", "sofa", "bed", "chair", "roof", "table", "grass", "moon", "idea")
NEXT_WORD_PROBS = (0.30, 0.20, 0.15, 0.10, 0.08, 0.06, 0.05, 0.03, 0.02, 0.01)
TOP_K, TOP_P = 5, 0.6


def masked_attention_weights() -> np.ndarray:
    """The ``(3, 3)`` causal attention weights of Q5 (both heads share them: same queries and keys):
    queries are dimensions 1 and 3 of each embedding, keys dimensions 2 and 4."""
    X = np.array(ATTENTION_EMBEDDINGS, dtype=float)
    return masked_attention(X[:, [0, 2]], X[:, [1, 3]], X[:, :2], causal_mask(len(X))).weights


def filtered_distributions() -> dict[str, np.ndarray]:
    """The distribution of Q6(b) and what top-k and top-p sampling leave of it."""
    probs = np.array(NEXT_WORD_PROBS)
    return {"softmax output": probs,
            f"top-k, k = {TOP_K}": top_k_filter(probs, TOP_K),
            f"top-p, p = {TOP_P}": top_p_filter(probs, TOP_P)}


def _svg(figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
    plt.close(figure)
    return buffer.getvalue()


def _style():
    import matplotlib

    matplotlib.use("Agg")
    return {"svg.hashsalt": "dlref", "svg.fonttype": "none", "font.size": 10, "font.family": "DejaVu Sans"}


def masked_attention_svg() -> str:
    """Heatmap of :func:`masked_attention_weights`: rows are queries, columns keys; masked cells grey."""
    import matplotlib.pyplot as plt

    weights = masked_attention_weights()
    mask = causal_mask(len(weights))
    with plt.rc_context(_style()):
        figure, axes = plt.subplots(figsize=(4.6, 3.9), dpi=100)
        shown = np.ma.masked_where(~mask, weights)
        cmap = plt.get_cmap("Blues").with_extremes(bad="#d9d9d9")
        image = axes.imshow(shown, cmap=cmap, vmin=0, vmax=1)
        for i in range(len(weights)):
            for j in range(len(weights)):
                if mask[i, j]:
                    axes.text(j, i, f"{weights[i, j]:.3f}", ha="center", va="center",
                              color="white" if weights[i, j] > 0.6 else "#222222", fontsize=11)
                else:
                    axes.text(j, i, "masked", ha="center", va="center", color="#555555", fontsize=9)
        axes.set_xticks(range(len(weights)), ATTENTION_WORDS)
        axes.set_yticks(range(len(weights)), ATTENTION_WORDS)
        axes.set_xlabel("key (attended to)")
        axes.set_ylabel("query")
        axes.set_title("Masked self-attention weights (both heads)", fontsize=10.5)
        figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04)
        figure.tight_layout()
        return _svg(figure)


def top_k_top_p_svg() -> str:
    """Three bar charts: the distribution of Q6(b), after top-k and after top-p; values on the bars."""
    import matplotlib.pyplot as plt

    panels = filtered_distributions()
    with plt.rc_context(_style()):
        figure, axes_row = plt.subplots(1, 3, figsize=(10.5, 3.4), dpi=100, sharey=True)
        colours = ["#7b9fd0", "#1565c0", "#ef6c00"]
        for axes, (title, values), colour in zip(axes_row, panels.items(), colours):
            positions = np.arange(len(values))
            axes.bar(positions, values, color=[colour if v > 0 else "#cccccc" for v in values])
            for x, v in zip(positions, values):
                if v > 0:
                    axes.text(x, v + 0.01, f"{v:.2f}" if title == "softmax output" else f"{v:.3f}",
                              ha="center", va="bottom", fontsize=7.5, rotation=90)
            axes.set_xticks(positions, NEXT_WORDS, rotation=60, fontsize=8.5)
            axes.set_title(title, fontsize=10.5)
            axes.set_ylim(0, 0.62)
            axes.grid(True, axis="y", color="#dddddd", linewidth=0.6)
            axes.set_axisbelow(True)
        axes_row[0].set_ylabel("probability of the next word")
        figure.tight_layout()
        return _svg(figure)


FIGURES = {
    "lm_masked_attention.svg": masked_attention_svg,
    "lm_top_k_top_p.svg": top_k_top_p_svg,
}
