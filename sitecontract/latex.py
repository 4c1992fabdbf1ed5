"""Evaluate the arithmetic a page writes in LaTeX, so that a worked line such as
``$\\lfloor (128 - 2)/2 \\rfloor + 1 = 64$`` is checked, not just displayed.

The grammar is the school arithmetic of the pages: numbers (``2{,}336``, ``0.25``, ``1.2 \\times 10^{9}``),
``+ - \\cdot \\times / \\div``, implicit products (``2(k-1)``), powers ``^{...}``, ``\\frac``, ``\\sqrt``,
``\\lfloor \\rfloor``, ``\\lceil \\rceil``, ``|x|``, ``\\exp \\ln \\log \\log_2 \\tanh \\sigma``, ``\\%``, and
symbols looked up in a namespace (``W_f``, ``C_\\text{in}``, ``\\alpha``). Anything else raises
:class:`Unevaluable`: that side of an equation is then prose, not arithmetic.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

Number = Fraction | float


class Unevaluable(ValueError):
    """The text is not arithmetic this module can evaluate (a symbol without a value, a word...)."""


_SPACES = re.compile(r"\\[,;:! ]|\\quad|\\qquad|~|\\left|\\right|\\big[lr]?|\\Big[lr]?|\\displaystyle|\\mathrm(?=\{)")
_TOKEN = re.compile(r"""
    (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<command>\\[A-Za-z]+|\\[{}|%])
  | (?P<symbol>[A-Za-z])
  | (?P<op>[-+*/^_(){}\[\]|!·×−=<>%])
  | (?P<space>\s+)
