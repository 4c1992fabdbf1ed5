"""Bad input to dlref.rnn raises TypeError (wrong kind) or ValueError (out of range), and the
message names the argument, so a student learns which input was wrong."""

import numpy as np
import pytest
import torch
from torch import nn

from dlref import rnn

N_X, N_H, T = 2, 3, 4
X, H = np.zeros(N_X), np.zeros(N_H)
XS = np.zeros((T, N_X))
W_XH, W_HH, W_HY = np.zeros((N_H, N_X)), np.zeros((N_H, N_H)), np.zeros((2, N_H))
DL_DY = np.zeros((T, 2))
LSTM = rnn.LSTMWeights(*[np.zeros((N_H, N_H + N_X))] * 4, *[np.zeros(N_H)] * 4)
GRU = rnn.GRUWeights(*[np.zeros((N_H, N_H + N_X))] * 3, *[np.zeros(N_H)] * 3, b_hn=np.zeros(N_H))
W_IH_PT, W_HH_PT = np.zeros((4 * N_H, N_X)), np.zeros((4 * N_H, N_H))


def lstm_with(**changes):
    return LSTM._replace(**changes)


def gru_with(**changes):
    return GRU._replace(**changes)


CASES = [
    # --- RNN ---------------------------------------------------------------------------------
    ("W_xh with the wrong input width", lambda: rnn.rnn_cell(X, H, np.zeros((N_H, 5)), W_HH),
     ValueError, "W_xh"),
    ("W_xh with the wrong height", lambda: rnn.rnn_cell(X, H, np.zeros((2, N_X)), W_HH), ValueError,
     "W_xh"),
    ("1-D W_xh", lambda: rnn.rnn_cell(X, H, np.zeros(N_X), W_HH), ValueError, "W_xh"),
    ("non-square W_hh", lambda: rnn.rnn_cell(X, H, W_XH, np.zeros((N_H, N_H + 1))), ValueError,
     "W_hh"),
    ("W_hh for another hidden size", lambda: rnn.rnn_cell(X, H, W_XH, np.zeros((2, 2))), ValueError,
     "W_hh"),
    ("b_h of the wrong length", lambda: rnn.rnn_cell(X, H, W_XH, W_HH, np.zeros(N_H + 1)), ValueError,
     "b_h"),
    ("2-D b_h", lambda: rnn.rnn_cell(X, H, W_XH, W_HH, np.zeros((N_H, 1))), ValueError, "b_h"),
    ("2-D x", lambda: rnn.rnn_cell(np.zeros((1, N_X)), H, W_XH, W_HH), ValueError, "x must have"),
    ("2-D h_prev", lambda: rnn.rnn_cell(X, np.zeros((1, N_H)), W_XH, W_HH), ValueError, "h_prev"),
    ("empty h_prev", lambda: rnn.rnn_cell(X, [], W_XH, W_HH), ValueError, "h_prev"),
    ("non-numeric x", lambda: rnn.rnn_cell(["a", "b"], H, W_XH, W_HH), TypeError, "x must be"),
    ("3-D xs", lambda: rnn.rnn_forward(np.zeros((T, N_X, 1)), H, W_XH, W_HH), ValueError, "xs"),
    ("empty xs", lambda: rnn.rnn_forward(np.zeros((0, N_X)), H, W_XH, W_HH), ValueError, "xs"),
    ("2-D h0", lambda: rnn.rnn_forward(XS, np.zeros((N_H, 1)), W_XH, W_HH), ValueError, "h0"),
    ("xs wider than W_xh", lambda: rnn.rnn_forward(np.zeros((T, 5)), H, W_XH, W_HH), ValueError,
     "W_xh"),
    ("jacobian W_hh for another size", lambda: rnn.rnn_step_jacobian(H, np.zeros((2, 2))),
     ValueError, "W_hh"),
    ("jacobian 2-D h_t", lambda: rnn.rnn_step_jacobian(np.zeros((N_H, 1)), W_HH), ValueError, "h_t"),
    ("W_hy with the wrong width", lambda: rnn.rnn_bptt(XS, H, W_XH, W_HH, np.zeros((2, 5)), DL_DY),
     ValueError, "W_hy"),
    ("1-D W_hy", lambda: rnn.rnn_bptt(XS, H, W_XH, W_HH, np.zeros(N_H), DL_DY), ValueError, "W_hy"),
    ("dL_dy with too few steps", lambda: rnn.rnn_bptt(XS, H, W_XH, W_HH, W_HY, np.zeros((T - 1, 2))),
     ValueError, "dL_dy"),
    ("dL_dy with the wrong output size",
     lambda: rnn.rnn_bptt(XS, H, W_XH, W_HH, W_HY, np.zeros((T, 3))), ValueError, "dL_dy"),
    ("1-D dL_dy", lambda: rnn.rnn_bptt(XS, H, W_XH, W_HH, W_HY, np.zeros(T)), ValueError, "dL_dy"),
    ("bptt W_xh with the wrong shape", lambda: rnn.rnn_bptt(XS, H, W_XH.T, W_HH, W_HY, DL_DY),
     ValueError, "W_xh"),
    ("bptt non-square W_hh", lambda: rnn.rnn_bptt(XS, H, W_XH, np.zeros((N_H, 2)), W_HY, DL_DY),
     ValueError, "W_hh"),
    ("bptt b_h of the wrong length", lambda: rnn.rnn_bptt(XS, H, W_XH, W_HH, W_HY, DL_DY, np.zeros(2)),
     ValueError, "b_h"),
    # --- LSTM --------------------------------------------------------------------------------
    ("gates longer than c_prev", lambda: rnn.lstm_cell_update(np.zeros(2), H, H, H, H),
     ValueError, "^f must"),
    ("f of the wrong length", lambda: rnn.lstm_cell_update(H, np.zeros(2), H, H, H), ValueError,
     "^f must"),
    ("i of the wrong length", lambda: rnn.lstm_cell_update(H, H, np.zeros(4), H, H), ValueError,
     "^i must"),
    ("o of the wrong length", lambda: rnn.lstm_cell_update(H, H, H, [0.5], H), ValueError, "^o must"),
    ("c_tilde of the wrong length", lambda: rnn.lstm_cell_update(H, H, H, H, np.zeros(2)), ValueError,
     "c_tilde"),
    ("2-D c_prev", lambda: rnn.lstm_cell_update(np.zeros((N_H, 1)), H, H, H, H), ValueError, "c_prev"),
    ("weights as a plain tuple", lambda: rnn.lstm_cell(X, H, H, tuple(LSTM)), TypeError, "weights"),
    ("GRU weights for an LSTM", lambda: rnn.lstm_cell(X, H, H, GRU), TypeError, "LSTMWeights"),
    ("weights.W_f of the wrong width", lambda: rnn.lstm_cell(X, H, H, lstm_with(W_f=np.zeros((3, 3)))),
     ValueError, r"weights\.W_f"),
    ("weights.W_i without the hidden part",
     lambda: rnn.lstm_cell(X, H, H, lstm_with(W_i=np.zeros((N_H, N_X)))), ValueError, r"weights\.W_i"),
    ("weights.W_o transposed", lambda: rnn.lstm_cell(X, H, H, lstm_with(W_o=LSTM.W_o.T)), ValueError,
     r"weights\.W_o"),
    ("weights.W_c 1-D", lambda: rnn.lstm_cell(X, H, H, lstm_with(W_c=np.zeros(N_H))), ValueError,
     r"weights\.W_c"),
    ("weights.b_f of the wrong length", lambda: rnn.lstm_cell(X, H, H, lstm_with(b_f=np.zeros(2))),
     ValueError, r"weights\.b_f"),
    ("weights.b_o 2-D", lambda: rnn.lstm_cell(X, H, H, lstm_with(b_o=np.zeros((N_H, 1)))), ValueError,
     r"weights\.b_o"),
    ("cell c_prev of the wrong length", lambda: rnn.lstm_cell(X, H, np.zeros(2), LSTM), ValueError,
     "c_prev"),
    ("x wider than the weights", lambda: rnn.lstm_cell(np.zeros(3), H, H, LSTM), ValueError,
     r"weights\.W_f"),
    ("lstm_forward 3-D xs", lambda: rnn.lstm_forward(np.zeros((T, N_X, 1)), H, H, LSTM), ValueError,
     "xs"),
    ("lstm_forward c0 of the wrong length", lambda: rnn.lstm_forward(XS, H, np.zeros(2), LSTM),
     ValueError, "c0"),
    ("lstm_forward non-LSTMWeights", lambda: rnn.lstm_forward(XS, H, H, list(LSTM)), TypeError,
     "weights"),
    ("dL_dc_next without f_next", lambda: rnn.lstm_cell_state_gradient(H, H, H, dL_dc_next=H),
     ValueError, "f_next"),
    ("f_next without dL_dc_next", lambda: rnn.lstm_cell_state_gradient(H, H, H, f_next=H), ValueError,
     "dL_dc_next"),
    ("o_t of the wrong length", lambda: rnn.lstm_cell_state_gradient(H, np.zeros(2), H), ValueError,
     "o_t"),
    ("c_t of the wrong length", lambda: rnn.lstm_cell_state_gradient(H, H, np.zeros(4)), ValueError,
     "c_t"),
    ("dL_dc_next of the wrong length", lambda: rnn.lstm_cell_state_gradient(H, H, H, np.zeros(2), H),
     ValueError, "dL_dc_next"),
    ("f_next of the wrong length", lambda: rnn.lstm_cell_state_gradient(H, H, H, H, np.zeros(2)),
     ValueError, "f_next"),
    ("2-D dL_dh_t", lambda: rnn.lstm_cell_state_gradient(np.zeros((N_H, 1)), H, H), ValueError,
     "dL_dh_t"),
    ("dL_dh with too many steps", lambda: rnn.lstm_bptt(XS, H, H, LSTM, np.zeros((T + 1, N_H))),
     ValueError, "dL_dh"),
    ("dL_dh with the wrong width", lambda: rnn.lstm_bptt(XS, H, H, LSTM, np.zeros((T, 2))), ValueError,
     "dL_dh"),
    ("lstm_bptt non-LSTMWeights", lambda: rnn.lstm_bptt(XS, H, H, dict(LSTM._asdict()),
                                                        np.zeros((T, N_H))), TypeError, "weights"),
    ("lstm_bptt weights.b_c of the wrong length",
     lambda: rnn.lstm_bptt(XS, H, H, lstm_with(b_c=np.zeros(1)), np.zeros((T, N_H))), ValueError,
     r"weights\.b_c"),
    ("lstm_bptt c0 of the wrong length",
     lambda: rnn.lstm_bptt(XS, H, np.zeros(1), LSTM, np.zeros((T, N_H))), ValueError, "c0"),
    ("weight_hh not 4 n_h tall",
     lambda: rnn.lstm_weights_from_pytorch(W_IH_PT, np.zeros((3 * N_H, N_H))), ValueError, "weight_hh"),
    ("weight_ih not 4 n_h tall",
     lambda: rnn.lstm_weights_from_pytorch(np.zeros((3 * N_H, N_X)), W_HH_PT), ValueError, "weight_ih"),
    ("1-D weight_ih", lambda: rnn.lstm_weights_from_pytorch(np.zeros(4 * N_H), W_HH_PT), ValueError,
     "weight_ih"),
    ("bias_ih of the wrong length",
     lambda: rnn.lstm_weights_from_pytorch(W_IH_PT, W_HH_PT, np.zeros(N_H)), ValueError, "bias_ih"),
    ("bias_hh of the wrong length",
     lambda: rnn.lstm_weights_from_pytorch(W_IH_PT, W_HH_PT, None, np.zeros(3 * N_H)), ValueError,
     "bias_hh"),
    # --- GRU ---------------------------------------------------------------------------------
    ("GRU weights as a tuple", lambda: rnn.gru_cell(X, H, tuple(GRU)), TypeError, "weights"),
    ("LSTM weights for a GRU", lambda: rnn.gru_cell(X, H, LSTM), TypeError, "GRUWeights"),
    ("weights.W_z of the wrong width", lambda: rnn.gru_cell(X, H, gru_with(W_z=np.zeros((N_H, 2)))),
     ValueError, r"weights\.W_z"),
    ("weights.W_h transposed", lambda: rnn.gru_cell(X, H, gru_with(W_h=GRU.W_h.T)), ValueError,
     r"weights\.W_h"),
    ("weights.b_r of the wrong length", lambda: rnn.gru_cell(X, H, gru_with(b_r=np.zeros(1))),
     ValueError, r"weights\.b_r"),
    ("weights.b_hn of the wrong length",
     lambda: rnn.gru_cell(X, H, gru_with(b_hn=np.zeros(2)), reset_after=True), ValueError,
     r"weights\.b_hn"),
    ("int reset_after", lambda: rnn.gru_cell(X, H, GRU, reset_after=1), TypeError, "reset_after"),
    ("string reset_after", lambda: rnn.gru_cell(X, H, GRU, reset_after="True"), TypeError,
     "reset_after"),
    # --- counts ------------------------------------------------------------------------------
    ("unknown cell", lambda: rnn.recurrent_parameter_count("transformer", 3, 4), ValueError, "cell"),
    ("cell name in capitals", lambda: rnn.recurrent_parameter_count("LSTM", 3, 4), ValueError, "cell"),
    ("bias_vectors 3", lambda: rnn.recurrent_parameter_count("lstm", 3, 4, 3), ValueError,
     "bias_vectors"),
    ("negative bias_vectors", lambda: rnn.lstm_parameter_count(3, 4, -1), ValueError, "bias_vectors"),
    ("bool bias_vectors", lambda: rnn.lstm_parameter_count(3, 4, True), TypeError, "bias_vectors"),
    ("float bias_vectors", lambda: rnn.gru_parameter_count(3, 4, 1.0), TypeError, "bias_vectors"),
    ("zero input_size", lambda: rnn.recurrent_parameter_count("rnn", 0, 4), ValueError, "input_size"),
    ("negative input_size", lambda: rnn.gru_parameter_count(-2, 4), ValueError, "input_size"),
    ("negative hidden_size", lambda: rnn.rnn_parameter_count(3, -4), ValueError, "hidden_size"),
    ("bool hidden_size", lambda: rnn.lstm_parameter_count(3, True), TypeError, "hidden_size"),
    ("float input_size", lambda: rnn.rnn_parameter_count(3.0, 4), TypeError, "input_size"),
    ("bidirectional unknown cell", lambda: rnn.bidirectional_parameter_count("elman", 3, 4),
     ValueError, "cell"),
    ("bidirectional zero forward_hidden", lambda: rnn.bidirectional_parameter_count("lstm", 3, 0),
     ValueError, "forward_hidden"),
    ("bidirectional negative backward_hidden",
     lambda: rnn.bidirectional_parameter_count("lstm", 3, 4, -1), ValueError, "backward_hidden"),
    ("bidirectional float backward_hidden",
     lambda: rnn.bidirectional_parameter_count("gru", 3, 4, 2.0), TypeError, "backward_hidden"),
    ("bidirectional bias_vectors 3", lambda: rnn.bidirectional_parameter_count("rnn", 3, 4, 4, 3),
     ValueError, "bias_vectors"),
    ("lm zero vocab", lambda: rnn.fixed_window_lm_parameter_count(0, 3, 2, 4), ValueError,
     "vocab_size"),
    ("lm negative embedding_dim", lambda: rnn.fixed_window_lm_parameter_count(10, -3, 2, 4),
     ValueError, "embedding_dim"),
    ("lm zero context", lambda: rnn.fixed_window_lm_parameter_count(10, 3, 0, 4), ValueError,
     "context_size"),
    ("lm zero hidden_size", lambda: rnn.fixed_window_lm_parameter_count(10, 3, 2, 0), ValueError,
     "hidden_size"),
    ("lm bool hidden_size", lambda: rnn.fixed_window_lm_parameter_count(10, 3, 2, True), TypeError,
     "hidden_size"),
    ("lm int learned_embeddings", lambda: rnn.fixed_window_lm_parameter_count(10, 3, 2, 4, 1),
     TypeError, "learned_embeddings"),
    ("lm int bias", lambda: rnn.fixed_window_lm_parameter_count(10, 3, 2, 4, bias=0), TypeError,
     "bias"),
    # --- vanishing gradients -----------------------------------------------------------------
    ("non-square matrix", lambda: rnn.with_spectral_radius(np.zeros((2, 3)), 1.0), ValueError,
     "matrix must be square"),
    ("1-D matrix", lambda: rnn.with_spectral_radius(np.ones(3), 1.0), ValueError, "matrix"),
    ("zero radius", lambda: rnn.with_spectral_radius(np.eye(2), 0.0), ValueError, "radius"),
    ("negative radius", lambda: rnn.with_spectral_radius(np.eye(2), -0.5), ValueError, "radius"),
    ("NaN radius", lambda: rnn.with_spectral_radius(np.eye(2), float("nan")), ValueError, "radius"),
    ("zero matrix", lambda: rnn.with_spectral_radius(np.zeros((3, 3)), 1.0), ValueError,
     "matrix has spectral radius 0"),
    ("nilpotent matrix", lambda: rnn.with_spectral_radius([[0.0, 1.0], [0.0, 0.0]], 1.0), ValueError,
     "matrix has spectral radius 0"),
    ("zero spectral_radius", lambda: rnn.rnn_first_state_gradient_norms([1, 2], 0.0), ValueError,
     "spectral_radius"),
    ("zero length", lambda: rnn.rnn_first_state_gradient_norms([1, 0], 0.5, 4), ValueError,
     "lengths entry"),
    ("float length", lambda: rnn.rnn_first_state_gradient_norms([1, 2.0], 0.5, 4), TypeError,
     "lengths entry"),
    ("no lengths", lambda: rnn.rnn_first_state_gradient_norms([], 0.5, 4), ValueError, "lengths"),
    ("rnn norms zero hidden_size", lambda: rnn.rnn_first_state_gradient_norms([1], 0.5, 0), ValueError,
     "hidden_size"),
    ("lstm norms zero hidden_size", lambda: rnn.lstm_first_cell_gradient_norms([1], 1.0, 0),
     ValueError, "hidden_size"),
    ("lstm norms negative length", lambda: rnn.lstm_first_cell_gradient_norms([-1], 1.0, 4),
     ValueError, "lengths entry"),
    ("lstm norms no lengths", lambda: rnn.lstm_first_cell_gradient_norms([], 1.0, 4), ValueError,
     "lengths"),
]


