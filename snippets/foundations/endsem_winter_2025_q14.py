import numpy as np

from dlref.foundations import batch_norm_eval, batch_norm_train, running_stats_update

rng = np.random.default_rng(0)
d, gamma, beta = 3, np.full(3, 2.0), np.full(3, 1.0)

# Training: 200 batches of 32 from N(0, 1); the running statistics follow them (momentum 0.1).
n_batches, batch_size, momentum = 200, 32, 0.1
running_mean, running_var = np.zeros(d), np.ones(d)
for _ in range(n_batches):
    batch = rng.standard_normal((batch_size, d))
    running_mean, running_var = running_stats_update(running_mean, running_var, batch, momentum)

# Inference on data that has drifted: N(3, 2^2).
test_mean, test_std = 3.0, 2.0
test = test_mean + test_std * rng.standard_normal((64, d))
train_mode = batch_norm_train(test, gamma, beta)                       # the batch's own statistics
eval_mode = batch_norm_eval(test, running_mean, running_var, gamma, beta)
train_mode_mean, eval_mode_mean = train_mode.mean(), eval_mode.mean()  # beta is 1: the target mean
train_mode_std, eval_mode_std = train_mode.std(), eval_mode.std()      # gamma is 2: the target spread
assert abs(train_mode_mean - 1) < 1e-9 and abs(eval_mode_mean - 7) < 0.5

# The options, each as a fact of the computation:
without_affine = batch_norm_eval(test, running_mean, running_var)
affine_used_in_eval = bool(np.allclose(eval_mode, gamma * without_affine + beta))
h = 1e-6
bumped = test.copy()
bumped[0, 0] += h
eval_slope = (batch_norm_eval(bumped, running_mean, running_var, gamma, beta)[0, 0] - eval_mode[0, 0]) / h
alone = batch_norm_eval(test[:1], running_mean, running_var, gamma, beta)
eval_uses_batch = not np.allclose(alone, eval_mode[:1])
options = {
    "a": not affine_used_in_eval,                   # gamma and beta are applied in eval mode too
    "b": bool(np.abs(running_mean - test.mean(0)).max() > 1),  # the running stats miss the test data
    "c": abs(eval_slope) < 1e-9,                    # the gradient is gamma / sqrt(v + eps), not zero
    "d": eval_uses_batch,                           # eval mode ignores the batch, the last one included
}
answer = [letter for letter, true in options.items() if true]
assert answer == ["b"]
PRINTED_KEY = "b"
assert PRINTED_KEY in answer
