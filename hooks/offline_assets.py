"""MkDocs hook: ship the browser assets the site needs, from installed packages, so it works offline.

- MathJax (``tex-svg-full.js``, self-contained: every TeX extension, SVG output with no web fonts) from
  the ``django-static-mathjax`` PyPI package.
- iframe-worker's shim from the ``iframe-worker`` npm package (``npm ci``): Material's offline plugin
  runs the search worker through it when the site is opened from ``file://``. mkdocs.yml names the local
  copy in ``extra.polyfills``, so the plugin does not add its unpkg.com URL.

Nothing is committed by hand and nothing is fetched at build time.
"""

from importlib.metadata import distribution
from pathlib import Path

from mkdocs.structure.files import File

MATHJAX_FILE = "tex-svg-full.js"
SITE_PATH = "assets/mathjax/" + MATHJAX_FILE
SHIM_SITE_PATH = "assets/javascripts/iframe-worker/shim.js"
ROOT = Path(__file__).resolve().parent.parent


def _mathjax_source() -> Path:
    path = Path(distribution("django-static-mathjax").locate_file(
        f"mathjax/static/mathjax/es5/{MATHJAX_FILE}"))
    if not path.is_file():
        raise FileNotFoundError(f"MathJax not found at {path}: run pip install -e '.[dev]'")
    return path


def _shim_source() -> Path:
    path = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
    if not path.is_file():
        raise FileNotFoundError(f"iframe-worker's shim not found at {path}: run `npm ci` in {ROOT} "
                                "(offline search needs it)")
    return path


def on_files(files, config):
    files.append(File.generated(config, SITE_PATH, abs_src_path=str(_mathjax_source())))
    files.append(File.generated(config, SHIM_SITE_PATH, abs_src_path=str(_shim_source())))
    return files
