import numpy as np

from dlref.attention import causal_mask, masked_softmax, softmax

# Scores of the third query of a decoder over four positions; position 4 is in the future.
scores = np.array([2.0, 1.0, 3.0, 5.0])
mask = causal_mask(4)[2]                          # query 3 may see positions 1-3 only
assert mask.tolist() == [True, True, True, False]
fill = -1e6                                       # "a large negative value", as the question says

weights = masked_softmax(scores, mask, fill=fill)
masked_weight = weights[3]
assert masked_weight == 0.0                       # exp(-1e6 - 3) underflows to exactly 0 in float64
assert np.allclose(weights[:3], softmax(scores[:3]))   # as if the future position did not exist
unmasked_weight = softmax(scores)[3]
assert unmasked_weight > 0.8                      # without the mask the future would dominate

# The softmax's denominator is at least 1 after subtracting the max, mask or no mask.
denominator = np.exp(scores - scores.max()).sum()                  # without the mask
masked_scores = np.where(mask, scores, fill)
masked_denominator = np.exp(masked_scores - masked_scores.max()).sum()   # with it
assert denominator >= 1 and masked_denominator >= 1
same_work = masked_softmax(scores, mask, fill=fill).size == softmax(scores).size

options = {
    "a": bool(masked_weight > weights[:3].max()),   # masked positions get the least weight, not the most
    "b": not same_work,                             # the same exponentials are computed
    "c": bool(min(denominator, masked_denominator) < 1),                     # there is no division by zero to avoid
    "d": bool(masked_weight < 1e-300),
}
answer = [letter for letter, fact in options.items() if fact]
assert answer == ["d"]