@pytest.mark.parametrize("call, error, match", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_input_raises_and_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_torch_refuses_the_same_mismatched_shapes():
    # the shape rules are PyTorch's: the same mismatches make nn.LSTMCell / nn.RNNCell refuse
    with pytest.raises(RuntimeError):
        nn.LSTMCell(N_X, N_H)(torch.zeros(1, N_X), (torch.zeros(1, N_H), torch.zeros(1, 2)))
    with pytest.raises(RuntimeError):
        nn.RNNCell(N_X, N_H)(torch.zeros(1, 5), torch.zeros(1, N_H))
    with pytest.raises((RuntimeError, ValueError)):
        nn.LSTM(N_X, N_H, bias=True)(torch.zeros(T, N_X), (torch.zeros(1, 2), torch.zeros(1, N_H)))


def test_valid_edge_cases_are_not_refused():
    # the boundaries of the rules above, on the allowed side
    assert rnn.recurrent_parameter_count("lstm", 1, 1, 0).total == 4 * 1 * 2
    assert rnn.recurrent_parameter_count("gru", np.int64(1), np.int64(1), np.int64(2)).total == \
        sum(p.numel() for p in nn.GRU(1, 1).parameters())
    assert rnn.rnn_forward([0.5], [0.0], [[1.0]], [[1.0]]).shape == (1, 1)  # T = 1, scalar input
    assert rnn.lstm_cell_state_gradient(H, H, H, None, None).shape == (N_H,)
    assert rnn.gru_cell(X, H, GRU._replace(b_hn=None), reset_after=True).shape == (N_H,)
    assert rnn.with_spectral_radius([[2.0]], 1e-12)[0, 0] == pytest.approx(1e-12)
    assert rnn.rnn_first_state_gradient_norms((1,), 0.5, hidden_size=1).shape == (1,)


def test_gru_reset_before_refuses_pytorchs_reset_after_bias():
    import numpy as np

    from dlref.rnn import GRUWeights, gru_cell

    weights = GRUWeights(*(np.zeros((2, 3)) for _ in range(3)), *(np.zeros(2) for _ in range(3)), b_hn=np.zeros(2))
    with pytest.raises(ValueError, match="b_hn"):
        gru_cell(np.zeros(1), np.zeros(2), weights)
