import numpy as np

from dlref.figures.rnn import LSTM_POSITIONS
from dlref.rnn import lstm_cell_update

# (a) Read the positions off our drawing (the figure is generated from the same table).
position_of = {variable: number for number, variable in LSTM_POSITIONS.items()}
asked = ["f_t", "i_t", "o_t", "C_t", "C_{t-1}", "\\tilde{C}_t"]
assert [position_of[v] for v in asked] == [4, 5, 7, 10, 1, 6]

# (b) One step of the cell-state update, element by element.
c_prev = np.array([0.2, 0.4, 0.8])
f, i, o = np.array([1, 0.5, 0]), np.array([1, 0, 0.5]), np.array([1, 0, 0])
c_tilde = np.array([0.5, 0, 0.1])
c, h = lstm_cell_update(c_prev, f, i, o, c_tilde)
assert np.allclose(c, [1 * 0.2 + 1 * 0.5, 0.5 * 0.4 + 0 * 0, 0 * 0.8 + 0.5 * 0.1])
assert np.allclose(c, [0.7, 0.2, 0.05])
assert np.allclose(h, [np.tanh(0.7), 0, 0]) and round(float(h[0]), 3) == 0.604
