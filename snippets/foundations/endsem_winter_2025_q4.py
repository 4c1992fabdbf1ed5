import numpy as np

from dlref.foundations import shallow_network_fit_error

# One hidden layer, growing width, fitted to a continuous target on [0, 1]: does the sup error go to 0?
def target(x):
    return np.sin(2 * np.pi * x)


widths = [4, 16, 64]
errors = {act: [shallow_network_fit_error(target, act, w) for w in widths] for act in ("relu", "step", "square")}
approximates = {act: e[-1] < 0.05 and e[-1] < e[0] for act, e in errors.items()}
assert approximates == {"relu": True, "step": True, "square": False}
rows = [(act, *errors[act]) for act in ("relu", "step", "square")]
square_is_stuck = bool(np.ptp(errors["square"]) < 1e-9)   # any width: still a quadratic polynomial

options = {
    "a": not approximates["relu"],    # ReLU is not a polynomial: universal
    "b": False,                       # one hidden layer of unbounded width is the theorem's own setting
    "c": not approximates["square"],  # a polynomial activation: every width gives a polynomial of fixed degree
    "d": not approximates["step"],    # step units take two values, yet their sums approximate any continuous f
}
answer = [letter for letter, violates in options.items() if violates]
assert answer == ["c"] and square_is_stuck
