import numpy as np

# The least-squares derivation in the scan, for scalar targets y and predictions f (sigma = 1):
#   line 2: -sum( log(1/sqrt(2 pi)) - (y - f)^2 / 2 )
#   line 3 as scanned: -sum( (y - f)^2 / 2 )        (a minus sign is missing inside the sum)
#   line 4: sum( (y - f)^2 )
y = np.array([0.3, -1.2, 2.0])
candidates = np.linspace(-3, 3, 601)                  # one shared prediction f, on a grid


def line2(f):
    return -np.sum(np.log(1 / np.sqrt(2 * np.pi)) - (y - f) ** 2 / 2)


def line3_scanned(f):
    return -np.sum((y - f) ** 2 / 2)


def line4(f):
    return np.sum((y - f) ** 2)


best = {name: candidates[np.argmin([line(f) for f in candidates])]
        for name, line in (("line2", line2), ("line3", line3_scanned), ("line4", line4))}
assert np.isclose(best["line2"], y.mean(), atol=0.01) and np.isclose(best["line4"], y.mean(), atol=0.01)
assert best["line3"] != best["line2"]      # as scanned, line 3 would pick the worst fit, at the grid's edge
