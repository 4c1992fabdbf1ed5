"""The papers registry (``docs/papers/papers.yml``) and the pages generated from it and the chapters.

The paper pages, the papers index and the errata page hold no hand-kept table: the build writes them
(``hooks/generated_pages.py``) from the registry, which lists each paper's questions in order with their
marks, and from the chapter pages, which hold the questions themselves (titles, ids, erratum boxes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import yaml

from sitecontract import bindings
from sitecontract.pages import DOCS, Question, questions

REGISTRY = DOCS / "papers" / "papers.yml"
ISSUE_BOXES = {  # box name -> (heading on the errata page, what it means)
    "erratum": ("Errata: the printed key or working is wrong",
                "Wrong under every reasonable reading of the question; the question's code proves it."),
    "ambiguous": ("Ambiguous questions",
                  "The key is right under one reading and another answer under another; the question shows both."),
    "unclear": ("Unclear scans",
                "The key letter or the text cannot be read with confidence; the question gives the reasoning."),
}
MARKS_IN_HEADING = re.compile(r"\((?P<marks>\d+(?:\.\d+)?) (?P<unit>marks?|points?)\)\s*$")


@dataclass
class PaperQuestion:
    label: str
    id: str
    chapter: str
    marks: float | dict | None = None
    link: str | None = None
    title: str | None = None

    def total_marks(self) -> Fraction | None:
        if self.marks is None:
            return None
        if isinstance(self.marks, dict):
            return sum((Fraction(str(v)) for v in self.marks.values()), Fraction(0))
        return Fraction(str(self.marks))


@dataclass
class Paper:
    slug: str
    seed: str
    name: str
    short: str
    about: str
    questions: list[PaperQuestion]
    unit: str | None = None

    @property
    def page(self) -> str:
        return f"papers/{self.slug}.md"


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> tuple[dict, list[Paper]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    papers = [Paper(**{**p, "questions": [PaperQuestion(**q) for q in p["questions"]]}) for p in data["papers"]]
    return data["chapters"], papers


def load(path: Path = REGISTRY) -> tuple[dict, list[Paper]]:
    """``(chapters, papers)``: chapter key → (page, title); the papers in the order of the seeds."""
    return _load(path, path.stat().st_mtime)


def chapter_questions(docs: Path = DOCS) -> list[Question]:
    chapters, _ = load(docs / "papers" / "papers.yml")
    found = []
    for page, _title in chapters.values():
        path = docs / page
        if path.suffix == ".md" and path.exists():
            found += questions(path)
    return found


def sections_of(entry: PaperQuestion, site: dict[str, Question]) -> list[Question]:
    """The site's sections for one paper question: ``id`` itself, or its parts ``id`` + a, b, ..."""
    if entry.id in site:
        return [site[entry.id]]
    return [site[key] for key in sorted(site) if re.fullmatch(re.escape(entry.id) + r"[a-z]", key)]


def expected_marks(entry: PaperQuestion, section: Question) -> Fraction | None:
    """The marks a section's heading must show: the whole question's, or its part's."""
    if entry.marks is None:
        return None
    if section.id == entry.id:
        return entry.total_marks()
    part = section.id[len(entry.id):]
    if not isinstance(entry.marks, dict) or part not in entry.marks:
        raise KeyError(f"{section.id}: papers.yml gives no marks for part ({part}) of {entry.label}")
    return Fraction(str(entry.marks[part]))


def heading_marks(section: Question) -> tuple[Fraction, str] | None:
    match = MARKS_IN_HEADING.search(section.title)
    return (Fraction(match["marks"]), match["unit"]) if match else None


def _plain_title(section: Question) -> str:
    title = section.title.split(" — ", 1)[-1]
    return MARKS_IN_HEADING.sub("", title).strip()


def _marks_text(value: Fraction | None, unit: str | None) -> str:
    if value is None or unit is None:
        return ""
    number = f"{float(value):g}"
    return f" ({number} {unit}{'' if value == 1 else 's'})"


