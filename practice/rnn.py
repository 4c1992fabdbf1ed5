"""Same question, new numbers: the RNN chapter's variants (sitecontract/practice.py explains the format).

Each variant's answer is computed here by the code the worked solution uses (``dlref.rnn``, or the
solution's own formula where it has no dlref function); its ``check`` recomputes it independently with
PyTorch: a real ``nn.LSTMCell``/``nn.GRUCell``/``nn.RNNCell``/``nn.LSTM`` with the weights copied in,
``numel()`` counts, or autograd for the gradients.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dlref.cnn import dense_parameter_count
from dlref.rnn import (fixed_window_lm_parameter_count, gru_parameter_count, lstm_cell_state_gradient,
                       lstm_cell_update, lstm_parameter_count, rnn_bptt, rnn_forward, rnn_step_jacobian,
                       sigmoid)
from sitecontract.practice import Variant, number, shape

DOUBLE = torch.float64


# ---------------------------------------------------------------------------------------------
# Formatting: every number in a string is formatted from the computed value
# ---------------------------------------------------------------------------------------------

def _short(value, digits=3):
    """Rounded to ``digits`` decimals, trailing zeros dropped (``0.7``, ``0.604``); never ``-0``."""
    return number(round(float(value), digits) + 0.0)


def _factor(value, digits=3):
    """A number as a factor of a product: negatives in parentheses, ``0.5 \\cdot (-1)``."""
    text = _short(value, digits)
    return f"({text})" if text.startswith("-") else text


def _plus(value, digits=3):
    """A number added to a sum: ``+ 0.2`` or ``- 0.1``."""
    text = _short(abs(value), digits)
    return f"- {text}" if value < 0 else f"+ {text}"


def _vector(values, digits=3):
    """``(0.7,\\ 0.2,\\ 0.05)``, as the page writes vectors."""
    return "(" + r",\ ".join(_short(v, digits) for v in values) + ")"


def _significant(value, digits=3):
    """Three significant digits; very small numbers as ``9.77 \\times 10^{-4}``."""
    value = float(value)
    if value != 0 and abs(value) < 0.01:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        return f"{mantissa} \\times 10^{{{int(exponent)}}}"
    return number(float(f"{value:.{digits}g}"))


def _logit(p):
    """The bias that makes a sigmoid output ``p`` (+-30 for a gate that is fully open or shut)."""
    return 30.0 if p == 1 else -30.0 if p == 0 else math.log(p / (1 - p))


def _count(module):
    return sum(p.numel() for p in module.parameters())


# ---------------------------------------------------------------------------------------------
# CSE641 Quiz 2 Q2: one gate of an LSTM by hand, scalar weights
# ---------------------------------------------------------------------------------------------

GATE_NAMES = {"f": "forget", "i": "input", "o": "output"}


def _gate_check(weight, bias, h_prev, x, expected):
    def check():
        # The gate as a PyTorch layer on [h_{t-1}, x_t], the scalar weight on both entries.
        layer = nn.Linear(2, 1).double()
        with torch.no_grad():
            layer.weight.fill_(weight)
            layer.bias.fill_(bias)
        gate = torch.sigmoid(layer(torch.tensor([h_prev, x], dtype=DOUBLE))).item()
        assert math.isclose(gate, expected, abs_tol=1e-12), (gate, expected)
    return check


def lstm_gate_by_hand():
    found = []
    for asked, h_prev, x, weights, biases in [
        ("f", 0.4, 0.6, {"f": 0.9, "i": 1.1, "o": 0.7}, {"f": 0.2, "i": -0.3, "o": 0.1}),
        ("i", -0.2, 0.8, {"f": 1.5, "i": 0.5, "o": 2.0}, {"f": 0.1, "i": -0.5, "o": 0.3}),
        ("o", 0.7, -0.1, {"f": 0.6, "i": 1.3, "o": 1.8}, {"f": -0.2, "i": 0.4, "o": -0.3}),
    ]:
        weight, bias = weights[asked], biases[asked]
        # As on the page: the scalar weight multiplies every entry of [h_{t-1}, x_t].
        pre_activation = weight * h_prev + weight * x + bias
        gate = float(sigmoid(pre_activation))
        given = ", ".join(f"$W_{g} = {number(weights[g])}$" for g in "fio") + ", " + \
            ", ".join(f"$b_{g} = {number(biases[g])}$" for g in "fio")
        found.append(Variant(
            givens=f"For an LSTM cell at time step $t$: $h_{{t-1}} = {number(h_prev)}$, $x_t = {number(x)}$, "
                   f"{given}. The weights are scalars multiplying every entry of $[h_{{t-1}}, x_t]$. "
                   f"Compute the output of the {GATE_NAMES[asked]} gate ${asked}_t$ (rounded to 2 decimal places).",
            answer=f"${asked}_t = \\sigma({_short(pre_activation, 4)}) = {number(gate, 2)}$",
            working=f"$W_{asked} [h_{{t-1}}, x_t] + b_{asked} = {number(weight)} \\cdot {_factor(h_prev)} + "
                    f"{number(weight)} \\cdot {_factor(x)} {_plus(bias)} = {_short(pre_activation, 4)}$, and "
                    f"$\\sigma({_short(pre_activation, 4)}) = 1/(1 + e^{{{_short(-pre_activation, 4)}}}) "
                    f"= {number(gate, 2)}$.",
            check=_gate_check(weight, bias, h_prev, x, gate)))
    return found


# ---------------------------------------------------------------------------------------------
# CSE641 Quiz 2 Q11: GRU gating is element-wise (the Jacobian in z_t is diagonal)
# ---------------------------------------------------------------------------------------------

def _forced_gru_cell(z, h_tilde):
    """A real ``nn.GRUCell`` whose update gate is ``z`` and whose candidate is ``h_tilde`` for any
    input: zero weights, biases set to the gates' logits (PyTorch's order r, z, n)."""
    units = len(z)
    cell = nn.GRUCell(input_size=1, hidden_size=units).double()
    with torch.no_grad():
        cell.weight_ih.zero_(), cell.weight_hh.zero_(), cell.bias_hh.zero_()
        biases = [0.0] * units + [_logit(v) for v in z] + [math.atanh(v) for v in h_tilde]
        cell.bias_ih.copy_(torch.tensor(biases, dtype=DOUBLE))
    return cell


def _gru_gating_check(z, h_tilde, h_prev, expected_h, expected_jacobian):
    def check():
        cell = _forced_gru_cell(z, h_tilde)
        x, h = torch.zeros(1, 1, dtype=DOUBLE), torch.tensor([h_prev], dtype=DOUBLE)
        assert torch.allclose(cell(x, h)[0], torch.tensor(expected_h, dtype=DOUBLE)), "h_t"
        # d h_t / d z_t by autograd through the module: differentiate in the z-logits (its biases),
        # then divide each column by sigma' = z (1 - z).
        units, others = len(z), dict(cell.named_parameters())
        r_part, z_part, n_part = others["bias_ih"].detach().split(units)

        def new_state(z_logits):
            bias_ih = torch.cat([r_part, z_logits, n_part])
            return torch.func.functional_call(cell, {**others, "bias_ih": bias_ih}, (x, h))[0]

        in_logits = torch.autograd.functional.jacobian(new_state, z_part.clone())
        z_values = torch.tensor(z, dtype=DOUBLE)
        in_z = in_logits / (z_values * (1 - z_values))
        assert torch.allclose(in_z, torch.tensor(expected_jacobian, dtype=DOUBLE)), (in_z, expected_jacobian)
    return check


def gru_gating():
    found = []
    for z, h_tilde, h_prev in [((0.2, 0.5, 0.9), (0.6, -0.4, 0.8), (0.1, 0.2, -0.5)),
                               ((0.7, 0.1, 0.4), (-0.2, 0.9, 0.5), (0.6, -0.3, 0.0)),
                               ((0.25, 0.75), (0.4, -0.8), (-0.4, 0.4))]:
        z_, h_tilde_, h_prev_ = (np.array(v) for v in (z, h_tilde, h_prev))
        # The worked solution's new_state: the gating multiplies element by element.
        h = (1 - z_) * h_tilde_ + z_ * h_prev_
        jacobian = np.diag(h_prev_ - h_tilde_)          # dh_t/dz_t: unit j uses z_j only
        units = len(z)
        first = (f"(1 - {number(z[0])}) \\cdot {_factor(h_tilde[0])} + {number(z[0])} \\cdot "
                 f"{_factor(h_prev[0])} = {_short(h[0])}")
        found.append(Variant(
            givens=f"A GRU with {units} hidden units at step $t$: update gate $z_t = {_vector(z)}$, candidate "
                   f"$\\tilde h_t = {_vector(h_tilde)}$, previous state $h_{{t-1}} = {_vector(h_prev)}$. With "
                   f"$h_t = (1 - z_t) \\odot \\tilde h_t + z_t \\odot h_{{t-1}}$, compute $h_t$ and the Jacobian "
                   f"$\\partial h_t / \\partial z_t$. Which operation does the gating, then?",
            answer=f"$h_t = {_vector(h)}$; $\\partial h_t / \\partial z_t = \\operatorname{{diag}}"
                   f"{_vector(np.diag(jacobian))}$, diagonal: the gating is the element-wise (Hadamard) product.",
            working=f"Unit 1: ${first}$. Unit $j$ of $h_t$ depends on $z_{{t,j}}$ alone, with slope "
                    f"$h_{{t-1,j}} - \\tilde h_{{t,j}}$.",
            check=_gru_gating_check(z, h_tilde, h_prev, h, jacobian)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 CT3 Q1(b): one LSTM cell-state update from given gate values
# ---------------------------------------------------------------------------------------------

def _forced_lstm_cell_check(c_prev, f, i, o, c_tilde, expected_c, expected_h):
    def check():
        # A real nn.LSTMCell forced to these gate values: zero weights, biases set to the gates'
        # logits (and atanh of the candidate), in PyTorch's order i, f, g (= C~), o.
        units = len(c_prev)
        cell = nn.LSTMCell(input_size=1, hidden_size=units).double()
        with torch.no_grad():
            cell.weight_ih.zero_(), cell.weight_hh.zero_(), cell.bias_hh.zero_()
            biases = ([_logit(p) for p in i] + [_logit(p) for p in f] + [math.atanh(v) for v in c_tilde]
                      + [_logit(p) for p in o])
            cell.bias_ih.copy_(torch.tensor(biases, dtype=DOUBLE))
        h, c = cell(torch.zeros(1, 1, dtype=DOUBLE),
                    (torch.zeros(1, units, dtype=DOUBLE), torch.tensor([c_prev], dtype=DOUBLE)))
        assert torch.allclose(c[0], torch.tensor(expected_c, dtype=DOUBLE)), (c, expected_c)
        assert torch.allclose(h[0], torch.tensor(expected_h, dtype=DOUBLE)), (h, expected_h)
    return check


def lstm_step_from_gates():
    found = []
    for c_prev, f, i, o, c_tilde in [
        ((0.5, -0.3, 0.6), (0.5, 1, 0), (0, 1, 1), (1, 0.5, 1), (0.2, 0.4, -0.3)),
        ((1.0, 0.4), (0.8, 0.5), (0.5, 1), (0.5, 1), (0.6, -0.9)),
        ((-0.4, 0.9, 0.3), (1, 0, 0.5), (0.5, 0.5, 0), (0, 1, 1), (0.8, 0.6, 0.7)),
    ]:
        c, h = lstm_cell_update(c_prev, f, i, o, c_tilde)
        found.append(Variant(
            givens=f"An LSTM cell state $C_t$ has dimension {len(c_prev)}. Given $C_{{t-1}} = {_vector(c_prev)}$, "
                   f"$f_t = {_vector(f)}$, $i_t = {_vector(i)}$, $o_t = {_vector(o)}$ and "
                   f"$\\tilde C_t = {_vector(c_tilde)}$, compute $C_t$ and $h_t$.",
            answer=f"$C_t = {_vector(c)}$ and $h_t = o_t \\odot \\tanh C_t \\approx {_vector(h)}$",
            working=f"Unit 1: $C_t = {number(f[0])} \\cdot {_factor(c_prev[0])} + {number(i[0])} \\cdot "
                    f"{_factor(c_tilde[0])} = {_short(c[0])}$, $h_t = {number(o[0])} \\cdot "
                    f"\\tanh({_short(c[0])}) = {_short(h[0])}$; likewise unit by unit.",
            check=_forced_lstm_cell_check(c_prev, f, i, o, c_tilde, c, h)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 CT3 Q3: shapes and parameters of one LSTM (or GRU) cell
# ---------------------------------------------------------------------------------------------

GATED_CELLS = {
    # cell: (dlref count, PyTorch module, asked gate, the state named in the question, gate row block)
    "LSTM": (lstm_parameter_count, nn.LSTMCell, "f", "c_t", 1),   # PyTorch stacks i, f, g, o
    "GRU": (gru_parameter_count, nn.GRUCell, "z", "h_t", 1),      # PyTorch stacks r, z, n
}


ARTICLE = {"LSTM": "an", "GRU": "a"}


def _cell_count_check(cell, n_x, n_h, gate_shape, with_biases, weights_only):
    def check():
        module, block = GATED_CELLS[cell][1](n_x, n_h), GATED_CELLS[cell][4]
        rows = slice(block * n_h, (block + 1) * n_h)
        # The gate's block of [W_hh | W_ih] acts on [h_{t-1}, x_t].
        joint = torch.cat([module.weight_hh[rows], module.weight_ih[rows]], dim=1)
        assert tuple(joint.shape) == gate_shape and module.bias_ih[rows].numel() == n_h
        assert _count(GATED_CELLS[cell][1](n_x, n_h, bias=False)) == weights_only
        # PyTorch keeps two bias vectors per gate; the equations have one.
        assert _count(module) - module.bias_hh.numel() == with_biases
    return check


def cell_shapes_and_parameters():
    found = []
    for cell, n_x, n_h in [("LSTM", 4, 2), ("LSTM", 3, 5), ("GRU", 6, 4)]:
        count, _, gate, state, _ = GATED_CELLS[cell]
        with_biases, weights_only = count(n_x, n_h, bias_vectors=1), count(n_x, n_h, bias_vectors=0)
        pytorch = count(n_x, n_h, bias_vectors=2)
        gate_shape = (n_h, n_h + n_x)
        blocks = with_biases.biases // n_h
        found.append(Variant(
            givens=f"For {ARTICLE[cell]} {cell} cell, $x_t$ has dimension {n_x} and ${state}$ has dimension {n_h}. "
                   f"(a) What is the dimension of $W_{gate}$? (b) Of $b_{gate}$? (c) What is the total number "
                   f"of parameters (weight values) of the cell?",
            answer=f"(a) $W_{gate}$ is ${shape(*gate_shape)}$; (b) $b_{gate}$ has {n_h} entries; (c) "
                   f"${number(with_biases.total)}$ parameters (${number(with_biases.weights)}$ weights and "
                   f"${number(with_biases.biases)}$ biases), ${number(weights_only.total)}$ if \"weight values\" "
                   f"means the weight matrices alone.",
            working=f"$[h_{{t-1}}, x_t]$ has ${n_h} + {n_x} = {n_h + n_x}$ entries; {blocks} blocks: "
                    f"${blocks} \\cdot ({n_h * (n_h + n_x)} + {n_h}) = {number(with_biases.total)}$. PyTorch's "
                    f"`nn.{cell}Cell({n_x}, {n_h})` reports ${number(pytorch.total)}$ (two bias vectors per gate).",
            check=_cell_count_check(cell, n_x, n_h, gate_shape, with_biases.total, weights_only.total)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q3(a): a fixed-window neural language model
# ---------------------------------------------------------------------------------------------

class _FixedWindowLM(nn.Module):
    """Embed the context words, concatenate, one hidden layer, a score per word (no biases)."""

    def __init__(self, vocab, dim, context, hidden):
        super().__init__()
        # from_pretrained skips the normal_ initialisation, which is slow to set up on the meta device;
        # freeze=False keeps the vectors trainable (the "learned" reading).
        self.embed = nn.Embedding.from_pretrained(torch.empty(vocab, dim), freeze=False)
        self.hidden = nn.Linear(context * dim, hidden, bias=False)
        self.out = nn.Linear(hidden, vocab, bias=False)


def _fixed_window_check(vocab, dim, context, hidden, given, learned):
    def check():
        with torch.device("meta"):          # counts only: no memory for the large output layer
            model = _FixedWindowLM(vocab, dim, context, hidden)
        assert _count(model) == learned, (_count(model), learned)
        assert _count(model) - model.embed.weight.numel() == given
    return check


def fixed_window_language_model():
    found = []
    for context, vocab, dim, hidden in [(3, 20_000, 100, 64), (5, 10_000, 50, 100), (2, 30_000, 200, 128)]:
        given = fixed_window_lm_parameter_count(vocab, dim, context, hidden, learned_embeddings=False, bias=False)
        learned = fixed_window_lm_parameter_count(vocab, dim, context, hidden, learned_embeddings=True, bias=False)
        inputs = context * dim
        found.append(Variant(
            givens=f"A fixed-window neural language model predicts the next word from the previous {context}. "
                   f"The vocabulary has ${number(vocab)}$ words, each represented by a {dim}-dimensional vector, "
                   f"and the hidden layer has {hidden} units. How many parameters must be learned? Ignore the "
                   f"biases.",
            answer=f"${number(given.total)}$ if the word vectors are given; ${number(learned.total)}$ if they "
                   f"are learned as well.",
            working=f"${context} \\cdot {dim} = {number(inputs)}$ inputs: ${number(inputs)} \\cdot {hidden} + "
                    f"{hidden} \\cdot {number(vocab)} = {number(given.total)}$; the embeddings add "
                    f"${number(vocab)} \\cdot {dim} = {number(vocab * dim)}$.",
            check=_fixed_window_check(vocab, dim, context, hidden, given.total, learned.total)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q3(b): a Bi-LSTM tagger
# ---------------------------------------------------------------------------------------------

def _bilstm_tagger_check(embedding_dim, forward_hidden, backward_hidden, tags, expected):
    def check():
        with torch.device("meta"):
            if forward_hidden == backward_hidden:    # PyTorch's own bidirectional layer, when it can
                lstms = [nn.LSTM(embedding_dim, forward_hidden, bias=False, bidirectional=True)]
            else:
                lstms = [nn.LSTM(embedding_dim, size, bias=False) for size in (forward_hidden, backward_hidden)]
            tagger = nn.Linear(forward_hidden + backward_hidden, tags, bias=False)
        total = sum(_count(lstm) for lstm in lstms) + _count(tagger)
        assert total == expected, (total, expected)
    return check


def bilstm_tagger():
    found = []
    for entity_types, embedding_dim, forward_hidden, backward_hidden in [(4, 100, 64, 32), (2, 50, 100, 100),
                                                                         (5, 200, 128, 64)]:
        tags = 2 * entity_types + 1                 # B- and I- for each type, plus O
        forward = lstm_parameter_count(input_size=embedding_dim, hidden_size=forward_hidden, bias_vectors=0)
        backward = lstm_parameter_count(input_size=embedding_dim, hidden_size=backward_hidden, bias_vectors=0)
        concatenated = forward_hidden + backward_hidden
        output = dense_parameter_count(concatenated, tags, bias=False)
        total = forward.total + backward.total + output.total
        found.append(Variant(
            givens=f"A Bi-LSTM tags named entities of {entity_types} types in the BIO scheme. Each word has a "
                   f"{embedding_dim}-dimensional embedding; the forward LSTM has {forward_hidden} hidden units "
                   f"and the backward LSTM {backward_hidden}. How many parameters must be trained? Ignore the "
                   f"biases (and the embeddings, which are inputs).",
            answer=f"${number(total)}$: ${number(forward.total)}$ (forward) $+ \\; {number(backward.total)}$ "
                   f"(backward) $+ \\; {number(output.total)}$ (output layer)",
            working=f"${entity_types} \\cdot 2 + 1 = {tags}$ tags; $4 \\cdot {forward_hidden} \\cdot "
                    f"({forward_hidden} + {embedding_dim}) = {number(forward.total)}$, $4 \\cdot {backward_hidden} "
                    f"\\cdot ({backward_hidden} + {embedding_dim}) = {number(backward.total)}$, "
                    f"${concatenated} \\cdot {tags} = {number(output.total)}$.",
            check=_bilstm_tagger_check(embedding_dim, forward_hidden, backward_hidden, tags, total)))
    return found


# ---------------------------------------------------------------------------------------------
# Scalar RNNs: a real nn.RNNCell with the weights copied in, for the BPTT checks
# ---------------------------------------------------------------------------------------------

def _scalar_rnn_cell(w_xh, w_hh, b_h=0.0):
    cell = nn.RNNCell(input_size=1, hidden_size=1, nonlinearity="tanh").double()
    with torch.no_grad():
        cell.weight_ih.fill_(w_xh), cell.weight_hh.fill_(w_hh)
        cell.bias_ih.fill_(b_h), cell.bias_hh.zero_()
    return cell


def _rnn_states_text(hs):
    return ", ".join(f"h_{t} = {_short(h)}" for t, h in enumerate(hs, start=1))


# ---------------------------------------------------------------------------------------------
# Assignment Q3: unrolling an RNN over three steps (h_3 and how x_1 still reaches it)
# ---------------------------------------------------------------------------------------------

def _unrolled_rnn_check(w_xh, w_hh, b_h, xs, expected_states, expected_dh3_dx1):
    def check():
        cell = _scalar_rnn_cell(w_xh, w_hh, b_h)

        def unrolled(inputs):                       # the same cell, so the same weights, every step
            h, states = torch.zeros(1, 1, dtype=DOUBLE), []
            for x in inputs:
                h = cell(x.reshape(1, 1), h)
                states.append(h.reshape(()))
            return torch.stack(states)

        inputs = torch.tensor(xs, dtype=DOUBLE)
        assert torch.allclose(unrolled(inputs), torch.tensor(expected_states, dtype=DOUBLE))
        jacobian = torch.autograd.functional.jacobian(lambda v: unrolled(v)[-1], inputs)
        assert math.isclose(jacobian[0].item(), expected_dh3_dx1, rel_tol=1e-9), (jacobian, expected_dh3_dx1)
    return check


def unrolled_rnn():
    found = []
    for w_xh, w_hh, b_h, xs in [(0.5, 0.8, 0.0, (1.0, -1.0, 2.0)), (1.0, -0.5, 0.1, (0.5, 0.2, -0.3)),
                                (0.4, 1.2, -0.2, (2.0, 0.0, 1.0))]:
        W_xh, W_hh = np.array([[w_xh]]), np.array([[w_hh]])
        hs = rnn_forward(np.array(xs), np.zeros(1), W_xh, W_hh, np.array([b_h]))
        h1, h2, h3 = hs
        # As in the worked solution: dh_3/dx_1 = J_3 J_2 diag(1 - h_1^2) W_xh, J_t = diag(1 - h_t^2) W_hh.
        J2, J3 = rnn_step_jacobian(h2, W_hh), rnn_step_jacobian(h3, W_hh)
        dh3_dx1 = float((J3 @ J2 @ ((1 - h1 ** 2)[:, None] * W_xh))[0, 0])
        bias = f" {_plus(b_h)}" if b_h else ""
        bias_text = f", b_h = {number(b_h)}" if b_h else ", b_h = 0"
        found.append(Variant(
            givens=f"A scalar RNN $h_t = \\tanh(w_{{xh}} x_t + w_{{hh}} h_{{t-1}} + b_h)$ with "
                   f"$w_{{xh}} = {number(w_xh)}, w_{{hh}} = {number(w_hh)}{bias_text}$ and $h_0 = 0$ reads "
                   f"$x = [{', '.join(number(x) for x in xs)}]$. Unroll it: compute $h_1$, $h_2$, $h_3$, and "
                   f"$\\partial h_3 / \\partial x_1$, how strongly the first input still reaches $h_3$.",
            answer=f"${_rnn_states_text(hs[:, 0])}$; $\\partial h_3 / \\partial x_1 = {_significant(dh3_dx1)}$",
            working=f"$h_1 = \\tanh({number(w_xh)} \\cdot {_factor(xs[0])}{bias}) = {_short(h1[0])}$, "
                    + ", ".join(f"$h_{t} = \\tanh({number(w_xh)} \\cdot {_factor(xs[t - 1])} {_plus(w_hh)} "
                                f"\\cdot {_factor(hs[t - 2, 0])}{bias}) = {_short(hs[t - 1, 0])}$" for t in (2, 3))
                    + f"; $\\partial h_3 / \\partial x_1 = (1 - h_3^2)\\, w_{{hh}}\\, (1 - h_2^2)\\, w_{{hh}}\\, "
                    f"(1 - h_1^2)\\, w_{{xh}} = {_significant(dh3_dx1)}$.",
            check=_unrolled_rnn_check(w_xh, w_hh, b_h, xs, hs[:, 0], dh3_dx1)))
    return found


# ---------------------------------------------------------------------------------------------
# Assignment Q4: dL/dh_1 through h_2 and h_3, and how the product of factors vanishes or explodes
# ---------------------------------------------------------------------------------------------

def _first_state_gradient_check(w_xh, w_hh, xs, dL_dh_last, expected):
    def check():
        cell = _scalar_rnn_cell(w_xh, w_hh)
        inputs = torch.tensor(xs, dtype=DOUBLE).reshape(-1, 1, 1)
        # h_1 as a leaf: autograd then reports dL/dh_1 through every later step.
        h1 = cell(inputs[0], torch.zeros(1, 1, dtype=DOUBLE)).detach().requires_grad_()
        h = h1
        for x in inputs[1:]:
            h = cell(x, h)
        (h.reshape(()) * dL_dh_last).backward()       # a loss whose gradient at h_T is dL_dh_last
        assert math.isclose(h1.grad.item(), expected, rel_tol=1e-9), (h1.grad, expected)
    return check


def _gradient_through_h2_variant(w_xh, w_hh, xs, dL_dh3):
    W_xh, W_hh = np.array([[w_xh]]), np.array([[w_hh]])
    h1, h2, h3 = rnn_forward(np.array(xs), np.zeros(1), W_xh, W_hh)
    J2, J3 = rnn_step_jacobian(h2, W_hh), rnn_step_jacobian(h3, W_hh)
    dL_dh1 = float((J2.T @ J3.T @ np.array([dL_dh3]))[0])
    return Variant(
        givens=f"The scalar RNN $h_t = \\tanh(w_{{xh}} x_t + w_{{hh}} h_{{t-1}})$, $w_{{xh}} = {number(w_xh)}$, "
               f"$w_{{hh}} = {number(w_hh)}$, $h_0 = 0$, reads $x = [{', '.join(number(x) for x in xs)}]$; the "
               f"loss sits on the last step with $\\partial L / \\partial h_3 = {number(dL_dh3)}$. Compute "
               f"$\\partial L / \\partial h_1$ by the chain rule through $h_2$.",
        answer=f"$\\partial L / \\partial h_1 = {_significant(dL_dh1)}$ "
               f"(with ${_rnn_states_text([h1[0], h2[0], h3[0]])}$)",
        working=f"$\\frac{{\\partial h_2}}{{\\partial h_1}} = (1 - h_2^2)\\, w_{{hh}} = {_short(J2[0, 0], 4)}$, "
                f"$\\frac{{\\partial h_3}}{{\\partial h_2}} = (1 - h_3^2)\\, w_{{hh}} = {_short(J3[0, 0], 4)}$; "
                f"$\\frac{{\\partial L}}{{\\partial h_1}} = {_factor(J2[0, 0], 4)} \\cdot {_factor(J3[0, 0], 4)} "
                f"\\cdot {_factor(dL_dh3)} = {_significant(dL_dh1)}$",
        check=_first_state_gradient_check(w_xh, w_hh, xs, dL_dh3, dL_dh1))


def _at_rest_gradient(w_hh, steps):
    """dL/dh_1 for a scalar RNN at rest (h_0 = 0, zero inputs) with dL/dh_T = 1, by rnn_bptt."""
    dL_dy = np.zeros((steps, 1))
    dL_dy[-1] = 1.0
    grads = rnn_bptt(np.zeros((steps, 1)), np.zeros(1), np.array([[1.0]]), np.array([[w_hh]]), np.eye(1), dL_dy)
    return float(grads.hidden[0, 0])


def _at_rest_check(cases):
    def check():
        for w_hh, steps, expected in cases:
            _first_state_gradient_check(1.0, w_hh, [0.0] * steps, 1.0, expected)()
    return check


def _at_rest_variant(pairs):
    """Each step of a scalar RNN at rest multiplies the gradient by w_hh tanh'(0) = w_hh."""
    cases = [(w_hh, steps, _at_rest_gradient(w_hh, steps)) for w_hh, steps in pairs]
    asked = " and ".join(f"$w_{{hh}} = {number(w)}, T = {steps}$" for w, steps in pairs)
    return Variant(
        givens=f"A scalar RNN $h_t = \\tanh(w_{{xh}} x_t + w_{{hh}} h_{{t-1}})$ is at rest: $h_0 = 0$ and every "
               f"input is $0$, so every $h_t = 0$. The loss sits on the last step $T$, with "
               f"$\\partial L / \\partial h_T = 1$. Compute $\\partial L / \\partial h_1$ for {asked}: does the "
               f"gradient vanish or explode?",
        answer="; ".join(f"${number(w)}^{{{steps - 1}}} = {_significant(g)}$" for w, steps, g in cases),
        working="At rest $\\tanh'(0) = 1$, so each of the $T - 1$ factors $(1 - h_t^2)\\, w_{hh}$ is $w_{hh}$: "
                "$\\partial L / \\partial h_1 = w_{hh}^{T-1}$, geometric decay for $|w_{hh}| < 1$, growth for "
                "$|w_{hh}| > 1$.",
        check=_at_rest_check(cases))


