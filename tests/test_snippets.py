"""Every file in snippets/ runs, as the page shows it, and its assertions hold."""

import runpy

import pytest

import contract

SNIPPET_FILES = sorted(contract.SNIPPETS.rglob("*.py"))


@pytest.mark.parametrize("path", SNIPPET_FILES, ids=[p.relative_to(contract.SNIPPETS).as_posix() for p in SNIPPET_FILES])
def test_snippet_runs_and_its_assertions_hold(path):
    runpy.run_path(str(path), run_name="__snippet__")


def test_there_are_snippets():
    assert SNIPPET_FILES, "snippets/ is empty: the pages would show no code"
