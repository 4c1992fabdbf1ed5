options = {"a": (1.0, 0.0), "b": (0.99, 0.01), "c": (0.9, 0.9), "d": (0.5, 0.5)}   # (f, i)

# Contribution of C_0 to C_T: C_T = f^T C_0 + i * sum_k f^k C~_{T-k}
memory = {letter: {T: f ** T for T in (10, 100)} for letter, (f, i) in options.items()}
assert {letter: round(m[10], 3) for letter, m in memory.items()} == {"a": 1.0, "b": 0.904, "c": 0.349, "d": 0.001}
assert round(memory["b"][100], 3) == 0.366

# Long memory *and* new information: the largest f^T among the options with i > 0.
learning = [letter for letter, (f, i) in options.items() if i > 0]
answer = max(learning, key=lambda letter: memory[letter][100])
assert answer == "b" and options[answer] == (0.99, 0.01)
