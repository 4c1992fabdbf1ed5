import torch
import torch.nn.functional as F
from torch import nn

vocab = ["hi", "you", "they", "are", "am", "how", "why", "there", "who", "what"]
in_vectors = [(1, -1), (-1, 2), (-2, -2), (1, 1), (2, 1), (-1, -1), (1, 2), (2, -1), (2, 2), (1, 1)]
out_vectors = [(-2, 2), (1, -2), (2, 2), (-1, -1), (-2, -1), (1, 1), (-1, -2), (-2, 1), (-2, -2), (-1, -1)]

embed_in = nn.Embedding(10, 2)                 # the input -> hidden weights (rows: in-vectors)
output_layer = nn.Linear(2, 10, bias=False)    # the hidden -> output weights (rows: out-vectors)
with torch.no_grad():
    embed_in.weight.copy_(torch.tensor(in_vectors, dtype=torch.float64).float())
    output_layer.weight.copy_(torch.tensor(out_vectors).float())

center = torch.tensor([vocab.index("how")])
context = torch.tensor([vocab.index(w) for w in ("hi", "there", "are", "you")])
hidden = embed_in(center)                       # (1, 2)
logits = output_layer(hidden)                   # (1, 10)
assert hidden.tolist() == [[-1.0, -1.0]]
assert logits.tolist() == [[0.0, 1.0, -4.0, 2.0, 3.0, -2.0, 3.0, 1.0, 4.0, 2.0]]

# one cross-entropy term per context word, summed: the loss of the window
loss = F.cross_entropy(logits.expand(4, -1), context, reduction="sum")
assert abs(loss.item() - 15.019) < 5e-4
probabilities = logits.softmax(dim=-1)[0]
assert abs(probabilities[vocab.index("who")].item() - 0.4701) < 5e-5
