import numpy as np

from dlref.cnn import causal_conv1d, receptive_field

kernel_size, dilations = 2, (1, 2, 4, 8)      # a WaveNet-style stack
k = kernel_size
rng = np.random.default_rng(0)
weights = [rng.standard_normal(kernel_size) for _ in dilations]


def stack(x):
    for w, d in zip(weights, dilations):
        x = np.tanh(causal_conv1d(x, w, dilation=d))
    return x


field = receptive_field([kernel_size] * len(dilations), dilations=list(dilations))
r = field
assert field == 1 + (2 - 1) * (1 + 2 + 4 + 8) == 16

x = rng.standard_normal(40)
t = 25
future_changed = x.copy()
future_changed[t + 1:] = rng.standard_normal(40 - t - 1)
assert np.array_equal(stack(future_changed)[:t + 1], stack(x)[:t + 1])   # no future input reaches y[:t+1]

too_old = x.copy()
too_old[:t - field + 1] = 0.0                                       # x[t-16] and older
assert stack(too_old)[t] == stack(x)[t]                             # y[t] sees only x[t-15 .. t]

current_changed = x.copy()
current_changed[t] += 1.0
assert stack(current_changed)[t] != stack(x)[t]   # y[t] reads x[t] itself: predict x[t+1] from it
