"""Figures of the attention chapter: the attention weights of Assignment Q6 as a heatmap (drawn as
plain SVG, so every weight is a text element the tests can read), and a matplotlib plot of how the
softmax saturates when dot products are not scaled by ``1/sqrt(d_k)`` (Assignment Q8c)."""

from __future__ import annotations

import io

import numpy as np

from dlref.attention import scaled_dot_product_attention, softmax_saturation
from dlref.figures import svg

# Assignment Q6's matrices (docs/attention.md#modern-arch-assignment-q6).
ASSIGNMENT_Q = ((1, 2), (3, 4), (5, 6))
ASSIGNMENT_K = ((2, 1), (4, 3))
ASSIGNMENT_V = ((0.5, 1.0), (1.5, 2.0))

SATURATION_WIDTHS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
SATURATION_LENGTH = 16


def weight_label(weight: float) -> str:
    """A weight as the heatmap prints it: four decimals, or ``1.8e-07`` when that would read 0."""
    return f"{weight:.4f}" if weight >= 5e-5 else f"{weight:.1e}"


def _cell_colour(weight: float) -> str:
    """White (0) to indigo (1)."""
    low, high = np.array([255, 255, 255]), np.array([48, 63, 159])
    red, green, blue = (low + (high - low) * weight).round().astype(int)
    return f"#{red:02x}{green:02x}{blue:02x}"


def attention_heatmap_svg(Q=ASSIGNMENT_Q, K=ASSIGNMENT_K, V=ASSIGNMENT_V, query_labels=None,
                          key_labels=None, title="Attention weights softmax(QKᵀ/√dₖ)") -> str:
    """Rows are queries, columns keys; each cell is shaded by its weight and prints it."""
    weights = scaled_dot_product_attention(Q, K, V).weights
    rows, columns = weights.shape
    query_labels = query_labels or [f"q{i + 1}" for i in range(rows)]
    key_labels = key_labels or [f"k{j + 1}" for j in range(columns)]
    cell_w, cell_h, left, top = 110, 44, 80, 70
    width, height = left + columns * cell_w + 40, top + rows * cell_h + 50
    body = [svg.text(width / 2, 28, title, size=15, weight="bold")]
    for j, label in enumerate(key_labels):
        body.append(svg.text(left + (j + 0.5) * cell_w, top - 10, label, size=13, class_="key"))
    for i, label in enumerate(query_labels):
        y = top + i * cell_h
        body.append(svg.text(left - 14, y + cell_h / 2 + 5, label, size=13, anchor="end", class_="query"))
        for j in range(columns):
            weight = float(weights[i, j])
            body.append(svg.element("rect", x=left + j * cell_w, y=y, width=cell_w, height=cell_h,
                                    fill=_cell_colour(weight), stroke="#ffffff", stroke_width=2))
            body.append(svg.text(left + (j + 0.5) * cell_w, y + cell_h / 2 + 5, weight_label(weight), size=13,
                                 fill="#ffffff" if weight > 0.5 else svg.TEXT, class_="weight"))
    body.append(svg.text(width / 2, height - 18, "rows: queries, columns: keys; each row sums to 1",
                         size=11, fill=svg.MUTED))
    return svg.document(width, height, title, body)


def saturation_curves(widths=SATURATION_WIDTHS, length=SATURATION_LENGTH) -> dict[str, list[tuple[float, float]]]:
    """For each key width ``d_k``: (mean largest weight, mean total |Jacobian|) of a softmax over
    ``length`` dot products of random unit-variance vectors, unscaled (std ``sqrt(d_k)``) and
    scaled by ``1/sqrt(d_k)`` (std 1); see :func:`dlref.attention.softmax_saturation`."""
    return {name: [softmax_saturation(d, scaled=scaled, length=length) for d in widths]
            for name, scaled in (("unscaled", False), ("scaled", True))}


