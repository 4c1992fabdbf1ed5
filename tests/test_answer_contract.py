"""The answer contract of GUIDE.md, enforced on every page (docs/contributing.md explains it).

A wrong published answer fails here: every number and option letter in an answer or erratum box
must be a literal that the question's own code asserts, and that code runs in test_snippets.py.
"""

import re
from pathlib import Path

import pytest

import contract
from sitecontract import bindings
from sitecontract.namespaces import question_namespace
from question_index import CHAPTER_QUESTIONS, PAPERS, paper_of

QUESTIONS = contract.all_questions()
QUESTION_IDS = [q.id for q in QUESTIONS]
ANATOMY = ("answer", "solution", "check")


def test_question_ids_are_unique():
    duplicates = {qid for qid in QUESTION_IDS if QUESTION_IDS.count(qid) > 1}
    assert not duplicates, f"each question appears once on the site; repeated ids: {duplicates}"


@pytest.mark.parametrize("page", sorted(CHAPTER_QUESTIONS))
def test_finished_chapter_answers_all_its_questions(page):
    on_page = [q.id for q in contract.questions(contract.DOCS / page)]
    missing = [qid for qid in CHAPTER_QUESTIONS[page] if qid not in on_page]
    assert not missing, f"{page} is missing questions {missing}"


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_question_has_full_anatomy(question):
    for name in ANATOMY:
        assert question.blocks_named(name), f"{question.id}: no '/// {name}' block"
    assert len(question.blocks_named("answer")) == 1, f"{question.id}: exactly one answer box"
    assert question.includes, f"{question.id}: the solution must include its code from snippets/"
    for name in ("solution", "check"):
        shown = [inc for block in question.blocks_named(name) for inc in contract.includes_in(block.body)]
        assert shown, f"{question.id}: the '/// {name}' block shows no snippet"


BOXES_WHOSE_LETTERS_ARE_CLAIMS = ("answer", "erratum", "ambiguous", "unclear")


def binding_report(question) -> tuple[list[str], list[str]]:
    """Failures of the question's bindings and arithmetic, and its unbound claims."""
    namespace = question_namespace(question)
    found, failures = bindings.claims(question.text, namespace, options_are_claims=False,
                                      first_line=question.line + 1)
    unbound = [f"{c.where}: {c.text!r}" for c in found if c.status == "unbound"]
    for block in question.blocks:
        if block.name in BOXES_WHOSE_LETTERS_ARE_CLAIMS:
            letters, _ = bindings.claims(block.body, None, options_are_claims=True)
            unbound += [f"'/// {block.name}' box: option ({c.text}) outside a binding" for c in letters
                        if c.kind == "option" and c.status == "unbound"]
    failures += bindings.verdict_failures(question.text, namespace)
    return failures, unbound


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_every_value_is_bound_to_the_code(question):
    """Each binding equals what its expression computes, each equation holds, and no number or option
    letter on the question is left unbound (docs/contributing.md, "The binding contract")."""
    failures, unbound = binding_report(question)
    assert not failures, f"{question.id} ({question.page.name}):\n  " + "\n  ".join(failures)
    assert not unbound, (f"{question.id} ({question.page.name}) states values no code checks; bind them "
                         "with {{ name = value }}:\n  " + "\n  ".join(unbound))


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.blocks_named("erratum")],
                         ids=[q.id for q in QUESTIONS if q.blocks_named("erratum")])
def test_every_erratum_is_proved(question):
    inequalities = sum(contract.assertions(p).inequalities for p in question.snippet_files)
    assert inequalities, f"{question.id}: an erratum needs `assert computed != printed` in its code"


def test_every_include_exists_and_every_snippet_is_shown():
    included: dict[Path, set[str]] = {}
    for page in contract.pages():
        for target in contract.includes_in(page.read_text(encoding="utf-8")):
            file, _, section = target.partition(":")
            path = contract.SNIPPETS / file
            assert path.is_file(), f"{page.name} includes missing snippet {file}"
            if section:
                assert section in contract.snippet_sections(path), \
                    f"{page.name} includes section '{section}' that {file} does not define"
            included.setdefault(path, set()).add(section)
    for path in sorted(contract.SNIPPETS.rglob("*.py")):
        assert path in included, f"snippet {path.relative_to(contract.ROOT)} is included by no page"
        sections = contract.snippet_sections(path)
        if "" not in included[path]:
            unshown = sections - included[path]
            assert not unshown, f"sections {unshown} of {path.name} are shown on no page"


def test_fences_that_include_snippets_are_not_run_as_text():
    for page in contract.pages():
        for line, info, body in contract.fences(page.read_text(encoding="utf-8")):
            language, options = contract.fence_language(info)
            if language == "python" and any(contract.SNIPPET_INCLUDE.match(b) for b in body):
                assert "notest" in options, (
                    f"{page.name}:{line}: a fence that includes a snippet must be ```{{.python notest}}``` "
                    "(the snippet file itself is run by test_snippets.py)")


def test_markdown_docs_runs_the_fences_inside_collapsed_blocks():
    """pytest-markdown-docs must collect every runnable Python fence, including those inside
    ``/// solution`` blocks: its count must equal ours, and some of them must sit inside a block."""
    from markdown_it import MarkdownIt
    from pytest_markdown_docs.plugin import FenceSyntax, extract_fence_tests

    inside_blocks = 0
    for page in contract.pages():
        text = page.read_text(encoding="utf-8")
        ours = {line + 1 for line, info, _ in contract.fences(text)
                if contract.fence_language(info)[0] in ("python", "py") and "notest" not in contract.fence_language(info)[1]}
        theirs = {test.start_line + 1 for test in extract_fence_tests(
            MarkdownIt("commonmark"), text, 0, page, fence_syntax=FenceSyntax.superfences)}
        assert ours == theirs, f"{page.name}: fences we run {sorted(ours)} but pytest-markdown-docs collects {sorted(theirs)}"
        for block in contract.blocks_in(text):
            first, last = block.start_line, block.start_line + block.body.count("\n") + 1
            inside_blocks += sum(first < line <= last for line in ours)
    assert inside_blocks, "no runnable fence inside a collapsed block: the collection proof has nothing to prove"


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_question_is_reachable_from_its_paper(question):
    page = contract.DOCS / PAPERS[paper_of(question.id)][2]
    chapter = question.page.relative_to(contract.DOCS).as_posix()
    link = f"../{chapter}#{question.id}"
    assert link in page.read_text(encoding="utf-8"), f"{page.name} does not link to {link}"


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.blocks_named("erratum")],
                         ids=[q.id for q in QUESTIONS if q.blocks_named("erratum")])
def test_errata_page_lists_every_erratum(question):
    chapter = question.page.relative_to(contract.DOCS).as_posix()
    assert f"({chapter}#{question.id})" in (contract.DOCS / "errata.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_question_heading_has_no_math(question):
    """The table of contents shows headings as plain text: write h₂ or ∂L/∂U, not $h_2$."""
    assert "$" not in question.title, f"{question.id}: math in the heading shows as raw LaTeX in the contents"
