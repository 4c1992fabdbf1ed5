options = {"a": (1.0, 0.0), "b": (0.99, 0.01), "c": (0.9, 0.9), "d": (0.5, 0.5)}   # (f, i), as printed

# Contribution of C_0 to C_T: C_T = f^T C_0 + i * sum_k f^k C~_{T-k}
short_horizon, long_horizon = 10, 100
memory = {letter: {T: f ** T for T in (short_horizon, long_horizon)} for letter, (f, i) in options.items()}
assert {letter: round(m[short_horizon], 3) for letter, m in memory.items()} == {
    "a": 1.0, "b": 0.904, "c": 0.349, "d": 0.001}
assert round(memory["b"][long_horizon], 3) == 0.366

# Long memory *and* new information: the largest f^T among the options with i > 0.
learning = [letter for letter, (f, i) in options.items() if i > 0]
answer = [max(learning, key=lambda letter: memory[letter][long_horizon])]
assert answer == ["b"] and options[answer[0]] == (0.99, 0.01)

PRINTED_KEY = "b"
assert answer == [PRINTED_KEY]

# The solution's table: option, f, i, f^10
rows = [(letter, f, i, round(memory[letter][short_horizon], 3)) for letter, (f, i) in options.items()]