def softmax_saturation_svg(widths=SATURATION_WIDTHS, length=SATURATION_LENGTH) -> str:
    """Two panels against ``d_k`` (log scale): the largest softmax weight and the softmax's gradient."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curves = saturation_curves(widths, length)
    with plt.rc_context({"svg.hashsalt": "dlref", "svg.fonttype": "path", "font.size": 10,
                         "font.family": "DejaVu Sans"}):
        figure, (top, gradient) = plt.subplots(1, 2, figsize=(9.0, 3.8), dpi=100)
        styles = {"unscaled": ("#c62828", "softmax(q·k): logits of std √d_k"),
                  "scaled": ("#1565c0", "softmax(q·k/√d_k): logits of std 1")}
        for name, (colour, label) in styles.items():
            top.semilogx(widths, [m for m, _ in curves[name]], "o-", color=colour, label=label, base=2)
            gradient.loglog(widths, [g for _, g in curves[name]], "o-", color=colour, label=label, base=2)
        top.set_ylabel("mean largest attention weight")
        top.set_ylim(0, 1.05)
        gradient.set_ylabel("mean Σ|∂softmaxᵢ/∂zⱼ|")
        for axes in (top, gradient):
            axes.set_xlabel("key width d_k")
            axes.grid(True, which="major", color="#dddddd", linewidth=0.6)
        top.legend(loc="lower right", fontsize=8.5)
        top.set_title(f"Softmax over {length} keys saturates…", fontsize=11)
        gradient.set_title("…and its gradient vanishes", fontsize=11)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
        plt.close(figure)
    return buffer.getvalue()


def encoder_decoder_svg(encoder_steps: int = 4) -> str:
    """CT3 Q2's missing figure, redrawn: encoder states ``h_1..h_n``, the previous decoder state
    ``s_{k-1}`` scoring each of them by a dot product, the softmax weights and the context ``C_k`` fed
    to the decoder cell that computes ``s_k``."""
    n = _positive_steps(encoder_steps)
    gap, width_box, height_box, left = 90, 60, 34, 40
    width = left + n * gap + 330
    height = 330
    body = [svg.text(width / 2, 26, "Encoder-decoder with dot-product attention", size=15, weight="bold")]
    encoder_y, score_y = 250, 150
    for j in range(n):
        x = left + j * gap
        label = f"h_{j + 1}" if j < n - 1 else "h_n"
        body.append(svg.box(x, encoder_y, width_box, height_box, "conv"))
        body.append(svg.math_text(x + width_box / 2, encoder_y + 22, label, class_="encoder"))
        if j:
            body.append(svg.arrow([(x - gap + width_box, encoder_y + height_box / 2), (x - 2, encoder_y + height_box / 2)]))
        body.append(svg.arrow([(x + width_box / 2, encoder_y - 2), (x + width_box / 2, score_y + 30)]))
        body.append(svg.math_text(x + width_box / 2, score_y + 20, f"e_{{k{j + 1 if j < n - 1 else 'n'}}}", size=12,
                                  class_="score"))
    body.append(svg.text(left + (n - 1) * gap / 2 + width_box / 2, encoder_y + height_box + 28,
                         "encoder", size=12, fill=svg.MUTED))
    softmax_x = left + (n - 1) * gap / 2 + width_box / 2
    body.append(svg.box(softmax_x - 90, score_y - 60, 180, 30, "softmax"))
    body.append(svg.math_text(softmax_x, score_y - 40, "α_{kj} = softmax_j(e_{kj})", size=12))
    body.append(svg.arrow([(softmax_x, score_y + 4), (softmax_x, score_y - 28)]))
    decoder_x = left + n * gap + 60
    body.append(svg.box(decoder_x, score_y + 4, 80, height_box, "fc"))
    body.append(svg.math_text(decoder_x + 40, score_y + 26, "s_{k-1}", class_="decoder"))
    body.append(svg.box(decoder_x + 150, score_y - 60, 80, height_box, "fc"))
    body.append(svg.math_text(decoder_x + 190, score_y - 38, "s_k", class_="decoder"))
    body.append(svg.arrow([(decoder_x + 80, score_y + 20), (decoder_x + 150, score_y - 40)]))
    body.append(svg.text(decoder_x + 115, score_y + 70, "decoder", size=12, fill=svg.MUTED))
    body.append(svg.element("polyline", points=f"{decoder_x},{score_y + 21} {left + (n - 1) * gap + width_box + 8},{score_y + 21}",
                            fill="none", stroke="#8468a8", stroke_width=1.2, stroke_dasharray="4 3"))
    body.append(svg.text(decoder_x - 40, score_y + 58, "e_kj = s_{k−1}ᵀ h_j", size=11, fill="#8468a8"))
    body.append(svg.box(softmax_x + 150, score_y - 110, 60, 30, "pool"))
    body.append(svg.math_text(softmax_x + 180, score_y - 90, "C_k", class_="context"))
    body.append(svg.arrow([(softmax_x + 90, score_y - 45), (softmax_x + 148, score_y - 95)]))
    body.append(svg.arrow([(softmax_x + 210, score_y - 95), (decoder_x + 190, score_y - 95), (decoder_x + 190, score_y - 62)]))
    body.append(svg.text(softmax_x + 220, score_y - 72, "C_k = Σ_j α_kj h_j", size=11, anchor="start", fill=svg.MUTED))
    return svg.document(width, height, "Encoder-decoder with dot-product attention", body)


def _positive_steps(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 2:
        raise ValueError(f"encoder_steps must be an integer >= 2, got {value!r}")
    return value


FIGURES = {
    "attention_weights_q6.svg": lambda: attention_heatmap_svg(),
    "attention_softmax_saturation.svg": lambda: softmax_saturation_svg(),
    "attention_encoder_decoder.svg": lambda: encoder_decoder_svg(),
}
