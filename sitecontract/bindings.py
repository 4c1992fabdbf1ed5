"""Binding: every value a page shows is tied to the quantity it names in the question's executed code.

Three ways a number (or an option letter) on a page is bound; anything else inside a question is an
*unbound claim* and fails the contract test (docs/contributing.md):

1. **A binding** ``{{ expr = shown }}``: ``expr`` is evaluated in the question's namespace (the names its
   snippet files define) and must equal ``shown``, which is what the reader sees (the MkDocs hook
   replaces the binding by ``shown``). ``{{ conv1_params.total = 1{,}216 }}``, ``{{ answer = (b) }}``,
   ``{{ shapes[2] = 62 \\times 62 \\times 32 }}``.
2. **Checked arithmetic**: a math span whose equation has two or more sides that evaluate
   (:mod:`sitecontract.latex`) must hold, and must contain a binding or a symbol from the namespace
   (so it is anchored to the code, not only self-consistent): ``$16 \\cdot 76 = {{ total = 1{,}216 }}$``.
3. **A bound table**: ``<!-- table: expr -->`` on the line before a Markdown table; each body row must
   equal the matching row of ``expr`` (a list of sequences), cell by cell.

Option verdicts in a solution follow one convention: a bullet ``- (b) **right**: ...`` or
``- (b) **wrong**: ...`` must agree with ``b in answer``, and a multiple-choice solution has one
such bullet per option. ``{{! text }}`` marks a number that is not a computed value (a figure number,
a year): it is shown as it is and is never a claim.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from fractions import Fraction

from sitecontract import latex

OPTION_LETTERS = "abcdefgh"
VERDICT_WORDS = {"right": True, "true": True, "correct": True, "wrong": False, "false": False,
                 "incorrect": False}
VERDICT_BULLET = re.compile(
    r"^\s*[-*]\s+\((?P<letter>[a-h])\)\s+\*\*(?P<verdict>right|wrong|true|false|correct|incorrect)\*\*", re.M)
TABLE_BINDING = re.compile(r"^\s*<!--\s*table:\s*(?P<expr>.+?)\s*-->\s*$")


@dataclass
class Binding:
    start: int        # offsets in the text, of ``{{`` and just after ``}}``
    end: int
    expr: str         # "" for a ``{{! text }}`` non-claim
    shown: str
    shown_start: int  # offset of ``shown`` in the text

    @property
    def is_claim(self) -> bool:
        return bool(self.expr)


class BindingSyntaxError(ValueError):
    pass


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Fenced blocks and inline code: a binding written there is an example, not a binding."""
    spans, offset = [], 0
    lines = text.split("\n")
    for line, fenced in zip(lines, _fence_mask_lines(lines)):
        if fenced:
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    spans += [m.span() for m in re.finditer(r"(`+)(?!`).+?(?<!`)\1(?!`)", text)]
    return spans


def find_bindings(text: str) -> list[Binding]:
    """Every ``{{ expr = shown }}`` and ``{{! text }}`` in ``text``; braces inside ``shown`` may nest.
    Bindings written inside code (fences, inline code) are examples and are left alone."""
    found, position = [], 0
    code = _code_spans(text)
    while True:
        start = text.find("{{", position)
        if start < 0:
            return found
        while text.startswith("{{{", start):   # \underbrace{{{ x = 1 }}}: the binding is the inner pair
            start += 1
        if any(s <= start < e for s, e in code):
            position = start + 2
            continue
        depth, index = 0, start + 2
        while index < len(text):
            if text.startswith("}}", index) and depth == 0:
                break
            if text[index] == "{":
                depth += 1
            elif text[index] == "}":
                depth -= 1
            elif text[index] == "\n" and text.startswith("\n\n", index):
                index = len(text)
                break
            index += 1
        if index >= len(text):
            line = text.count("\n", 0, start) + 1
            raise BindingSyntaxError(f"line {line}: '{{{{' is never closed by '}}}}': {text[start:start + 40]!r}")
        inner = text[start + 2:index]
        if inner.lstrip().startswith("!"):
            offset = start + 2 + inner.index("!") + 1
            shown = inner[inner.index("!") + 1:]
            found.append(Binding(start, index + 2, "", shown.strip(), offset + len(shown) - len(shown.lstrip())))
        else:
            if "=" not in inner:
                line = text.count("\n", 0, start) + 1
                raise BindingSyntaxError(f"line {line}: a binding is '{{{{ name = shown }}}}': {inner.strip()!r}")
            expr, shown = inner.split("=", 1)
            shown_offset = start + 2 + len(expr) + 1 + (len(shown) - len(shown.lstrip()))
            found.append(Binding(start, index + 2, expr.strip(), shown.strip(), shown_offset))
        position = index + 2


