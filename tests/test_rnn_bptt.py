"""dlref.rnn's backpropagation through time, written from the derived formulas, against PyTorch
autograd through the unrolled nn.RNNCell / nn.LSTMCell; and the vanishing-gradient experiments."""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose
from torch import nn

from torch_helpers import t, n, randomized
from dlref.rnn import (LSTMWeights, lstm_bptt, lstm_cell_state_gradient,
                       lstm_first_cell_gradient_norms, rnn_bptt, rnn_first_state_gradient_norms,
                       rnn_step_jacobian, with_spectral_radius)


def upstream(rng, steps, width):
    """A gradient at some steps only (at least the last one), zero elsewhere."""
    mask = rng.random(steps) < 0.5
    mask[-1] = True
    return rng.standard_normal((steps, width)) * mask[:, None]


def close(actual, desired, name=""):
    assert_allclose(actual, desired, rtol=1e-9, atol=1e-12, err_msg=name)


# ---------------------------------------------------------------------------------------------
# RNN
# ---------------------------------------------------------------------------------------------

def unrolled_rnn(cell, head, xs, h0):
    """Autograd through nn.RNNCell + nn.Linear; every h_t keeps its (total) gradient."""
    h0 = t(h0).requires_grad_()
    h, states, outputs = h0, [], []
    for x in xs:
        h = cell(t(x), h)
        h.retain_grad()
        states.append(h)
        outputs.append(head(h))
    return h0, states, torch.stack(outputs)


@pytest.mark.parametrize("case", range(24))
def test_rnn_bptt_matches_autograd_through_nn_rnncell(case):
    rng = np.random.default_rng(100 + case)
    n_x, n_h, n_y = (int(v) for v in rng.integers(1, 5, size=3))
    steps = case % 8 + 1
    with_bias = case % 2 == 0
    cell = randomized(nn.RNNCell(n_x, n_h, bias=with_bias), rng, 0.8)
    head = randomized(nn.Linear(n_h, n_y), rng)
    xs, h0 = rng.standard_normal((steps, n_x)), rng.standard_normal(n_h)
    dL_dy = upstream(rng, steps, n_y)
    h0_t, states, ys = unrolled_rnn(cell, head, xs, h0)
    (ys * t(dL_dy)).sum().backward()  # L with dL/dy_t = dL_dy[t]

    b_h = n(cell.bias_ih + cell.bias_hh) if with_bias else None
    grads = rnn_bptt(xs, h0, n(cell.weight_ih), n(cell.weight_hh), n(head.weight), dL_dy, b_h)
    close(grads.W_xh, n(cell.weight_ih.grad), "W_xh")
    close(grads.W_hh, n(cell.weight_hh.grad), "W_hh")
    close(grads.W_hy, n(head.weight.grad), "W_hy")
    close(grads.b_y, n(head.bias.grad), "b_y")
    close(grads.h0, n(h0_t.grad), "h0")
    assert grads.hidden.shape == (steps, n_h)
    close(grads.hidden, np.array([n(h.grad) for h in states]), "hidden")
    if with_bias:
        close(grads.b_h, n(cell.bias_ih.grad), "b_h")
        close(grads.b_h, n(cell.bias_hh.grad), "b_h")
    else:  # the gradient w.r.t. a bias that is there but zero
        zero_bias = nn.RNNCell(n_x, n_h).double()
        with torch.no_grad():
            zero_bias.weight_ih.copy_(cell.weight_ih)
            zero_bias.weight_hh.copy_(cell.weight_hh)
            zero_bias.bias_ih.zero_()
            zero_bias.bias_hh.zero_()
        head.zero_grad()
        _, _, ys = unrolled_rnn(zero_bias, head, xs, h0)
        (ys * t(dL_dy)).sum().backward()
        close(grads.b_h, n(zero_bias.bias_ih.grad), "b_h")


def test_rnn_bptt_with_a_loss_at_the_first_step_only_stops_there():
    rng = np.random.default_rng(130)
    cell, head = randomized(nn.RNNCell(2, 3), rng), randomized(nn.Linear(3, 2), rng)
    xs, h0 = rng.standard_normal((4, 2)), rng.standard_normal(3)
    dL_dy = np.zeros((4, 2))
    dL_dy[0] = rng.standard_normal(2)
    h0_t, states, ys = unrolled_rnn(cell, head, xs, h0)
    (ys * t(dL_dy)).sum().backward()
    grads = rnn_bptt(xs, h0, n(cell.weight_ih), n(cell.weight_hh), n(head.weight), dL_dy,
                     n(cell.bias_ih + cell.bias_hh))
    assert not np.any(grads.hidden[1:])  # later states do not affect the loss
    close(grads.hidden[0], n(states[0].grad))
    close(grads.h0, n(h0_t.grad))
    close(grads.W_hh, n(cell.weight_hh.grad))


