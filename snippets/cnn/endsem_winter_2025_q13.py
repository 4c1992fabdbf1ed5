import numpy as np

from dlref.cnn import conv2d, conv2d_parameter_count

channels, groups = 8, 4
dense = conv2d_parameter_count(channels, channels, 3, bias=False)
grouped = conv2d_parameter_count(channels, channels, 3, groups=groups, bias=False)
assert dense.weights == 576 and grouped.weights == 144 == 576 // 4   # G times fewer weights

rng = np.random.default_rng(0)
weight = rng.standard_normal((channels, channels // groups, 3, 3))
x = rng.standard_normal((channels, 10, 10))

# Cross-group flow: nudge one group's input channels and see which outputs move.
def outputs_moved_by(input_group):
    nudged = x.copy()
    nudged[2 * input_group: 2 * input_group + 2] += 1.0
    change = np.abs(conv2d(nudged, weight, groups=groups) - conv2d(x, weight, groups=groups))
    return set(np.flatnonzero(change.sum(axis=(1, 2)) > 0).tolist())

reach = [outputs_moved_by(g) for g in range(groups)]
assert reach == [{0, 1}, {2, 3}, {4, 5}, {6, 7}]   # each group talks only to itself

# Still a convolution: linear (no extra non-linearity) and shift-equivariant (spatial structure intact).
y = rng.standard_normal(x.shape)
linear = np.allclose(conv2d(2 * x + 3 * y, weight, groups=groups),
                     2 * conv2d(x, weight, groups=groups) + 3 * conv2d(y, weight, groups=groups))
shifted = np.allclose(conv2d(np.roll(x, 1, axis=2), weight, groups=groups)[:, :, 1:],
                      conv2d(x, weight, groups=groups)[:, :, :-1])
assert linear and shifted

options = {
    "a": any(reach[i] & reach[j] for i in range(groups) for j in range(i)),  # overlapping banks?
    "b": not linear,         # more non-linearity?
    "c": all(len(r) == channels // groups for r in reach) and grouped.weights < dense.weights,
    "d": not shifted,        # spatial invariance lost?
}
answer = [letter for letter, holds in options.items() if holds]
assert answer == ["c"]

PRINTED_KEY = "d"
assert answer != [PRINTED_KEY]
