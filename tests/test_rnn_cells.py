"""The RNN, LSTM and GRU cells of dlref.rnn against PyTorch's, with the same weights."""

import warnings

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose
from torch import nn

from torch_helpers import t, n, randomized
from dlref.rnn import (GRUWeights, LSTMWeights, gru_cell, lstm_cell, lstm_cell_update, lstm_forward,
                       lstm_weights_from_pytorch, rnn_cell, rnn_forward, sigmoid)


def sizes(rng):
    return int(rng.integers(1, 6)), int(rng.integers(1, 6))  # n_x, n_h


# ---------------------------------------------------------------------------------------------
# sigmoid
# ---------------------------------------------------------------------------------------------

def test_sigmoid_matches_torch_sigmoid_without_overflow_even_at_1000():
    z = np.array([-1000.0, -745.0, -50.0, -3.5, -1e-9, 0.0, 1e-9, 2.0, 36.0, 709.0, 1000.0])
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        got = sigmoid(z)
    # atol: at -745 the true value e^-745 is a subnormal, which torch rounds to 0
    assert_allclose(got, torch.sigmoid(t(z)).numpy(), rtol=1e-14, atol=1e-300)
    assert got[0] == 0.0 and got[-1] == 1.0 and got[5] == 0.5
    assert np.all(np.diff(got) >= 0)


def test_sigmoid_accepts_scalars_lists_and_matrices():
    rng = np.random.default_rng(1)
    z = rng.standard_normal((3, 4)) * 10
    assert_allclose(sigmoid(z), torch.sigmoid(t(z)).numpy(), rtol=1e-14)
    assert_allclose(sigmoid(z.tolist()), torch.sigmoid(t(z)).numpy(), rtol=1e-14)
    assert_allclose(sigmoid(-2.0), 1.0 / (1.0 + np.e ** 2), rtol=1e-15)


# ---------------------------------------------------------------------------------------------
# Vanilla RNN
# ---------------------------------------------------------------------------------------------

def test_rnn_cell_matches_nn_rnncell_with_the_two_biases_summed():
    rng = np.random.default_rng(2)
    for _ in range(20):
        n_x, n_h = sizes(rng)
        cell = randomized(nn.RNNCell(n_x, n_h, nonlinearity="tanh"), rng)
        x, h = rng.standard_normal(n_x), rng.standard_normal(n_h)
        expected = n(cell(t(x), t(h)))
        got = rnn_cell(x, h, n(cell.weight_ih), n(cell.weight_hh), n(cell.bias_ih + cell.bias_hh))
        assert got.shape == (n_h,)
        assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


def test_rnn_cell_without_bias_matches_nn_rnncell_bias_false():
    rng = np.random.default_rng(3)
    for _ in range(10):
        n_x, n_h = sizes(rng)
        cell = randomized(nn.RNNCell(n_x, n_h, bias=False), rng)
        x, h = rng.standard_normal(n_x), rng.standard_normal(n_h)
        assert_allclose(rnn_cell(x, h, n(cell.weight_ih), n(cell.weight_hh)), n(cell(t(x), t(h))),
                        rtol=1e-12, atol=1e-14)


def test_rnn_cell_only_the_sum_of_pytorchs_two_biases_matters():
    rng = np.random.default_rng(4)
    n_x, n_h = 3, 4
    cell = randomized(nn.RNNCell(n_x, n_h), rng)
    x, h, b = rng.standard_normal(n_x), rng.standard_normal(n_h), rng.standard_normal(n_h)
    ours = rnn_cell(x, h, n(cell.weight_ih), n(cell.weight_hh), b)
    for _ in range(4):
        split = rng.standard_normal(n_h) * 3
        with torch.no_grad():
            cell.bias_ih.copy_(t(split))
            cell.bias_hh.copy_(t(b - split))
        assert_allclose(n(cell(t(x), t(h))), ours, rtol=1e-12, atol=1e-14)
    # and the sum does matter: another total bias gives another state
    with torch.no_grad():
        cell.bias_hh.add_(1.0)
    assert not np.allclose(n(cell(t(x), t(h))), ours)