def render(text: str) -> str:
    """What the reader sees: each binding replaced by its shown text (outside math, ``2{,}336`` is
    shown as ``2,336``)."""
    parts, position = [], 0
    found = find_bindings(text)
    masked = _mask(text, [(b.start, b.end) for b in found], "0")
    math = [m.span() for m in MATH.finditer(masked)]
    for binding in found:
        shown = binding.shown
        if not any(s <= binding.start < e for s, e in math):
            shown = shown.replace("{,}", ",")
        parts += [text[position:binding.start], shown]
        position = binding.end
    parts.append(text[position:])
    return "".join(parts)


def resolve(expr: str, namespace: dict) -> object:
    try:
        return eval(expr, {}, namespace)  # noqa: S307 - the project's own pages, like its own snippets
    except Exception as error:  # the message names the expression; the cause is the page's
        raise LookupError(f"{expr!r} cannot be evaluated in the question's code: {type(error).__name__}: {error}") \
            from None


# ---------------------------------------------------------------------------------------------
# Does a value equal what the page shows?
# ---------------------------------------------------------------------------------------------

_MARKUP = re.compile(r"\*\*|`|\\text\{([^{}]*)\}|\\mathrm\{([^{}]*)\}")
_UNITS = {"K": 1e3, "k": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12}
_UNIT = re.compile(r"^(?P<number>.*?\d)\s*(?:\\,|\\text\{\s*)?(?P<unit>[KkMBGT])\}?$")


def _plain(shown: str) -> str:
    return _MARKUP.sub(lambda m: m.group(1) or m.group(2) or "", shown).strip().strip("$").strip()


