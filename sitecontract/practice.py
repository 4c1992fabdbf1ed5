"""Practice beyond the papers: the same question with new numbers.

Each chapter may keep ``practice/<chapter>.py``, a module with

``PRACTICE``
    question id → function returning a list of :class:`Variant` (two to five): new givens, and the
    answer computed by the same ``dlref`` code as the worked solution, when the site is built;
``NO_PRACTICE``
    question id → why the question has no numeric variant (a conceptual or a derivation question).

Every question of a chapter with a practice module is in exactly one of the two (tests/test_practice.py).
The build (hooks/practice.py) puts a collapsed *Same question, new numbers* box at the end of each
question, each answer in its own collapsed box, so a student can try a variant before opening it.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Callable

from sitecontract.pages import ANY_HEADING, QUESTION_HEADING, ROOT, fence_mask

PRACTICE_DIRECTORY = ROOT / "practice"

INTRODUCTION = ("Other givens, the same method. Each answer was computed when this page was built, by the "
                "same `dlref` functions as the worked solution (and checked against PyTorch where it has "
                "the operation). Try a variant before you open its answer.")


@dataclass(frozen=True)
class Variant:
    """One practice variant.

    ``givens`` is Markdown (math in ``$...$``), a full restatement of what changes; ``answer`` the
    answer as the answer box would show it; ``working`` the key step, optional; ``check`` a function
    that recomputes the answer independently (with PyTorch where it has the thing) and raises if it
    differs: the tests run it.
    """

    givens: str
    answer: str
    working: str = ""
    check: Callable[[], object] | None = None


def number(value: int | float, digits: int | None = None) -> str:
    """A number as the pages write it in math: ``12{,}345``, or rounded to ``digits`` decimals."""
    if isinstance(value, bool):
        raise TypeError("number: value must be a number, not a bool")
    if digits is not None:
        text = f"{round(float(value), digits) + 0.0:,.{digits}f}"   # + 0.0: a tiny negative is not "-0.000"
    elif isinstance(value, int) or float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.6g}"
    return text.replace(",", "{,}")


def shape(*sizes: int) -> str:
    """``shape(62, 62, 32)`` → ``62 \\times 62 \\times 32`` (for use inside ``$...$``)."""
    return r" \times ".join(number(size) for size in sizes)


def number_list(entries, digits: int = 4) -> str:
    """``0.375, -0.125`` (inside ``$...$``): each rounded to ``digits`` decimals, then written as short as it is."""
    return ", ".join(number(round(float(v), digits)) for v in entries)


def vector(entries, digits: int | None = None) -> str:
    """``(1.5, -2.000)``: each entry with ``digits`` decimals (``None``: as short as it is)."""
    return "(" + ", ".join(number(float(v), digits) for v in entries) + ")"


def bmatrix(rows, digits: int | None = None) -> str:
    """A 2-D array as a LaTeX ``bmatrix`` (inside ``$...$``), entries as :func:`vector` writes them."""
    body = r" \\ ".join(" & ".join(number(float(v), digits) for v in row) for row in rows)
    return r"\begin{bmatrix} " + body + r" \end{bmatrix}"


def module_path(chapter: str) -> Path:
    return PRACTICE_DIRECTORY / f"{chapter}.py"


_LOADED: dict[Path, ModuleType] = {}


def load(chapter: str) -> ModuleType | None:
    """The chapter's practice module, or None if it has none (imported once per process)."""
    path = module_path(chapter)
    if not path.exists():
        return None
    if path not in _LOADED:
        spec = importlib.util.spec_from_file_location(f"dlref_practice_{chapter}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _LOADED[path] = module
    return _LOADED[path]


def variants(chapter: str, question_id: str) -> list[Variant]:
    module = load(chapter)
    make = getattr(module, "PRACTICE", {}).get(question_id) if module else None
    return list(make()) if make else []


def render(found: list[Variant]) -> str:
    """The Markdown of one practice box (outer block uses four slashes, the answers three)."""
    parts = ["//// practice", INTRODUCTION, ""]
    for index, variant in enumerate(found, start=1):
        parts += [f"**Variant {index}.** {variant.givens.strip()}", "", "/// answer",
                  variant.answer.strip(), ""]
        if variant.working.strip():
            parts += [variant.working.strip(), ""]
        parts += ["///", ""]
    parts.append("////")
    return "\n".join(parts)


def insert(markdown: str, chapter: str) -> str:
    """Append each question's practice box at the end of its section (before the next heading)."""
    module = load(chapter)
    if module is None:
        return markdown
    lines = markdown.splitlines()
    inside = fence_mask(lines)
    ends: dict[int, str] = {}  # line index where a question's section ends → its box
    for i, line in enumerate(lines):
        match = None if inside[i] else QUESTION_HEADING.match(line)
        if not match:
            continue
        found = variants(chapter, match["id"])
        if not found:
            continue
        level, end = len(match["hashes"]), len(lines)
        for j in range(i + 1, len(lines)):
            heading = ANY_HEADING.match(lines[j])
            if heading and len(heading["hashes"]) <= level and not inside[j]:
                end = j
                break
        ends[end] = render(found)
    out = []
    for i, line in enumerate(lines):
        if i in ends:
            out += [ends[i], ""]
        out.append(line)
    if len(lines) in ends:
        out += ["", ends[len(lines)]]
    return "\n".join(out) + ("\n" if markdown.endswith("\n") else "")


def chapter_of(src_uri: str) -> str | None:
    """``cnn.md`` → ``cnn``; pages outside the chapters have no practice."""
    match = re.fullmatch(r"([a-z_]+)\.md", src_uri)
    return match[1] if match else None
