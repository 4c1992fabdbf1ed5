from torch import nn

forward = nn.LSTM(input_size=300, hidden_size=200, bias=False)
backward = nn.LSTM(input_size=300, hidden_size=100, bias=False)   # bidirectional=True needs equal sizes
tagger = nn.Linear(300, 7, bias=False)


def count(module):
    return sum(p.numel() for p in module.parameters())


assert (count(forward), count(backward), count(tagger)) == (400_000, 160_000, 2_100)
assert count(forward) + count(backward) + count(tagger) == 562_100
