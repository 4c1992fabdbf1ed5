import numpy as np

from dlref.language_models import skipgram_forward, skipgram_loss

# The givens: vocabulary (in this order) and Table 1, one (in-vector, out-vector) per word.
vocab = ["hi", "you", "they", "are", "am", "how", "why", "there", "who", "what"]
table1 = {"hi": ((1, -1), (-2, 2)), "you": ((-1, 2), (1, -2)), "they": ((-2, -2), (2, 2)),
          "are": ((1, 1), (-1, -1)), "am": ((2, 1), (-2, -1)), "how": ((-1, -1), (1, 1)),
          "why": ((1, 2), (-1, -2)), "there": ((2, -1), (-2, 1)), "who": ((2, 2), (-2, -2)),
          "what": ((1, 1), (-1, -1))}
W_in = np.array([table1[w][0] for w in vocab])    # (V, d): row i is word i's in-vector
W_out = np.array([table1[w][1] for w in vocab])   # (V, d): row i is word i's out-vector
V, d = W_in.shape
window = ["hi", "there", "how", "are", "you"]
center = "how"
context = [w for w in window if w != center]      # two words either side of the centre
table1_rows = [(w, *table1[w]) for w in vocab]

layers = skipgram_forward(vocab.index(center), W_in, W_out)
center_index = vocab.index(center)
assert (V, d, center_index) == (10, 2, 5)
assert layers.input.tolist() == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]   # one-hot of 'how'
assert layers.hidden.tolist() == [-1, -1]                         # = in-vector of 'how'
scores = layers.scores.astype(int).tolist()
assert scores == [0, 1, -4, 2, 3, -2, 3, 1, 4, 2]                 # u_w . h for every word w
probabilities = layers.probabilities
log_Z = float(np.log(np.exp(layers.scores).sum()))
Z = float(np.exp(layers.scores).sum())
assert round(Z, 2) == 116.14 and round(log_Z, 4) == 4.7548

output_rows = [(w, table1[w][1], s, p) for w, s, p in zip(vocab, scores, probabilities)]
p_context = {w: float(probabilities[vocab.index(w)]) for w in context}
context_scores = {w: scores[vocab.index(w)] for w in context}
score_sum = sum(context_scores.values())
assert context_scores == {"hi": 0, "there": 1, "are": 2, "you": 1} and score_sum == 4

loss = skipgram_loss(center_index, [vocab.index(w) for w in context], W_in, W_out)
assert np.isclose(loss, len(context) * log_Z - score_sum)        # -sum u_c.h + |C| log Z
assert round(loss, 3) == 15.019
most_likely = vocab[int(np.argmax(probabilities))]
assert most_likely == "who"
p_who = float(probabilities[vocab.index("who")])
assert round(p_who, 4) == 0.4701
