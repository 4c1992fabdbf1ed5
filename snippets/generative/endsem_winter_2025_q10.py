import numpy as np

from dlref.generative import elbo_terms, kl_divergence, posterior

# A latent z with three values and one observed x: small enough that log p(x) is a finite sum.
prior = np.array([0.5, 0.3, 0.2])        # p(z)
likelihood = np.array([0.1, 0.6, 0.3])   # p(x | z) for the observed x
true_posterior = posterior(prior, likelihood)

# For every q, log p(x) = ELBO(q) + KL(q || p(z|x)): the evidence does not depend on q, so
# maximising the ELBO over q *is* minimising KL(q || posterior). That is variational inference.
rng = np.random.default_rng(0)
candidates = rng.dirichlet(np.ones(3), size=300)
terms = [elbo_terms(q, prior, likelihood) for q in candidates]
for t in terms:
    assert np.isclose(t.log_evidence, t.elbo + t.kl_to_posterior)
best_by_elbo = int(np.argmax([t.elbo for t in terms]))
best_by_kl = int(np.argmin([t.kl_to_posterior for t in terms]))
assert best_by_elbo == best_by_kl

# Read literally ("p is the prior"), minimising KL(q || p(z)) alone returns the prior and ignores x:
# it is only the regulariser inside the ELBO, not an inference method of its own.
kl_to_prior_at_prior = kl_divergence(prior, prior)
assert kl_to_prior_at_prior == 0 and not np.allclose(prior, true_posterior)

options = {
    "a": (False, "maximum likelihood maximises log p(x | parameters); no distribution q is fitted"),
    "b": (best_by_elbo == best_by_kl, "fitting q by minimising KL(q || posterior) = maximising the ELBO"),
    "c": (False, "MAP picks one point, the mode of the posterior; it fits no distribution"),
    "d": (False, "empirical Bayes fits the prior's hyper-parameters by maximising the evidence"),
}
answer = [letter for letter, (verdict, _) in options.items() if verdict]
assert answer == ["b"]
