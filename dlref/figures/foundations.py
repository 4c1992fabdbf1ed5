"""Plots of the Foundations chapter, drawn with matplotlib into deterministic SVG text.

Each shows numbers that :mod:`dlref.foundations` computes, so regenerating the figure re-runs the
computation (``python -m dlref.figures``; ``tests/test_figures.py`` checks the committed files).
"""

from __future__ import annotations

import io

import numpy as np

from dlref.foundations import separable_data, shallow_network_fit, train_perceptron

FIT_WIDTH = 16
PERCEPTRON_DATA = {"n": 200, "d": 2, "gamma": 0.25, "seed": 0}   # the data of End-Sem Winter 2025 Q11


def _target(x):
    return np.sin(2 * np.pi * x)


def _svg(figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
    plt.close(figure)
    return buffer.getvalue()


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt, {"svg.hashsalt": "dlref", "svg.fonttype": "path", "font.size": 10, "font.family": "DejaVu Sans"}


def universal_approximation_svg(width: int = FIT_WIDTH) -> str:
    """The target sin(2 pi x) and the best one-hidden-layer fits with ReLU, step and square units."""
    plt, style = _pyplot()
    with plt.rc_context(style):
        figure, axes = plt.subplots(figsize=(8.0, 3.8), dpi=100)
        x = np.linspace(0, 1, 201)
        axes.plot(x, _target(x), color="#222222", linewidth=3.0, alpha=0.35, label="target sin(2πx)")
        for activation, colour, line in (("relu", "#1565c0", "-"), ("step", "#2e7d32", "-"),
                                         ("square", "#c62828", "--")):
            grid, fitted = shallow_network_fit(_target, activation, width)
            axes.plot(grid, fitted, line, color=colour, linewidth=1.6, label=f"{activation} units")
        axes.set_xlabel("x")
        axes.set_title(f"One hidden layer of {width} units, output weights by least squares", fontsize=11)
        axes.grid(True, color="#dddddd", linewidth=0.6)
        axes.legend(loc="lower left", fontsize=9, frameon=True)
        figure.tight_layout()
        return _svg(figure)


def perceptron_margins_svg() -> str:
    """The separable data of Q11, the true separator w*, and where the plain and the margin
    perceptron stop (with the margin band gamma around w*'s separator)."""
    X, t, w_star = separable_data(**PERCEPTRON_DATA)
    gamma = float(np.min(t * (X @ w_star)))
    plt, style = _pyplot()
    with plt.rc_context(style):
        figure, axes = plt.subplots(figsize=(6.4, 5.6), dpi=100)
        axes.scatter(*X[t > 0].T, s=12, color="#1565c0", label="y = +1")
        axes.scatter(*X[t < 0].T, s=12, color="#c62828", marker="s", label="y = −1")
        line = np.linspace(-6, 6, 2)
        for w, colour, style_, label in ((w_star, "#222222", "-", "w* (margin γ)"),
                                         (train_perceptron(X, t)[0], "#ef6c00", "--", "perceptron"),
                                         (train_perceptron(X, t, margin=gamma)[0], "#2e7d32", "-.",
                                          "margin perceptron")):
            direction = np.array([-w[1], w[0]]) / np.linalg.norm(w)
            axes.plot(*(np.outer(line, direction)).T, style_, color=colour, linewidth=1.8, label=label)
        normal = w_star / np.linalg.norm(w_star)
        for side in (-1, 1):
            band = np.outer(line, [-normal[1], normal[0]]) + side * gamma * normal
            axes.plot(*band.T, ":", color="#222222", linewidth=1.0)
        axes.set_xlim(-4, 4)
        axes.set_ylim(-4, 4)
        axes.set_aspect("equal")
        axes.set_title("Where each perceptron stops (dotted: the margin γ of w*)", fontsize=11)
        axes.legend(loc="lower right", fontsize=8.5, frameon=True)
        figure.tight_layout()
        return _svg(figure)


FIGURES = {
    "foundations_universal_approximation.svg": universal_approximation_svg,
    "foundations_perceptron_margins.svg": perceptron_margins_svg,
}
