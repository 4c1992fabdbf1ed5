"""MkDocs hook: notebook pages carry only what they use, and nothing from another host.

mkdocs-jupyter's template embeds a MathJax 2 configuration (its loader points at a CDN) and a mermaid
loader that imports from cdnjs. The site typesets notebook math with its own MathJax 3
(docs/javascripts/mathjax-config.js processes ``jp-RenderedMarkdown``) and has no mermaid diagrams, so
both blocks are removed from the built page.
"""

import re

MATHJAX_2 = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
MERMAID = re.compile(r"<script type=\"module\">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>", re.S)


def on_post_page(output, page, config):
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    return MERMAID.sub("", MATHJAX_2.sub("", output))
