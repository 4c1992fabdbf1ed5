"""The values a question's code computes: each snippet file run once, its names kept for binding."""

from __future__ import annotations

import re
import runpy
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from sitecontract.pages import SNIPPETS, Question


@lru_cache(maxsize=None)
def run_snippet(path: Path) -> dict:
    """Run one snippet file as the page shows it (its assertions hold or it raises); its globals."""
    namespace = runpy.run_path(str(path), run_name="__snippet__")
    return {name: value for name, value in namespace.items() if not name.startswith("__")}


def main_snippet(question: Question) -> Path | None:
    """The question's own file (``cnn/<id with underscores>.py``), else the first file it shows."""
    stem = question.id.replace("-", "_")
    files = question.snippet_files
    for path in files:
        if path.stem == stem:
            return path
    return files[0] if files else None


def question_namespace(question: Question) -> dict:
    """Names of the main snippet, plus each other file of the question under its suffix:
    ``..._torch.py`` as ``torch_check``, ``..._errata.py`` as ``errata``."""
    main = main_snippet(question)
    namespace: dict = {}
    if main is None:
        return namespace
    for path in question.snippet_files:
        values = run_snippet(path)
        if path == main:
            continue
        suffix = path.stem[len(main.stem):].lstrip("_") if path.stem.startswith(main.stem) else path.stem
        key = "torch_check" if suffix == "torch" else (suffix or path.stem)
        namespace[key] = SimpleNamespace(**values)
    namespace.update(run_snippet(main))
    return namespace


VALUES_COMMENT = re.compile(r"^<!--\s*values:\s*(?P<path>\S+)\s*-->\s*$", re.M)


def page_namespace(page_text: str) -> dict | None:
    """The names of the first values file a page declares with ``<!-- values: training/published.py -->``
    (relative to snippets/), or ``None``."""
    match = VALUES_COMMENT.search(page_text)
    return dict(run_snippet(SNIPPETS / match["path"])) if match else None


def scoped_segments(text: str) -> list[tuple[int, str, dict | None]]:
    """Split a page at its ``<!-- values: file.py -->`` comments: ``(offset, segment, namespace)``.
    Text before the first comment has no namespace; each comment's names hold until the next one."""
    segments, start, namespace = [], 0, None
    for match in VALUES_COMMENT.finditer(text):
        segments.append((start, text[start:match.start()], namespace))
        start, namespace = match.start(), dict(run_snippet(SNIPPETS / match["path"]))
    segments.append((start, text[start:], namespace))
    return [s for s in segments if s[1].strip()]
