import torch
from torch import nn


class Decoder(nn.Module):
    """A GRU decoder whose input at each step is [previous word embedding, context]."""

    def __init__(self, vocab=100, embed=32, hidden=64, attention=False):
        super().__init__()
        self.attention = attention
        self.embed = nn.Embedding(vocab, embed)
        self.cell = nn.GRUCell(embed + hidden, hidden)
        self.out = nn.Linear(hidden, vocab)

    def step(self, word, s_prev, H):
        if self.attention:                                  # C_k = sum_j softmax_j(s_{k-1} . h_j) h_j
            alpha = torch.softmax(H @ s_prev, dim=0)
            context = alpha @ H
        else:                                               # C = h_n at every step
            context = H[-1]
        return self.cell(torch.cat([self.embed(word), context])[None], s_prev[None])[0]


def count(module):
    return sum(p.numel() for p in module.parameters())


plain, attentive = Decoder(attention=False), Decoder(attention=True)
assert count(attentive) - count(plain) == 0

H, s_prev = torch.randn(7, 64), torch.randn(64)             # 7 encoder states
assert attentive.step(torch.tensor(3), s_prev, H).shape == (64,)
