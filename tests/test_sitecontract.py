"""The contract's own machinery must not be blind: planted wrong values, unbound numbers, false
arithmetic and wrong verdicts are all reported (sitecontract, docs/contributing.md)."""

import random
from fractions import Fraction

import numpy as np
import pytest
import torch

from sitecontract import bindings, latex, registry


# --- the LaTeX arithmetic evaluator, against Python's own arithmetic -------------------------

def random_expression(rng: random.Random, depth: int = 0) -> tuple[str, str]:
    """A random expression as (LaTeX, Python) with the same value."""
    if depth > 3 or rng.random() < 0.3:
        n = rng.randint(1, 2000)
        latex_number = f"{n:,}".replace(",", "{,}") if rng.random() < 0.5 else str(n)
        return latex_number, str(n)
    kind = rng.choice(["+", "-", "cdot", "times", "frac", "paren", "floor", "pow", "implicit"])
    a_tex, a_py = random_expression(rng, depth + 1)
    b_tex, b_py = random_expression(rng, depth + 1)
    if kind in "+-":
        return f"{a_tex} {kind} ({b_tex})", f"({a_py}) {kind} ({b_py})"
    if kind in ("cdot", "times"):
        return f"({a_tex}) \\{kind} ({b_tex})", f"({a_py}) * ({b_py})"
    if kind == "frac":
        return f"\\frac{{{a_tex}}}{{{b_tex}}}", f"Fraction({a_py}) / Fraction({b_py})"
    if kind == "floor":
        return f"\\lfloor ({a_tex}) / ({b_tex}) \\rfloor", f"math.floor(Fraction({a_py}) / Fraction({b_py}))"
    if kind == "pow":
        e = rng.randint(0, 3)
        return f"({a_tex})^{{{e}}}", f"({a_py}) ** {e}"
    if kind == "implicit":   # 3(k - 1) is a product
        k = rng.randint(2, 9)
        return f"{k}({a_tex})", f"{k} * ({a_py})"
    return f"({a_tex})", f"({a_py})"


@pytest.mark.parametrize("seed", range(40))
def test_evaluator_agrees_with_python_on_random_expressions(seed):
    import math  # noqa: F401 - used by eval
    rng = random.Random(seed)
    tex, python = random_expression(rng)
    try:
            expected = eval(python, {"Fraction": Fraction, "math": __import__("math")})  # noqa: S307
    except ZeroDivisionError:
        with pytest.raises(latex.Unevaluable):
            latex.evaluate(tex)
        return
    assert latex.evaluate(tex) == expected, (tex, python)


@pytest.mark.parametrize("tex, value", [
    (r"\lfloor (128 - 2)/2 \rfloor + 1", 64), (r"2{,}336", 2336), (r"2,359,296", 2359296),
    (r"\frac{1}{\sqrt{4}}", Fraction(1, 2)), (r"1.2 \times 10^{9}", 1_200_000_000), (r"89\%", Fraction(89, 100)),
    (r"\lceil 7/2 \rceil", 4), (r"3!", 6), (r"|-3|", 3), (r"\log_2 8", 3.0), (r"e^{0}", 1.0),
])
def test_evaluator_reads_the_notation_of_the_pages(tex, value):
    assert latex.evaluate(tex) == pytest.approx(value)


def test_evaluator_uses_symbols_and_functions():
    assert latex.evaluate(r"d(k-1)+1", {"d": 2, "k": 3}) == 5
    assert latex.evaluate(r"C_\text{in} k^2", {"C_in": 3, "k": 5}) == 75
    assert latex.evaluate(r"\sigma(0.5)") == pytest.approx(torch.sigmoid(torch.tensor(0.5)).item())
    assert latex.evaluate(r"\tanh^2(0.5)") == pytest.approx(np.tanh(0.5) ** 2)
    assert latex.evaluate(r"\alpha \cdot 2", {"alpha": 0.25}) == 0.5


@pytest.mark.parametrize("tex", [r"\text{weights}", r"x + 1", r"\frac{1}{0}", r"2 +", r"\mathbf{W}"])
def test_evaluator_refuses_what_is_not_arithmetic(tex):
    with pytest.raises(latex.Unevaluable):
        latex.evaluate(tex)


@pytest.mark.parametrize("text, approximate, tolerance", [
    ("0.6225", False, 0.00005), ("64", False, 0.0), ("2{,}500", True, 50.0), ("89.5\\%", False, 0.0005),
    (r"1.2 \times 10^{9}", False, 0.05e9), ("x", False, None),
])
def test_written_tolerance_is_half_the_last_digit(text, approximate, tolerance):
    result = latex.written_tolerance(text, approximate)
    assert result == (None if tolerance is None else pytest.approx(tolerance))