""", re.VERBOSE)

FUNCTIONS = {
    "exp": math.exp, "ln": math.log, "log": math.log, "tanh": math.tanh, "sin": math.sin, "cos": math.cos,
    "sigma": lambda x: 1.0 / (1.0 + math.exp(-x)), "sqrt": math.sqrt,
}
GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "eta", "theta", "lambda", "mu", "nu",
         "rho", "tau", "phi", "varphi", "psi", "omega", "kappa", "xi", "zeta", "chi", "pi"}
_MULTIPLY = {"*", "·", "×", "\\cdot", "\\times", "\\ast"}
_DIVIDE = {"/", "\\div"}


def normalise(text: str) -> str:
    """Drop spacing commands and thousands separators: ``2{,}336`` and ``2,336`` become ``2336``."""
    text = text.replace("{,}", "")
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    text = text.replace("−", "-")
    return _SPACES.sub(" ", text)


@dataclass
class _Token:
    kind: str
    text: str


def tokens(text: str) -> list[_Token]:
    text = normalise(text)
    found, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise Unevaluable(f"cannot read {text[position:position + 12]!r}")
        position = match.end()
        if match.lastgroup != "space":
            found.append(_Token(match.lastgroup, match.group()))
    return found


class _Parser:
    def __init__(self, text: str, namespace: dict | None):
        self.tokens = tokens(text)
        self.position = 0
        self.namespace = namespace or {}

    # -- helpers --------------------------------------------------------------------------------
    def peek(self, offset: int = 0) -> _Token | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise Unevaluable("unexpected end")
        self.position += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise Unevaluable(f"expected {text!r}, found {token.text!r}")

    def at(self, *texts: str) -> bool:
        token = self.peek()
        return token is not None and token.text in texts

    # -- grammar --------------------------------------------------------------------------------
    def parse(self) -> Number:
        value = self.expression()
        if self.peek() is not None:
            raise Unevaluable(f"unexpected {self.peek().text!r}")
        return value

    def expression(self) -> Number:
        value = self.term()
        while self.at("+", "-"):
            operator = self.take().text
            right = self.term()
            value = value + right if operator == "+" else value - right
        return value

    def term(self) -> Number:
        value = self.unary()
        while True:
            token = self.peek()
            if token is None:
                return value
            if token.text in _MULTIPLY:
                self.take()
                value = value * self.unary()
            elif token.text in _DIVIDE:
                self.take()
                value = _divide(value, self.unary())
            elif token.text in ("\\%", "%"):
                self.take()
                value = value / 100 if isinstance(value, float) else Fraction(value) / 100
            elif self._starts_atom(token):
                value = value * self.power()   # implicit product: 2(k - 1), 3\sqrt{2}
            else:
                return value

    def _starts_atom(self, token: _Token) -> bool:
        return (token.kind in ("number", "symbol") or token.text in ("(", "{", "[", "\\lfloor", "\\lceil")
                or (token.kind == "command" and token.text[1:] in
                    set(FUNCTIONS) | GREEK | {"frac", "dfrac", "tfrac", "sqrt", "text", "operatorname"}))

    def unary(self) -> Number:
        if self.at("-"):
            self.take()
            return -self.unary()
        if self.at("+"):
            self.take()
            return self.unary()
        return self.power()

    def power(self) -> Number:
        base = self.atom()
        while self.at("^"):
            self.take()
            exponent = self.group_or_atom()
            base = _power(base, exponent)
        if self.at("!"):
            self.take()
            base = Fraction(math.factorial(int(base)))
        return base

    def group_or_atom(self) -> Number:
        if self.at("{"):
            return self.braced()
        token = self.take()
        if token.kind == "number":   # x^23 means x^2 3 in TeX: one digit
            if len(token.text) > 1:
                raise Unevaluable("ambiguous unbraced exponent")
            return Fraction(token.text)
        self.position -= 1
        return self.atom()

    def braced(self) -> Number:
        self.expect("{")
        value = self.expression()
        self.expect("}")
        return value

    def atom(self) -> Number:
        token = self.take()
        if token.kind == "number":
            return Fraction(token.text)
        if token.text in ("(", "["):
            closing = ")" if token.text == "(" else "]"
            value = self.expression()
            self.expect(closing)
            return value
        if token.text == "{":
            value = self.expression()
            self.expect("}")
            return value
        if token.text == "|":
            value = self.expression()
            self.expect("|")
            return abs(value)
        if token.text in ("\\lfloor", "\\lceil"):
            value = self.expression()
            self.expect("\\rfloor" if token.text == "\\lfloor" else "\\rceil")
            return Fraction(math.floor(value) if token.text == "\\lfloor" else math.ceil(value))
        if token.kind == "command":
            name = token.text[1:]
            if name in ("frac", "dfrac", "tfrac"):
                numerator = self.braced()
                return _divide(numerator, self.braced())
            if name == "sqrt":
                return _root(self.braced())
            if name in ("text", "operatorname", "mathrm"):
                raise Unevaluable("words are not arithmetic")
            if name in FUNCTIONS:
                return self.function(name)
            if name in GREEK:
                return self.symbol(name)
        if token.kind == "symbol":
            if token.text == "e" and self.at("^") and "e" not in self.namespace:
                self.take()
                return math.exp(self.group_or_atom())
            return self.symbol(token.text)
        raise Unevaluable(f"unexpected {token.text!r}")

    def function(self, name: str) -> Number:
        base = None
        if name == "log" and self.at("_"):
            self.take()
            base = self.group_or_atom()
        exponent = None
        if self.at("^"):   # \tanh^2(x)
            self.take()
            exponent = self.group_or_atom()
        if self.at("(", "{", "["):
            argument = self.atom()
        else:
            argument = self.power()
        value = FUNCTIONS[name](float(argument))
        if base is not None:
            value /= math.log(float(base))
        return value ** float(exponent) if exponent is not None else value

    def symbol(self, name: str) -> Number:
        """``W_f``, ``C_\\text{in}``, ``d_k``: the symbol and its subscript name a value in the namespace."""
        if self.at("_"):
            self.take()
            name += "_" + self.subscript()
        if name not in self.namespace:
            raise Unevaluable(f"no value for the symbol {name}")
        return _number(self.namespace[name], name)

    def subscript(self) -> str:
        if self.at("{"):
            depth, parts = 0, []
            while True:
                token = self.take()
                if token.text == "{":
                    depth += 1
                    if depth == 1:
                        continue
                elif token.text == "}":
                    depth -= 1
                    if depth == 0:
                        break
                if token.kind == "command" and token.text in ("\\text", "\\mathrm"):
                    continue
                if token.text not in ("{", "}"):
                    parts.append(token.text.lstrip("\\"))
            return "".join(parts)
        token = self.take()
        if token.kind == "command" and token.text in ("\\text", "\\mathrm"):
            return self.subscript()
        return token.text.lstrip("\\")


def _number(value: object, name: str) -> Number:
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        if hasattr(value, "detach"):
            value = value.detach()   # a tensor that requires grad: its value, without a warning
        try:
            value = float(value)   # numpy scalars, 0-d tensors
        except (TypeError, ValueError):
            raise Unevaluable(f"{name} is not a number") from None
    return Fraction(value) if isinstance(value, int) else value


def _divide(a: Number, b: Number) -> Number:
    if b == 0:
        raise Unevaluable("division by zero")
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a / b
    return float(a) / float(b)


def _power(base: Number, exponent: Number) -> Number:
    if isinstance(base, Fraction) and isinstance(exponent, Fraction) and exponent.denominator == 1 \
            and abs(exponent) < 400:
        if base == 0 and exponent < 0:
            raise Unevaluable("zero to a negative power")
        return base ** int(exponent)
    try:
        return float(base) ** float(exponent)
    except (OverflowError, ZeroDivisionError):
        raise Unevaluable("power out of range") from None


def _root(value: Number) -> Number:
    if value < 0:
        raise Unevaluable("square root of a negative number")
    if isinstance(value, Fraction):
        n, d = math.isqrt(value.numerator), math.isqrt(value.denominator)
        if n * n == value.numerator and d * d == value.denominator:
            return Fraction(n, d)
    return math.sqrt(value)


def evaluate(text: str, namespace: dict | None = None) -> Number:
    """The value of a LaTeX arithmetic expression; symbols come from ``namespace``."""
    try:
        return _Parser(text, namespace).parse()
    except (ArithmeticError, RecursionError) as error:
        raise Unevaluable(str(error)) from None


# ---------------------------------------------------------------------------------------------
# Written precision: how far a value may be from what the page shows
# ---------------------------------------------------------------------------------------------

_LITERAL = re.compile(r"^\s*[-+]?\s*(?P<mantissa>\d+(?:\.(?P<decimals>\d+))?)(?:\s*(?:\\times|\\cdot|×)\s*10\s*\^\s*\{?\s*(?P<exponent>-?\d+)\s*\}?)?\s*(?P<percent>\\?%)?\s*$")


def written_tolerance(text: str, approximate: bool) -> float | None:
    """Half a unit of the last digit a literal shows, or ``None`` when ``text`` is not a literal.

    ``0.6225`` → 0.00005. An integer is exact under ``=``; under ``\\approx`` its trailing zeros are
    rounding (``\\approx 2{,}500`` → 50). ``1.2 \\times 10^{9}`` → 0.05e9. ``89\\%`` → 0.005.
    """
    match = _LITERAL.match(normalise(text))
    if not match:
        return None
    decimals = match["decimals"]
    exponent = int(match["exponent"] or 0) - (2 if match["percent"] else 0)
    if decimals:
        return 0.5 * 10.0 ** (exponent - len(decimals))
    if match["exponent"] or approximate:
        digits = match["mantissa"]
        trailing = len(digits) - len(digits.rstrip("0")) if approximate and digits.strip("0") else 0
        return 0.5 * 10.0 ** (exponent + trailing) if (trailing or match["exponent"]) else (0.5 if approximate else 0.0)
    return 0.0


def close(a: Number, b: Number, tolerance: float) -> bool:
    if isinstance(a, Fraction) and isinstance(b, Fraction) and tolerance == 0:
        return a == b
    a, b = float(a), float(b)
    return abs(a - b) <= tolerance + 1e-9 * max(1.0, abs(a), abs(b))
