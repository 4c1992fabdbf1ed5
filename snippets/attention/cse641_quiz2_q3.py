import numpy as np

from dlref.attention import multi_head_attention, self_attention_macs

# Three tokens whose 4 features form two "subspaces": features 0-1 (say, syntax) and 2-3 (say, meaning).
X = np.array([[3.0, 0.0, 0.0, 3.0],     # token 0: the query
              [3.0, 0.0, 0.0, 0.0],     # token 1 agrees with it in the first subspace
              [0.0, 0.0, 0.0, 3.0]])    # token 2 agrees with it in the second subspace
first, second = np.eye(4)[:, :2], np.eye(4)[:, 2:]   # each head projects onto one subspace (4 x 2)
two_heads = multi_head_attention(X, X, X, W_Q=[first, second], W_K=[first, second], W_V=[first, second])
query = 0
looks_at = [int(np.argmax(head.weights[query, 1:])) + 1 for head in two_heads.heads]
assert looks_at == [1, 2]                 # head 1 reads token 1, head 2 reads token 2, at the same time

# One head over the whole space mixes both into a single distribution over the tokens.
one_head = multi_head_attention(X, X, X, W_Q=[np.eye(4)], W_K=[np.eye(4)], W_V=[np.eye(4)])
assert np.isclose(one_head.heads[0].weights[query, 1], one_head.heads[0].weights[query, 2])

# (a): h heads of width d/h cost what one head of width d costs.
same_cost = self_attention_macs(128, 512, num_heads=8) == self_attention_macs(128, 512, num_heads=1)
assert same_cost

options = {
    "a": not same_cost,                                  # it does not reduce the cost
    "b": looks_at == [1, 2],                             # different subspaces, simultaneously
    "c": "wrong: every transformer layer keeps its feed-forward network after the attention",
    "d": "wrong: that is attention itself (single-head too), not what several heads add",
}
answer = [letter for letter, fact in options.items() if fact is True]
assert answer == ["b"]