def _relative(target: str, from_page: str) -> str:
    depth = from_page.count("/")
    return "../" * depth + target


def paper_table(slug: str, docs: Path = DOCS) -> str:
    chapters, papers = load(docs / "papers" / "papers.yml")
    paper = next(p for p in papers if p.slug == slug)
    site = {q.id: q for q in chapter_questions(docs)}
    rows = ["| question | topic | where |", "| --- | --- | --- |"]
    for entry in paper.questions:
        chapter_page, chapter_title = chapters[entry.chapter]
        sections = sections_of(entry, site)
        if entry.link:
            where = f"[{entry.title}]({_relative(entry.link, paper.page)})"
        elif sections:
            where = "<br>".join(
                f"[{_plain_title(s)}{_marks_text(expected_marks(entry, s), paper.unit)}]"
                f"({_relative(s.page.relative_to(docs).as_posix(), paper.page)}#{s.id})" for s in sections)
        else:
            where = f"[{chapter_title}]({_relative(chapter_page, paper.page)}) (being written)"
        rows.append(f"| {entry.label} | {chapter_title} | {where} |")
    answered = sum(1 for e in paper.questions if e.link or sections_of(e, site))
    total = paper.total_marks()
    summary = f"{question_count(paper)} questions"
    if total is not None:
        summary += f", {float(total):g} {paper.unit}s in all"
    summary += f"; {answered} of its {len(paper.questions)} entries are answered on this site so far." \
        if answered < len(paper.questions) else "; every one is answered on this site."
    return f"# {paper.name}\n\n{paper.about}\n\n{summary}\n\n" + "\n".join(rows)


def question_count(paper: Paper) -> int:
    """Questions as the paper numbers them: Q3(a), Q3(b) and Q3(c) are one question."""
    return len({re.sub(r"\(.*\)$", "", entry.label) for entry in paper.questions})


def _paper_total(paper: Paper) -> Fraction | None:
    values = [q.total_marks() for q in paper.questions]
    return None if any(v is None for v in values) else sum(values, Fraction(0))


Paper.total_marks = _paper_total  # type: ignore[attr-defined]


def papers_index(docs: Path = DOCS) -> str:
    _, papers = load(docs / "papers" / "papers.yml")
    site = {q.id: q for q in chapter_questions(docs)}
    rows = ["| paper | questions | answered here |", "| --- | --- | --- |"]
    for paper in papers:
        answered = sum(1 for e in paper.questions if e.link or sections_of(e, site))
        rows.append(f"| [{paper.name}]({paper.slug}.md) | {question_count(paper)} | "
                    f"{'all' if answered == len(paper.questions) else 'not all yet'} |")
    return "\n".join(rows)


def issue_boxes(docs: Path = DOCS) -> list[tuple[str, Question, str, str]]:
    """``(kind, question, paper short name, summary)`` for every erratum, ambiguous and unclear box."""
    _, papers = load(docs / "papers" / "papers.yml")
    short = {}
    for paper in papers:
        for entry in paper.questions:
            short[entry.id] = paper.short
    found = []
    for section in chapter_questions(docs):
        for block in section.blocks:
            if block.name in ISSUE_BOXES:
                paper = next((name for qid, name in short.items() if section.id.startswith(qid)), "")
                first = bindings.render(block.body).strip().split("\n\n")[0]
                found.append((block.name, section, paper, " ".join(first.split())))
    return found


def errata_page(docs: Path = DOCS) -> str:
    boxes = issue_boxes(docs)
    parts = []
    for kind, (heading, meaning) in ISSUE_BOXES.items():
        rows = [b for b in boxes if b[0] == kind]
        parts.append(f"## {heading}\n\n{meaning}\n")
        if not rows:
            parts.append("None.\n")
            continue
        parts.append("| question | what is printed, what is right |\n| --- | --- | --- |".replace(" --- |\n", "\n", 0))
        parts[-1] = "| question | what is printed, what is right |\n| --- | --- |"
        for _, section, _paper, summary in rows:
            title = MARKS_IN_HEADING.sub("", section.title).strip()
            link = f"[{title}]({section.page.relative_to(docs).as_posix()}#{section.id})"
            parts.append(f"| {link} | {summary.replace('|', '&#124;')} |")
        parts.append("")
    return "\n".join(parts)


