import numpy as np

from dlref.foundations import clip_grad_by_norm, global_grad_norm

# A gradient of norm 5 and a threshold of 1 (any example with ||g|| > threshold shows the difference).
g = np.array([3.0, -4.0])
threshold = 1.0
norm = global_grad_norm([g])
clipped = clip_grad_by_norm([g], max_norm=threshold)[0]
assert norm == 5.0 and np.allclose(clipped, [0.6, -0.8])
clipped_norm = global_grad_norm([clipped])

# Each option applied to g:
options = {
    "a": g ** 2 + threshold,                  # squares the gradient: magnitude grows, signs are lost
    "b": np.clip(g, -threshold, threshold),   # clipping by *value*, element by element
    "c": threshold * g / norm,                # clipping by norm
    "d": np.maximum(g, 0.0),                  # ReLU: drops the negative components
}
answer = [letter for letter, value in options.items() if np.allclose(value, clipped)]
assert answer == ["c"]
# Value clipping changes the direction; norm clipping keeps it.
cosine_b = float(options["b"] @ g / (np.linalg.norm(options["b"]) * norm))
assert cosine_b < 0.99
PRINTED_KEY = "c"
assert PRINTED_KEY in answer