# --- what a binding compares -------------------------------------------------------------------

@pytest.mark.parametrize("value, shown", [
    (2336, "2{,}336"), (2336, "2,336"), ((62, 62, 32), r"62 \times 62 \times 32"), (["b"], "(b)"),
    ("c", "(c)"), (["a", "c"], "(a), (c)"), (True, "true"), (0.62246, "0.6225"), (0.62246, r"\approx 0.62"),
    (773_000_000, "773M"), (np.array([[1, 2], [3, 4]]), r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}"),
    (torch.tensor([0.25, 0.75]), "[0.25, 0.75]"), (Fraction(1, 2), r"\frac{1}{2}"), ("VGG-19", "VGG-19"),
])
def test_a_binding_accepts_the_value_it_names(value, shown):
    assert bindings.mismatch(value, shown) is None


@pytest.mark.parametrize("value, shown", [
    (2336, "2{,}432"), ((62, 62, 32), r"64 \times 64 \times 32"), (["b"], "(c)"), ("c", "(b)"),
    (True, "false"), (0.62246, "0.6226"), (773_000_000, "780M"), ((62, 62), r"62 \times 62 \times 1"),
    (np.array([[1, 2], [3, 4]]), r"\begin{bmatrix} 1 & 2 \\ 3 & 5 \end{bmatrix}"), (0.7, "0.62"),
])
def test_a_binding_refuses_any_other_value(value, shown):
    assert bindings.mismatch(value, shown) is not None


# --- claims on a planted page -----------------------------------------------------------------

NAMESPACE = {"total": 1216, "filters": 16, "k": 3, "d": 2, "answer": ["b"], "PRINTED_KEY": "c",
             "options": {"a": 1, "b": 2}, "rows": [(1, 64), (2, 128)]}


def report(text, namespace=NAMESPACE):
    found, failures = bindings.claims(text, namespace, options_are_claims=False)
    return failures, [c.text for c in found if c.status == "unbound"]


def test_bound_values_and_anchored_arithmetic_pass():
    failures, unbound = report("{{ filters = 16 }} filters give $16 \\cdot 76 = {{ total = 1{,}216 }}$; "
                               "the span is $d(k-1)+1 = 2 \\cdot 2 + 1 = 5$; $h_{t+1}$, Q9, VGG-19, "
                               "`nn.Linear(3, 4)`, {{! 10.17 }}.")
    assert failures == [] and unbound == []


def test_a_wrong_binding_is_reported():
    failures, _ = report("{{ total = 1{,}217 }}")
    assert failures and "1216" in failures[0]


def test_an_unknown_name_is_reported():
    failures, _ = report("{{ totl = 1{,}216 }}")
    assert failures and "totl" in failures[0]


def test_false_arithmetic_is_reported():
    failures, _ = report("$16 \\cdot 77 = {{ total = 1{,}216 }}$")
    assert failures and "1232" in failures[0]


def test_unanchored_arithmetic_is_reported():
    failures, _ = report("$5 \\cdot 5 \\cdot 3 = 75$")
    assert failures and "names no value" in failures[0]


def test_an_unbound_number_is_reported():
    _, unbound = report("a layer with 16 filters and 7 taps; $k = 3$ is the code's k; {{ total = 1{,}216 }}")
    assert unbound == ["16", "7"]


def test_a_bound_table_is_checked_cell_by_cell():
    table = "<!-- table: rows -->\n| layer | width |\n| --- | --- |\n| 1 | 64 |\n| 2 | {cell} |\n"
    assert report(table.format(cell="128")) == ([], [])
    failures, _ = report(table.format(cell="129"))
    assert failures and "rows[1][1]" in failures[0]


def test_option_letters_in_boxes_must_be_bound():
    found, _ = bindings.claims("The key prints (c); the answer is {{ answer = (b) }}.", NAMESPACE)
    assert [(c.text, c.status) for c in found if c.kind == "option"] == [("c", "unbound"), ("b", "bound")]


def test_verdict_bullets_follow_the_answer():
    right = "- (a) **wrong**: no.\n- (b) **right**: yes.\n"
    assert bindings.verdict_failures(right, NAMESPACE) == []
    assert bindings.verdict_failures(right.replace("(b) **right**", "(b) **wrong**"), NAMESPACE)
    assert bindings.verdict_failures("- (b) **right**: yes.\n", NAMESPACE)            # (a) has no bullet
    assert bindings.verdict_failures(right + "- (b) **right**: again.\n", NAMESPACE)  # (b) twice


