import numpy as np

from dlref.language_models import top_k_filter, top_p_filter

# The paper's figure is lost: our distribution over a vocabulary of 10 ("The cat sat on the ...").
tokens = ["mat", "floor", "sofa", "bed", "chair", "roof", "table", "grass", "moon", "idea"]
probs = np.array([0.30, 0.20, 0.15, 0.10, 0.08, 0.06, 0.05, 0.03, 0.02, 0.01])
vocab_size, k, p = len(tokens), 5, 0.6
assert vocab_size == 10 and np.isclose(probs.sum(), 1)

top_k = top_k_filter(probs, k)
top_p = top_p_filter(probs, p)
kept_k = [t for t, q in zip(tokens, top_k) if q > 0]
kept_p = [t for t, q in zip(tokens, top_p) if q > 0]
assert kept_k == ["mat", "floor", "sofa", "bed", "chair"] and kept_p == ["mat", "floor", "sofa"]

mass_k = float(probs[:k].sum())                # the mass of the five kept tokens
cumulative = np.cumsum(probs)                  # 0.30, 0.50, 0.65: the first prefix with mass >= p
mass_p = float(cumulative[len(kept_p) - 1])
assert np.isclose(mass_k, 0.83) and np.isclose(mass_p, 0.65) and cumulative[len(kept_p) - 2] < p
assert np.allclose(top_k[:k], probs[:k] / 0.83) and np.allclose(top_p[:3], probs[:3] / 0.65)
assert np.allclose(top_k, [0.3614, 0.2410, 0.1807, 0.1205, 0.0964, 0, 0, 0, 0, 0], atol=5e-5)
assert np.allclose(top_p, [0.4615, 0.3077, 0.2308, 0, 0, 0, 0, 0, 0, 0], atol=5e-5)

rows = [(t, q, a, b) for t, q, a, b in zip(tokens, probs, top_k, top_p)]
distribution = list(zip(tokens, probs))
table_rows = [("p", *probs), ("top-k", *top_k), ("top-p", *top_p)]