def _statement_and_answer(section: Question) -> tuple[str, str]:
    """The question as printed (text before its first box, with any assumption box) and its answer box."""
    statement, answer = [], ""
    for part in re.split(r"(?m)^(?=///\s*[a-z])", section.text):
        name = re.match(r"///\s*(?P<name>[a-z-]+)", part)
        if name is None:
            statement.append(part)
        elif name["name"] == "assumption":
            statement.append(part)
        elif name["name"] == "answer" and not answer:
            answer = part
    return "".join(statement).strip(), answer.strip()


def _relink(markdown: str, section_page: str, from_page: str) -> str:
    """Links written for a chapter page, made to work from ``from_page``."""
    up = "../" * from_page.count("/")
    def fix(match: re.Match) -> str:
        target = match["target"]
        if target.startswith(("http:", "https:", "mailto:", "/")):
            return match.group()
        if target.startswith("#"):
            return f"]({up}{section_page}{target})"
        return f"]({up}{target})"
    return re.sub(r"\]\((?P<target>[^)\s]+)\)", fix, markdown)


def mock_exam(slug: str, docs: Path = DOCS) -> str:
    """A paper's questions in its order with its marks, answers collapsed, each linked to its solution."""
    _, papers = load(docs / "papers" / "papers.yml")
    paper = next(p for p in papers if p.slug == slug)
    site = {q.id: q for q in chapter_questions(docs)}
    page = f"mock/{slug}.md"
    parts = [f"# Mock exam: {paper.name}", "",
             "The paper's questions in its order, with its marks. Try each one, then open the answer; the "
             "link under it leads to the worked solution.", ""]
    for entry in paper.questions:
        sections = sections_of(entry, site)
        if entry.link:
            parts += [f"## {entry.label}", "", f"A training run: [{entry.title}]({_relative(entry.link, page)}).", ""]
            continue
        if not sections:
            chapter_page, chapter_title = load(docs / "papers" / "papers.yml")[0][entry.chapter]
            parts += [f"## {entry.label}", "",
                      f"Not on the site yet: the [{chapter_title}]({_relative(chapter_page, page)}) chapter is being "
                      "written.", ""]
            continue
        for section in sections:
            chapter_page = section.page.relative_to(docs).as_posix()
            label = entry.label if section.id == entry.id else f"{entry.label}({section.id[len(entry.id):]})"
            marks = _marks_text(expected_marks(entry, section), paper.unit).strip()
            statement, answer = _statement_and_answer(section)
            parts += [f"## {label} {marks}".rstrip(), "", _relink(bindings.render(statement), chapter_page, page), ""]
            if answer:
                parts += [_relink(bindings.render(answer), chapter_page, page), ""]
            parts += [f"[Worked solution]({_relative(chapter_page, page)}#{section.id})", ""]
    return "\n".join(parts)


GENERATED = re.compile(r"^<!--\s*generated:\s*(?P<what>[a-z-]+)\s*-->\s*$", re.M)


def expand(markdown: str, page: str, docs: Path = DOCS) -> str:
    """Replace ``<!-- generated: paper-questions -->``, ``papers-index`` and ``errata`` markers."""
    def replacement(match: re.Match) -> str:
        what = match["what"]
        if what == "paper-questions":
            return paper_table(Path(page).stem, docs)
        if what == "papers-index":
            return papers_index(docs)
        if what == "errata":
            return errata_page(docs)
        if what == "mock-exam":
            return mock_exam(Path(page).stem, docs)
        raise ValueError(f"{page}: unknown generated block {what!r}")
    return GENERATED.sub(replacement, markdown)
