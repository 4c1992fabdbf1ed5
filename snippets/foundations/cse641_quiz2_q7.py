import numpy as np
from torch import nn

from dlref.foundations import batch_norm_train, layer_norm

# Two sequences of d-dimensional tokens, lengths 5 and 2, padded with zero vectors into one batch.
rng = np.random.default_rng(0)
d, long_len, short_len = 4, 5, 2
long_seq = rng.standard_normal((long_len, d))
short_seq = rng.standard_normal((short_len, d))


def padded_batch(length):
    batch = np.zeros((2, length, d))
    batch[0, :long_len], batch[1, :short_len] = long_seq, short_seq
    return batch


pad_lengths = (5, 8)
batch5, batch8 = (padded_batch(length) for length in pad_lengths)

# LayerNorm: each token is normalised over its own features, so padding and batch-mates do not matter.
ln_alone = layer_norm(short_seq)
ln_change = max(np.abs(layer_norm(batch5)[1, :short_len] - ln_alone).max(),
                np.abs(layer_norm(batch8)[1, :short_len] - ln_alone).max())
# BatchNorm: statistics over all N*T positions, the padding zeros included.
bn_alone = batch_norm_train(short_seq[None])
bn_change_5 = np.abs(batch_norm_train(batch5)[1, :short_len] - bn_alone).max()
bn_change_8 = np.abs(batch_norm_train(batch8)[1, :short_len] - bn_alone).max()
assert ln_change < 1e-12 and bn_change_5 > 0.1 and bn_change_8 > 0.1

ln_params = sum(p.numel() for p in nn.LayerNorm(d).parameters())
bn_params = sum(p.numel() for p in nn.BatchNorm1d(d).parameters())

options = {
    "a": ln_change < 1e-12 < bn_change_5,  # per-token statistics: lengths and padding do not leak in
    "b": ln_params < bn_params,            # both learn a scale and a shift per feature
    "c": False,   # both compute a mean and a variance over the same N*T*d numbers, only grouped differently
    "d": False,   # transformers keep a residual connection around every sub-layer, with LayerNorm
}
answer = [letter for letter, true in options.items() if true]
assert answer == ["a"]
PRINTED_KEY = "a"
assert PRINTED_KEY in answer
