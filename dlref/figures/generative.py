"""Figures of the VAEs, GANs and diffusion chapter, drawn with matplotlib into deterministic SVG text:

* the magnitude of each GAN generator loss's gradient against ``p = D(G(z))`` (End-Sem Winter 2025 Q21);
* the Jensen-Shannon and Wasserstein-1 distances between two point masses against their gap, and
  their slopes (End-Sem Winter 2025 Intermediate Q1).

Every plotted value comes from :mod:`dlref.generative`.
"""

from __future__ import annotations

import io

import numpy as np

from dlref.generative import GAN_LOSSES, central_difference, dirac_distances, gan_generator_gradients

GAN_PROBABILITIES = tuple(float(p) for p in np.logspace(-4, np.log10(0.99), 121))
GAPS = tuple(float(t) for t in np.linspace(-2.0, 2.0, 81))   # includes the gap 0 exactly

_STYLE = {"svg.hashsalt": "dlref", "svg.fonttype": "path", "font.size": 10, "font.family": "DejaVu Sans"}
_COLOURS = {"minimax": "#c62828", "non-saturating": "#1565c0", "LSGAN": "#2e7d32", "Wasserstein": "#6d4c41"}


def gan_gradient_curves(probabilities=GAN_PROBABILITIES) -> dict[str, list[float]]:
    """``|dL/dp|`` of each generator loss of :func:`dlref.generative.gan_generator_gradients`."""
    return {name: [abs(gan_generator_gradients(p)[name]) for p in probabilities] for name in GAN_LOSSES}


def dirac_distance_curves(gaps=GAPS) -> dict[str, list[float]]:
    """JS and W_1 between ``delta_0`` and ``delta_theta``, and their slopes, for each gap ``theta``."""
    js = [dirac_distances(t)[0] for t in gaps]
    w1 = [dirac_distances(t)[1] for t in gaps]
    js_slope = [central_difference(lambda x: dirac_distances(x)[0], t) if t != 0 else float("nan") for t in gaps]
    w1_slope = [central_difference(lambda x: dirac_distances(x)[1], t) if t != 0 else float("nan") for t in gaps]
    return {"JS": js, "W1": w1, "JS slope": js_slope, "W1 slope": w1_slope}


def _svg(figure) -> str:
    import matplotlib.pyplot as plt

    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
    plt.close(figure)
    return buffer.getvalue()


def gan_gradients_svg(probabilities=GAN_PROBABILITIES) -> str:
    """Log-log plot of :func:`gan_gradient_curves`: only the non-saturating loss's gradient grows as p -> 0."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(_STYLE):
        figure, axes = plt.subplots(figsize=(7.0, 4.0), dpi=100)
        for name, values in gan_gradient_curves(probabilities).items():
            axes.loglog(list(probabilities), values, color=_COLOURS[name], linewidth=1.8,
                        linestyle="--" if name == "Wasserstein" else "-", label=name)
        axes.set_xlabel("p = D(G(z)), the discriminator's score of a fake sample")
        axes.set_ylabel("|dL/dp|")
        axes.grid(True, which="major", color="#dddddd", linewidth=0.6)
        axes.legend(loc="upper right", fontsize=9, frameon=True)
        axes.set_title("Generator gradient when the discriminator rejects the fake (p → 0)", fontsize=11)
        return _svg(figure)


def dirac_distances_svg(gaps=GAPS) -> str:
    """JS and W_1 between two point masses against the gap (left), and their slopes (right)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curves = dirac_distance_curves(gaps)
    gaps = list(gaps)
    negative = [i for i, t in enumerate(gaps) if t < 0]
    positive = [i for i, t in enumerate(gaps) if t > 0]
    with plt.rc_context(_STYLE):
        figure, (left, right) = plt.subplots(1, 2, figsize=(8.4, 3.6), dpi=100)
        for axes, (js, w1), title in ((left, ("JS", "W1"), "distance"), (right, ("JS slope", "W1 slope"), "slope d/dθ")):
            for key, colour, label in ((js, "#c62828", "Jensen–Shannon"), (w1, "#1565c0", "Wasserstein-1")):
                for side, name in ((negative, label), (positive, None)):   # a jump at 0: two pieces
                    axes.plot([gaps[i] for i in side], [curves[key][i] for i in side], "-", linewidth=2.0,
                              color=colour, label=name)
            axes.set_xlabel("gap θ: P = δ(x), Q = δ(x − θ)")
            axes.set_title(title, fontsize=11)
            axes.grid(True, color="#dddddd", linewidth=0.6)
        left.plot([0.0], [curves["JS"][gaps.index(0.0)]], "o", color="#c62828", markersize=5)
        left.annotate("JS = 0 only at θ = 0", (0.0, 0.0), xytext=(0.35, 0.1), fontsize=8.5,
                      arrowprops={"arrowstyle": "->", "color": "#555555"})
        left.legend(loc="upper center", fontsize=9, frameon=True)
        return _svg(figure)


FIGURES = {
    "generative_gan_gradients.svg": gan_gradients_svg,
    "generative_dirac_distances.svg": dirac_distances_svg,
}
