import numpy as np

from dlref.foundations import linear_loss_gradient, perceptron_update

LABELS = (0, 1)   # y_hat = 1[w.x > 0] Four points: two mistakes, one correct with a small
# score, one correct with a large one.
w = np.array([0.5, -1.0])
points = [(np.array([1.0, 2.0]), 1),    # score -1.5, predicted 0: a mistake
          (np.array([2.0, 0.5]), 1),    # score 0.5, right but close to the boundary
          (np.array([-1.0, 1.0]), 0),   # score -1.5, right
          (np.array([2.0, -1.0]), 0)]   # score 2.0, predicted 1: a mistake
updates = [perceptron_update(w, x, y, lr=1.0) for x, y in points]
assert [bool(np.any(u)) for u in updates] == [True, False, False, True]


def descends(loss, **kwargs):
    """Is the update the negative (sub)gradient step of `loss` at every point?"""
    return all(np.allclose(-linear_loss_gradient(loss, w, x, y, **kwargs), u) for (x, y), u in zip(points, updates))


options = {
    "a": descends("hinge"),           # max(0, -t w.x), the hinge at margin zero (perceptron criterion)
    "b": descends("zero_one"),        # piecewise constant: its gradient is zero, no step at all
    "c": descends("cross_entropy"),   # (y - sigma(w.x)) x: a step on every point, never zero
    "d": descends("squared"),         # (y - w.x) x: the LMS / delta rule on the raw score
}
answer = [letter for letter, true in options.items() if true]
assert answer == ["a"]
hinge_margin_one = descends("hinge", margin=1.0)   # updates the second point too: the margin perceptron
assert not hinge_margin_one

# The other reading: "minimising" as "driving the number of mistakes down". The rule updates exactly
# when the 0-1 loss is 1, and stops when the training 0-1 loss is zero (on separable data).
updates_exactly_on_mistakes = all(bool(np.any(u)) == (y != float(w @ x > 0)) for (x, y), u in zip(points, updates))
reading_subgradient, reading_mistakes = answer, ["b"]
PRINTED_KEY = "b"
assert PRINTED_KEY not in reading_subgradient and PRINTED_KEY in reading_mistakes and updates_exactly_on_mistakes
