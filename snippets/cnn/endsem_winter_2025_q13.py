import numpy as np

from dlref.cnn import conv2d, conv2d_parameter_count

# An example layer: a 3x3 convolution, 8 -> 8 channels, in 4 groups of 2 channels.
channels, groups, k = 8, 4, 3
per_group = channels // groups
dense = conv2d_parameter_count(channels, channels, k, bias=False)
grouped = conv2d_parameter_count(channels, channels, k, groups=groups, bias=False)
assert dense.weights == 576 and grouped.weights == 144 == 576 // 4   # G times fewer weights

rng = np.random.default_rng(0)
weight = rng.standard_normal((channels, per_group, k, k))
x = rng.standard_normal((channels, 10, 10))

# Cross-group flow: nudge one group's input channels and see which outputs move.
def outputs_moved_by(input_group):
    nudged = x.copy()
    nudged[per_group * input_group: per_group * (input_group + 1)] += 1.0
    change = np.abs(conv2d(nudged, weight, groups=groups) - conv2d(x, weight, groups=groups))
    return sorted(np.flatnonzero(change.sum(axis=(1, 2)) > 0).tolist())

reach = [outputs_moved_by(g) for g in range(groups)]
assert reach == [[0, 1], [2, 3], [4, 5], [6, 7]]   # each group talks only to itself

# Still a convolution: linear (no extra non-linearity) and shift-equivariant (spatial structure intact).
y = rng.standard_normal(x.shape)
linear = np.allclose(conv2d(2 * x + 3 * y, weight, groups=groups),
                     2 * conv2d(x, weight, groups=groups) + 3 * conv2d(y, weight, groups=groups))
shifted = np.allclose(conv2d(np.roll(x, 1, axis=2), weight, groups=groups)[:, :, 1:],
                      conv2d(x, weight, groups=groups)[:, :, :-1])
assert linear and shifted

# The options with the labels of our reading: the key letter overprints the last row's label, (d).
cross_group = all(len(r) == per_group for r in reach) and grouped.weights < dense.weights
options = {
    "a": any(set(reach[i]) & set(reach[j]) for i in range(groups) for j in range(i)),  # overlapping banks?
    "b": not linear,         # more non-linearity?
    "c": not shifted,        # spatial invariance lost?
    "d": cross_group,        # fewer parameters, no flow between groups
}
answer = [letter for letter, holds in options.items() if holds]
assert answer == ["d"]

PRINTED_KEY = "d"
assert answer == [PRINTED_KEY]

# The other reading: the OCR's labels, which call the spatial-invariance row (d) and leave (c) for
# the cross-group fragment; then the key would point at a false statement.
ocr_labels = {"a": options["a"], "b": options["b"], "c": cross_group, "d": not shifted}
ocr_answer = [letter for letter, holds in ocr_labels.items() if holds]
assert ocr_answer == ["c"] and ocr_answer != [PRINTED_KEY]
