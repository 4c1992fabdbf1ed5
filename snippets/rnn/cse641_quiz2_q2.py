from dlref.rnn import sigmoid

# The givens, as the question states them (W_i, W_o, b_i, b_o are not needed for f_t).
h_prev, x, W_f, W_i, W_o, b_f, b_i, b_o = 0.5, 0.3, 1.2, 0.8, 1.5, -0.1, 0.2, 0.05
decimals = 2

# The scalar W_f multiplies every entry of [h_{t-1}, x_t]:  W_f [h, x] = 1.2 * 0.5 + 1.2 * 0.3
pre_activation = W_f * h_prev + W_f * x + b_f
assert round(pre_activation, decimals) == 0.86
f = float(sigmoid(pre_activation))
assert round(f, decimals) == 0.70

options = {"a": 0.55, "b": 0.82, "c": 0.70, "d": 0.91}     # as printed
answer = [letter for letter, value in options.items() if value == round(f, decimals)]
assert answer == ["c"]

PRINTED_KEY = "c"
assert answer == [PRINTED_KEY]

# The other readings of a scalar weight give no option either:
f_h_only = float(sigmoid(W_f * h_prev + b_f))     # W_f on h_{t-1} only
f_x_only = float(sigmoid(W_f * x + b_f))          # W_f on x_t only
assert (round(f_h_only, decimals), round(f_x_only, decimals)) == (0.62, 0.56)
assert not {round(f_h_only, decimals), round(f_x_only, decimals)} & set(options.values())
