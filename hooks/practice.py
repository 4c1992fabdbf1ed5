"""MkDocs hook: a *Same question, new numbers* box at the end of each question that has one.

The variants and their answers come from ``practice/<chapter>.py``, computed now, at build
time, by the same ``dlref`` code as the worked solutions (sitecontract/practice.py).
"""

from sitecontract import practice


def on_page_markdown(markdown, page, config, files):
    chapter = practice.chapter_of(page.file.src_uri)
    return practice.insert(markdown, chapter) if chapter else markdown
