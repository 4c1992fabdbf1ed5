import torch
from torch import nn

from dlref.language_models import SCALING_EXPONENTS, t5_parameter_count, vit_input_parameter_count

# T5-Large's configuration: the symbols of the T5 rows, evaluated on it.
d_model, d_ff, h, d_kv, layers = 1024, 4096, 16, 64, 24
t5 = t5_parameter_count(d_model, d_ff, layers, num_heads=h, d_kv=d_kv)
P_enc = (t5.encoder_self_attention + t5.encoder_ffn) // layers + 2 * d_model   # one encoder layer, two norms
P_dec = (t5.decoder_self_attention + t5.decoder_cross_attention + t5.decoder_ffn) // layers + 3 * d_model

# PyTorch counts the same layers (no biases; each LayerNorm(bias=False) is a scale vector of d_model).
with torch.device("meta"):
    encoder_layer = nn.TransformerEncoderLayer(d_model, h, d_ff, bias=False)
    decoder_layer = nn.TransformerDecoderLayer(d_model, h, d_ff, bias=False)
assert P_enc == sum(p.numel() for p in encoder_layer.parameters()) == 12_584_960
assert P_dec == sum(p.numel() for p in decoder_layer.parameters()) == 16_780_288

# ViT-Base/16 on 224 x 224 RGB: the symbols of the ViT row.
H = W = 224
P, C, d = 16, 3, 768
vit = vit_input_parameter_count((H, W), P, C, d)
N, P_patch, P_pos = vit.num_patches, vit.patch_weights, vit.positional
assert (N, P_patch, P_pos) == (196, 589_824, 151_296)

kaplan_a, chinchilla_a = SCALING_EXPONENTS["kaplan"][0], SCALING_EXPONENTS["chinchilla"][0]
training_flops_per_parameter_token = 6          # C ≈ 6 N D: forward 2, backward 4
assert (kaplan_a, chinchilla_a) == (0.73, 0.5)
