import numpy as np
import torch

# The same two runs written with torch tensors (independently of dlref), on the same data.
rng = np.random.default_rng(0)
w_star = rng.standard_normal(2)
w_star /= np.linalg.norm(w_star)
X = rng.standard_normal((200, 2))
s = X @ w_star
t = np.where(s >= 0, 1.0, -1.0)
X = X + np.outer(np.maximum(0.25 - np.abs(s), 0.0) * t, w_star)
X, t = torch.from_numpy(X), torch.from_numpy(t)
gamma = (t * (X @ torch.from_numpy(w_star))).min()
R = X.norm(dim=1).max()


def run(margin):
    w, updates = torch.zeros(2, dtype=torch.float64), 0
    while True:
        changed = False
        for x, y in zip(X, t):
            if y * (w @ x) <= margin / 2 * w.norm():
                w, updates, changed = w + y * x, updates + 1, True
        if not changed:
            return w, updates


w_plain, mistakes = run(0.0)
w_margin, M = run(gamma)
assert mistakes <= (R / gamma) ** 2
assert M <= 8 * (R / gamma) ** 2 + 4 * R / gamma
assert (t * (X @ w_margin)).min() / w_margin.norm() > gamma / 2
