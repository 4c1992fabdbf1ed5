from dlref.rnn import sigmoid

h_prev, x, W_f, b_f = 0.5, 0.3, 1.2, -0.1

# The scalar W_f multiplies every entry of [h_{t-1}, x_t]:  W_f [h, x] = 1.2 * 0.5 + 1.2 * 0.3
assert round(W_f * h_prev + W_f * x + b_f, 2) == 0.86
f = sigmoid(W_f * h_prev + W_f * x + b_f)
assert round(float(f), 2) == 0.70

options = {"a": 0.55, "b": 0.82, "c": 0.70, "d": 0.91}
answer = [letter for letter, value in options.items() if value == round(float(f), 2)]
assert answer == ["c"]

# The other readings of a scalar weight give no option either:
readings = {
    "W_f on h_{t-1} only": sigmoid(W_f * h_prev + b_f),
    "W_f on x_t only": sigmoid(W_f * x + b_f),
}
assert {name: round(float(v), 2) for name, v in readings.items()} == {
    "W_f on h_{t-1} only": 0.62, "W_f on x_t only": 0.56}
