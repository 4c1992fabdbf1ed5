"""Plots of computed results, drawn with matplotlib into deterministic SVG text.

Unlike the diagrams, these show numbers the package computes (gradient norms), so the test that
regenerates them also re-runs the computation. matplotlib is imported only when a plot is drawn.
"""

from __future__ import annotations

import io

from dlref.rnn import lstm_first_cell_gradient_norms, rnn_first_state_gradient_norms

GRADIENT_LENGTHS = tuple(range(1, 81))
RNN_RADII = (0.5, 0.9, 1.0, 1.5)
LSTM_FORGET_BIASES = (10.0, 0.0)


def gradient_norm_curves(lengths=GRADIENT_LENGTHS) -> dict[str, list[float]]:
    """``||dL/dh_1||`` of tanh RNNs (one curve per spectral radius of ``W_hh``) and ``||dL/dc_1||`` of
    LSTMs (one per forget-gate bias), against the sequence length ``T``, for ``L = v . h_T``."""
    curves = {f"tanh RNN, ρ(W_hh) = {radius}": rnn_first_state_gradient_norms(lengths, radius).tolist()
              for radius in RNN_RADII}
    for bias in LSTM_FORGET_BIASES:
        label = f"LSTM, forget bias {bias:g} (f ≈ {1 / (1 + 2.718281828459045 ** -bias):.2f})"
        curves[label] = lstm_first_cell_gradient_norms(lengths, bias).tolist()
    return curves


def gradient_norms_svg(lengths=GRADIENT_LENGTHS) -> str:
    """Log-scale plot of :func:`gradient_norm_curves`: vanishing (and exploding) RNN gradients
    against an LSTM whose forget gate is close to 1."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context({"svg.hashsalt": "dlref", "svg.fonttype": "path", "font.size": 10,
                         "font.family": "DejaVu Sans"}):
        figure, axes = plt.subplots(figsize=(8.0, 4.2), dpi=100)
        styles = ["-", "-", "-", "-", "--", "--"]
        colours = ["#c62828", "#ef6c00", "#f9a825", "#6d4c41", "#1565c0", "#7b9fd0"]
        for (label, values), style, colour in zip(gradient_norm_curves(lengths).items(), styles, colours):
            axes.semilogy(list(lengths), [max(v, 1e-30) for v in values], style, color=colour,
                          label=label, linewidth=1.8)
        axes.set_xlabel("sequence length T")
        axes.set_ylabel("‖∂L/∂h₁‖ (RNN),  ‖∂L/∂c₁‖ (LSTM)")
        axes.set_ylim(1e-30, 1e6)
        axes.grid(True, which="major", color="#dddddd", linewidth=0.6)
        axes.legend(loc="lower left", fontsize=8.5, frameon=True)
        axes.set_title("How much of the loss at step T reaches step 1", fontsize=11)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
        plt.close(figure)
    return buffer.getvalue()
