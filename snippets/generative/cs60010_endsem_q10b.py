import numpy as np

from dlref.generative import elbo_terms, kl_divergence, posterior

# Each step of the derivation, checked on a latent with four values (log p(x) is a finite sum).
prior = np.array([0.4, 0.3, 0.2, 0.1])          # Pr(z)
likelihood = np.array([0.05, 0.5, 0.2, 0.9])    # Pr(x | z, phi) for the observed x
q = np.array([0.25, 0.25, 0.25, 0.25])          # q(z | theta)
joint = prior * likelihood                       # Pr(x, z | phi)

log_evidence = np.log(joint.sum())                         # log of the integral (a sum here)
importance_form = np.log(np.sum(q * joint / q))            # multiply and divide by q(z)
elbo = np.sum(q * np.log(joint / q))                       # Jensen: log E[.] >= E[log .]
assert np.isclose(log_evidence, importance_form)
assert elbo <= log_evidence

# The bound's gap is KL(q || posterior): zero exactly when q is the posterior.
gap = log_evidence - elbo
assert np.isclose(gap, kl_divergence(q, posterior(prior, likelihood)))
tight = elbo_terms(posterior(prior, likelihood), prior, likelihood)
assert np.isclose(tight.elbo, tight.log_evidence)

# The ELBO is the same number as the VAE's loss terms: reconstruction minus KL to the prior.
terms = elbo_terms(q, prior, likelihood)
assert np.isclose(elbo, terms.elbo) and np.isclose(elbo, terms.reconstruction - terms.kl_to_prior)
