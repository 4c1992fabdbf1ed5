"""The answer contract of GUIDE.md, enforced on every page (docs/contributing.md explains it).

A wrong published answer fails here: every number and option letter in an answer or erratum box
must be a literal that the question's own code asserts, and that code runs in test_snippets.py.
"""

import re
from pathlib import Path

import pytest

import contract
from sitecontract import bindings, registry
from sitecontract import namespaces
from sitecontract.namespaces import question_namespace
from question_index import FINISHED_CHAPTERS

QUESTIONS = contract.all_questions()
QUESTION_IDS = [q.id for q in QUESTIONS]
ANATOMY = ("answer", "solution", "check")


def test_question_ids_are_unique():
    duplicates = {qid for qid in QUESTION_IDS if QUESTION_IDS.count(qid) > 1}
    assert not duplicates, f"each question appears once on the site; repeated ids: {duplicates}"


@pytest.mark.parametrize("chapter", FINISHED_CHAPTERS)
def test_finished_chapter_answers_all_its_questions(chapter):
    chapters, papers = registry.load()
    site = {q.id: q for q in QUESTIONS}
    missing = [f"{paper.short} {entry.label} ({entry.id})" for paper in papers for entry in paper.questions
               if entry.chapter == chapter and not entry.link and not registry.sections_of(entry, site)]
    assert not missing, f"{chapters[chapter][0]} is missing {missing}"


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
        # in a multiple-choice question a letter in a box is an option; elsewhere "(a)" labels a part
        if block.name in BOXES_WHOSE_LETTERS_ARE_CLAIMS and "options" in namespace:
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


REGISTRY_CHAPTERS, REGISTRY_PAPERS = registry.load()
REGISTRY_ENTRIES = {entry.id: (paper, entry) for paper in REGISTRY_PAPERS for entry in paper.questions}


def registry_entry(question):
    """The paper question a site section answers: its id, or the id it is a part (a, b, ...) of."""
    if question.id in REGISTRY_ENTRIES:
        return REGISTRY_ENTRIES[question.id]
    return REGISTRY_ENTRIES.get(question.id[:-1], (None, None))


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_question_is_in_the_registry_on_its_chapter_page(question):
    paper, entry = registry_entry(question)
    assert entry is not None, f"{question.id} is not listed in docs/papers/papers.yml"
    chapter_page = REGISTRY_CHAPTERS[entry.chapter][0]
    assert question.page.relative_to(contract.DOCS).as_posix() == chapter_page, \
        f"{question.id} belongs on {chapter_page} (papers.yml), not {question.page.name}"
    assert question.title.startswith(f"{paper.short} {entry.label.split('(')[0]}"), \
        f"{question.id}: the heading should start with '{paper.short} {entry.label.split('(')[0]}' (papers.yml)"


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_heading_marks_agree_with_the_registry(question):
    paper, entry = registry_entry(question)
    expected = registry.expected_marks(entry, question)
    shown = registry.heading_marks(question)
    if expected is None:
        assert shown is None, f"{question.id}: the heading shows marks the paper does not give"
        return
    assert shown is not None, f"{question.id}: the heading must show its marks ({float(expected):g} {paper.unit}s)"
    assert shown[0] == expected and shown[1].startswith(paper.unit), \
        f"{question.id}: the heading says {shown}, papers.yml says {float(expected):g} {paper.unit}s"


@pytest.mark.parametrize("slug", [paper.slug for paper in REGISTRY_PAPERS])
def test_paper_page_is_generated_and_links_every_answered_question(slug):
    source = (contract.DOCS / "papers" / f"{slug}.md").read_text(encoding="utf-8")
    assert source.strip() == "<!-- generated: paper-questions -->", \
        f"papers/{slug}.md: the page is generated from papers.yml and the chapters (no hand-kept text)"
    page = registry.expand(source, f"papers/{slug}.md")
    for question in QUESTIONS:
        paper, _ = registry_entry(question)
        if paper is not None and paper.slug == slug:
            link = f"../{question.page.relative_to(contract.DOCS).as_posix()}#{question.id}"
            assert link in page, f"papers/{slug}.md does not link to {link}"


