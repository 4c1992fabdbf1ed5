import numpy as np
import torch
from torch import nn

from dlref.attention import multi_head_attention

# What does nn.MultiheadAttention return? Call it and look.
torch.manual_seed(0)
d_model, h, n = 8, 2, 5
mha = nn.MultiheadAttention(d_model, h, bias=False, batch_first=True)
x = torch.randn(1, n, d_model)
returned = mha(x, x, x)
assert isinstance(returned, tuple) and len(returned) == 2
attn_output, attn_weights = returned
assert attn_output.shape == (1, n, d_model)       # the output tensor, after the projection W^O
assert attn_weights.shape == (1, n, n)            # attention weights, averaged over the heads

# The same two things from the formulas (dlref), with the module's own weights.
W_q, W_k, W_v = (w.T.double().numpy() for w in mha.in_proj_weight.detach().chunk(3))
d_k = d_model // h
heads = [slice(d_k * i, d_k * (i + 1)) for i in range(h)]
steps = multi_head_attention(x[0].double().numpy(), x[0].double().numpy(), x[0].double().numpy(),
                             W_Q=[W_q[:, c] for c in heads], W_K=[W_k[:, c] for c in heads],
                             W_V=[W_v[:, c] for c in heads], W_O=mha.out_proj.weight.detach().T.double().numpy())
assert np.allclose(steps.output, attn_output[0].detach().numpy(), atol=1e-5)
mean_weights = np.mean([head.weights for head in steps.heads], axis=0)
assert np.allclose(mean_weights, attn_weights[0].detach().numpy(), atol=1e-6)
rows_sum_to_one = bool(np.allclose(attn_weights.sum(-1).detach().numpy(), 1, atol=1e-6))
assert rows_sum_to_one

options = {
    "a": len(returned) == 1,                                     # not the scores only
    "b": "wrong as worded: the first item is the projected output, not the heads' attention outputs",
    "c": attn_output.shape == x.shape and attn_weights.shape == (1, n, n),
    "d": "wrong: nn.MultiheadAttention keeps no key-value cache",
}
answer = [letter for letter, fact in options.items() if fact is True]
assert answer == ["c"]
# Read loosely, (b) names the same pair: the weights returned are softmax probabilities.
loose_reading_answer = ["b", "c"] if rows_sum_to_one else answer
