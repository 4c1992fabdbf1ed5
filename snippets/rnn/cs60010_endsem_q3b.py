from dlref.cnn import dense_parameter_count
from dlref.rnn import lstm_parameter_count

# The givens, as the question states them (no biases).
entity_types, embedding_dim, forward_hidden, backward_hidden = 3, 300, 200, 100

tags = entity_types * 2 + 1                        # B- and I- for PER, LOC, ORG, plus O
assert tags == 7

forward = lstm_parameter_count(input_size=embedding_dim, hidden_size=forward_hidden, bias_vectors=0)
backward = lstm_parameter_count(input_size=embedding_dim, hidden_size=backward_hidden, bias_vectors=0)
concatenated = forward_hidden + backward_hidden   # the output layer reads [h_forward, h_backward]
output = dense_parameter_count(concatenated, tags, bias=False)
total = forward.total + backward.total + output.total
assert (forward.total, backward.total, output.total) == (400_000, 160_000, 2_100)
assert total == 562_100

PRINTED = 562_100
assert total == PRINTED
