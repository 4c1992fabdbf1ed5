import numpy as np

from dlref.attention import scaled_dot_product_attention

rng = np.random.default_rng(0)
d = 4
q = rng.standard_normal(d)
keys = rng.standard_normal((5, d))
values = rng.standard_normal((5, 3))


def exp_kernel(q, k):
    """The kernel hidden in SDPA: K(q, k) = exp(q . k / sqrt(d))."""
    return np.exp(q @ k / np.sqrt(d))


def gaussian_kernel(q, k):
    """Another similarity kernel (RBF): larger when q and k are close."""
    return np.exp(-np.sum((q - k) ** 2) / 2)


def normalised(kernel):                      # option (b)
    scores = np.array([kernel(q, k) for k in keys])
    return scores / scores.sum()


# SDPA is option (b) with the exponential kernel.
sdpa_weights = scaled_dot_product_attention(q[None], keys, values).weights[0]
assert np.allclose(normalised(exp_kernel), sdpa_weights)

# Any positive kernel, normalised, gives weights that sum to 1 and a convex combination of the values.
rbf = normalised(gaussian_kernel)
assert np.isclose(rbf.sum(), 1) and np.all(rbf > 0)

unnormalised = np.array([exp_kernel(q, k) for k in keys])   # option (a)
total_unnormalised = unnormalised.sum()
assert not np.isclose(total_unnormalised, 1)               # not a distribution over the keys

options = {
    "a": bool(np.isclose(total_unnormalised, 1)),   # raw kernel values are not weights
    "b": bool(np.allclose(normalised(exp_kernel), sdpa_weights)),
    "c": "wrong: the score compares the query with the keys; values are what gets averaged",
    "d": "wrong: K(q, k_i) v_i is a term of the output, a vector, not a scalar score",
}
answer = [letter for letter, fact in options.items() if fact is True]
assert answer == ["b"]
