import numpy as np

from dlref.rnn import sigmoid

rng = np.random.default_rng(0)
n_h, n_x = 4, 3
h_prev, x, c = rng.standard_normal(n_h), rng.standard_normal(n_x), rng.standard_normal(n_h)
W = rng.standard_normal((n_h, n_h + n_x))
W_h, W_x, W_c = W[:, :n_h], W[:, n_h:], rng.standard_normal((n_h, n_h))


def softmax(z):
    return np.exp(z - z.max()) / np.exp(z - z.max()).sum()


# Each option's forget gate as a function of (h_{t-1}, x_t) -- what the gate can see and output.
# (In (b) and (c) the gate reads c_t, which is not computed yet: we feed it the previous cell state.)
forget_gate = {
    "a": lambda h, x: sigmoid(W @ np.concatenate([h, x])),
    "b": lambda h, x: np.tanh(W_c @ c),
    "c": lambda h, x: sigmoid(W_x @ x),
    "d": lambda h, x: softmax(W @ np.concatenate([h, x])),
}


def is_a_gate(gate):
    """A gate is a per-unit valve: values in [0, 1], each unit free of the others, and it reads
    both the previous hidden state and the current input."""
    value = gate(h_prev, x)
    in_range = np.all((value >= 0) & (value <= 1))
    independent_units = not np.isclose(value.sum(), 1.0)          # softmax ties the units together
    reads_h = not np.allclose(gate(h_prev + 1.0, x), value)
    reads_x = not np.allclose(gate(h_prev, x + 1.0), value)
    return bool(in_range and independent_units and reads_h and reads_x)


options = {letter: is_a_gate(gate) for letter, gate in forget_gate.items()}   # letter -> is it a gate?
answer = [letter for letter, right in options.items() if right]
assert answer == ["a"]

PRINTED_KEY = "a"
assert answer == [PRINTED_KEY]