def test_rnn_bptt_accepts_a_1d_sequence_of_scalar_inputs():
    rng = np.random.default_rng(131)
    cell, head = randomized(nn.RNNCell(1, 3), rng), randomized(nn.Linear(3, 1), rng)
    xs, h0 = rng.standard_normal(5), rng.standard_normal(3)
    dL_dy = rng.standard_normal((5, 1))
    h0_t, _, ys = unrolled_rnn(cell, head, xs[:, None], h0)
    (ys * t(dL_dy)).sum().backward()
    grads = rnn_bptt(xs, h0, n(cell.weight_ih), n(cell.weight_hh), n(head.weight), dL_dy,
                     n(cell.bias_ih + cell.bias_hh))
    close(grads.W_xh, n(cell.weight_ih.grad))
    close(grads.h0, n(h0_t.grad))


def test_rnn_step_jacobian_matches_torch_autograd_jacobian():
    rng = np.random.default_rng(132)
    for _ in range(10):
        n_x, n_h = int(rng.integers(1, 5)), int(rng.integers(1, 6))
        W_xh, W_hh = t(rng.standard_normal((n_h, n_x))), t(rng.standard_normal((n_h, n_h)))
        b, x, h_prev = t(rng.standard_normal(n_h)), t(rng.standard_normal(n_x)), t(rng.standard_normal(n_h))

        def step(h):
            return torch.tanh(W_xh @ x + W_hh @ h + b)

        expected = torch.autograd.functional.jacobian(step, h_prev)
        got = rnn_step_jacobian(n(step(h_prev)), n(W_hh))
        assert got.shape == (n_h, n_h)
        close(got, n(expected))


# ---------------------------------------------------------------------------------------------
# LSTM
# ---------------------------------------------------------------------------------------------

ROWS = ("i", "f", "c", "o")  # PyTorch's stacking (i, f, g, o); g is our C~


def ours_from_cell(cell):
    n_h = cell.hidden_size
    w_ih, w_hh, b = n(cell.weight_ih), n(cell.weight_hh), n(cell.bias_ih + cell.bias_hh)
    part = {g: slice(k * n_h, (k + 1) * n_h) for k, g in enumerate(ROWS)}
    return LSTMWeights(**{f"W_{g}": np.concatenate([w_hh[s], w_ih[s]], axis=1) for g, s in part.items()},
                       **{f"b_{g}": b[s] for g, s in part.items()})


def to_pytorch_layout(grads: LSTMWeights, n_h):
    """Our per-gate gradients stacked back as (weight_ih, weight_hh, bias)."""
    weight_ih = np.concatenate([getattr(grads, f"W_{g}")[:, n_h:] for g in ROWS])
    weight_hh = np.concatenate([getattr(grads, f"W_{g}")[:, :n_h] for g in ROWS])
    bias = np.concatenate([getattr(grads, f"b_{g}") for g in ROWS])
    return weight_ih, weight_hh, bias


def lstm_equations(cell, x, h, c):
    """One step of PyTorch's LSTM written out in torch ops on the cell's own stacked parameters. Needed
    for dL/dc_t: nn.LSTMCell computes h_t from an internal copy of c_t, so a retained gradient on the
    c_t it returns misses the path through h_t."""
    pre = cell.weight_ih @ x + cell.bias_ih + cell.weight_hh @ h + cell.bias_hh
    i, f, g, o = pre.chunk(4)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c = f * c + i * g
    return o * torch.tanh(c), c, {"f": n(f), "o": n(o)}


def unrolled_lstm(cell, xs, h0, c0, dL_dh):
    """``L = sum_t dL_dh[t] . h_t`` backpropagated through nn.LSTMCell itself (weights, every h_t, h_0,
    c_0), then through lstm_equations (every c_t, and the gate values), after checking that the two
    forward passes agree."""
    h0_t, c0_t = t(h0).requires_grad_(), t(c0).requires_grad_()
    h, c, hs, fused_cs = h0_t, c0_t, [], []
    for x in xs:
        h, c = cell(t(x), (h, c))
        h.retain_grad()
        hs.append(h)
        fused_cs.append(c)
    (torch.stack(hs) * t(dL_dh)).sum().backward()
    result = {"h0": n(h0_t.grad), "c0": n(c0_t.grad), "h": np.array([n(h.grad) for h in hs]),
              "params": {name: n(p.grad).copy() for name, p in cell.named_parameters()}}

    cell.zero_grad()
    hs_fused = hs
    h, c, hs, cs, gates = t(h0), t(c0), [], [], []
    for x, fused_h, fused_c in zip(xs, hs_fused, fused_cs):
        h, c, step_gates = lstm_equations(cell, t(x), h, c)
        assert_allclose(n(h), n(fused_h), rtol=1e-12, atol=1e-14)
        assert_allclose(n(c), n(fused_c), rtol=1e-12, atol=1e-14)
        c.retain_grad()
        hs.append(h)
        cs.append(c)
        gates.append(step_gates)
    (torch.stack(hs) * t(dL_dh)).sum().backward()
    for name, p in cell.named_parameters():  # the written-out equations are PyTorch's
        assert_allclose(n(p.grad), result["params"][name], rtol=1e-10, atol=1e-12)
    result.update(c=np.array([n(c.grad) for c in cs]), c_values=np.array([n(c) for c in cs]),
                  gates=gates)
    return result


