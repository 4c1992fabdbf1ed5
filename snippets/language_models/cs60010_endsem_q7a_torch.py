import torch
from torch import nn

with torch.device("meta"):          # shapes only: no 3 GB of weights are allocated
    # T5's layers are PyTorch's without biases: bias=False also drops the LayerNorm shift, leaving
    # one scale vector per norm, as in T5's RMS norm. Each stack ends with a norm.
    layer = dict(d_model=1024, nhead=16, dim_feedforward=4096, bias=False, batch_first=True)
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(**layer), num_layers=24,
                                    norm=nn.LayerNorm(1024, bias=False), enable_nested_tensor=False)
    decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(**layer), num_layers=24,
                                    norm=nn.LayerNorm(1024, bias=False))
    shared = nn.Embedding(32_128, 1024)                       # tied with the output layer
    relative_bias = nn.ModuleList([nn.Embedding(32, 16), nn.Embedding(32, 16)])   # encoder, decoder
    untied_head = nn.Linear(1024, 32_128, bias=False)

def count(module):
    return sum(p.numel() for p in module.parameters())

assert count(encoder.layers[0]) == 4 * 1024**2 + 2 * 1024 * 4096 + 2 * 1024
assert count(decoder.layers[0]) == 8 * 1024**2 + 2 * 1024 * 4096 + 3 * 1024
total = count(encoder) + count(decoder) + count(shared) + count(relative_bias)
assert total == 737_668_096
assert total + count(untied_head) == 770_567_168
