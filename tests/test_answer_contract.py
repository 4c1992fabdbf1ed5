"""The answer contract of GUIDE.md, enforced on every page (docs/contributing.md explains it).

A wrong published answer fails here: every number and option letter in an answer or erratum box
must be a literal that the question's own code asserts, and that code runs in test_snippets.py.
"""

import re
from pathlib import Path

import pytest

import contract
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


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_every_answer_number_and_option_is_asserted(question):
    found = [contract.assertions(path) for path in question.snippet_files]
    equal = [v for f in found for v in f.values]
    refuted = [v for f in found for v in f.refuted]
    for block in question.blocks_named("answer") + question.blocks_named("erratum"):
        # an answer states what is right; an erratum also quotes what the paper printed
        asserted = equal if block.name == "answer" else equal + refuted
        missing = contract.numbers_covered(contract.stated_numbers(block.body), asserted)
        assert not missing, (
            f"{question.id}: the {block.name} box (line {block.start_line}) states {missing}, which no "
            f"assertion in {[p.name for p in question.snippet_files]} checks")
        letters = set(contract.stated_options(block.body))
        unasserted = letters - {v for v in asserted if isinstance(v, str)}
        assert not unasserted, f"{question.id}: option(s) {sorted(unasserted)} in the {block.name} box are not asserted"


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


def test_contract_reader_sees_numbers_options_and_asserts(tmp_path):
    """The reader itself must not be blind: a planted wrong number is reported."""
    snippet = tmp_path / "q.py"
    snippet.write_text("PRINTED = 36_384\nassert 64 * 64 * 9 == 36_864\nassert 64 * 64 * 9 != PRINTED\n"
                       "for w, b in [(1728, 64)]:\n    assert (w, b) == (1728, 64)\nassert 'b' == 'b'\n"
                       "options = {'a': 1, 'c': 1_152}\nassert options['a'] == 1\nassert not {896} & {1}\n")
    found = contract.assertions(snippet)
    assert {36864, 1728, 64, "b"} <= set(found.values) and found.inequalities == 1
    assert 36384 in found.refuted and 36384 not in found.values
    box = ("    type: answer\n**(b)** 36,864 weights; $1{,}728$ and $-6$; shape $62 \\times 62 \\times 32$; [x](#q-1)"
           "; $h_{t+1} = \\tanh^2(x_3)$ by equation (7)")
    assert contract.stated_numbers(box) == [36864, 1728, -6, 62, 62, 32]
    assert contract.stated_options(box) == ["b"]
    assert contract.stated_options("(a) 3 x 5. (b) 3 entries.") == []   # part labels, not options
    assert contract.numbers_covered([36864, 36865, 1_152, 896], found.values) == [36865, 1_152, 896]
    assert "c" not in found.values     # a dict of options names candidates, it asserts none of them


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_question_heading_has_no_math(question):
    """The table of contents shows headings as plain text: write h₂ or ∂L/∂U, not $h_2$."""
    assert "$" not in question.title, f"{question.id}: math in the heading shows as raw LaTeX in the contents"
