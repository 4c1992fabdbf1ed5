import numpy as np
from torch import nn

from dlref.attention import (masked_softmax, multi_head_attention_parameter_count, self_attention_macs, softmax,
                             transformer_encoder_layer_parameter_count)

# The coefficients of the formulas table, each checked against dlref (and PyTorch) on several sizes.
mask_fill = -1e6
masked_weight = masked_softmax([1.0, 2.0, 3.0], [True, True, False], fill=mask_fill)[2]
assert masked_weight == 0
assert np.allclose(softmax([1.0, 2.0, 3.0]), softmax([11.0, 12.0, 13.0]))   # adding a constant changes nothing

projection_macs, attention_macs = 4, 2           # 4 n d^2 and 2 n^2 d multiply-adds
attention_weights, attention_biases = 4, 4       # 4 d^2 + 4 d parameters
ffn_weights, layernorm_parameters = 2, 4         # + 2 d d_ff + d_ff + d (feed-forward) + 4 d (two LayerNorms)


def encoder_layer(d, d_ff):
    return (attention_weights * d**2 + attention_biases * d + ffn_weights * d * d_ff + d_ff + d
            + layernorm_parameters * d)


for n, d, h, d_ff in [(10, 64, 4, 256), (7, 48, 3, 100), (128, 512, 8, 2048)]:
    cost = self_attention_macs(n, d, num_heads=h)
    assert cost.projections == projection_macs * n * d**2
    assert cost.scores + cost.weighted_sum == attention_macs * n**2 * d
    assert multi_head_attention_parameter_count(d, h).weights == attention_weights * d**2
    assert multi_head_attention_parameter_count(d, h).biases == attention_biases * d
    assert transformer_encoder_layer_parameter_count(d, h, d_ff).total == encoder_layer(d, d_ff)
    assert sum(p.numel() for p in nn.TransformerEncoderLayer(d, h, d_ff).parameters()) == encoder_layer(d, d_ff)
