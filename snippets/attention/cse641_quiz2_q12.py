import math

from dlref.attention import self_attention_macs

d_model = 64                                     # the width is fixed; only the length n grows
long_n = 2 ** 20


def growth_exponent(cost):
    """log2 of cost(2n) / cost(n) at large n: 1 for O(n), 2 for O(n^2), 0 for O(1)."""
    return math.log2(cost(2 * long_n) / cost(long_n))


cost = self_attention_macs(long_n, d_model)
projection_matrices = cost.projections // (long_n * d_model * d_model)
attention_products = (cost.scores + cost.weighted_sum) // (long_n * long_n * d_model)
assert (projection_matrices, attention_products) == (4, 2)
attention = growth_exponent(lambda n: self_attention_macs(n, d_model).total)
assert abs(attention - 2) < 0.001

candidates = {"a": lambda n: n, "b": lambda n: n * math.log2(n), "c": lambda n: n ** 2, "d": lambda n: 1}
exponents = {letter: growth_exponent(cost) for letter, cost in candidates.items()}
options = {letter: abs(exponent - attention) < 0.01 for letter, exponent in exponents.items()}
answer = [letter for letter, right in options.items() if right]
assert answer == ["c"]

# At short lengths the projections (4 n d^2) dominate; the n^2 terms (2 n^2 d) win once n > 2d.
short, crossover = self_attention_macs(64, d_model), 2 * d_model
assert short.projections > short.scores + short.weighted_sum
at = self_attention_macs(crossover, d_model)
assert at.projections == at.scores + at.weighted_sum