@pytest.mark.parametrize("slug", [paper.slug for paper in REGISTRY_PAPERS])
def test_mock_exam_is_generated_in_the_papers_order(slug):
    source = (contract.DOCS / "mock" / f"{slug}.md").read_text(encoding="utf-8")
    assert source.strip() == "<!-- generated: mock-exam -->", f"mock/{slug}.md is generated, not kept by hand"
    page = registry.expand(source, f"mock/{slug}.md")
    paper = next(p for p in REGISTRY_PAPERS if p.slug == slug)
    headings = [line[3:] for line in page.splitlines() if line.startswith("## ")]
    assert headings and headings[0].startswith(paper.questions[0].label), f"mock/{slug}.md starts elsewhere"
    positions = []
    for question in QUESTIONS:
        owner, entry = registry_entry(question)
        if owner is paper:
            link = f"../{question.page.relative_to(contract.DOCS).as_posix()}#{question.id})"
            assert link in page, f"mock/{slug}.md does not link {question.id}'s worked solution"
            positions.append((paper.questions.index(entry), page.index(link)))
    assert [p for _, p in sorted(positions)] == sorted(p for _, p in positions), "questions out of the paper's order"
    assert "{{" not in page, "bindings are rendered on the mock exam"


def test_errata_page_is_generated_and_lists_every_box():
    source = (contract.DOCS / "errata.md").read_text(encoding="utf-8")
    assert "<!-- generated: errata -->" in source and not re.search(r"\d", source)
    page = registry.expand(source, "errata.md")
    for question in QUESTIONS:
        for block in question.blocks:
            if block.name in registry.ISSUE_BOXES:
                section = page.split(f"## {registry.ISSUE_BOXES[block.name][0]}")[1].split("\n## ")[0]
                assert f"#{question.id})" in section, f"errata.md does not list {question.id} under {block.name}"


def test_registry_marks_sum_to_each_papers_total():
    """The papers print their totals: the registry's marks must add up to them."""
    printed_totals = {"cse641-quiz2": 15, "endsem-winter-2025": 20, "cs60010-endsem": 80}
    for paper in REGISTRY_PAPERS:
        if paper.slug in printed_totals:
            assert paper.total_marks() == printed_totals[paper.slug], paper.slug


@pytest.mark.parametrize("question", QUESTIONS, ids=QUESTION_IDS)
def test_question_heading_has_no_math(question):
    """The table of contents shows headings as plain text: write h₂ or ∂L/∂U, not $h_2$."""
    assert "$" not in question.title, f"{question.id}: math in the heading shows as raw LaTeX in the contents"
    # the paper and label before the dash are checked against papers.yml, and so are the marks
    title = registry.MARKS_IN_HEADING.sub("", question.title).split(" — ", 1)[-1]
    found, _ = bindings.claims(title, None, options_are_claims=False)
    stray = [c.text for c in found if c.status == "unbound"]
    assert not stray, f"{question.id}: the heading states {stray}, which nothing checks: keep numbers in the question"


PAGES = contract.pages()


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(contract.DOCS).as_posix() for p in PAGES])
def test_values_outside_questions_are_bound(page):
    """Outside a question, bindings resolve in the values file named by the last ``<!-- values: x.py -->``
    comment above them, and every number after such a comment is bound. Arithmetic anywhere must hold."""
    text = page.read_text(encoding="utf-8")
    lines = text.split("\n")
    for question in contract.questions(page):   # questions are checked above, with their own code
        end = question.line + question.text.count("\n") + 1
        for index in range(question.line - 1, min(end, len(lines))):
            lines[index] = ""
    outside = "\n".join(lines)
    failures = []
    for offset, segment, namespace in namespaces.scoped_segments(outside):
        first_line = outside.count("\n", 0, offset) + 1
        found, problems = bindings.claims(segment, namespace, options_are_claims=False, first_line=first_line)
        if namespace is None:
            problems += [f"{{{{ {b.expr} = ... }}}} has no code to bind to: name a values file"
                         for b in bindings.find_bindings(segment) if b.is_claim]
            problems = [f for f in problems if "names no value of the code" not in f]
        else:
            problems += [f"{c.where}: {c.text!r} is not bound" for c in found if c.status == "unbound"]
        failures += problems
    assert not failures, f"{page.relative_to(contract.DOCS)}:\n  " + "\n  ".join(failures)
