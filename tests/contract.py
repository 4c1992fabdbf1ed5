"""Reads the pages the way the answer-contract tests need them (see docs/contributing.md).

A *question* is a section whose heading carries an id and the class ``question``::

    ## CS60010 End-Sem Q1 — VGG-16 weights and biases (8 marks) {#cs60010-endsem-q1 .question}

Inside it, pymdownx blocks (``/// answer``, ``/// solution``, ``/// check``, ``/// erratum`` ...)
hold the parts of the anatomy, and fences include code from ``snippets/`` with ``--8<-- "file.py"``.
This module finds those parts, and the literal values that a snippet's assertions pin down.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from sitecontract.pages import *  # noqa: F401,F403 - the page reader the tests share
from sitecontract.pages import DOCS, ROOT, SNIPPETS  # noqa: F401

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


