from dlref.foundations import sigmoid, sigmoid_squared_loss_gradient

# The paper gives no numbers; any point shows which formula is the derivative. This one:
w, b, x, y = 0.5, -1.0, 3.0, 1.0
z = w * x + b
s = float(sigmoid(z))                       # sigma(wx + b)
grad = sigmoid_squared_loss_gradient(w, b, x, y)
assert abs(grad - 2 * (s - y) * s * (1 - s) * x) < 1e-12

# The options as printed (shown on the page), and each one evaluated at the same point:
printed = {
    "loss": r"\big(\sigma(wx + b) - y\big)^2",
    "a": r"2(\sigma - y)\,\sigma(1 - \sigma)\,x",
    "b": r"2(\sigma - y)\,x",
    "c": r"(\sigma - y)(1 - \sigma^2)\,x",
    "d": r"2(\sigma - y)\,\sigma(1 - \sigma)",
}
options = {
    "a": 2 * (s - y) * s * (1 - s) * x,     # chain rule with sigma' = sigma(1 - sigma)
    "b": 2 * (s - y) * x,                   # sigma' dropped: the gradient of a linear unit
    "c": (s - y) * (1 - s ** 2) * x,        # tanh's derivative 1 - sigma^2, and no factor 2
    "d": 2 * (s - y) * s * (1 - s),         # the input x dropped: that is dL/db
}
answer = [letter for letter, value in options.items() if abs(value - grad) < 1e-12]
assert answer == ["a"]
dl_db = options["d"]
PRINTED_KEY = "a"
assert PRINTED_KEY in answer
