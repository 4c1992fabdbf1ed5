"""Practice variants ("same question, new numbers"): every question of a chapter either has variants
or says why not; every variant is well formed and its answer is re-checked independently; the build
puts each box at the end of its own question."""

import re

import pytest
import torch

from question_index import FINISHED_CHAPTERS
from sitecontract import practice
from sitecontract.pages import DOCS, QUESTION_HEADING, questions

ENTRIES = [(chapter, question.id) for chapter in FINISHED_CHAPTERS
           for question in questions(DOCS / f"{chapter}.md")
           if practice.load(chapter) and question.id in practice.load(chapter).PRACTICE]


@pytest.mark.parametrize("chapter", FINISHED_CHAPTERS)
def test_every_question_has_variants_or_says_why_not(chapter):
    module = practice.load(chapter)
    assert module is not None, f"practice/{chapter}.py is missing"
    ids = [question.id for question in questions(DOCS / f"{chapter}.md")]
    with_variants, without = set(module.PRACTICE), set(module.NO_PRACTICE)
    assert not with_variants & without, f"in both PRACTICE and NO_PRACTICE: {sorted(with_variants & without)}"
    assert sorted(with_variants | without) == sorted(ids), (
        f"missing: {sorted(set(ids) - with_variants - without)}; "
        f"not on the page: {sorted((with_variants | without) - set(ids))}")
    for question_id, reason in module.NO_PRACTICE.items():
        assert isinstance(reason, str) and len(reason.split()) >= 3, f"{question_id}: say why there is no variant"


@pytest.fixture
def one_thread():
    """The checks run on tiny tensors: PyTorch's thread pool costs far more than it saves there."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.mark.parametrize("chapter, question_id", ENTRIES, ids=[f"{c}:{q}" for c, q in ENTRIES])
def test_variants_are_well_formed_and_their_answers_hold(chapter, question_id, one_thread):
    found = practice.variants(chapter, question_id)
    assert 2 <= len(found) <= 5, "two to five variants"
    assert len({v.givens for v in found}) == len(found), "variants repeat their givens"
    for variant in found:
        assert isinstance(variant, practice.Variant)
        for text in (variant.givens, variant.answer, variant.working):
            assert "{{" not in text and "//" not in text.replace("://", ""), text
            assert text.count("$") % 2 == 0, f"unbalanced math in {text!r}"
        assert variant.givens.strip() and variant.answer.strip()
        assert variant.check is not None, "each variant recomputes its answer independently (check=...)"
        variant.check()


def test_a_box_goes_at_the_end_of_its_own_question():
    chapter = FINISHED_CHAPTERS[0]
    for chapter in FINISHED_CHAPTERS:
        if ENTRIES and any(c == chapter for c, _ in ENTRIES):
            break
    source = (DOCS / f"{chapter}.md").read_text(encoding="utf-8")
    built = practice.insert(source, chapter)
    assert practice.insert(source, "no-such-chapter") == source
    module = practice.load(chapter)
    sections = re.split(r"(?m)^(?=#{2,3} )", built)
    boxes = 0
    for section in sections:
        heading = QUESTION_HEADING.match(section.splitlines()[0]) if section.strip() else None
        count = section.count("//// practice")
        if heading and heading["id"] in module.PRACTICE:
            assert count == 1, heading["id"]
            variants = practice.variants(chapter, heading["id"])
            box = section[section.index("//// practice"):]
            assert box.count("\n/// answer\n") == len(variants)   # each answer in its own collapsed box
            # the box follows everything else of the question
            assert section.rstrip().endswith("////"), heading["id"]
            boxes += 1
        else:
            assert count == 0
    assert boxes == len(module.PRACTICE)


def test_number_formatting():
    assert practice.number(30752) == "30{,}752"
    assert practice.number(2.0) == "2"
    assert practice.number(0.123456, 3) == "0.123"
    assert practice.number(-0.0001, 3) == "0.000"      # no "-0.000"
    assert practice.number_list([0.37512, -0.5]) == "0.3751, -0.5"
    assert practice.vector([1.5, -2], 1) == "(1.5, -2.0)"
    assert practice.bmatrix([[1, 2], [3, 4]]) == r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}"
    assert practice.shape(62, 62, 32) == r"62 \times 62 \times 32"
    with pytest.raises(TypeError, match="value must be a number"):
        practice.number(True)
