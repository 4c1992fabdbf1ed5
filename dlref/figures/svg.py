"""Shared SVG helpers of the figures: elements as text, boxes, arrows, legends, the document.

Everything returns plain strings, attribute values are formatted with at most two decimals and
text is escaped, so the output is deterministic and safe to diff. Every document draws its own
white rounded background and dark text, because the site shows it in a light and a dark theme.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

TEXT = "#222"
MUTED = "#666"
LINE = "#555"
FILL = {  # (fill, stroke) per kind of box
    "input": ("#eeeeee", "#8a8a8a"),
    "conv": ("#d6e6f5", "#5b84b1"),
    "pool": ("#f5d3d0", "#b8615b"),
    "fc": ("#d7ecd5", "#5f9a5c"),
    "softmax": ("#e6dcf0", "#8468a8"),
    "bn": ("#f9efc4", "#b59a3a"),
    "relu": ("#eeeeee", "#8a8a8a"),
}


def value(value) -> str:
    """An attribute value as text; floats with at most two decimals, so the output is stable."""
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return str(value)


def element(tag: str, content: str | None = None, **attributes) -> str:
    """One SVG element; ``font_size`` becomes ``font-size``, ``None`` attributes are left out."""
    attrs = "".join(f" {name.rstrip('_').replace('_', '-')}={quoteattr(value(setting))}"
                    for name, setting in attributes.items() if setting is not None)
    if content is None:
        return f"<{tag}{attrs}/>"
    return f"<{tag}{attrs}>{content}</{tag}>"


def text(x, y, text: str, size=12, anchor="middle", weight=None, fill=TEXT, **attributes) -> str:
    """A line of text, escaped, centred on ``x`` by default (``y`` is the baseline)."""
    return element("text", escape(text), x=x, y=y, font_size=size, text_anchor=anchor,
                   font_weight=weight, fill=fill, **attributes)


_SUBSCRIPT = re.compile(r"_(\{[^{}]*\}|[^\s_^{}(),]+)")
_LETTER = re.compile("(?<![A-Za-z])([A-Za-z]\u0303?)(?![A-Za-z])")  # a one-letter variable


def subscript_parts(label: str) -> list[tuple[str, bool]]:
    """``"h_{t-1} x_t"`` -> ``[("h", False), ("t-1", True), (" x", False), ("t", True)]``.

    A subscript is ``_`` followed by a braced group or by the characters up to the next space,
    ``_``, ``^``, comma or parenthesis; everything else is plain text.
    """
    parts, start = [], 0
    for match in _SUBSCRIPT.finditer(label):
        if match.start() > start:
            parts.append((label[start:match.start()], False))
        parts.append((match.group(1).strip("{}"), True))
        start = match.end()
    if start < len(label):
        parts.append((label[start:], False))
    return parts


def _italic_letters(part: str, italic: bool) -> str:
    """``part`` escaped, its one-letter variables (not the letters of words) in italic tspans."""
    if not italic:
        return escape(part)
    pieces, start = [], 0
    for match in _LETTER.finditer(part):
        pieces.append(escape(part[start:match.start()]))
        pieces.append(element("tspan", escape(match.group(1)), font_style="italic"))
        start = match.end()
    pieces.append(escape(part[start:]))
    return "".join(pieces)


def _italic_words(part: str, italic: bool) -> str:
    """A subscript escaped, its letters (``xh``, the ``t`` of ``t−1``) italic, digits upright."""
    if not italic:
        return escape(part)
    return "".join(element("tspan", escape(piece), font_style="italic") if piece.isalpha()
                   else escape(piece) for piece in re.split(r"([A-Za-z]+)", part) if piece)


def math_text(x, y, label, size=13, anchor="middle", weight=None, fill=TEXT, italic=True,
              **attributes) -> str:
    """Text with ``_`` subscripts (``"h_t"``, ``"h_{t-1}"``, ``"W_xh"``) set smaller and lower.

    ``label`` is a string or a list of ``(string, colour)`` segments (colour ``None``: ``fill``).
    A subscript is a ``<tspan class="sub">`` at 72 % of ``size``, lowered with ``dy`` (the text
    after it goes back up with the opposite ``dy``; ``dy`` rather than ``baseline-shift``, which
    Firefox ignores), with ``-`` set as a minus sign. In the main text one-letter
    variables are italic and words (``tanh``) upright, as in formulas, and so are the letters of
    subscripts (not their digits); ``italic=False`` keeps everything upright.
    """
    segments = [(label, None)] if isinstance(label, str) else label
    drop = round(size * 0.3, 1)
    content, lowered = [], False
    for segment, colour in segments:
        for part, sub in subscript_parts(segment):
            if sub:
                content.append(element("tspan", _italic_words(part.replace("-", "\u2212"), italic),
                                       class_="sub", dy=None if lowered else drop,
                                       font_size=round(size * 0.72, 1), fill=colour))
                lowered = True
            elif lowered or colour:
                content.append(element("tspan", _italic_letters(part, italic),
                                       dy=-drop if lowered else None, fill=colour))
                lowered = False
            else:
                content.append(_italic_letters(part, italic))
    return element("text", "".join(content), x=x, y=y, font_size=size, text_anchor=anchor,
                   font_weight=weight, fill=fill, **attributes)


def math_width(label, size: float) -> float:
    """Rough width of ``math_text(label)`` (a string or ``(string, colour)`` segments)."""
    segments = [(label, None)] if isinstance(label, str) else label
    return sum(text_width(part, size * (0.72 if sub else 1.0))
               for segment, _ in segments for part, sub in subscript_parts(segment))


def box(x, y, width, height, kind: str, radius=3, **attributes) -> str:
    """A rectangle coloured as a ``kind`` of layer (see ``FILL``)."""
    fill, stroke = FILL[kind]
    return element("rect", x=x, y=y, width=width, height=height, rx=radius, fill=fill,
                   stroke=stroke, stroke_width=1.2, **attributes)


def arrow(points, colour=LINE, width=1.4, marker="arrow") -> str:
    """A polyline through ``points``, ending in the arrowhead of the marker with id ``marker``."""
    path = " ".join(f"{value(float(x))},{value(float(y))}" for x, y in points)
    return element("polyline", points=path, fill="none", stroke=colour, stroke_width=width,
                   stroke_linejoin="round", marker_end=f"url(#{marker})")


def arrowhead(identifier: str, colour: str) -> str:
    """The ``<marker>`` of an arrowhead filled with ``colour``, for ``arrow(marker=identifier)``."""
    return element("marker", element("path", d="M0,0 L10,5 L0,10 z", fill=colour), id=identifier,
                   viewBox="0 0 10 10", refX=9, refY=5, markerWidth=7, markerHeight=7,
                   orient="auto-start-reverse")


def document(width: int, height: int, title: str, body: list[str], markers=None) -> str:
    """A complete SVG document: size, title, arrowhead markers and a white rounded background.

    The marker ``arrow`` is always defined (grey); ``markers`` maps further marker ids to colours.
    """
    defs = arrowhead("arrow", LINE) + "".join(arrowhead(identifier, colour)
                                             for identifier, colour in (markers or {}).items())
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" role="img">',
        element("title", escape(title)),
        element("defs", defs),
        element("rect", x=0.5, y=0.5, width=width - 1, height=height - 1, rx=12, fill="#ffffff",
                stroke="#d0d0d0"),
        *body,
        "</svg>",
    ]
    return "\n".join(lines) + "\n"


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Rough width of ``text`` in DejaVu Sans (the widest usual sans-serif), to space columns."""
    em = {"×": 0.84, "m": 0.97, "M": 0.9, "W": 0.99, " ": 0.32, ",": 0.32, ".": 0.32, "-": 0.36}
    narrow = "iljtf"
    width = sum(em.get(char, 0.3 if char in narrow else 0.7 if char.isupper() else 0.64)
                for char in text)
    return width * size * (1.1 if bold else 1.0)


def count(number: int) -> str:
    """``1234567`` -> ``"1,234,567"``."""
    return f"{number:,}"


def legend(x, y, entries) -> list[str]:
    """A row of colour swatches with captions, starting at ``(x, y)`` (``y`` is the baseline)."""
    body = []
    for kind, caption, width in entries:
        body.append(box(x, y - 11, 18, 14, kind, radius=2))
        body.append(text(x + 24, y, caption, size=12, anchor="start"))
        x += width
    return body
