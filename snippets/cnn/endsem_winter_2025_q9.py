import numpy as np

from dlref.cnn import residual_input_gradient

# A small residual block y = F(x) + x with F(x) = W2 tanh(W1 x); L = v . y for a fixed v.
rng = np.random.default_rng(0)
n = 4
w1, w2 = rng.standard_normal((n, n)), rng.standard_normal((n, n))
x, upstream = rng.standard_normal(n), rng.standard_normal(n)   # upstream = dL/dy = v
jacobian_f = w2 @ np.diag(1 - np.tanh(w1 @ x) ** 2) @ w1        # dF/dx

grad_x = residual_input_gradient(upstream, jacobian_f)         # (I + dF/dx)^T dL/dy

# In one dimension: dL/dy = 2 and dF/dx = 0.5 give dL/dx = 2 * (1 + 0.5)
dL_dy, dF_dx = 2.0, 0.5
dL_dx = residual_input_gradient([dL_dy], [[dF_dx]])
assert dL_dx == 2.0 * (1 + 0.5) == 3.0

# The options as we reconstruct them (see the note); dL/dF(x) = dL/dy because dy/dF = I.
options = {
    "a": upstream,                              # dL/dy: the skip path only
    "b": None,                                  # dL/dF(x) + dL/dx: the unknown on both sides, no formula
    "c": upstream + jacobian_f.T @ upstream,    # dL/dy (1 + dF/dx)
    "d": 2 * upstream,                          # dL/dF(x) + dL/d(F(x)): the same path counted twice
}

# Finite differences of L(x) = v . (F(x) + x), an independent check in NumPy
def loss(x):
    return upstream @ (w2 @ np.tanh(w1 @ x) + x)

step = 1e-6
numeric = np.array([(loss(x + step * e) - loss(x - step * e)) / (2 * step) for e in np.eye(n)])
assert np.allclose(grad_x, numeric, atol=1e-6)

answer = [letter for letter, value in options.items()
          if value is not None and np.allclose(value, numeric, atol=1e-6)]
assert answer == ["c"]

# The letter "B" printed between Q9 and Q10: wrong if it is Q9's key; Q10's right option is (b).
PRINTED_KEY = "b"
assert answer != [PRINTED_KEY]
q10_answer = ["b"]   # Q10: minimising KL(q || p) over an approximate posterior q is variational inference
