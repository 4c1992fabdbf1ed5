"""Mutation testing of the published claims: ``python -m sitecontract.mutate --claims 120 --seed 1``.

Picks claims at random from everything a reader reads — numbers and option letters in the chapter
pages (statements, answers, errata, solutions, tables), the papers registry behind the paper and errata
pages, the training page, the notebooks' Markdown and the results JSON — edits one at a time, runs the
checks, restores the file, and reports the share of edits the checks caught and every survivor.

Not part of ``pytest``: each edit runs the checks in a fresh process (seconds each).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sitecontract import bindings
from sitecontract.pages import DOCS, ROOT, blocks_in, questions

FAST_CHECKS = ["tests/test_answer_contract.py", "tests/test_training_notebooks.py"]
OPTION_BOXES = ("answer", "erratum", "ambiguous", "unclear")


@dataclass
class Site:
    path: Path
    start: int          # character offsets in the file's text
    end: int
    text: str
    kind: str           # "number" or "option"
    context: str

    def describe(self) -> str:
        line = self.path.read_text(encoding="utf-8").count("\n", 0, self.start) + 1
        return f"{self.path.relative_to(ROOT)}:{line}: {self.kind} {self.text!r} in …{self.context}…"


def _context(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 40):end + 30].split())


def markdown_sites(path: Path) -> list[Site]:
    """Numbers that are not notation, and option letters that state something (bindings, boxes,
    verdict bullets); an option label at the start of a statement line is a label."""
    text = path.read_text(encoding="utf-8")
    found, _ = bindings.claims(text, None, options_are_claims=True)
    box_spans = []
    offsets = [0]
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    for block in blocks_in(text):
        if block.name in OPTION_BOXES:
            start = offsets[block.start_line]
            box_spans.append((start, start + len(block.body)))
    verdict_lines = [m.span() for m in bindings.VERDICT_BULLET.finditer(text)]
    sites = []
    for claim in found:
        if claim.status == "notation":
            continue
        if claim.kind == "option" and claim.status != "bound" and not any(
                s <= claim.start < e for s, e in box_spans + verdict_lines):
            continue
        sites.append(Site(path, claim.start, claim.end, claim.text, claim.kind,
                          _context(text, claim.start, claim.end)))
    return sites


def yaml_sites(path: Path) -> list[Site]:
    text = path.read_text(encoding="utf-8")
    sites = []
    for match in re.finditer(r"(?m)^\s*(?:marks|[a-h]):\s*(?P<n>\d+(?:\.\d+)?)\s*$|(?<=[{ ,])[a-h]: (?P<m>\d+(?:\.\d+)?)", text):
        group = "n" if match["n"] else "m"
        sites.append(Site(path, match.start(group), match.end(group), match[group], "number",
                          _context(text, match.start(group), match.end(group))))
    return sites


def json_sites(path: Path) -> list[Site]:
    """Numbers in a results JSON (top level and one level down), found in the file's own text."""
    text = path.read_text(encoding="utf-8")
    sites = []
    for match in re.finditer(r'"(?P<key>[\w ]+)":\s*(?P<n>-?\d+(?:\.\d+)?(?:[eE]-?\d+)?)(?=\s*[,}\n])', text):
        sites.append(Site(path, match.start("n"), match.end("n"), match["n"], "number",
                          _context(text, match.start("n"), match.end("n"))))
    return sites


def notebook_sites(path: Path) -> list[Site]:
    """Numbers in the Markdown cells, located in the notebook file's JSON text."""
    text = path.read_text(encoding="utf-8")
    notebook = json.loads(text)
    sites, position = [], 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in cell["source"] if isinstance(cell["source"], list) else [cell["source"]]:
            encoded = json.dumps(line, ensure_ascii=False)[1:-1]
            at = text.find(encoded, position)
            if at < 0:
                continue
            position = at + len(encoded)
            notation = bindings.notation_spans(line)
            for match in bindings.NUMBER.finditer(line):
                if any(s < match.end() and match.start() < e for s, e in notation):
                    continue
                # offsets in the JSON text: the line is stored escaped, numbers are not affected
                prefix = json.dumps(line[:match.start()], ensure_ascii=False)[1:-1]
                start = at + len(prefix)
                sites.append(Site(path, start, start + len(match.group()), match.group(), "number",
                                  _context(line, match.start(), match.end())))
    return sites


