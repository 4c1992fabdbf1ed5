from dlref.cnn import dense_parameter_count
from dlref.rnn import lstm_parameter_count

tags = 3 * 2 + 1                                   # B- and I- for PER, LOC, ORG, plus O
assert tags == 7

forward = lstm_parameter_count(input_size=300, hidden_size=200, bias_vectors=0)
backward = lstm_parameter_count(input_size=300, hidden_size=100, bias_vectors=0)
output = dense_parameter_count(200 + 100, tags, bias=False)   # on [h_forward, h_backward]
assert (forward.total, backward.total, output.total) == (400_000, 160_000, 2_100)
assert forward.total + backward.total + output.total == 562_100

PRINTED = 562_100
assert forward.total + backward.total + output.total == PRINTED