def test_rnn_forward_matches_nn_rnn_over_random_sequences():
    rng = np.random.default_rng(5)
    for _ in range(15):
        n_x, n_h = sizes(rng)
        steps = int(rng.integers(1, 9))
        bias = bool(rng.random() < 0.5)
        rnn = randomized(nn.RNN(n_x, n_h, bias=bias), rng)
        xs, h0 = rng.standard_normal((steps, n_x)), rng.standard_normal(n_h)
        expected, last = rnn(t(xs), t(h0)[None])  # unbatched: (T, n_x) in, (T, n_h) out
        b_h = n(rnn.bias_ih_l0 + rnn.bias_hh_l0) if bias else None
        got = rnn_forward(xs, h0, n(rnn.weight_ih_l0), n(rnn.weight_hh_l0), b_h)
        assert got.shape == (steps, n_h)
        assert_allclose(got, n(expected), rtol=1e-12, atol=1e-14)
        assert_allclose(got[-1], n(last[0]), rtol=1e-12, atol=1e-14)


def test_rnn_forward_reads_a_1d_sequence_as_one_scalar_input_per_step():
    rng = np.random.default_rng(6)
    rnn = randomized(nn.RNN(1, 3), rng)
    xs, h0 = rng.standard_normal(5), np.zeros(3)
    expected, _ = rnn(t(xs)[:, None], t(h0)[None])
    got = rnn_forward(xs, h0, n(rnn.weight_ih_l0), n(rnn.weight_hh_l0),
                      n(rnn.bias_ih_l0 + rnn.bias_hh_l0))
    assert_allclose(got, n(expected), rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------------------------------------
# LSTM
# ---------------------------------------------------------------------------------------------

def hand_lstm_weights(cell):
    """Our layout built by hand from an nn.LSTMCell: PyTorch stacks the gates as (i, f, g, o), g being
    the candidate C~; each of our gates acts on [h, x], so its matrix is [W_hh-rows | W_ih-rows]."""
    n_h = cell.hidden_size
    w_ih, w_hh = n(cell.weight_ih), n(cell.weight_hh)
    bias = n(cell.bias_ih + cell.bias_hh) if cell.bias else np.zeros(4 * n_h)
    rows = {"i": slice(0, n_h), "f": slice(n_h, 2 * n_h), "g": slice(2 * n_h, 3 * n_h),
            "o": slice(3 * n_h, 4 * n_h)}
    W = {g: np.concatenate([w_hh[s], w_ih[s]], axis=1) for g, s in rows.items()}
    b = {g: bias[s] for g, s in rows.items()}
    return LSTMWeights(W_f=W["f"], W_i=W["i"], W_o=W["o"], W_c=W["g"],
                       b_f=b["f"], b_i=b["i"], b_o=b["o"], b_c=b["g"])


def torch_gates(cell, x, h):
    """PyTorch's own gate values (i, f, g, o) for one step, from its stacked weights."""
    pre = cell.weight_ih @ t(x) + cell.bias_ih + cell.weight_hh @ t(h) + cell.bias_hh
    i, f, g, o = pre.chunk(4)
    return {"i": n(torch.sigmoid(i)), "f": n(torch.sigmoid(f)), "g": n(torch.tanh(g)),
            "o": n(torch.sigmoid(o))}


def test_lstm_weights_from_pytorch_agrees_with_a_hand_conversion_in_gate_order_i_f_g_o():
    rng = np.random.default_rng(7)
    for _ in range(10):
        n_x, n_h = sizes(rng)
        cell = randomized(nn.LSTMCell(n_x, n_h), rng)
        converted = lstm_weights_from_pytorch(n(cell.weight_ih), n(cell.weight_hh), n(cell.bias_ih),
                                              n(cell.bias_hh))
        assert isinstance(converted, LSTMWeights)
        for name, expected in hand_lstm_weights(cell)._asdict().items():
            got = getattr(converted, name)
            assert got.shape == expected.shape, name
            assert_allclose(got, expected, rtol=1e-15, atol=0, err_msg=name)


def test_lstm_weights_from_pytorch_biases_are_optional_and_added():
    rng = np.random.default_rng(8)
    cell = randomized(nn.LSTMCell(2, 3, bias=False), rng)
    converted = lstm_weights_from_pytorch(n(cell.weight_ih), n(cell.weight_hh))
    for name, expected in hand_lstm_weights(cell)._asdict().items():
        assert_allclose(getattr(converted, name), expected, err_msg=name)
    only_ih = rng.standard_normal(12)
    one = lstm_weights_from_pytorch(n(cell.weight_ih), n(cell.weight_hh), bias_ih=only_ih)
    assert_allclose(np.concatenate([one.b_i, one.b_f, one.b_c, one.b_o]), only_ih)
    only_hh = lstm_weights_from_pytorch(n(cell.weight_ih), n(cell.weight_hh), bias_hh=only_ih)
    assert_allclose(np.concatenate([only_hh.b_i, only_hh.b_f, only_hh.b_c, only_hh.b_o]), only_ih)


def test_lstm_cell_matches_nn_lstmcell_gate_by_gate():
    rng = np.random.default_rng(9)
    for _ in range(20):
        n_x, n_h = sizes(rng)
        cell = randomized(nn.LSTMCell(n_x, n_h), rng)
        x, h, c = rng.standard_normal(n_x), rng.standard_normal(n_h), rng.standard_normal(n_h)
        h_next, c_next = cell(t(x), (t(h), t(c)))
        gates = torch_gates(cell, x, h)
        for weights in (hand_lstm_weights(cell),
                        lstm_weights_from_pytorch(n(cell.weight_ih), n(cell.weight_hh),
                                                  n(cell.bias_ih), n(cell.bias_hh))):
            step = lstm_cell(x, h, c, weights)
            assert_allclose(step.h, n(h_next), rtol=1e-12, atol=1e-14)
            assert_allclose(step.c, n(c_next), rtol=1e-12, atol=1e-14)
            for ours, theirs in (("f", "f"), ("i", "i"), ("o", "o"), ("c_tilde", "g")):
                assert_allclose(getattr(step, ours), gates[theirs], rtol=1e-12, atol=1e-14,
                                err_msg=ours)


def test_a_wrong_gate_order_would_not_reproduce_nn_lstmcell():
    # the check above has teeth: swapping f and i in the conversion changes the result
    rng = np.random.default_rng(10)
    cell = randomized(nn.LSTMCell(3, 4), rng)
    x, h, c = rng.standard_normal(3), rng.standard_normal(4), rng.standard_normal(4)
    right = hand_lstm_weights(cell)
    swapped = right._replace(W_f=right.W_i, W_i=right.W_f, b_f=right.b_i, b_i=right.b_f)
    _, c_next = cell(t(x), (t(h), t(c)))
    assert_allclose(lstm_cell(x, h, c, right).c, n(c_next), rtol=1e-12)
    assert not np.allclose(lstm_cell(x, h, c, swapped).c, n(c_next))


def test_lstm_forward_matches_nn_lstm_and_the_unrolled_cell():
    rng = np.random.default_rng(11)
    for _ in range(10):
        n_x, n_h = sizes(rng)
        steps = int(rng.integers(1, 9))
        lstm = randomized(nn.LSTM(n_x, n_h), rng)
        cell = nn.LSTMCell(n_x, n_h).double()
        with torch.no_grad():
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(cell, name).copy_(getattr(lstm, name + "_l0"))
        xs, h0, c0 = (rng.standard_normal(s) for s in ((steps, n_x), n_h, n_h))
        outputs, (h_last, c_last) = lstm(t(xs), (t(h0)[None], t(c0)[None]))
        run = lstm_forward(xs, h0, c0, hand_lstm_weights(cell))
        assert len(run) == steps
        assert_allclose(np.array([s.h for s in run]), n(outputs), rtol=1e-12, atol=1e-14)
        assert_allclose(run[-1].c, n(c_last[0]), rtol=1e-12, atol=1e-14)
        h, c = t(h0), t(c0)
        for step, x in zip(run, xs):
            h, c = cell(t(x), (h, c))
            assert_allclose(step.c, n(c), rtol=1e-12, atol=1e-14)


def test_lstm_cell_update_exam_numbers():
    c_prev = [0.2, 0.4, 0.8]
    f, i, o = [1.0, 0.5, 0.0], [1.0, 0.0, 0.5], [1.0, 0.0, 0.0]
    c_tilde = [0.5, 0.0, 0.1]
    c, h = lstm_cell_update(c_prev, f, i, o, c_tilde)
    # by hand: C = f*C_prev + i*C~ = [0.2 + 0.5, 0.2 + 0, 0 + 0.05]; h = o * tanh(C)
    assert_allclose(c, [0.7, 0.2, 0.05], rtol=1e-15)
    assert_allclose(h, [np.tanh(0.7), 0.0, 0.0], rtol=1e-15)
    expected_c = t(f) * t(c_prev) + t(i) * t(c_tilde)
    assert_allclose(c, n(expected_c), rtol=1e-15)
    assert_allclose(h, n(t(o) * torch.tanh(expected_c)), rtol=1e-15)


def test_lstm_cell_update_matches_nn_lstmcell_given_its_gates():
    rng = np.random.default_rng(12)
    cell = randomized(nn.LSTMCell(2, 5), rng)
    x, h, c = rng.standard_normal(2), rng.standard_normal(5), rng.standard_normal(5)
    gates = torch_gates(cell, x, h)
    h_next, c_next = cell(t(x), (t(h), t(c)))
    got_c, got_h = lstm_cell_update(c, gates["f"], gates["i"], gates["o"], gates["g"])
    assert_allclose(got_c, n(c_next), rtol=1e-12, atol=1e-14)
    assert_allclose(got_h, n(h_next), rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------------------------------------
# GRU
# ---------------------------------------------------------------------------------------------

def gru_weights_from_cell(cell):
    """nn.GRUCell stacks (r, z, n); b_z = b_iz + b_hz, b_r = b_ir + b_hr, b_h = b_in, b_hn = b_hn."""
    n_h = cell.hidden_size
    w_ih, w_hh = n(cell.weight_ih), n(cell.weight_hh)
    b_ih, b_hh = n(cell.bias_ih), n(cell.bias_hh)
    r, z, m = slice(0, n_h), slice(n_h, 2 * n_h), slice(2 * n_h, 3 * n_h)
    joint = {k: np.concatenate([w_hh[s], w_ih[s]], axis=1) for k, s in (("r", r), ("z", z), ("n", m))}
    return GRUWeights(W_z=joint["z"], W_r=joint["r"], W_h=joint["n"], b_z=b_ih[z] + b_hh[z],
                      b_r=b_ih[r] + b_hh[r], b_h=b_ih[m], b_hn=b_hh[m])


def cho_gru(x, h, w):
    """Cho et al. (2014), in torch: the reset gate scales h_{t-1} *before* the candidate's matrix."""
    x, h = t(x), t(h)
    joint = torch.cat([h, x])
    z = torch.sigmoid(t(w.W_z) @ joint + t(w.b_z))
    r = torch.sigmoid(t(w.W_r) @ joint + t(w.b_r))
    candidate = torch.tanh(t(w.W_h) @ torch.cat([r * h, x]) + t(w.b_h))
    return n((1 - z) * candidate + z * h)


def random_gru_weights(rng, n_x, n_h, b_hn=True):
    W = [rng.standard_normal((n_h, n_h + n_x)) for _ in range(3)]
    b = [rng.standard_normal(n_h) for _ in range(3)]
    return GRUWeights(*W, *b, b_hn=rng.standard_normal(n_h) if b_hn else None)


def test_gru_cell_reset_after_matches_nn_grucell():
    rng = np.random.default_rng(13)
    for _ in range(20):
        n_x, n_h = sizes(rng)
        cell = randomized(nn.GRUCell(n_x, n_h), rng)
        x, h = rng.standard_normal(n_x), rng.standard_normal(n_h)
        got = gru_cell(x, h, gru_weights_from_cell(cell), reset_after=True)
        assert got.shape == (n_h,)
        assert_allclose(got, n(cell(t(x), t(h))), rtol=1e-12, atol=1e-14)


def test_gru_cell_reset_after_without_b_hn_is_pytorch_with_a_zero_b_hn():
    rng = np.random.default_rng(14)
    cell = randomized(nn.GRUCell(3, 4), rng)
    with torch.no_grad():
        cell.bias_hh[8:].zero_()
    x, h = rng.standard_normal(3), rng.standard_normal(4)
    weights = gru_weights_from_cell(cell)._replace(b_hn=None)
    assert_allclose(gru_cell(x, h, weights, reset_after=True), n(cell(t(x), t(h))), rtol=1e-12)


def test_gru_cell_reset_before_matches_cho_et_al():
    rng = np.random.default_rng(15)
    for _ in range(20):
        n_x, n_h = sizes(rng)
        w = random_gru_weights(rng, n_x, n_h, b_hn=False)
        x, h = rng.standard_normal(n_x), rng.standard_normal(n_h)
        got = gru_cell(x, h, w)  # reset_after=False is the default
        assert_allclose(got, cho_gru(x, h, w), rtol=1e-12, atol=1e-14)
        assert_allclose(gru_cell(x, h, w, reset_after=False), got)


def test_the_two_gru_forms_differ_in_general_but_agree_when_r_is_one_and_b_hn_is_zero():
    rng = np.random.default_rng(16)
    for _ in range(10):
        n_x, n_h = int(rng.integers(1, 5)), int(rng.integers(2, 6))
        w = random_gru_weights(rng, n_x, n_h)
        x, h = rng.standard_normal(n_x), rng.standard_normal(n_h)
        assert not np.allclose(gru_cell(x, h, w, reset_after=True), gru_cell(x, h, w._replace(b_hn=None)))
        # r = sigma(60 + small) = 1 to double precision, and no b_hn: r scales nothing in either form
        open_gate = w._replace(b_r=np.full(n_h, 60.0), b_hn=np.zeros(n_h))
        before = gru_cell(x, h, open_gate._replace(b_hn=None))
        assert_allclose(gru_cell(x, h, open_gate, reset_after=True), before, rtol=1e-12, atol=1e-14)
        assert_allclose(before, cho_gru(x, h, open_gate), rtol=1e-12, atol=1e-14)


def test_gru_cell_with_z_one_keeps_the_old_state_and_z_zero_takes_the_candidate():
    rng = np.random.default_rng(17)
    w = random_gru_weights(rng, 2, 3)
    x, h = rng.standard_normal(2), rng.standard_normal(3)
    for reset_after in (False, True):
        keep = gru_cell(x, h, w._replace(b_z=np.full(3, 60.0), b_hn=w.b_hn if reset_after else None),
                        reset_after=reset_after)
        assert_allclose(keep, h, rtol=1e-14)
    cand = gru_cell(x, h, w._replace(b_z=np.full(3, -60.0), b_hn=None))
    r = torch.sigmoid(t(w.W_r) @ torch.cat([t(h), t(x)]) + t(w.b_r))
    assert_allclose(cand, n(torch.tanh(t(w.W_h) @ torch.cat([r * t(h), t(x)]) + t(w.b_h))), rtol=1e-12)
