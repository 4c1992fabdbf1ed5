from dlref.rnn import lstm_parameter_count

n_x, n_h = 2, 3                      # x_t has dimension 2, c_t (and so h_t) dimension 3
gates = 4                            # f, i, o and the candidate C~: one weight block each
W_f_shape = (n_h, n_h + n_x)         # W_f acts on [h_{t-1}, x_t], of length 3 + 2
b_f_shape = (n_h,)
assert W_f_shape == (3, 5) and b_f_shape == (3,)

# (c) "parameters (weight values)" has two readings:
with_biases = lstm_parameter_count(n_x, n_h, bias_vectors=1)     # every parameter of the equations
weights_only = lstm_parameter_count(n_x, n_h, bias_vectors=0)    # the weight matrices' entries only
assert (with_biases.weights, with_biases.biases, with_biases.total) == (60, 12, 72)
assert weights_only.total == gates * n_h * (n_h + n_x) == 60
readings = {"all parameters": with_biases.total, "weight values only": weights_only.total}
assert len(set(readings.values())) == 2     # the two readings really differ

pytorch = lstm_parameter_count(n_x, n_h, bias_vectors=2)        # what nn.LSTMCell stores
assert pytorch.total == 84
