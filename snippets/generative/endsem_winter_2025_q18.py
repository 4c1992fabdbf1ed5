import numpy as np

from dlref.generative import elbo_terms

# One worked model: a latent with three values, one observed x, and an encoder q that is not the posterior.
prior = np.array([0.5, 0.3, 0.2])        # p(z)
likelihood = np.array([0.1, 0.6, 0.3])   # p(x | z)
q = np.array([0.2, 0.5, 0.3])            # q(z | x)
example = elbo_terms(q, prior, likelihood)
gap = example.log_evidence - example.elbo
assert np.isclose(gap, example.kl_to_posterior) and gap > 0

# Each option's right-hand side, tested as an identity on 200 random models and encoders.
right_hand_sides = {
    "a": lambda t: t.reconstruction + t.kl_to_prior,
    "b": lambda t: t.elbo,                                   # E_q[log p(x,z)] - E_q[log q(z|x)]
    "c": lambda t: t.log_importance_weight,                  # log E_q[p(x,z) / q(z|x)]
    "d": lambda t: t.reconstruction - t.kl_to_prior + t.kl_to_posterior,
}
rng = np.random.default_rng(1)
models = [elbo_terms(rng.dirichlet(np.ones(4)), rng.dirichlet(np.ones(4)), rng.uniform(0.05, 1.0, 4))
          for _ in range(200)]


def is_identity(rhs) -> bool:
    return all(np.isclose(rhs(t), t.log_evidence) for t in models)


options = {letter: is_identity(rhs) for letter, rhs in right_hand_sides.items()}
answer = [letter for letter, holds in options.items() if holds]
assert answer == ["c", "d"]

# (b) is the ELBO: a lower bound, equal only when q is the posterior.
assert all(t.elbo < t.log_evidence for t in models)

# The scan cuts (d) off after its first KL. Read as the ELBO alone, (d) is no identity and only (c) is.
d_as_elbo_only = is_identity(lambda t: t.reconstruction - t.kl_to_prior)
assert not d_as_elbo_only
answer_if_d_is_elbo_only = [letter for letter in "abc" if options[letter]]
assert answer_if_d_is_elbo_only == ["c"]

PRINTED_KEY = "d"   # "10 D" under the question
assert PRINTED_KEY in answer

# The two options the unclear scan's readings turn on.
elbo_plus_gap, importance_sampling = "d", "c"
assert options[elbo_plus_gap] and options[importance_sampling]
