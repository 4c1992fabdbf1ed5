import math

from dlref.language_models import SCALING_EXPONENTS, compute_allocation

compute_factor = 10 ** 6
kaplan = compute_allocation(compute_factor, "kaplan")           # N ∝ C^0.73, D ∝ C^0.27
chinchilla = compute_allocation(compute_factor, "chinchilla")   # N ∝ C^0.5,  D ∝ C^0.5
a_kaplan, b_kaplan = SCALING_EXPONENTS["kaplan"]
a_chinchilla, b_chinchilla = SCALING_EXPONENTS["chinchilla"]
assert math.isclose(kaplan.model_factor * kaplan.data_factor, compute_factor)      # C ≈ 6 N D
assert (round(kaplan.log10_model, 2), round(kaplan.log10_data, 2)) == (4.38, 1.62)
assert round(kaplan.model_factor, -3) == 24_000 and round(kaplan.data_factor) == 42
assert round(chinchilla.model_factor) == round(chinchilla.data_factor) == 1_000

# The key, 10^4 and 10^2: Kaplan's split rounded to whole powers of ten.
PRINTED_X, PRINTED_Y = 10 ** 4, 10 ** 2
kaplan_rounded = (10 ** round(kaplan.log10_model), 10 ** round(kaplan.log10_data))
assert kaplan_rounded == (PRINTED_X, PRINTED_Y)
assert (round(chinchilla.model_factor), round(chinchilla.data_factor)) != (PRINTED_X, PRINTED_Y)
