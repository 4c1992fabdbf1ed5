from dlref.foundations import vc_generalization_gap, vc_sample_size

# The complexity term sqrt(VC(H)/n) of R_true <= R_emp + O(sqrt(VC(H)/n)), at a few sizes.
vc, n = 10, 1_000
gap = vc_generalization_gap(vc, n)
gap_bigger_model = vc_generalization_gap(4 * vc, n)          # (a): a larger class, same data
gap_more_data = vc_generalization_gap(vc, 4 * n)             # (d): four times the data
target = 0.1
n_needed = vc_sample_size(vc, target)                         # (c): data needed for the same gap
n_needed_double_vc = vc_sample_size(2 * vc, target)
vc_allowed, vc_allowed_4n = target ** 2 * n, target ** 2 * 4 * n  # (b): the largest VC keeping the gap at 4n

options = {
    "a": gap_bigger_model < gap,                           # larger models generalise better? the gap grows
    "b": abs(vc_allowed_4n / vc_allowed - 2) < 1e-9,       # complexity ~ sqrt(n)? it may grow like n
    "c": abs(n_needed_double_vc / n_needed - 4) < 1e-9,    # quadratic in VC? doubling VC doubles n
    "d": abs(gap_more_data / gap - 0.5) < 1e-9,            # the complexity penalty falls like 1/sqrt(n)
}
answer = [letter for letter, true in options.items() if true]
assert answer == ["d"]
assert (gap, gap_bigger_model, gap_more_data) == (0.1, 0.2, 0.05)
