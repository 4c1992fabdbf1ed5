from dlref.rnn import lstm_parameter_count

n_x, n_h = 2, 3                      # x_t has dimension 2, c_t (and so h_t) dimension 3
W_f_shape = (n_h, n_h + n_x)         # W_f acts on [h_{t-1}, x_t], of length 3 + 2
b_f_shape = (n_h,)
assert W_f_shape == (3, 5) and b_f_shape == (3,)

with_biases = lstm_parameter_count(n_x, n_h, bias_vectors=1)     # the equations as written
assert (with_biases.weights, with_biases.biases, with_biases.total) == (60, 12, 72)
assert lstm_parameter_count(n_x, n_h, bias_vectors=0).total == 60    # weight matrices only
assert lstm_parameter_count(n_x, n_h, bias_vectors=2).total == 84    # what PyTorch stores
