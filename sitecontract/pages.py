"""Reads the pages: questions, their blocks (``/// answer`` ...), fences and snippet includes.

A *question* is a section whose heading carries an id and the class ``question``::

    ### CS60010 End-Sem Q1 — VGG-19 weights and biases (8 marks) {#cs60010-endsem-q1 .question}

Inside it, pymdownx blocks (``/// answer``, ``/// solution``, ``/// check``, ``/// erratum`` ...)
hold the parts of the anatomy, and fences include code from ``snippets/`` with ``--8<-- "file.py"``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"

QUESTION_HEADING = re.compile(r"^(?P<hashes>#{2,4}) (?P<title>.*?)\s*\{#(?P<id>[a-z0-9-]+)\s+\.question\}\s*$")
ANY_HEADING = re.compile(r"^(?P<hashes>#{1,6}) ")
BLOCK_START = re.compile(r"^///\s*(?P<name>[a-z-]+)(?:\s*\|\s*(?P<title>.*))?$")
BLOCK_END = re.compile(r"^///\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<marks>`{3,}|~{3,})(?P<info>.*)$")
SNIPPET_INCLUDE = re.compile(r"""^\s*-{1,}8<-{1,}\s+["'](?P<target>[^"']+)["']\s*$""")
SNIPPET_SECTION = re.compile(r"--8<--\s*\[(?P<kind>start|end):(?P<name>[\w-]+)\]")


@dataclass
class Block:
    name: str
    title: str
    start_line: int  # 1-based line of the opening ``///``
    body: str


@dataclass
class Question:
    page: Path
    id: str
    title: str
    line: int
    text: str
    blocks: list[Block] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)  # "path" or "path:section", relative to snippets/

    def blocks_named(self, name: str) -> list[Block]:
        return [block for block in self.blocks if block.name == name]

    @property
    def snippet_files(self) -> list[Path]:
        return sorted({SNIPPETS / include.split(":")[0] for include in self.includes})


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def fences(text: str):
    """Yield ``(start_line, info, body_lines)`` for each fenced code block (1-based start line)."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        marks, start = match["marks"], index
        body = []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(marks):
            body.append(lines[index])
            index += 1
        yield start + 1, match["info"].strip(), body
        index += 1


def fence_language(info: str) -> tuple[str, set[str]]:
    """Language and options of a fence: ``python`` or ``{.python notest}`` (superfences syntax)."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        words = info[1:-1].split()
        language = next((w[1:] for w in words if w.startswith(".")), "")
        return language, {w for w in words if not w.startswith(".")}
    words = info.split()
    return (words[0] if words else ""), set(words[1:])


def includes_in(text: str) -> list[str]:
    found = []
    for _, _, body in fences(text):
        for line in body:
            match = SNIPPET_INCLUDE.match(line)
            if match:
                found.append(match["target"])
    return found


def blocks_in(text: str, first_line: int = 1) -> list[Block]:
    """Top-level ``/// name | title`` ... ``///`` blocks (nested blocks use more slashes)."""
    blocks, current, body = [], None, []
    inside_fence = None
    for number, line in enumerate(text.splitlines(), start=first_line):
        fence = FENCE.match(line)
        if fence and current is not None:
            if inside_fence is None:
                inside_fence = fence["marks"]
            elif line.strip().startswith(inside_fence):
                inside_fence = None
        if current is None:
            match = BLOCK_START.match(line)
            if match:
                current, body = Block(match["name"], (match["title"] or "").strip(), number, ""), []
            continue
        if inside_fence is None and BLOCK_END.match(line):
            current.body = "\n".join(body)
            blocks.append(current)
            current = None
            continue
        body.append(line)
    if current is not None:
        raise AssertionError(f"block '/// {current.name}' opened at line {current.start_line} is never closed")
    return blocks


def questions(page: Path) -> list[Question]:
    lines = page.read_text(encoding="utf-8").splitlines()
    in_fence = _fence_mask(lines)
    found: list[Question] = []
    starts = [(i, QUESTION_HEADING.match(line)) for i, line in enumerate(lines) if not in_fence[i]]
    starts = [(i, m) for i, m in starts if m]
    for i, match in starts:
        level = len(match["hashes"])
        end = len(lines)
        for j in range(i + 1, len(lines)):
            heading = ANY_HEADING.match(lines[j])
            if heading and len(heading["hashes"]) <= level and not in_fence[j]:
                end = j
                break
        text = "\n".join(lines[i + 1:end])
        found.append(Question(page, match["id"], match["title"], i + 1, text,
                              blocks_in(text, first_line=i + 2), includes_in(text)))
    return found


def _fence_mask(lines: list[str]) -> list[bool]:
    """For each line, whether it lies inside a fenced code block (fence lines included)."""
    mask, inside = [], None
    for line in lines:
        match = FENCE.match(line)
        if match and inside is None:
            inside = match["marks"]
            mask.append(True)
        elif inside is not None:
            mask.append(True)
            if line.strip().startswith(inside) and line.strip().strip(inside[0]) == "":
                inside = None
        else:
            mask.append(False)
    return mask


def all_questions() -> list[Question]:
    return [question for page in pages() for question in questions(page)]




def snippet_sections(path: Path) -> set[str]:
    return {m["name"] for m in SNIPPET_SECTION.finditer(path.read_text(encoding="utf-8"))
            if m["kind"] == "start"}


def fence_mask(lines: list[str]) -> list[bool]:
    return _fence_mask(lines)
