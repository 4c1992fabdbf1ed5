"""Figures for the exam questions whose scanned paper lost them, drawn as plain SVG text.

One module per chapter (:mod:`dlref.figures.cnn`, :mod:`dlref.figures.rnn`) on the shared helpers
of :mod:`dlref.figures.svg`. Every number in a figure is read from the package's own tables, so a
figure cannot disagree with the computed answers. The output is deterministic (no timestamps, no
randomness) and the files in ``docs/figures`` are checked against it by ``tests/test_figures.py``;
regenerate them with ``python -m dlref.figures``.

The site shows the files through ``<img>`` in a light and a dark theme, so every figure draws its
own white background and dark text.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from dlref.figures import cnn, plots, rnn

FIGURES = {  # file name -> function drawing it
    "vgg19.svg": lambda: cnn.vgg_svg("VGG-19"),
    "residual_blocks.svg": lambda: cnn.residual_blocks_svg(),
    "causal_stack.svg": lambda: cnn.causal_stack_svg(),
    "unrolled_rnn.svg": lambda: rnn.unrolled_rnn_svg(),
    "lstm_cell.svg": lambda: rnn.lstm_cell_svg(),
    "lstm_cell_labelled.svg": lambda: rnn.lstm_cell_svg(labelled=True),
    "gradient_norms.svg": lambda: plots.gradient_norms_svg(),
}

# Later chapters keep their figures in their own module, as a ``FIGURES`` dict of the same kind.
for _chapter in ("attention", "language_models", "peft", "rlhf", "generative", "foundations"):
    try:
        FIGURES.update(import_module(f"dlref.figures.{_chapter}").FIGURES)
    except ModuleNotFoundError as _missing:
        if _missing.name != f"dlref.figures.{_chapter}":
            raise


def write_all(directory) -> list[Path]:
    """Write every figure of ``FIGURES`` into ``directory`` (created if needed); return the paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, draw in FIGURES.items():
        path = directory / name
        path.write_text(draw(), encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def main() -> None:
    """``python -m dlref.figures``: regenerate ``docs/figures/*.svg`` of this checkout."""
    directory = Path(__file__).resolve().parents[2] / "docs" / "figures"
    for path in write_all(directory):
        print(f"wrote {path}")
