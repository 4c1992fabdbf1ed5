import torch
import torch.nn.functional as F

# rows: how, are, you; embedding = concat(in-vector, out-vector)
X = torch.tensor([[-1., -1., 1., 1.], [1., 1., -1., -1.], [-1., 2., 1., -2.]])
Q, K = X[:, [0, 2]], X[:, [1, 3]]           # dims 1, 3 -> query; dims 2, 4 -> key
V = torch.stack([X[:, :2], X[:, 2:]])        # (heads, 3, 2): in-vectors, out-vectors
Q, K = Q.expand(2, 3, 2), K.expand(2, 3, 2)  # both heads share Q and K

out = F.scaled_dot_product_attention(Q, K, V, is_causal=True)   # (heads, 3, 2), scale 1/sqrt(2)
concat = out.transpose(0, 1).reshape(3, 4)   # concat(head 1, head 2) per position
are = concat[1]
assert torch.allclose(are, torch.tensor([0.8884, 0.8884, -0.8884, -0.8884]), atol=5e-5)

# the weights themselves: softmax of the scaled scores under the same causal mask
scores = Q[0] @ K[0].T / 2 ** 0.5
weights = scores.masked_fill(~torch.ones(3, 3, dtype=torch.bool).tril(), float("-inf")).softmax(-1)
assert torch.allclose(weights[1], torch.tensor([0.0558, 0.9442, 0.0]), atol=5e-5)
