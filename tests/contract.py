"""Reads the pages the way the answer-contract tests need them (see docs/contributing.md).

A *question* is a section whose heading carries an id and the class ``question``::

    ## CS60010 End-Sem Q1 — VGG-16 weights and biases (8 marks) {#cs60010-endsem-q1 .question}

Inside it, pymdownx blocks (``/// answer``, ``/// solution``, ``/// check``, ``/// erratum`` ...)
hold the parts of the anatomy, and fences include code from ``snippets/`` with ``--8<-- "file.py"``.
This module finds those parts, and the literal values that a snippet's assertions pin down.
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


# ---------------------------------------------------------------------------------------------
# What an answer box states
# ---------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.\\])(?P<sign>[-−]?)(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w])")
_OPTION = re.compile(r"\*\*\((?P<letter>[a-e])\)\*\*")  # **(b)**; a plain (b) labels a sub-question
_BLOCK_OPTION_LINE = re.compile(r"^ {4}(type|open|attrs):")


def _visible_text(body: str) -> str:
    """The text a reader sees: no block options, link targets, HTML tags or LaTeX command names."""
    all_lines = body.splitlines()
    in_fence = _fence_mask(all_lines)  # code is shown, not stated: its numbers are the code's business
    lines = [line for line, fenced in zip(all_lines, in_fence)
             if not fenced and not _BLOCK_OPTION_LINE.match(line)]
    text = "\n".join(re.sub(r"^\s*\d+\.\s", " ", line) for line in lines)  # list numbering
    text = re.sub(r"\]\([^)]*\)", "]", text)          # link targets
    text = re.sub(r"<[^>]+>", " ", text)              # HTML tags and their attributes
    text = text.replace("{,}", ",")                   # LaTeX thousands separator 1{,}728
    text = re.sub(r"[_^](\{[^{}]*\}|\w)", " ", text)    # sub/superscripts: h_{t+1}, tanh^2 are notation
    text = re.sub(r"\b(?:eqs?\.|equations?)\s*\(\d+\)", " ", text, flags=re.I)  # "equation (7)" is a label
    text = re.sub(r"\\[A-Za-z]+", " ", text)           # \times, \mathbf, ...
    text = re.sub(r"(?<=[A-Za-z])-(?=\d)", "_", text)   # names such as VGG-16 or conv3-64 are labels
    return text


def stated_numbers(body: str) -> list[float]:
    numbers = []
    for match in _NUMBER.finditer(_visible_text(body)):
        value = float(match["digits"].replace(",", ""))
        numbers.append(-value if match["sign"] else value)
    return numbers


def stated_options(body: str) -> list[str]:
    return [match["letter"] for match in _OPTION.finditer(_visible_text(body))]


# ---------------------------------------------------------------------------------------------
# What a snippet asserts
# ---------------------------------------------------------------------------------------------

def _is_assertion_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name.startswith("assert") or name in _EQUALITY_CALLS


def _literals(node: ast.AST) -> list[object]:
    """Numbers and strings written literally in ``node`` (``-3`` counts as -3)."""
    values = []
    for child in ast.walk(node):
        if isinstance(child, ast.UnaryOp) and isinstance(child.op, ast.USub) \
                and isinstance(child.operand, ast.Constant) and isinstance(child.operand.value, (int, float)):
            values.append(-child.operand.value)
        elif isinstance(child, ast.Constant) and not isinstance(child.value, bool) \
                and isinstance(child.value, (int, float, str)):
            parent_is_negation = any(
                isinstance(p, ast.UnaryOp) and isinstance(p.op, ast.USub) and p.operand is child
                for p in ast.walk(node))
            if not parent_is_negation:
                values.append(child.value)
    return values


def _is_plain_literal(node: ast.AST) -> bool:
    if any(isinstance(child, (ast.Dict, ast.Set)) for child in ast.walk(node)):
        return False
    try:
        ast.literal_eval(node)
    except ValueError:
        return False
    return True


@dataclass
class Assertions:
    values: list[object]   # literals an assertion states a computed value *equals*
    refuted: list[object]  # literals an assertion states a computed value is *not* (printed errors)
    inequalities: int      # assertions of the form ``computed != printed`` or ``not allclose(...)``


_EQUALITY_CALLS = {"isclose", "allclose", "array_equal", "equal"}


def assertions(path: Path) -> Assertions:
    """What the file's assertions pin down.

    Counted as *equal*: literals compared with ``==`` (or ``in``) in an ``assert``, and the literal
    arguments of ``assert*``/``isclose``/``allclose``/``array_equal`` calls; as *refuted*: literals
    compared with ``!=``. A name counts through its binding when that binding is a plain literal
    (``PRINTED = 36_384``, or the literal list a ``for`` variable runs over). Literals elsewhere in an
    assertion (``assert not {1_152, 896} & found``) pin nothing down and do not count.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bindings: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        bindings.setdefault(name.id, []).append(node.value)
        elif isinstance(node, (ast.For, ast.comprehension)):
            for name in ast.walk(node.target):
                if isinstance(name, ast.Name):
                    bindings.setdefault(name.id, []).append(node.iter)

    def operand_literals(node: ast.AST) -> list[object]:
        values = _literals(node)
        for name in (n.id for n in ast.walk(node) if isinstance(n, ast.Name)):
            # only plain literals count: a dict of options or a computed value pins nothing down
            values += [v for bound in bindings.get(name, []) if _is_plain_literal(bound)
                       for v in _literals(bound)]
        return values

    result = Assertions([], [], 0)

    def visit(expression: ast.AST, positive: bool) -> None:
        if isinstance(expression, ast.BoolOp) and isinstance(expression.op, ast.And) and positive:
            for value in expression.values:
                visit(value, positive)
        elif isinstance(expression, ast.UnaryOp) and isinstance(expression.op, ast.Not):
            visit(expression.operand, not positive)
        elif isinstance(expression, ast.Compare):
            operands = [expression.left, *expression.comparators]
            for op, left, right in zip(expression.ops, operands, operands[1:]):
                if isinstance(op, (ast.Eq, ast.In, ast.Is)):
                    bucket = result.values if positive else result.refuted
                elif isinstance(op, (ast.NotEq, ast.NotIn, ast.IsNot)):
                    bucket = result.refuted if positive else result.values
                    result.inequalities += positive
                else:
                    continue
                bucket += operand_literals(left) + operand_literals(right)
        elif _is_assertion_call(expression):
            arguments = [*expression.args, *(k.value for k in expression.keywords if k.arg not in ("atol", "rtol"))]
            bucket = result.values if positive else result.refuted
            for argument in arguments:
                bucket.extend(operand_literals(argument))
            result.inequalities += not positive  # assert not np.allclose(printed, right)

    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            visit(node.test, True)
        elif isinstance(node, ast.Expr) and _is_assertion_call(node.value):
            visit(node.value, True)
    return result


def numbers_covered(stated: list[float], asserted: list[object]) -> list[float]:
    """The stated numbers that no asserted literal equals (to the digits the page shows)."""
    literals = [float(v) for v in asserted if isinstance(v, (int, float))]
    missing = []
    for number in stated:
        if not any(abs(number - literal) <= 1e-9 * max(1.0, abs(number)) for literal in literals):
            missing.append(number)
    return missing


def snippet_sections(path: Path) -> set[str]:
    return {m["name"] for m in SNIPPET_SECTION.finditer(path.read_text(encoding="utf-8"))
            if m["kind"] == "start"}
