"""MkDocs hook: under each snippet a page shows, link the dlref functions it calls to the API reference.

The names come from the snippet's own ``from dlref.<module> import ...`` lines, so the links cannot go
stale; mkdocstrings' autorefs resolves ``[name][dlref.module.name]`` to the entry in docs/api/.
"""

import ast
import re
from pathlib import Path

INCLUDE = re.compile(r"""^\s*-{1,}8<-{1,}\s+["'](?P<target>[^"':]+)(?::[\w-]+)?["']\s*$""")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<marks>`{3,}|~{3,})")


def documented(docs: Path) -> dict[str, set[str]]:
    """Module → the functions and classes it defines, for each module an API page shows (``::: module``)."""
    modules = {}
    for page in (docs / "api").glob("*.md"):
        for module in re.findall(r"^:::\s*(\S+)", page.read_text(encoding="utf-8"), re.M):
            source = docs.parent / (module.replace(".", "/") + ".py")
            if not source.exists():
                source = docs.parent / module.replace(".", "/") / "__init__.py"
            tree = ast.parse(source.read_text(encoding="utf-8"))
            modules[module] = {node.name for node in tree.body
                               if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")}
    return modules


def dlref_names(path: Path) -> list[tuple[str, str]]:
    """``(module, name)`` for each public name a snippet imports from a dlref module."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dlref."):
            found += [(node.module, alias.name) for alias in node.names if not alias.name.startswith("_")]
    return sorted(set(found), key=lambda pair: (pair[0], pair[1]))


def links_line(names: list[tuple[str, str]]) -> str:
    refs = ", ".join(f"[`{name}`][{module}.{name}]" for module, name in names)
    return f"Functions used: {refs}."


def on_page_markdown(markdown, page, config, files):
    docs = Path(config["docs_dir"])
    snippets, api = docs.parent / "snippets", documented(docs)
    lines, output, index = markdown.split("\n"), [], 0
    while index < len(lines):
        line = lines[index]
        output.append(line)
        fence = FENCE.match(line)
        if not fence:
            index += 1
            continue
        marks, body, index = fence["marks"], [], index + 1
        while index < len(lines) and not lines[index].strip().startswith(marks):
            body.append(lines[index])
            output.append(lines[index])
            index += 1
        if index < len(lines):
            output.append(lines[index])
            index += 1
        names = [(module, name) for b in body if (m := INCLUDE.match(b))
                 for module, name in dlref_names(snippets / m["target"]) if name in api.get(module, ())]
        if names:
            output += ["", fence["indent"] + links_line(sorted(set(names))), ""]
    return "\n".join(output)
