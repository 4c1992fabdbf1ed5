import math

import numpy as np

from dlref.generative import central_difference, dirac_distances, kl_divergence

# P = delta_0 (real data), Q_theta = delta_theta (generated), on the support {0, theta}.
theta = 1.0
P, Q = np.array([1.0, 0.0]), np.array([0.0, 1.0])
M = (P + Q) / 2
kl_PM, kl_QM = kl_divergence(P, M), kl_divergence(Q, M)
js, w1 = dirac_distances(theta)
assert np.isclose(kl_PM, math.log(2)) and np.isclose(kl_QM, math.log(2))
assert np.isclose(js, (kl_PM + kl_QM) / 2) and np.isclose(js, math.log(2))
assert w1 == abs(theta)

# As the gap theta changes: JS is flat at ln 2 (and drops to 0 only at theta = 0); W_1 = |theta|.
thetas = [-2.0, -1.0, -0.5, 0.5, 1.0, 2.0]
rows = []
for t in thetas:
    d_js = central_difference(lambda x: dirac_distances(x)[0], t)
    d_w1 = central_difference(lambda x: dirac_distances(x)[1], t)
    rows.append((t, *dirac_distances(t), d_js, d_w1))
    assert d_js == 0 and np.isclose(d_w1, np.sign(t))
assert dirac_distances(0.0) == (0.0, 0.0)

js_at_zero = dirac_distances(0.0)[0]
js_gradient = rows[thetas.index(theta)][3]
w1_gradient = rows[thetas.index(theta)][4]
