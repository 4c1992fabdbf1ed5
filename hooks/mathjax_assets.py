"""MkDocs hook: serve MathJax from the installed ``django-static-mathjax`` package, not a CDN.

The site is read offline, so the math renderer ships inside the built folder. ``tex-svg-full.js`` is
self-contained (every TeX extension, SVG output with no web fonts), so this one file is all we copy.
"""

from importlib.metadata import distribution
from pathlib import Path

from mkdocs.structure.files import File

MATHJAX_FILE = "tex-svg-full.js"
SITE_PATH = "assets/mathjax/" + MATHJAX_FILE


def _mathjax_source() -> Path:
    path = Path(distribution("django-static-mathjax").locate_file(
        f"mathjax/static/mathjax/es5/{MATHJAX_FILE}"))
    if not path.is_file():
        raise FileNotFoundError(f"MathJax not found at {path}: run pip install -e '.[dev]'")
    return path


def on_files(files, config):
    source = _mathjax_source()
    files.append(File.generated(config, SITE_PATH, abs_src_path=str(source)))
    return files
