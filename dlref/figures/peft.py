"""The Fisher-pruning check of End-Sem Winter 2025 Advanced Q1, plotted from a real (tiny) training run.

:func:`dlref.peft.train_and_prune` trains a small network, prunes it by the Fisher saliency
``theta^2 F`` and by magnitude, and measures the loss change; this module draws predicted against
measured. Deterministic SVG (fixed seed, single thread, no timestamps); matplotlib is imported only
when the plot is drawn.
"""

from __future__ import annotations

import io

from dlref.peft import train_and_prune

COLOURS = {"Fisher θ²F": "#1565c0", "magnitude |θ|": "#c62828"}


def pruning_curves(run=None) -> dict[str, list[tuple[int, float]]]:
    """The plotted series, ``label -> [(pruned, loss increase), ...]``, counts from 1 (log axis)."""
    run = run or train_and_prune()
    series = {}
    for criterion in run.measured:
        for kind, values in (("measured", run.measured[criterion]), ("predicted ½Σθ²F", run.predicted[criterion])):
            series[f"prune by {criterion}: {kind}"] = [(count, value) for count, value in zip(run.counts, values)
                                                      if count > 0]
    return series


def pruning_svg(run=None) -> str:
    """Loss increase against the number of pruned parameters, predicted and measured, per criterion."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    run = run or train_and_prune()
    with plt.rc_context({"svg.hashsalt": "dlref", "svg.fonttype": "path", "font.size": 10,
                         "font.family": "DejaVu Sans"}):
        figure, axes = plt.subplots(figsize=(7.6, 4.2), dpi=100)
        for label, points in pruning_curves(run).items():
            criterion = next(name for name in COLOURS if name in label)
            style = "-o" if "measured" in label else "--"
            axes.semilogy([p[0] for p in points], [max(p[1], 1e-6) for p in points], style,
                          color=COLOURS[criterion], label=label, linewidth=1.8, markersize=4)
        axes.set_xlabel(f"parameters pruned (of {len(run.theta)})")
        axes.set_ylabel("loss increase ΔL (per sample)")
        axes.grid(True, which="major", color="#dddddd", linewidth=0.6)
        axes.legend(loc="lower right", fontsize=8.5, frameon=True)
        axes.set_title("Pruning a trained 2-4-1 network: ½ Σ θ²F against the measured ΔL", fontsize=11)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
        plt.close(figure)
    return buffer.getvalue()


FIGURES = {"peft_pruning.svg": pruning_svg}
