import itertools

from dlref.attention import self_attention_macs


def cost(l, h):
    return self_attention_macs(l, h).total          # multiply-adds, one head of width h


def same_growth(terms):
    """Is cost(l, h) = Theta(sum of l^a h^b over terms)? The ratio must stay within fixed bounds over
    lengths and widths from 2 to 2^20 in every combination."""
    sizes = [2 ** k for k in range(1, 21)]
    ratios = [cost(l, h) / sum(l ** a * h ** b for a, b in terms) for l, h in itertools.product(sizes, sizes)]
    return max(ratios) / min(ratios) < 10


# Each option as its terms (power of l, power of h). We read the garbled (a) as O(h^2 + l^2 h).
options = {"a": [(0, 2), (2, 1)], "b": [(1, 1), (2, 0)], "c": [(2, 1), (1, 2)], "d": [(3, 0)]}
verdicts = {letter: same_growth(terms) for letter, terms in options.items()}
answer = [letter for letter, right in verdicts.items() if right]
assert answer == ["c"]

# The other reading of the scan: (a) is O(l h^2 + l^2 h), the same as (c) in another order.
literal_a = [(1, 2), (2, 1)]
literal_answer = sorted(answer + ["a"]) if same_growth(literal_a) else answer
assert literal_answer == ["a", "c"]

# Where the two terms come from, for l = 1024 positions of width h = 768:
l, h = 1024, 768
parts = self_attention_macs(l, h)
assert parts.projections == 4 * l * h ** 2            # Q, K, V and output projections: l h^2
assert parts.scores + parts.weighted_sum == 2 * l ** 2 * h   # Q K^T and A V: l^2 h
