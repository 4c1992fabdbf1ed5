"""MkDocs hook: show each bound value as the reader should see it.

``{{ expr = shown }}`` becomes ``shown`` (and ``{{! text }}`` becomes ``text``). The tests check that
``shown`` is what ``expr`` computes (sitecontract.bindings); the build only renders, so it stays fast.
"""

from sitecontract.bindings import BindingSyntaxError, render


def on_page_markdown(markdown, page, config, files):
    try:
        return render(markdown)
    except BindingSyntaxError as error:
        raise SystemExit(f"{page.file.src_uri}: {error}") from None
