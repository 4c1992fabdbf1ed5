from dlref.rnn import fixed_window_lm_parameter_count

given_vectors = fixed_window_lm_parameter_count(vocab_size=50_000, embedding_dim=300, context_size=4,
                                                hidden_size=50, learned_embeddings=False, bias=False)
assert given_vectors.total == 4 * 300 * 50 + 50 * 50_000 == 2_560_000

learned_vectors = fixed_window_lm_parameter_count(50_000, 300, 4, 50, learned_embeddings=True, bias=False)
assert learned_vectors.total == 50_000 * 300 + 2_560_000 == 17_560_000

PRINTED = 2_560_000                    # the key counts the hidden and output layers only
assert given_vectors.total == PRINTED