def gradient_through_h2():
    return [_gradient_through_h2_variant(1.0, 0.9, (0.5, -0.5, 1.0), 2.0),
            _gradient_through_h2_variant(0.6, -1.5, (1.0, 1.0, -1.0), 1.0),
            _at_rest_variant([(0.5, 11), (1.5, 11)]),
            _at_rest_variant([(0.9, 11), (0.9, 51)])]


# ---------------------------------------------------------------------------------------------
# CSE641 Quiz 2 Q13: dL/dU by BPTT, for a scalar RNN with a squared-error loss
# ---------------------------------------------------------------------------------------------

def _bptt_check(u, w, v, s0, xs, targets, expected):
    def check():
        U = torch.tensor(u, dtype=DOUBLE, requires_grad=True)
        s, loss = torch.tensor(s0, dtype=DOUBLE), 0.0
        for x, target in zip(xs, targets):
            s = torch.tanh(U * s + w * x)
            loss = loss + 0.5 * (v * s - target) ** 2
        loss.backward()
        assert math.isclose(U.grad.item(), expected, rel_tol=1e-9), (U.grad, expected)
    return check


def bptt_recurrent_weight():
    found = []
    for u, w, v, s0, xs, targets in [(0.5, 1.0, 2.0, 0.2, (1.0, -0.5), (1.0, 0.0)),
                                     (-0.8, 0.5, 1.0, 0.5, (0.4, 1.2), (0.5, 0.5)),
                                     (1.2, -1.0, 0.5, 0.0, (0.3, 0.6, -0.2), (0.0, 0.2, -0.1))]:
        s = rnn_forward(np.array(xs), np.array([s0]), W_xh=np.array([[w]]), W_hh=np.array([[u]]))[:, 0]
        dL_dy = v * s - np.array(targets)                 # squared error: dL_t/dy_t = y_t - target_t
        grads = rnn_bptt(np.array(xs), np.array([s0]), W_xh=np.array([[w]]), W_hh=np.array([[u]]),
                         W_hy=np.array([[v]]), dL_dy=dL_dy[:, None])
        dL_dU = float(grads.W_hh[0, 0])
        deltas = (1 - s ** 2) * grads.hidden[:, 0]        # delta_t = (1 - s_t^2) dL/ds_t
        previous = np.concatenate([[s0], s[:-1]])
        steps = len(xs)
        states = ", ".join(f"s_{t} = {_short(value, 4)}" for t, value in enumerate(s, start=1))
        delta_text = ", ".join(f"\\delta_{t} = {_short(d, 4)}" for t, d in enumerate(deltas, start=1))
        terms = " + ".join(f"{_factor(d, 4)} \\cdot {_factor(p, 4)}" for d, p in zip(deltas, previous))
        found.append(Variant(
            givens=f"A scalar RNN $s_t = \\tanh(U s_{{t-1}} + W x_t)$, $y_t = V s_t$ with $U = {number(u)}$, "
                   f"$W = {number(w)}$, $V = {number(v)}$, $s_0 = {number(s0)}$, reads "
                   f"$x = [{', '.join(number(x) for x in xs)}]$ with targets "
                   f"$\\hat y = [{', '.join(number(t) for t in targets)}]$ and loss "
                   f"$L = \\sum_t \\tfrac12 (y_t - \\hat y_t)^2$ over $T = {steps}$ steps. Compute "
                   f"$\\partial L / \\partial U$ by backpropagation through time.",
            answer=f"$\\partial L / \\partial U = {_short(dL_dU, 4)}$",
            working=f"${states}$. Backwards, $\\frac{{\\partial L}}{{\\partial s_t}} = V (y_t - \\hat y_t) + "
                    f"U \\delta_{{t+1}}$ and $\\delta_t = (1 - s_t^2) \\frac{{\\partial L}}{{\\partial s_t}}$: "
                    f"${delta_text}$; $\\frac{{\\partial L}}{{\\partial U}} = \\sum_t \\delta_t s_{{t-1}} = "
                    f"{terms} = {_short(dL_dU, 4)}$",
            check=_bptt_check(u, w, v, s0, xs, targets, dL_dU)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 CT3 Q4: the LSTM cell-state gradient, one step of the recursion
# ---------------------------------------------------------------------------------------------

def _cell_state_recursion_check(dL_dh, o, c, dL_dc_next, f_next, expected):
    def check():
        # c_t reaches the loss through h_t = o * tanh(c_t) and c_{t+1} = f_{t+1} * c_t + (i C~ term);
        # a loss linear in h_t and c_{t+1} with those slopes has the same gradient at c_t.
        c_t = torch.tensor(c, dtype=DOUBLE, requires_grad=True)
        h_t = torch.tensor(o, dtype=DOUBLE) * torch.tanh(c_t)
        c_next = torch.tensor(f_next, dtype=DOUBLE) * c_t + 0.3      # the i * C~ term does not involve c_t
        loss = (torch.tensor(dL_dh, dtype=DOUBLE) * h_t).sum() + (torch.tensor(dL_dc_next, dtype=DOUBLE) * c_next).sum()
        loss.backward()
        assert torch.allclose(c_t.grad, torch.tensor(expected, dtype=DOUBLE)), (c_t.grad, expected)
    return check


def _cell_state_recursion_variant(dL_dh, o, c, dL_dc_next, f_next):
    gradient = lstm_cell_state_gradient(dL_dh, o, c, dL_dc_next, f_next)
    first = (f"{_factor(dL_dh[0])} \\cdot {_factor(o[0])} \\cdot (1 - \\tanh^2 {_factor(c[0])}) + "
             f"{_factor(dL_dc_next[0])} \\cdot {_factor(f_next[0])} = {_short(gradient[0], 4)}")
    return Variant(
        givens=f"In an LSTM's backward pass, at step $t$: $\\partial L / \\partial h_t = {_vector(dL_dh)}$ (the total "
               f"gradient into $h_t$), $o_t = {_vector(o)}$, $c_t = {_vector(c)}$, "
               f"$\\partial L / \\partial c_{{t+1}} = {_vector(dL_dc_next)}$ and $f_{{t+1}} = {_vector(f_next)}$. "
               f"Compute $\\partial L / \\partial c_t$.",
        answer=f"$\\partial L / \\partial c_t = {_vector(gradient, 4)}$",
        working=f"$\\frac{{\\partial L}}{{\\partial c_t}} = \\frac{{\\partial L}}{{\\partial h_t}} \\odot o_t \\odot "
                f"(1 - \\tanh^2 c_t) + \\frac{{\\partial L}}{{\\partial c_{{t+1}}}} \\odot f_{{t+1}}$; unit 1: "
                f"${first}$.",
        check=_cell_state_recursion_check(dL_dh, o, c, dL_dc_next, f_next, gradient))


def _last_step_check(o, c, W_V, label, expected):
    def check():
        c_T = torch.tensor(c, dtype=DOUBLE, requires_grad=True)
        h_T = torch.tensor(o, dtype=DOUBLE) * torch.tanh(c_T)
        scores = torch.tensor(W_V, dtype=DOUBLE) @ h_T
        F.cross_entropy(scores[None], torch.tensor([label])).backward()
        assert torch.allclose(c_T.grad, torch.tensor(expected, dtype=DOUBLE)), (c_T.grad, expected)
    return check


def _last_step_variant(o, c, W_V, label):
    o_, c_, W = np.array(o), np.array(c), np.array(W_V)
    h = o_ * np.tanh(c_)
    scores = W @ h
    y_hat = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    target = np.eye(len(scores))[label]
    dL_dh = W.T @ (y_hat - target)                          # softmax + cross-entropy: dL/dV_T = y_hat - y
    gradient = lstm_cell_state_gradient(dL_dh, o_, c_)      # the last step: no c_{T+1}
    # Rows written out: the pages have no matrix notation.
    rows = " and ".join(f"${_vector(row)}$" for row in W_V)
    return Variant(
        givens=f"An LSTM's loss sits on the last step only: $V_T = W_V h_T$, $\\hat y_T = \\operatorname{{softmax}}"
               f"(V_T)$, cross-entropy with the one-hot target $y = {_vector(target)}$. At step $T$: "
               f"$o_T = {_vector(o)}$, $c_T = {_vector(c)}$, and $W_V$ has the rows {rows}. Compute "
               f"$\\partial L / \\partial c_T$.",
        answer=f"$\\partial L / \\partial c_T = {_vector(gradient, 4)}$",
        working=f"$h_T = o_T \\odot \\tanh c_T = {_vector(h, 4)}$, $\\hat y_T = {_vector(y_hat, 4)}$, "
                f"$\\partial L / \\partial h_T = W_V^\\top (\\hat y_T - y) = {_vector(dL_dh, 4)}$; at the last step "
                f"only the first term: $\\partial L / \\partial h_T \\odot o_T \\odot (1 - \\tanh^2 c_T)$.",
        check=_last_step_check(o, c, W_V, label, gradient))


def lstm_cell_state_gradients():
    return [_cell_state_recursion_variant((0.5, -1.0), (0.8, 0.5), (0.3, -0.6), (0.2, 0.4), (0.9, 0.5)),
            _cell_state_recursion_variant((1.0, 0.0, -0.5), (0.5, 0.9, 1.0), (0.0, 1.0, 0.5), (-0.4, 1.0, 0.2),
                                          (1.0, 0.6, 0.0)),
            _last_step_variant((0.5, 1.0), (0.4, -0.2), ((1.0, -1.0), (0.5, 2.0)), label=0)]


# ---------------------------------------------------------------------------------------------
# End-Sem Winter 2025 Q22: how much of C_0 survives T steps of constant gates
# ---------------------------------------------------------------------------------------------

def _memory_by_autograd(f, i, steps):
    """dC_T/dC_0 through the recursion C_t = f C_{t-1} + i C~_t, run in PyTorch (C~_t = 1)."""
    c0 = torch.tensor(1.0, dtype=DOUBLE, requires_grad=True)
    c = c0
    for _ in range(steps):
        c = f * c + i * 1.0
    c.backward()
    return c0.grad.item()


def _gate_choice_check(pairs, steps, expected_memory, expected_letter):
    def check():
        memory = {letter: _memory_by_autograd(f, i, steps) for letter, (f, i) in pairs.items()}
        for letter, value in memory.items():
            assert math.isclose(value, expected_memory[letter], rel_tol=1e-9), (letter, value)
        learning = {letter: value for letter, value in memory.items() if pairs[letter][1] > 0}
        assert max(learning, key=learning.get) == expected_letter
    return check


def _gate_choice_variant(pairs, steps):
    memory = {letter: f ** steps for letter, (f, i) in pairs.items()}
    # Long memory *and* new information: the largest f^T among the pairs with i > 0.
    learning = [letter for letter, (f, i) in pairs.items() if i > 0]
    best = max(learning, key=lambda letter: memory[letter])
    listed = "; ".join(f"({letter}) $f = {number(f)}, i = {number(i)}$" for letter, (f, i) in pairs.items())
    values = ", ".join(f"({letter}) ${_significant(memory[letter])}$" for letter in pairs)
    f_best, i_best = pairs[best]
    return Variant(
        givens=f"In an LSTM with $C_t = f_t C_{{t-1}} + i_t \\tilde C_t$ the forget and input gates are held "
               f"constant. Compute $f^{{{steps}}}$, the share of $C_0$ left after $T = {steps}$ steps, for each pair, "
               f"and pick the pair with the strongest long-term memory that still lets new information in "
               f"($i > 0$): {listed}.",
        answer=f"({best}) $f = {number(f_best)}, i = {number(i_best)}$; $f^{{{steps}}}$: {values}",
        working=f"$C_T = f^T C_0 + i \\sum_{{k=0}}^{{T-1}} f^k \\tilde C_{{T-k}}$; among the pairs with $i > 0$, "
                f"${number(f_best)}^{{{steps}}} = {_significant(memory[best])}$ is the largest.",
        check=_gate_choice_check(pairs, steps, memory, best))


def _half_life_check(f, horizons, expected_memory, expected_half_life):
    def check():
        for steps, expected in zip(horizons, expected_memory):
            assert math.isclose(_memory_by_autograd(f, 0.0, steps), expected, rel_tol=1e-9)
        powers = torch.tensor(f, dtype=DOUBLE) ** torch.arange(1, 1000, dtype=DOUBLE)
        first_below = int(torch.nonzero(powers < 0.5)[0]) + 1
        assert first_below == expected_half_life, (first_below, expected_half_life)
    return check


def _half_life_variant(f, horizons):
    memory = [f ** steps for steps in horizons]
    half_life = math.ceil(math.log(0.5) / math.log(f))      # the first T with f^T < 1/2
    asked = " and ".join(f"$T = {steps}$" for steps in horizons)
    return Variant(
        givens=f"An LSTM's forget gate is held at $f = {number(f)}$. What share of $C_0$ is left in $C_T$ after "
               f"{asked}? After how many steps is less than half of it left?",
        answer=", ".join(f"${number(f)}^{{{steps}}} = {_significant(m)}$" for steps, m in zip(horizons, memory))
               + f"; below one half from $T = {half_life}$ on",
        working=f"$f^T < \\tfrac12 \\iff T > \\ln 2 / (-\\ln {number(f)}) = {_short(math.log(2) / -math.log(f), 2)}$.",
        check=_half_life_check(f, horizons, memory, half_life))


def forget_gate_memory():
    return [_gate_choice_variant({"a": (0.95, 0.05), "b": (1.0, 0.0), "c": (0.8, 0.6), "d": (0.98, 0.02)}, 50),
            _gate_choice_variant({"a": (0.6, 0.4), "b": (0.999, 0.001), "c": (1.0, 0.0), "d": (0.9, 0.5)}, 20),
            _half_life_variant(0.97, (10, 100))]


PRACTICE = {
    "cse641-quiz2-q2": lstm_gate_by_hand,
    "cse641-quiz2-q11": gru_gating,
    "cs60010-ct3-q1": lstm_step_from_gates,
    "cs60010-ct3-q3": cell_shapes_and_parameters,
    "cs60010-endsem-q3a": fixed_window_language_model,
    "cs60010-endsem-q3b": bilstm_tagger,
    "modern-arch-assignment-q3": unrolled_rnn,
    "modern-arch-assignment-q4": gradient_through_h2,
    "cse641-quiz2-q13": bptt_recurrent_weight,
    "cs60010-ct3-q4": lstm_cell_state_gradients,
    "endsem-winter-2025-q22": forget_gate_memory,
}

NO_PRACTICE = {
    "cse641-quiz2-q1": "conceptual: which activation and which inputs each LSTM gate uses; no numbers to vary "
                       "(one gate computed with numbers is practised under CSE641 Quiz 2 Q2)",
    "cse641-quiz2-q6": "conceptual: which PyTorch call resets a carried LSTM state (detach_ or a zero state); "
                       "no numbers to vary",
}
