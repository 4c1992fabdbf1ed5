from dlref.rnn import fixed_window_lm_parameter_count

# The givens, as the question states them (no biases).
context_size, vocab_size, embedding_dim, hidden_size = 4, 50_000, 300, 50

inputs = context_size * embedding_dim              # the 4 word vectors, concatenated
hidden_weights = inputs * hidden_size
output_weights = hidden_size * vocab_size          # a score for every word of the vocabulary
embedding_weights = vocab_size * embedding_dim
assert (inputs, hidden_weights, output_weights, embedding_weights) == (1_200, 60_000, 2_500_000, 15_000_000)

# Two readings: the word vectors are given (pre-trained), or learned with the model.
given_vectors = fixed_window_lm_parameter_count(vocab_size, embedding_dim, context_size, hidden_size,
                                                learned_embeddings=False, bias=False)
learned_vectors = fixed_window_lm_parameter_count(vocab_size, embedding_dim, context_size, hidden_size,
                                                  learned_embeddings=True, bias=False)
assert given_vectors.total == hidden_weights + output_weights == 2_560_000
assert learned_vectors.total == given_vectors.total + embedding_weights == 17_560_000

PRINTED = 2_560_000                    # the key counts the hidden and output layers only
assert given_vectors.total == PRINTED and learned_vectors.total != PRINTED
