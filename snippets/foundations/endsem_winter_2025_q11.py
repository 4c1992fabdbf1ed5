import numpy as np

from dlref.foundations import (margin_perceptron_update_bound, perceptron_mistake_bound, separable_data,
                               train_perceptron)

# Separable data: 200 points in the plane, unit separator w*, margin exactly gamma.
X, t, w_star = separable_data(n=200, d=2, gamma=0.25, seed=0)
gamma = float(np.min(t * (X @ w_star)))
R = float(np.linalg.norm(X, axis=1).max())

w_plain, mistakes = train_perceptron(X, t)                    # update when t w.x <= 0
w_margin, M = train_perceptron(X, t, margin=gamma)            # update when t w.x <= (gamma/2)||w||
plain_bound = perceptron_mistake_bound(R, gamma)              # (R/gamma)^2
bound = margin_perceptron_update_bound(R, gamma)              # 8 (R/gamma)^2 + 4 R/gamma
assert mistakes <= plain_bound and M <= bound


def normalised_margin(w):
    return float(np.min(t * (X @ w)) / np.linalg.norm(w))


plain_margin, margin_margin = normalised_margin(w_plain), normalised_margin(w_margin)
assert margin_margin > gamma / 2          # what the extra updates buy: a margin of at least gamma/2

ratio = R / gamma
printed = {"a": r"(R/\gamma)^2", "b": r"4(R/\gamma)^2",
           "c": r"8(R/\gamma)^2 + 4(R/\gamma)", "d": r"2(R/\gamma)^2 + 4(R/\gamma)"}
options = {"a": ratio ** 2, "b": 4 * ratio ** 2, "c": 8 * ratio ** 2 + 4 * ratio, "d": 2 * ratio ** 2 + 4 * ratio}
answer = [letter for letter, value in options.items() if value == bound]
assert answer == ["c"]
STRAY_LETTER = "b"     # a "B" inside the garbled question line; perhaps a key, perhaps "Then"
