import numpy as np

from dlref.peft import (fisher_pruning_loss_change, fisher_pruning_loss_change_normalised,
                        fisher_saliency, pruning_mask, train_and_prune)

# By hand: four parameters and the diagonal of their empirical Fisher information.
theta = np.array([0.5, -2.0, 0.1, 1.0])
F = np.array([4.0, 0.1, 10.0, 1.0])
saliency = fisher_saliency(theta, F)                       # theta_i^2 F_ii
assert np.allclose(saliency, [1.0, 0.4, 0.1, 1.0])
fisher_norm = saliency.sum()                               # ||theta||_F^2
assert fisher_norm == 2.5

mask = pruning_mask(saliency, 2)                           # prune the two smallest theta^2 F
assert mask.tolist() == [1, 0, 0, 1]
delta = fisher_pruning_loss_change(theta, F, mask)         # 1/2 (0.4 + 0.1)
assert delta == 0.25
# The paper's normalised form: shares of the Fisher norm, times the norm. The same number.
shares = saliency / fisher_norm
assert np.allclose(shares, [0.4, 0.16, 0.04, 0.4])
assert fisher_pruning_loss_change_normalised(theta, F, mask) == delta
# Magnitude pruning would remove theta_3 = 0.1 and theta_1 = 0.5, and keep the unimportant -2.0.
magnitude_mask = pruning_mask(np.abs(theta), 2)
assert magnitude_mask.tolist() == [0, 1, 0, 1]
delta_magnitude = fisher_pruning_loss_change(theta, F, magnitude_mask)
assert delta_magnitude == 0.55

# A real check: a 2-4-1 tanh network trained to a minimum on noisy data, then pruned.
architecture = (2, 4, 1)                                   # inputs, tanh units, output
run = train_and_prune(hidden=architecture[1])
d = len(run.theta)
assert d == 2 * 4 + 4 + 4 * 1 + 1 == 17                    # weights and biases of both layers
assert run.gradient_norm < 1e-6                            # the first-order term vanishes
fisher_over_hessian = np.median(run.fisher_diagonal / run.hessian_diagonal)
assert 0.8 < fisher_over_hessian < 1.2                     # F_ii is close to H_ii
predicted = run.predicted["Fisher θ²F"]
measured = run.measured["Fisher θ²F"]
measured_magnitude = run.measured["magnitude |θ|"]
assert [round(v, 3) for v in predicted[1:4]] == [0.021, 0.06, 0.126]
assert [round(v, 3) for v in measured[1:4]] == [0.029, 0.086, 0.147]
# Ten of seventeen pruned: the prediction is now far off, but the Fisher order still loses far less.
assert round(predicted[10], 2) == 5.38 and round(measured[10], 2) == 3.08
assert round(measured_magnitude[10], 2) == 13.49
assert all(f <= m for f, m in zip(measured[1:], measured_magnitude[1:]))
pruning_table = [(k, predicted[k], measured[k], measured_magnitude[k]) for k in (1, 2, 3, 10)]
