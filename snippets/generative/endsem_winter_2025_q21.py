from dlref.generative import gan_generator_gradients, gan_generator_logit_gradients, gan_generator_losses

# A generated sample that the discriminator confidently rejects: p = D(G(z)) near zero.
p = 0.01
losses = gan_generator_losses(p)
L_mm, L_ns, L_LS, L_W = (losses[name] for name in ("minimax", "non-saturating", "LSGAN", "Wasserstein"))
gradients = gan_generator_gradients(p)   # dL/dp
g_mm, g_ns, g_LS, g_W = (gradients[name] for name in ("minimax", "non-saturating", "LSGAN", "Wasserstein"))

# |dL/dp| as p -> 0: only the non-saturating loss grows (like 1/p); the others stay bounded.
probabilities = (0.1, 0.01, 0.001)
rows = [(q, *(abs(gan_generator_gradients(q)[name]) for name in ("minimax", "non-saturating", "LSGAN", "Wasserstein")))
        for q in probabilities]
limits = {"minimax": 1.0, "LSGAN": 2.0, "Wasserstein": 1.0}   # |dL/dp| at p = 0 for the bounded ones
for name, limit in limits.items():
    assert abs(abs(gan_generator_gradients(1e-9)[name]) - limit) < 1e-6
assert abs(gan_generator_gradients(1e-9)["non-saturating"]) > 1e8

options = {"a": abs(g_mm), "b": abs(g_ns), "c": abs(g_LS), "d": abs(g_W)}
answer = [letter for letter, size in options.items() if size == max(options.values())]
assert answer == ["b"]

# Through the discriminator's sigmoid, p = sigmoid(a), the minimax gradient vanishes instead.
logit_gradients = gan_generator_logit_gradients(p)
sigmoid_slope = logit_gradients["minimax"] / g_mm   # dp/da
assert abs(logit_gradients["minimax"]) < 0.02 < 0.98 < abs(logit_gradients["non-saturating"])

PRINTED_KEY = "b"
assert PRINTED_KEY in answer