@pytest.mark.parametrize("case", range(16))
def test_lstm_bptt_matches_autograd_through_nn_lstmcell(case):
    rng = np.random.default_rng(200 + case)
    n_x, n_h = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    steps = case % 8 + 1
    cell = randomized(nn.LSTMCell(n_x, n_h), rng, 0.7)
    xs, h0, c0 = rng.standard_normal((steps, n_x)), rng.standard_normal(n_h), rng.standard_normal(n_h)
    dL_dh = upstream(rng, steps, n_h)
    expected = unrolled_lstm(cell, xs, h0, c0, dL_dh)

    grads = lstm_bptt(xs, h0, c0, ours_from_cell(cell), dL_dh)
    assert isinstance(grads.weights, LSTMWeights)
    weight_ih, weight_hh, bias = to_pytorch_layout(grads.weights, n_h)
    close(weight_ih, expected["params"]["weight_ih"], "weight_ih")
    close(weight_hh, expected["params"]["weight_hh"], "weight_hh")
    close(bias, expected["params"]["bias_ih"], "bias_ih")
    close(bias, expected["params"]["bias_hh"], "bias_hh")
    assert grads.h.shape == grads.c.shape == (steps, n_h)
    close(grads.h, expected["h"], "h")
    close(grads.c, expected["c"], "c")
    close(grads.h0, expected["h0"], "h0")
    close(grads.c0, expected["c0"], "c0")


@pytest.mark.parametrize("case", range(6))
def test_lstm_cell_state_gradient_is_the_recursion_autograd_follows(case):
    rng = np.random.default_rng(230 + case)
    n_x, n_h, steps = int(rng.integers(1, 4)), int(rng.integers(1, 5)), int(rng.integers(2, 7))
    cell = randomized(nn.LSTMCell(n_x, n_h), rng, 0.7)
    xs, h0, c0 = rng.standard_normal((steps, n_x)), rng.standard_normal(n_h), rng.standard_normal(n_h)
    run = unrolled_lstm(cell, xs, h0, c0, upstream(rng, steps, n_h))
    dh, dc, c, gates = run["h"], run["c"], run["c_values"], run["gates"]
    last = steps - 1
    close(lstm_cell_state_gradient(dh[last], gates[last]["o"], c[last]), dc[last], "last step")
    for k in range(last):
        got = lstm_cell_state_gradient(dh[k], gates[k]["o"], c[k], dc[k + 1], gates[k + 1]["f"])
        close(got, dc[k], f"step {k + 1}")


def test_lstm_cell_state_gradient_by_hand():
    # one unit: dL/dc = dL/dh * o * (1 - tanh^2 c) + dL/dc_next * f_next
    c = 0.3
    got = lstm_cell_state_gradient([2.0], [0.5], [c], [4.0], [0.25])
    assert_allclose(got, [2.0 * 0.5 * (1 - np.tanh(c) ** 2) + 4.0 * 0.25], rtol=1e-15)
    assert_allclose(lstm_cell_state_gradient([2.0], [0.5], [c]), [1 - np.tanh(c) ** 2], rtol=1e-15)


# ---------------------------------------------------------------------------------------------
# Vanishing gradients
# ---------------------------------------------------------------------------------------------

def test_with_spectral_radius_sets_the_largest_eigenvalue_modulus():
    rng = np.random.default_rng(300)
    for _ in range(15):
        size = int(rng.integers(1, 7))
        matrix, radius = rng.standard_normal((size, size)), float(rng.uniform(0.05, 3.0))
        got = with_spectral_radius(matrix, radius)
        assert_allclose(torch.linalg.eigvals(t(got)).abs().max().item(), radius, rtol=1e-10)
        current = torch.linalg.eigvals(t(matrix)).abs().max().item()
        assert_allclose(got, matrix * (radius / current), rtol=1e-10)  # a positive rescaling