def _as_python(value: object) -> object:
    """numpy arrays and scalars, tensors → lists and Python numbers."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple, str)):
        return value.tolist()
    return value


def _split_top(text: str, separators: str) -> list[str]:
    parts, depth, current = [], 0, ""
    tokens = re.split(rf"({separators}|[{{}}()\[\]])", text)
    for token in tokens:
        if token in ("{", "(", "["):
            depth += 1
        elif token in ("}", ")", "]"):
            depth -= 1
        if depth == 0 and token and re.fullmatch(separators, token):
            parts.append(current)
            current = ""
        else:
            current += token
    parts.append(current)
    return [p.strip() for p in parts]


def _matrix_rows(shown: str) -> list[list[str]] | None:
    match = re.fullmatch(r"\\begin\{[bpv]?matrix\}(.*)\\end\{[bpv]?matrix\}", shown.strip(), re.S)
    if not match:
        return None
    return [[cell.strip() for cell in row.split("&")] for row in re.split(r"\\\\", match[1]) if row.strip()]


def mismatch(value: object, shown: str) -> str | None:
    """``None`` when ``value`` is what ``shown`` says, else why not."""
    value = _as_python(value)
    text = _plain(shown)
    if isinstance(value, bool):
        words = {"true": True, "yes": True, "false": False, "no": False, **VERDICT_WORDS}
        if text.lower() not in words:
            return f"{shown!r} is not a truth value (write true/false)"
        return None if words[text.lower()] == value else f"the code says {value}, the page says {shown!r}"
    if isinstance(value, str) or (isinstance(value, (list, tuple, set)) and value
                                  and all(isinstance(v, str) and len(v) == 1 for v in value)):
        letters = re.fullmatch(r"(?:\(([a-h])\)(?:\s*(?:,|and|or|\+|&)\s*)?)+", text)
        if letters:
            stated = re.findall(r"\(([a-h])\)", text)
            expected = [value] if isinstance(value, str) else sorted(value)
            return None if sorted(stated) == sorted(expected) else \
                f"the code's option(s) are {expected}, the page says {shown!r}"
        if isinstance(value, str):
            return None if " ".join(value.split()) == " ".join(text.split()) else \
                f"the code says {value!r}, the page says {shown!r}"
        return f"the code's options are {sorted(value)}, the page says {shown!r}"
    if isinstance(value, (list, tuple)):
        rows = _matrix_rows(text)
        if rows is not None:
            flat_rows = value if value and isinstance(value[0], (list, tuple)) else [[v] for v in value]
            if len(rows) != len(flat_rows) or any(len(r) != len(v) for r, v in zip(rows, flat_rows)):
                return f"the code's matrix has shape {len(flat_rows)}x{len(flat_rows[0]) if flat_rows else 0}"
            for row, expected_row in zip(rows, flat_rows):
                for cell, expected in zip(row, expected_row):
                    problem = mismatch(expected, cell)
                    if problem:
                        return problem
            return None
        inner = text
        if re.fullmatch(r"[(\[].*[)\]]", inner, re.S):
            inner = inner[1:-1]
        parts = _split_top(inner, r"\\times|×|,(?!\})|;")
        if len(parts) != len(value):
            return f"the code has {len(value)} values {value!r}, the page shows {len(parts)}: {shown!r}"
        for part, expected in zip(parts, value):
            problem = mismatch(expected, part)
            if problem:
                return problem
        return None
    if isinstance(value, (int, float, Fraction)):
        scale, number_text = 1.0, text
        unit = _UNIT.match(text)
        if unit and not re.search(r"\\[A-Za-z]+$", unit["number"]):
            scale, number_text = _UNITS[unit["unit"]], unit["number"]
        approximate = number_text.startswith(("\\approx", "≈", "~", "about "))
        number_text = re.sub(r"^(\\approx|≈|~|about )\s*", "", number_text)
        try:
            stated = latex.evaluate(number_text)
        except latex.Unevaluable as error:
            return f"{shown!r} is not a number ({error})"
        tolerance = latex.written_tolerance(number_text, approximate or scale != 1.0)
        if tolerance == 0.0 and (scale != 1.0 or isinstance(value, float)):
            # 770M, or a measured float shown as a whole 72% or 575: rounded to the last digit shown
            tolerance = 0.5 * (0.01 if number_text.rstrip().endswith("%") else 1.0)
        if tolerance is None:   # an expression such as 10^{-3} or \frac{1}{3}: its exact value
            tolerance = 0.0
        if isinstance(value, float) and not math.isfinite(value):
            return f"the code's value is {value}"
        if latex.close(Fraction(value) if isinstance(value, int) else value, stated * scale
                       if scale != 1.0 else stated, tolerance * scale):
            return None
        return f"the code's value is {value!r}, the page shows {shown!r}"
    if value is None:
        return None if text.lower() in ("none", "no option") else f"the code's value is None, the page shows {shown!r}"
    return f"cannot compare a {type(value).__name__} with {shown!r}"


# ---------------------------------------------------------------------------------------------
# Math spans and their equations
# ---------------------------------------------------------------------------------------------

MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)\$", re.S)
_RELATION = r"\\approx|≈|\\neq|≠|\\ne(?![a-z])|\\leq?|\\geq?|<|>|="
_STATEMENT_BREAK = r"\\quad|\\qquad|\\\\|;|(?<!\\),(?=\s*\\?[A-Za-z])|\\text\{\s*(?:and|,|or)\s*\}|\\Rightarrow|\\implies|\\to|&"


@dataclass
class Side:
    text: str
    start: int   # offset within the math text
    value: object = None


def statements(math_text: str) -> list[tuple[int, str]]:
    """Split a math span into statements (``a = 1, \\quad b = 2``); offsets are within the span."""
    result, offset = [], 0
    for part in re.split(rf"({_STATEMENT_BREAK})", math_text):
        if part and not re.fullmatch(_STATEMENT_BREAK, part):
            result.append((offset, part))
        offset += len(part)
    return result


def check_statement(text: str, namespace: dict) -> tuple[list[Side], str | None]:
    """Evaluate the sides of one statement; return the evaluated sides and a failure message, if any.

    Fewer than two evaluated sides means the statement is prose (nothing checked, nothing covered).
    """
    pieces = re.split(rf"({_RELATION})", text)
    sides, relations, offset = [], [], 0
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            sides.append(Side(piece, offset))
        else:
            relations.append(piece)
        offset += len(piece)
    for side in sides:
        if not side.text.strip():
            side.value = None
            continue
        try:
            side.value = latex.evaluate(side.text, namespace)
        except latex.Unevaluable:
            side.value = None
    evaluated = [i for i, side in enumerate(sides) if side.value is not None]
    if len(evaluated) < 2:
        return [], None
    for left, right in zip(evaluated, evaluated[1:]):
        between = relations[left:right]
        a, b = sides[left], sides[right]
        if any(r in ("\\neq", "≠", "\\ne") for r in between):
            if latex.close(a.value, b.value, 0.0):
                return [sides[i] for i in evaluated], f"'{a.text.strip()}' ≠ '{b.text.strip()}' is false"
            continue
        if any(r in ("<", ">", "\\le", "\\leq", "\\ge", "\\geq") for r in between):
            relation = next(r for r in between if r in ("<", ">", "\\le", "\\leq", "\\ge", "\\geq"))
            holds = {"<": a.value < b.value, ">": a.value > b.value, "\\le": a.value <= b.value,
                     "\\leq": a.value <= b.value, "\\ge": a.value >= b.value, "\\geq": a.value >= b.value}[relation]
            if not holds:
                return [sides[i] for i in evaluated], f"'{a.text.strip()} {relation} {b.text.strip()}' is false"
            continue
        approximate = any(r in ("\\approx", "≈") for r in between)
        tolerances = [t for t in (latex.written_tolerance(a.text, approximate),
                                  latex.written_tolerance(b.text, approximate)) if t is not None]
        tolerance = max(tolerances) if tolerances else (1e-3 * max(abs(float(a.value)), abs(float(b.value)))
                                                         if approximate else 0.0)
        if not latex.close(a.value, b.value, tolerance):
            return [sides[i] for i in evaluated], (
                f"'{a.text.strip()}' = {float(a.value):.6g} but '{b.text.strip()}' = {float(b.value):.6g}")
    return [sides[i] for i in evaluated], None


# ---------------------------------------------------------------------------------------------
# Claims: the numbers and option letters a reader reads
# ---------------------------------------------------------------------------------------------

NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:(?:,|\{,\})\d{3})+(?:\.\d+)?(?!\w)|(?<![\w.])\d+(?:\.\d+)?(?![\w])")
OPTION = re.compile(r"\((?P<letter>[a-h])\)")


@dataclass
class Claim:
    start: int        # offsets in the text it was found in
    end: int
    text: str
    kind: str         # "number" or "option"
    status: str = "unbound"   # "bound" (binding or table), "checked" (arithmetic), "unbound", "notation"
    where: str = ""


def _mask(text: str, spans, char: str = " ") -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            if chars[i] != "\n":
                chars[i] = char
    return "".join(chars)


def notation_spans(text: str) -> list[tuple[int, int]]:
    """Where digits are labels or notation, not values: code, link targets, HTML, sub- and superscripts of
    symbols, LaTeX command names, names such as ``Q9``, ``conv13``, ``VGG-16``, list numbering, block
    option lines, "equation (7)" and ``{{! ... }}``."""
    spans = []
    lines = text.split("\n")
    mask, offset = _fence_mask_lines(lines), 0
    for line, fenced in zip(lines, mask):
        if fenced or re.match(r"^ {4}(type|open|attrs):", line) or re.match(r"^\s*<!--.*-->\s*$", line):
            spans.append((offset, offset + len(line)))
        numbering = re.match(r"^\s*\d+\.\s", line)
        if numbering:
            spans.append((offset, offset + numbering.end()))
        offset += len(line) + 1
    patterns = [
        r"`[^`\n]*`",                                   # inline code is code
        r"\]\([^)]*\)", r"<[^>]+>", r"https?://\S+",     # link targets, HTML tags, URLs
        r"\\[A-Za-z]+",                                 # \times, \mathbf
        r"_\{[^{}]*\}|_\\?[A-Za-z0-9]",                 # subscripts h_{t+1}, x_3, W_f
        r"(?<=[A-Za-z)}])\^\{[^{}]*\}|(?<=[A-Za-z)}])\^\w",  # powers of symbols: k^2, \tanh^2, W^{(1)}
        r"(?<!\\)\b[A-Za-z][A-Za-z0-9]*\d\w*",                   # names with digits: Q9, conv13, fc14, T5
        r"\b[A-Z][A-Za-z]+-\d+(?:\.\d+)?\b",              # model names: VGG-19, GPT-3, ResNet-50
        r"\b(?:eqs?\.|equations?)\s*\(\d+\)",           # equation (7)
        r"\{#[^}]*\}",                                  # attribute lists
    ]
    for pattern in patterns:
        for m in re.finditer(pattern, text, flags=re.I if "equation" in pattern else 0):
            if m.group().startswith("^") and text[:m.start()].endswith("\\mathbb{R}"):
                continue   # the shape in \mathbb{R}^{3 \times 5} is a claim, not notation
            spans.append(m.span())
    return spans


def _fence_mask_lines(lines: list[str]) -> list[bool]:
    from sitecontract.pages import fence_mask
    return fence_mask(lines)


def claims(text: str, namespace: dict | None, *, options_are_claims: bool = True,
           first_line: int = 1) -> tuple[list[Claim], list[str]]:
    """The claims in ``text`` with their status, and the failures found while binding them.

    ``namespace`` is the question's code; ``None`` checks only arithmetic and syntax (pages without code).
    """
    failures: list[str] = []
    found: list[Claim] = []
    bindings = find_bindings(text)
    binding_spans = [(b.start, b.end) for b in bindings]

    def line_of(offset: int) -> int:
        return text.count("\n", 0, offset) + first_line

    # 1. bindings: the shown part of each is bound (or a declared non-claim)
    math_spans = [m.span() for m in MATH.finditer(_mask(text, binding_spans, "0"))]
    for binding in bindings:
        if binding.is_claim and _is_literal(binding.expr):
            failures.append(f"line {line_of(binding.start)}: {{{{ {binding.expr} = ... }}}} binds a literal; "
                            "bind a name of the code")
        if not any(s <= binding.start < e for s, e in math_spans) and re.search(r"\\[A-Za-z]|\^|_\{", binding.shown):
            failures.append(f"line {line_of(binding.start)}: {binding.shown!r} is LaTeX outside math: put the "
                            "binding inside $...$")
        shown_end = binding.shown_start + len(binding.shown)
        status = "bound" if binding.is_claim else "notation"
        for claim in _raw_claims(binding.shown, binding.shown_start, options_are_claims=True):
            claim.status = status
            claim.where = f"line {line_of(binding.start)}"
            found.append(claim)
        if binding.is_claim and namespace is not None:
            try:
                problem = mismatch(resolve(binding.expr, namespace), binding.shown)
            except LookupError as error:
                problem = str(error)
            if problem:
                failures.append(f"line {line_of(binding.start)}: {{{{ {binding.expr} = {binding.shown} }}}}: {problem}")
        del shown_end

    # 2. tables bound with <!-- table: expr -->
    table_spans = []
    for table_start, table_end, expr, rows in _bound_tables(text):
        table_spans.append((table_start, table_end))
        value = None
        if namespace is not None:
            try:
                value = _as_python(resolve(expr, namespace))
            except LookupError as error:
                failures.append(f"line {line_of(table_start)}: table: {error}")
        if value is not None and len(value) != len(rows):
            failures.append(f"line {line_of(table_start)}: table has {len(rows)} rows, {expr} has {len(value)}")
        for index, (cells) in enumerate(rows):
            expected_row = _as_python(value[index]) if value is not None and index < len(value) else None
            if expected_row is not None and len(expected_row) != len(cells):
                failures.append(f"line {line_of(cells[0][0])}: row has {len(cells)} cells, {expr}[{index}] has "
                                f"{len(expected_row)}")
            for column, (cell_start, cell_text) in enumerate(cells):
                for claim in _raw_claims(cell_text, cell_start, options_are_claims=True):
                    claim.status, claim.where = "bound", f"line {line_of(cell_start)}"
                    found.append(claim)
                if expected_row is not None and column < len(expected_row):
                    problem = mismatch(expected_row[column], cell_text)
                    if problem:
                        failures.append(f"line {line_of(cell_start)}: table {expr}[{index}][{column}]: {problem}")

    # 3. arithmetic in math spans (bindings rendered; a binding inside anchors the equation)
    covered: list[tuple[int, int]] = []
    notation = notation_spans(text)
    masked = _mask(text, binding_spans, "0")  # keep math delimiters; bindings count as numbers for layout
    for math_match in MATH.finditer(masked):
        group = "display" if math_match["display"] is not None else "inline"
        span_start = math_match.start(group)
        source = text[span_start:math_match.end(group)]
        rendered, positions = _render_with_positions(source, bindings, span_start)
        for statement_offset, statement in statements(rendered):
            sides, problem = check_statement(statement, namespace or {})
            if not sides:
                continue
            anchored = any(b.is_claim and span_start <= b.start < math_match.end(group)
                           and _inside_statement(b, positions, statement_offset, len(statement))
                           for b in bindings) or _uses_namespace_symbol(sides, namespace)
            where = f"line {line_of(span_start)}"
            if problem:
                failures.append(f"{where}: ${source.strip()}$: {problem}")
            elif not anchored and namespace is not None:
                failures.append(f"{where}: ${source.strip()}$ checks its own arithmetic but names no value of the "
                                "code: bind one side, e.g. {{ name = 64 }}")
            else:
                for side in sides:
                    first = statement_offset + side.start
                    last = first + len(side.text)
                    covered += [(positions[i], positions[i] + 1) for i in range(first, last)
                                if positions[i] is not None]

    # 4. everything else that looks like a value
    claimed = binding_spans + table_spans
    for claim in _raw_claims(text, 0, options_are_claims=options_are_claims):
        if _overlaps(claim, claimed):
            continue
        claim.where = f"line {line_of(claim.start)}"
        if _overlaps(claim, covered, all_chars=True):
            claim.status = "checked"
        elif _overlaps(claim, notation):
            claim.status = "notation"
        found.append(claim)
    return sorted(found, key=lambda c: c.start), failures


def _is_literal(expr: str) -> bool:
    try:
        ast.literal_eval(expr)
    except (ValueError, SyntaxError):
        return False
    return True


def _raw_claims(text: str, offset: int, *, options_are_claims: bool) -> list[Claim]:
    found = [Claim(m.start() + offset, m.end() + offset, m.group(), "number") for m in NUMBER.finditer(text)]
    if options_are_claims:
        found += [Claim(m.start("letter") + offset, m.end("letter") + offset, m["letter"], "option")
                  for m in OPTION.finditer(text)]
    return found


def _overlaps(claim: Claim, spans, all_chars: bool = False) -> bool:
    if all_chars:
        return all(any(s <= i < e for s, e in spans) for i in range(claim.start, claim.end))
    return any(s < claim.end and claim.start < e for s, e in spans)


def _render_with_positions(source: str, bindings: list[Binding], base: int) -> tuple[str, list[int | None]]:
    """Render the bindings inside a math span, keeping for each rendered character its offset in the page."""
    rendered, positions, index = [], [], 0
    inside = [b for b in bindings if base <= b.start < base + len(source)]
    while index < len(source):
        binding = next((b for b in inside if b.start - base == index), None)
        if binding:
            rendered.append(binding.shown)
            positions += list(range(binding.shown_start, binding.shown_start + len(binding.shown)))
            index = binding.end - base
        else:
            rendered.append(source[index])
            positions.append(base + index)
            index += 1
    return "".join(rendered), positions


def _inside_statement(binding: Binding, positions, statement_offset: int, length: int) -> bool:
    window = [p for p in positions[statement_offset:statement_offset + length] if p is not None]
    return any(binding.shown_start <= p < binding.shown_start + max(1, len(binding.shown)) for p in window)


def _uses_namespace_symbol(sides: list[Side], namespace: dict | None) -> bool:
    if not namespace:
        return False
    for side in sides:
        try:
            latex.evaluate(side.text, {})
        except latex.Unevaluable:
            return True   # it evaluated only with the namespace: it names a value of the code
    return False


def _bound_tables(text: str):
    """``(start, end, expr, rows)`` of each table announced by ``<!-- table: expr -->``; rows are lists of
    ``(offset, cell text)`` for the body rows (header and separator excluded)."""
    lines = text.split("\n")
    offsets, offset = [], 0
    for line in lines:
        offsets.append(offset)
        offset += len(line) + 1
    index = 0
    while index < len(lines):
        match = TABLE_BINDING.match(lines[index])
        if not match:
            index += 1
            continue
        first = index + 1
        while first < len(lines) and not lines[first].strip():
            first += 1
        last = first
        while last < len(lines) and lines[last].lstrip().startswith("|"):
            last += 1
        rows = []
        for row_index in range(first + 2, last):
            line = lines[row_index]
            cells, position = [], offsets[row_index] + line.index("|") + 1
            for cell in line.strip().strip("|").split("|"):
                cells.append((position + (len(cell) - len(cell.lstrip())), cell.strip()))
                position += len(cell) + 1
            rows.append(cells)
        # only the body rows are bound: a number in the header row is an ordinary claim
        body_start = offsets[first + 2] if first + 2 < last else offsets[index]
        yield body_start, offsets[last - 1] + len(lines[last - 1]) if last > first + 2 else body_start, \
            match["expr"], rows
        index = last


def verdict_failures(text: str, namespace: dict) -> list[str]:
    """``- (b) **right**`` bullets must agree with ``answer``; with ``options``, each option has one."""
    bullets = [(m["letter"], VERDICT_WORDS[m["verdict"]]) for m in VERDICT_BULLET.finditer(text)]
    if not bullets:
        return []
    failures = []
    answer = namespace.get("answer")
    if answer is None:
        return ["verdict bullets need the code to define `answer` (the list of right letters)"]
    right = {answer} if isinstance(answer, str) else set(answer)
    letters = [letter for letter, _ in bullets]
    repeated = sorted({letter for letter in letters if letters.count(letter) > 1})
    if repeated:
        failures.append(f"option(s) {repeated} have more than one verdict bullet")
    for letter, verdict in bullets:
        if (letter in right) != verdict:
            failures.append(f"the bullet calls ({letter}) {'right' if verdict else 'wrong'}, the code's answer is "
                            f"{sorted(right)}")
    options = namespace.get("options")
    if isinstance(options, dict):
        missing = sorted(set(options) - set(letters))
        if missing:
            failures.append(f"no verdict bullet for option(s) {missing}")
        statement = text.split("\n///", 1)[0]
        labels = re.findall(r"^\s*[-*]\s+\((?P<letter>[a-h])\)\s", statement, re.M)
        if labels and labels != list(options):
            failures.append(f"the statement labels its options {labels}, the code's options are {list(options)}")
    return failures
