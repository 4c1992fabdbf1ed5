"""MkDocs hook: write the paper pages, the papers index and the errata page from the registry
(docs/papers/papers.yml) and the chapter pages (sitecontract.registry); nothing there is kept by hand."""

from pathlib import Path

from sitecontract.registry import expand


def on_page_markdown(markdown, page, config, files):
    return expand(markdown, page.file.src_uri, Path(config["docs_dir"]))