def torch_rnn_first_state_gradient_norm(length, radius, hidden, seed):
    """The documented construction, redone in torch with the same draws in the same order:
    W_hh (rescaled), W_xh * 0.1, v (normalised), then one input sequence; h_0 = 0, L = v . h_T."""
    rng = np.random.default_rng(seed)
    W = t(rng.standard_normal((hidden, hidden)))
    W_hh = W * (radius / torch.linalg.eigvals(W).abs().max())
    W_xh = t(rng.standard_normal((hidden, 1)) * 0.1)
    v = t(rng.standard_normal(hidden))
    v = v / v.norm()
    xs = t(rng.standard_normal((length, 1)))
    h, states = torch.zeros(hidden, dtype=torch.float64, requires_grad=True), []
    for x in xs:
        h = torch.tanh(W_xh @ x + W_hh @ h)
        h.retain_grad()
        states.append(h)
    (v @ h).backward()
    return states[0].grad.norm().item()


def torch_lstm_first_cell_gradient_norm(length, forget_bias, hidden, seed, scale):
    """Same for the LSTM, through nn.LSTMCell: four (n, n + 1) matrices drawn in the order
    f, i, o, C~ and acting on [h, x]; forget bias only; then v, then the inputs."""
    rng = np.random.default_rng(seed)
    W = {g: rng.standard_normal((hidden, hidden + 1)) * scale for g in ("f", "i", "o", "c")}
    cell = nn.LSTMCell(1, hidden).double().requires_grad_(False)
    with torch.no_grad():
        cell.weight_ih.copy_(t(np.concatenate([W[g][:, hidden:] for g in ROWS])))
        cell.weight_hh.copy_(t(np.concatenate([W[g][:, :hidden] for g in ROWS])))
        cell.bias_ih.zero_()
        cell.bias_hh.zero_()
        cell.bias_ih[hidden:2 * hidden] = forget_bias
    v = t(rng.standard_normal(hidden))
    v = v / v.norm()
    xs = t(rng.standard_normal((length, 1)))
    h = c = torch.zeros(hidden, dtype=torch.float64, requires_grad=True)
    cells = []
    for x in xs:
        fused_h, _ = cell(x, (h, c))
        h, c, _ = lstm_equations(cell, x, h, c)
        assert_allclose(n(h), n(fused_h), rtol=1e-12, atol=1e-14)
        c.retain_grad()
        cells.append(c)
    (v @ h).backward()
    return cells[0].grad.norm().item()


@pytest.mark.parametrize("radius, hidden, seed", [(0.9, 6, 0), (1.5, 4, 3), (0.5, 32, 0)])
def test_rnn_first_state_gradient_norms_match_autograd_on_the_same_construction(radius, hidden, seed):
    lengths = [1, 2, 4, 6]
    got = rnn_first_state_gradient_norms(lengths, radius, hidden_size=hidden, seed=seed)
    assert got.shape == (len(lengths),)
    # every length reads a prefix of one sequence drawn for the longest
    expected = [torch_rnn_first_state_gradient_norm(k, radius, hidden, seed) for k in lengths]
    assert_allclose(got, expected, rtol=1e-9)


@pytest.mark.parametrize("forget_bias, hidden, seed, scale", [(1.0, 5, 0, 0.02), (-1.0, 3, 7, 0.5)])
def test_lstm_first_cell_gradient_norms_match_autograd_on_the_same_construction(forget_bias, hidden,
                                                                                 seed, scale):
    lengths = [1, 3, 5]
    got = lstm_first_cell_gradient_norms(lengths, forget_bias, hidden_size=hidden, seed=seed,
                                         weight_scale=scale)
    expected = [torch_lstm_first_cell_gradient_norm(k, forget_bias, hidden, seed, scale)
                for k in lengths]
    assert_allclose(got, expected, rtol=1e-9)


@pytest.mark.parametrize("radius, hidden, seed", [(0.5, 32, 0), (3.0, 8, 1), (1.0, 1, 5)])
def test_rnn_first_state_gradient_norm_at_length_one_is_the_unit_vector_v(radius, hidden, seed):
    # T = 1: dL/dh_1 = v itself, an empty product of Jacobians
    assert_allclose(rnn_first_state_gradient_norms([1], radius, hidden, seed), [1.0], rtol=1e-14)


def test_rnn_first_state_gradient_vanishes_with_spectral_radius_one_half():
    norms = rnn_first_state_gradient_norms(range(1, 21), 0.5)
    assert np.all(np.diff(norms) < 0)
    assert norms[-1] < 1e-3


def test_lstm_forget_bias_keeps_the_cell_gradient_alive():
    kept = lstm_first_cell_gradient_norms([1, 50], forget_bias=10.0)
    assert kept[0] / 5 < kept[1] < kept[0] * 5
    lost = lstm_first_cell_gradient_norms([1, 50], forget_bias=0.0)
    assert lost[1] < 1e-3 < lost[0]
