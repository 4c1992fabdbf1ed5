import numpy as np

from dlref.figures.rnn import LSTM_POSITIONS
from dlref.rnn import lstm_cell_update

# (a) Read the positions off our drawing (the figure is generated from the same table).
position_of = {variable: number for number, variable in LSTM_POSITIONS.items()}
asked = ["f_t", "i_t", "o_t", "C_t", "C_{t-1}", "\\tilde{C}_t"]
positions = [position_of[v] for v in asked]
assert positions == [4, 5, 7, 10, 1, 6]
first_position, last_position = min(LSTM_POSITIONS), max(LSTM_POSITIONS)
assert (first_position, last_position) == (1, 12)

# Where each quantity sits along the cell, for the solution's walk through the drawing:
at = {name: position_of[v] for name, v in [("c_prev", "C_{t-1}"), ("f", "f_t"), ("i", "i_t"),
                                            ("c_tilde", "\\tilde{C}_t"), ("added", "i_t \\odot \\tilde{C}_t"),
                                            ("c", "C_t"), ("o", "o_t"), ("tanh_c", "\\tanh(C_t)"), ("h", "h_t")]}

# (b) The givens, then one step of the cell-state update, element by element.
c_prev = np.array([0.2, 0.4, 0.8])
f, i, o = np.array([1, 0.5, 0]), np.array([1, 0, 0.5]), np.array([1, 0, 0])
c_tilde = np.array([0.5, 0, 0.1])
units = len(c_prev)
c, h = lstm_cell_update(c_prev, f, i, o, c_tilde)
assert np.allclose(c, [1 * 0.2 + 1 * 0.5, 0.5 * 0.4 + 0 * 0, 0 * 0.8 + 0.5 * 0.1])
assert np.allclose(c, [0.7, 0.2, 0.05])
assert np.allclose(h, [np.tanh(0.7), 0, 0]) and round(float(h[0]), 3) == 0.604

# The table of the solution, one row per unit: f, C_{t-1}, i, C~_t, o, then C_t and h_t
rows = [(unit + 1, f[unit], c_prev[unit], i[unit], c_tilde[unit], o[unit], c[unit], h[unit]) for unit in range(units)]
