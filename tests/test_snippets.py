"""Every file in snippets/ runs, as the page shows it, and its assertions hold.

Each file runs once per test session (sitecontract.namespaces caches its names): the binding checks
of tests/test_answer_contract.py read the values from that same run."""

import pytest

import contract
from sitecontract.namespaces import run_snippet

SNIPPET_FILES = sorted(contract.SNIPPETS.rglob("*.py"))


@pytest.mark.parametrize("path", SNIPPET_FILES, ids=[p.relative_to(contract.SNIPPETS).as_posix() for p in SNIPPET_FILES])
def test_snippet_runs_and_its_assertions_hold(path):
    run_snippet(path)


def test_there_are_snippets():
    assert SNIPPET_FILES, "snippets/ is empty: the pages would show no code"