def all_sites() -> list[Site]:
    sites = []
    for path in sorted(DOCS.rglob("*.md")):
        if path.name == "contributing.md":   # the contributing guide's numbers are examples
            continue
        sites += markdown_sites(path)
    sites += yaml_sites(DOCS / "papers" / "papers.yml")
    for path in sorted((DOCS / "training").glob("*.ipynb")):
        sites += notebook_sites(path)
    for path in sorted((DOCS / "training" / "results").glob("*.json")):
        if "predictions" not in path.name:
            sites += json_sites(path)
    return sites


def mutated(site: Site, rng: random.Random) -> str:
    """A different value in the same form: another option letter, or one digit changed."""
    if site.kind == "option":
        return rng.choice([letter for letter in "abcd" if letter != site.text])
    digits = [i for i, ch in enumerate(site.text) if ch.isdigit()]
    index = rng.choice(digits)
    old = site.text[index]
    leading = index == digits[0] and len(digits) > 1
    choices = [d for d in "0123456789" if d != old and not (leading and d == "0")]
    return site.text[:index] + rng.choice(choices) + site.text[index + 1:]


def _selection(path: Path | None) -> list[str]:
    """The fast checks for an edit of ``path``: every page-level test, and the value bindings of that
    page's questions only (the other questions' code is unchanged, so their bindings cannot move)."""
    if path is None or path.suffix != ".md":
        return []
    ids = [q.id for q in questions(path)]
    keep = " or ".join(["not test_every_value_is_bound_to_the_code", *ids])
    return ["-k", keep]


def run_checks(full: bool, path: Path | None = None) -> bool:
    """True when the checks fail (the mutation is caught)."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    if not full:
        command += FAST_CHECKS + ["--markdown-docs", "--markdown-docs-syntax=superfences"] + _selection(path)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    return result.returncode != 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitecontract.mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100, help="how many claims to edit (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the sample and the edits")
    parser.add_argument("--full", action="store_true", help="run the whole pytest suite for each edit "
                        f"(default: {' '.join(FAST_CHECKS)})")
    parser.add_argument("--list", action="store_true", help="only count the claims, by file")
    parser.add_argument("--page", action="append", default=[], metavar="PATH",
                        help="only the claims of this file, e.g. docs/peft.md (repeat for several)")
    args = parser.parse_args(argv)
    if args.claims < 1:
        parser.error("--claims must be at least 1")

    sites = all_sites()
    if args.page:
        wanted = {(ROOT / page).resolve() for page in args.page}
        known = {site.path.resolve() for site in sites}
        unknown = sorted(str(page) for page, path in zip(args.page, [(ROOT / p).resolve() for p in args.page])
                         if path not in known)
        if unknown:
            parser.error(f"--page: no claims in {unknown} (a path relative to the repository, e.g. docs/cnn.md)")
        sites = [site for site in sites if site.path.resolve() in wanted]
    if args.list:
        counts: dict[str, int] = {}
        for site in sites:
            counts[str(site.path.relative_to(ROOT))] = counts.get(str(site.path.relative_to(ROOT)), 0) + 1
        for name, count in sorted(counts.items()):
            print(f"{count:6d}  {name}")
        print(f"{len(sites):6d}  claims in all")
        return 0
    if run_checks(args.full):
        print("the checks fail before any edit: fix them first", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    sample = rng.sample(sites, min(args.claims, len(sites)))
    caught, survivors, started = 0, [], time.monotonic()
    for number, site in enumerate(sample, start=1):
        original = site.path.read_text(encoding="utf-8")
        assert original[site.start:site.end] == site.text, f"stale site {site.describe()}"
        replacement = mutated(site, rng)
        site.path.write_text(original[:site.start] + replacement + original[site.end:], encoding="utf-8")
        try:
            hit = run_checks(args.full, site.path)
        finally:
            site.path.write_text(original, encoding="utf-8")
        caught += hit
        if not hit:
            survivors.append((site, replacement))
        status = "caught  " if hit else "SURVIVED"
        print(f"[{number:3d}/{len(sample)}] {status} {site.describe()} -> {replacement!r}", flush=True)
    share = caught / len(sample)
    print(f"\n{caught} of {len(sample)} edits caught ({share:.1%}) in {time.monotonic() - started:.0f} s; "
          f"{len(sites)} claims on the pages")
    if survivors:
        print("survivors:")
        for site, replacement in survivors:
            print(f"  {site.describe()} -> {replacement!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
