import math

import numpy as np

from dlref.language_models import causal_mask, multi_head_self_attention

# Table 1 of Q4, for the three words of the ground truth.
in_vector = {"how": (-1, -1), "are": (1, 1), "you": (-1, 2)}
out_vector = {"how": (1, 1), "are": (-1, -1), "you": (1, -2)}
sentence = ["how", "are", "you"]
heads = 2

# Embedding = concat(in, out): 4 dimensions. Query = dims 1 and 3, key = dims 2 and 4 (1-based).
X = np.array([in_vector[w] + out_vector[w] for w in sentence])    # (3, 4)
Q = X[:, [0, 2]]                                                  # (3, 2), the same for both heads
K = X[:, [1, 3]]                                                  # (3, 2)
V1 = np.array([in_vector[w] for w in sentence])                   # head 1: the in-vectors
V2 = np.array([out_vector[w] for w in sentence])                  # head 2: the out-vectors
d_k = Q.shape[1]
mask = causal_mask(len(sentence))      # True = may attend; 'are' sees 'how' and itself, not 'you'
assert X.tolist() == [[-1, -1, 1, 1], [1, 1, -1, -1], [-1, 2, 1, -2]]
assert Q.tolist() == [[-1, 1], [1, -1], [-1, 1]] and K.tolist() == [[-1, 1], [1, -1], [2, -2]]
assert mask.astype(int).tolist() == [[1, 0, 0], [1, 1, 0], [1, 1, 1]]

result = multi_head_self_attention([Q, Q], [K, K], [V1, V2], mask)
assert len(result.heads) == heads
are = sentence.index("are")
head1, head2 = result.heads
scores = head1.scores[are]                        # q_are . k_how, q_are . k_are, q_are . k_you
assert scores.tolist() == [-2, 2, 4]
scaled = head1.scaled[are]
assert np.allclose(scaled, [-math.sqrt(2), math.sqrt(2), 2 * math.sqrt(2)])
weights = head1.weights[are]                      # 'you' is masked: weight exactly 0
assert weights[2] == 0 and np.allclose(weights, head2.weights[are])
assert np.isclose(weights[0], 1 / (1 + math.exp(2 * math.sqrt(2))))
assert np.allclose(weights, [0.0558, 0.9442, 0], atol=5e-5)
head1_are = head1.output[are]                     # 0.0558 * (-1, -1) + 0.9442 * (1, 1)
head2_are = head2.output[are]
output = result.output[are]                       # concat(head 1, head 2), before W_O
assert np.allclose(output, [0.8884, 0.8884, -0.8884, -0.8884], atol=5e-5)
assert output.shape == (4,)

# The whole (3 x 3) weight matrix, drawn in the heatmap: the same for both heads (same Q and K).
all_weights = head1.weights
assert np.allclose(all_weights, head2.weights) and np.allclose(all_weights.sum(axis=1), 1)

# The paper's key, and what its rounded weights give.
PRINTED_WEIGHTS = [0.06, 0.94]
PRINTED_OUTPUT = [0.88, 0.88, -0.88, -0.88]
assert np.allclose(np.round(weights[:2], 2), PRINTED_WEIGHTS)
from_rounded = np.concatenate([np.array(PRINTED_WEIGHTS) @ V1[:2], np.array(PRINTED_WEIGHTS) @ V2[:2]])
assert np.allclose(from_rounded, PRINTED_OUTPUT)                  # 0.94 - 0.06 = 0.88
assert np.allclose(np.round(output, 2), [0.89, 0.89, -0.89, -0.89])  # unrounded weights
mask_shown = mask.astype(int)
