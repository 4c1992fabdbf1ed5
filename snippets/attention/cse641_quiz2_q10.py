import numpy as np

from dlref.attention import softmax

scores = [2, 0, -1]                                 # already scaled, as the question says
weights = softmax(scores)
exps = np.exp(scores)
total = exps.sum()
assert np.allclose(weights, exps / total)
rounded = tuple(round(w, 2) for w in weights)
assert rounded == (0.84, 0.11, 0.04)

options = {"a": (0.88, 0.11, 0.01), "b": (0.5, 0.3, 0.2), "c": (0.7, 0.2, 0.1), "d": (0.9, 0.05, 0.05)}
exact = [letter for letter, option in options.items() if option == rounded]
assert exact == []                                  # no option is the softmax to two decimals
distance = {letter: float(np.abs(np.array(option) - weights).max()) for letter, option in options.items()}
answer = [min(distance, key=distance.get)]          # the nearest option
assert answer == ["a"]
assert distance["a"] < 0.04 < 0.06 < distance["d"]
middle_weight_right = [letter for letter, option in options.items() if option[1] == rounded[1]]
assert middle_weight_right == ["a"]

PRINTED_OPTION_A = options["a"]
assert rounded != PRINTED_OPTION_A                  # (a) is off in its first and last weights

# No temperature T (softmax of scores / T) gives the printed numbers: their two ratios need different T.
a1, a2, a3 = PRINTED_OPTION_A
inverse_temperature_from_first_gap = np.log(a1 / a2) / (scores[0] - scores[1])
inverse_temperature_from_second_gap = np.log(a2 / a3) / (scores[1] - scores[2])
assert abs(inverse_temperature_from_first_gap - inverse_temperature_from_second_gap) > 1
