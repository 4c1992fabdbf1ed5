import numpy as np

from dlref.rnn import GRUWeights, sigmoid

rng = np.random.default_rng(0)
n_h, n_x = 4, 3
weights = GRUWeights(*(rng.standard_normal((n_h, n_h + n_x)) for _ in range(3)),
                     *(rng.standard_normal(n_h) for _ in range(3)))
h_prev, x = rng.standard_normal(n_h), rng.standard_normal(n_x)
joint = np.concatenate([h_prev, x])

# Gate *values* come from a matrix product and a sigmoid ...
z = sigmoid(weights.W_z @ joint + weights.b_z)
r = sigmoid(weights.W_r @ joint + weights.b_r)
candidate = np.tanh(weights.W_h @ np.concatenate([r * h_prev, x]) + weights.b_h)


# ... but the gating itself multiplies element by element: unit j uses only z_j (and r_j).
def new_state(z):
    return (1 - z) * candidate + z * h_prev


jacobian = np.array([(new_state(z + 1e-6 * e) - new_state(z)) / 1e-6 for e in np.eye(n_h)]).T
assert np.allclose(jacobian, np.diag(h_prev - candidate), atol=1e-5)   # diagonal: a Hadamard product

is_diagonal = np.allclose(jacobian, np.diag(np.diag(jacobian)), atol=1e-5)

# Each option: does it implement the gating h_t = (1 - z) * h~ + z * h_{t-1} (and r * h_{t-1})?
options = {
    "a": False,            # addition mixes the two paths but cannot scale one by the gate
    "b": not is_diagonal,  # a matrix product would let unit j's gate touch other units
    "c": is_diagonal,      # element-wise: unit j is scaled by z_j alone
    "d": False,            # no sliding kernel anywhere in the cell
}
answer = [letter for letter, right in options.items() if right]
assert answer == ["c"]

PRINTED_KEY = "c"
assert answer == [PRINTED_KEY]