def test_render_shows_the_values_and_leaves_code_alone():
    text = "${{ total = 1{,}216 }}$ and `{{ total = 9 }}`\n```text\n{{ x = 1 }}\n```\n{{! 10.17 }}"
    assert bindings.render(text) == "$1{,}216$ and `{{ total = 9 }}`\n```text\n{{ x = 1 }}\n```\n10.17"


def test_an_unclosed_binding_is_a_syntax_error():
    with pytest.raises(bindings.BindingSyntaxError, match="never closed"):
        bindings.render("{{ total = 1{,}216 \n\nnext paragraph")


# --- the registry -------------------------------------------------------------------------------

def test_registry_counts_questions_as_the_papers_number_them():
    _, papers = registry.load()
    counts = {paper.slug: registry.question_count(paper) for paper in papers}
    assert counts == {"cse641-quiz2": 13, "cs60010-ct3": 5, "modern-arch-assignment": 8,
                      "endsem-winter-2025": 29, "cs60010-endsem": 10}


def test_statement_option_labels_follow_the_codes_options():
    statement = "Which?\n\n- (a) one\n- (b) two\n\n/// answer\n{{ answer = (b) }}\n///\n"
    bullets = "- (a) **wrong**: no.\n- (b) **right**: yes.\n"
    assert bindings.verdict_failures(statement + bullets, NAMESPACE) == []
    relabelled = statement.replace("- (b) two", "- (c) two")
    assert bindings.verdict_failures(relabelled + bullets, NAMESPACE)


def test_a_shape_in_a_real_space_is_a_claim():
    _, unbound = report("$W \\in \\mathbb{R}^{3 \\times 5}$ and $x^2$, $W^{(1)}$")
    assert unbound == ["3", "5"]


def test_a_number_in_a_bound_tables_header_is_not_bound():
    table = "<!-- table: rows -->\n| layer | width at 3 |\n| --- | --- |\n| 1 | 64 |\n| 2 | 128 |\n"
    assert report(table) == ([], ["3"])


def test_percent_outside_math():
    assert bindings.mismatch(0.8914, "89.14%") is None
    assert bindings.mismatch(0.8914, "89.15%") is not None


def test_a_float_shown_as_a_whole_number_is_rounded_to_it():
    assert bindings.mismatch(0.7153, "72\\%") is None and bindings.mismatch(575.3, "575") is None
    assert bindings.mismatch(0.7153, "71\\%") is not None and bindings.mismatch(575.6, "575") is not None
    assert bindings.mismatch(575, "575.0") is None and bindings.mismatch(576, "575") is not None


def test_a_binding_right_after_a_brace():
    text = "$\\underbrace{{{ total = 1{,}216 }}}_{n}$"
    assert bindings.render(text) == "$\\underbrace{1{,}216}_{n}$"
    assert report(text)[0] == []


def test_thousands_braces_outside_math_render_as_commas():
    assert bindings.render("{{ total = 1{,}216 }} and ${{ total = 1{,}216 }}$") == "1,216 and $1{,}216$"


def test_a_thin_space_does_not_split_a_statement():
    assert report("$16 \\cdot 76 \\, 1 = {{ total = 1{,}216 }}$") == ([], [])


def test_a_literal_is_not_a_binding():
    failures, _ = report("{{ 16 = 16 }} filters")
    assert failures and "literal" in failures[0]


def test_latex_in_a_binding_outside_math_is_reported():
    failures, _ = report("a rate of {{ total = 10^{-4} }}")
    assert any("outside math" in f for f in failures)
    assert report("a rate of ${{ total = 1{,}216 }}$")[0] == []


def test_a_power_is_compared_exactly():
    assert bindings.mismatch(1e-8, "10^{-3}") is not None and bindings.mismatch(2 ** -23, "2^{-24}") is not None
    assert bindings.mismatch(1e-3, "10^{-3}") is None and bindings.mismatch(2 ** -24, "2^{-24}") is None


def test_mutation_command_can_be_limited_to_pages(capsys):
    from sitecontract import mutate
    assert mutate.main(["--list", "--page", "docs/rlhf.md"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split()[1] == "docs/rlhf.md" and lines[-1].endswith("claims in all")
    assert int(lines[0].split()[0]) == int(lines[-1].split()[0]) > 0
    with pytest.raises(SystemExit) as stop:
        mutate.main(["--list", "--page", "docs/no-such-page.md"])
    assert stop.value.code == 2 and "no claims in" in capsys.readouterr().err
