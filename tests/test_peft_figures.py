"""The pruning plot of End-Sem Winter 2025 Advanced Q1 shows the run's numbers."""

import xml.etree.ElementTree as ET

import contract
from dlref import figures
from dlref.figures import peft as peft_figures
from dlref.peft import train_and_prune


def test_pruning_figure_is_registered_and_committed():
    """tests/test_figures.py checks that the committed file is what the code draws; here, that it is
    registered under the name the page shows and is an SVG with its title."""
    assert figures.FIGURES["peft_pruning.svg"] is peft_figures.pruning_svg
    assert "figures/peft_pruning.svg" in (contract.DOCS / "peft.md").read_text(encoding="utf-8")
    committed = (contract.DOCS / "figures" / "peft_pruning.svg").read_text(encoding="utf-8")
    root = ET.fromstring(committed)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Pruning a trained 2-4-1 network" in committed  # the title, kept as a comment by matplotlib


def test_pruning_curves_are_the_runs_predictions_and_measurements():
    run = train_and_prune()
    curves = peft_figures.pruning_curves(run)
    assert len(curves) == 4
    measured = curves["prune by Fisher θ²F: measured"]
    predicted = curves["prune by magnitude |θ|: predicted ½Σθ²F"]
    assert [count for count, _ in measured] == list(run.counts[1:])
    assert [value for _, value in measured] == run.measured["Fisher θ²F"][1:]
    assert [value for _, value in predicted] == run.predicted["magnitude |θ|"][1:]
