import torch
from torch import nn

head = nn.Linear(768, 5)                        # logits = W h_[CLS] + b
assert head.weight.numel() == 3_840 and head.bias.numel() == 5


def count(module):
    return sum(p.numel() for p in module.parameters())


# BERT-base rebuilt from PyTorch modules: embeddings, 12 encoder layers, pooler.
d = 768
embeddings = nn.ModuleList([nn.Embedding(30_522, d), nn.Embedding(512, d), nn.Embedding(2, d), nn.LayerNorm(d)])
layer = nn.TransformerEncoderLayer(d_model=d, nhead=12, dim_feedforward=3_072)
pooler = nn.Linear(d, d)
total = count(embeddings) + 12 * count(layer) + count(pooler)
assert count(layer) == 7_087_872
assert total == 109_482_240
