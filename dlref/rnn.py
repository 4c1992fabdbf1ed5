"""Recurrent networks: RNN, LSTM and GRU cells, backpropagation through time, parameter counts.

Conventions (those of the exam papers):

* vectors are 1-D arrays; a sequence is a ``(T, n)`` array whose row ``t - 1`` is step ``t``;
* every gate acts on the concatenation ``[h_{t-1}, x_t]`` (hidden state *first*), so a gate's weight
  matrix is ``(n_h, n_h + n_x)`` and has one bias vector ``(n_h,)``;
* LSTM: ``f, i, o = sigma(W_{f,i,o} [h_{t-1}, x_t] + b)``, ``C~ = tanh(W_C [h_{t-1}, x_t] + b_C)``,
  ``C_t = f * C_{t-1} + i * C~``, ``h_t = o * tanh(C_t)`` (``*`` is the element-wise product);
* GRU (Cho et al. 2014, the convention PyTorch follows): ``z, r = sigma(W_{z,r} [h_{t-1}, x_t] + b)``,
  ``h~ = tanh(W_h [r * h_{t-1}, x_t] + b_h)``, ``h_t = (1 - z) * h~ + z * h_{t-1}``.

PyTorch differs in bookkeeping only: it stores ``W_ih`` and ``W_hh`` separately with the gates stacked
in the order (i, f, g, o) for the LSTM and (r, z, n) for the GRU, and it keeps *two* bias vectors per
gate (``b_ih`` and ``b_hh``), whose sum plays the role of our single ``b``. See
:func:`lstm_weights_from_pytorch` and :func:`recurrent_parameter_count`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlref import _checks
from dlref.cnn import ParameterCount, dense_parameter_count


def sigmoid(z) -> np.ndarray:
    """``sigma(z) = 1 / (1 + exp(-z))``, computed without overflow for large ``|z|``."""
    z = np.asarray(z, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -z))


def _vector(name: str, value, size: int | None = None) -> np.ndarray:
    vector = _checks.array(name, value, 1)
    if size is not None and vector.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},), got {vector.shape}")
    return vector


def _matrix(name: str, value, shape: tuple[int, int]) -> np.ndarray:
    matrix = _checks.array(name, value, 2)
    if matrix.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {matrix.shape}")
    return matrix


def _sequence(name: str, value) -> np.ndarray:
    sequence = _checks.array(name, value, (1, 2))
    return sequence[:, None] if sequence.ndim == 1 else sequence  # a scalar input per step


# ---------------------------------------------------------------------------------------------
# Vanilla RNN
# ---------------------------------------------------------------------------------------------

def rnn_cell(x, h_prev, W_xh, W_hh, b_h=None) -> np.ndarray:
    """One step of the Elman RNN: ``h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)``.

    Shapes: ``x (n_x,)``, ``h_prev (n_h,)``, ``W_xh (n_h, n_x)``, ``W_hh (n_h, n_h)``, ``b_h (n_h,)``.
    """
    h_prev = _vector("h_prev", h_prev)
    n_h = h_prev.shape[0]
    x = _vector("x", x)
    W_xh = _matrix("W_xh", W_xh, (n_h, x.shape[0]))
    W_hh = _matrix("W_hh", W_hh, (n_h, n_h))
    b_h = np.zeros(n_h) if b_h is None else _vector("b_h", b_h, n_h)
    return np.tanh(W_xh @ x + W_hh @ h_prev + b_h)


def rnn_forward(xs, h0, W_xh, W_hh, b_h=None) -> np.ndarray:
    """The RNN unrolled over ``xs (T, n_x)`` from ``h0``; returns ``h_1 ... h_T`` as ``(T, n_h)``."""
    xs = _sequence("xs", xs)
    h = _vector("h0", h0)
    states = []
    for x in xs:
        h = rnn_cell(x, h, W_xh, W_hh, b_h)
        states.append(h)
    return np.array(states)


def rnn_step_jacobian(h_t, W_hh) -> np.ndarray:
    """``dh_t / dh_{t-1} = diag(1 - h_t^2) W_hh`` (tanh' written with the step's own output)."""
    h_t = _vector("h_t", h_t)
    W_hh = _matrix("W_hh", W_hh, (h_t.shape[0], h_t.shape[0]))
    return (1.0 - h_t ** 2)[:, None] * W_hh


class RNNGradients(NamedTuple):
    """Gradients of the loss for an RNN with outputs ``y_t = W_hy h_t + b_y``."""

    W_xh: np.ndarray
    W_hh: np.ndarray
    b_h: np.ndarray
    W_hy: np.ndarray
    b_y: np.ndarray
    h0: np.ndarray
    hidden: np.ndarray  # (T, n_h): the total dL/dh_t, through every later step


def rnn_bptt(xs, h0, W_xh, W_hh, W_hy, dL_dy, b_h=None) -> RNNGradients:
    """Backpropagation through time for the RNN ``h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)``,
    ``y_t = W_hy h_t + b_y``, given ``dL_dy (T, n_y)``, the gradient of the loss w.r.t. each output.

    Backwards from ``t = T`` (with ``delta_{T+1} = 0``)::

        dL/dh_t  = W_hy^T dL/dy_t + W_hh^T delta_{t+1}      (through y_t, and through h_{t+1})
        delta_t  = (1 - h_t^2) * dL/dh_t                    (through tanh: dL/d(pre-activation))
        dL/dW_hh = sum_t delta_t h_{t-1}^T,   dL/dW_xh = sum_t delta_t x_t^T,   dL/db_h = sum_t delta_t
        dL/dW_hy = sum_t dL/dy_t h_t^T,       dL/db_y  = sum_t dL/dy_t,         dL/dh_0 = W_hh^T delta_1
    """
    xs = _sequence("xs", xs)
    hs = rnn_forward(xs, h0, W_xh, W_hh, b_h)
    steps, n_h = hs.shape
    W_hy = _checks.array("W_hy", W_hy, 2)
    if W_hy.shape[1] != n_h:
        raise ValueError(f"W_hy must have {n_h} columns (the hidden size), got shape {W_hy.shape}")
    dL_dy = _matrix("dL_dy", dL_dy, (steps, W_hy.shape[0]))
    W_hh = np.asarray(W_hh, dtype=np.float64)
    previous = np.vstack([_vector("h0", h0)[None], hs[:-1]])  # h_{t-1} for t = 1..T

    grads = {name: np.zeros_like(np.asarray(value, dtype=np.float64))
             for name, value in (("W_xh", W_xh), ("W_hh", W_hh), ("W_hy", W_hy))}
    db_h, db_y = np.zeros(n_h), np.zeros(W_hy.shape[0])
    hidden = np.zeros((steps, n_h))
    delta_next = np.zeros(n_h)
    for t in reversed(range(steps)):
        hidden[t] = W_hy.T @ dL_dy[t] + W_hh.T @ delta_next
        delta = (1.0 - hs[t] ** 2) * hidden[t]
        grads["W_hh"] += np.outer(delta, previous[t])
        grads["W_xh"] += np.outer(delta, xs[t])
        grads["W_hy"] += np.outer(dL_dy[t], hs[t])
        db_h += delta
        db_y += dL_dy[t]
        delta_next = delta
    return RNNGradients(grads["W_xh"], grads["W_hh"], db_h, grads["W_hy"], db_y,
                        W_hh.T @ delta_next, hidden)


# ---------------------------------------------------------------------------------------------
# LSTM
# ---------------------------------------------------------------------------------------------

class LSTMWeights(NamedTuple):
    """One ``(n_h, n_h + n_x)`` matrix and one ``(n_h,)`` bias per gate, acting on ``[h_{t-1}, x_t]``."""

    W_f: np.ndarray
    W_i: np.ndarray
    W_o: np.ndarray
    W_c: np.ndarray
    b_f: np.ndarray
    b_i: np.ndarray
    b_o: np.ndarray
    b_c: np.ndarray


class LSTMStep(NamedTuple):
    """Everything one LSTM step computes."""

    f: np.ndarray
    i: np.ndarray
    o: np.ndarray
    c_tilde: np.ndarray
    c: np.ndarray
    h: np.ndarray


def lstm_cell_update(c_prev, f, i, o, c_tilde) -> tuple[np.ndarray, np.ndarray]:
    """Given the gate values: ``C_t = f * C_{t-1} + i * C~_t`` and ``h_t = o * tanh(C_t)``."""
    c_prev = _vector("c_prev", c_prev)
    n = c_prev.shape[0]
    f, i, o = (_vector(name, v, n) for name, v in (("f", f), ("i", i), ("o", o)))
    c_tilde = _vector("c_tilde", c_tilde, n)
    c = f * c_prev + i * c_tilde
    return c, o * np.tanh(c)


def _lstm_checked(weights: LSTMWeights, n_h: int, n_x: int) -> LSTMWeights:
    if not isinstance(weights, LSTMWeights):
        raise TypeError(f"weights must be an LSTMWeights, got {type(weights).__name__}")
    matrices = [_matrix(f"weights.{name}", getattr(weights, name), (n_h, n_h + n_x))
                for name in ("W_f", "W_i", "W_o", "W_c")]
    biases = [_vector(f"weights.{name}", getattr(weights, name), n_h) for name in ("b_f", "b_i", "b_o", "b_c")]
    return LSTMWeights(*matrices, *biases)


def lstm_cell(x, h_prev, c_prev, weights: LSTMWeights) -> LSTMStep:
    """One LSTM step in the papers' concatenated form (see the module docstring)."""
    x, h_prev = _vector("x", x), _vector("h_prev", h_prev)
    c_prev = _vector("c_prev", c_prev, h_prev.shape[0])
    w = _lstm_checked(weights, h_prev.shape[0], x.shape[0])
    joint = np.concatenate([h_prev, x])
    f = sigmoid(w.W_f @ joint + w.b_f)
    i = sigmoid(w.W_i @ joint + w.b_i)
    o = sigmoid(w.W_o @ joint + w.b_o)
    c_tilde = np.tanh(w.W_c @ joint + w.b_c)
    c, h = lstm_cell_update(c_prev, f, i, o, c_tilde)
    return LSTMStep(f, i, o, c_tilde, c, h)


def lstm_forward(xs, h0, c0, weights: LSTMWeights) -> list[LSTMStep]:
    """The LSTM unrolled over ``xs (T, n_x)``; returns the ``T`` steps."""
    xs = _sequence("xs", xs)
    h = _vector("h0", h0)
    c = _vector("c0", c0, h.shape[0])
    steps = []
    for x in xs:
        step = lstm_cell(x, h, c, weights)
        steps.append(step)
        h, c = step.h, step.c
    return steps


def lstm_cell_state_gradient(dL_dh_t, o_t, c_t, dL_dc_next=None, f_next=None) -> np.ndarray:
    """The LSTM cell-state recursion of backpropagation through time:

    ``dL/dc_t = dL/dh_t * o_t * (1 - tanh^2(c_t)) + dL/dc_{t+1} * f_{t+1}``

    where ``dL/dh_t`` is the *total* gradient of ``h_t`` (through every later step). ``c_t`` reaches the
    loss only through ``h_t = o_t * tanh(c_t)`` and through ``c_{t+1} = f_{t+1} * c_t + ...``. At the
    last step there is no ``c_{t+1}``: leave ``dL_dc_next`` and ``f_next`` out.
    """
    dL_dh_t = _vector("dL_dh_t", dL_dh_t)
    n = dL_dh_t.shape[0]
    o_t, c_t = _vector("o_t", o_t, n), _vector("c_t", c_t, n)
    gradient = dL_dh_t * o_t * (1.0 - np.tanh(c_t) ** 2)
    if (dL_dc_next is None) != (f_next is None):
        raise ValueError("dL_dc_next and f_next must be given together (both None at the last step)")
    if dL_dc_next is not None:
        gradient = gradient + _vector("dL_dc_next", dL_dc_next, n) * _vector("f_next", f_next, n)
    return gradient


class LSTMGradients(NamedTuple):
    """Gradients of the loss for an LSTM run: per weight, and the total ``dL/dh_t``, ``dL/dc_t``."""

    weights: LSTMWeights
    h: np.ndarray   # (T, n_h)
    c: np.ndarray   # (T, n_h)
    h0: np.ndarray
    c0: np.ndarray


def lstm_bptt(xs, h0, c0, weights: LSTMWeights, dL_dh) -> LSTMGradients:
    """Backpropagation through time for the LSTM, given ``dL_dh (T, n_h)``: the gradient the loss
    sends *directly* into each ``h_t`` (e.g. ``W_V^T (y_hat - y)`` at the steps that have a loss).

    Backwards from ``t = T``, with ``a_g`` the pre-activation of gate ``g`` and ``z_t = [h_{t-1}, x_t]``::

        dL/dh_t  = dL_dh[t] + sum_g W_g[:, :n_h]^T delta_g(t+1)           (h_t feeds every gate at t+1)
        dL/dc_t  = lstm_cell_state_gradient(dL/dh_t, o_t, c_t, dL/dc_{t+1}, f_{t+1})
        delta_o  = dL/dh_t * tanh(c_t) * o(1-o)      delta_f = dL/dc_t * c_{t-1} * f(1-f)
        delta_i  = dL/dc_t * C~_t * i(1-i)           delta_C = dL/dc_t * i_t * (1 - C~_t^2)
        dL/dW_g  = sum_t delta_g(t) z_t^T,            dL/db_g = sum_t delta_g(t)
    """
    xs = _sequence("xs", xs)
    h0, c0 = _vector("h0", h0), _vector("c0", c0)
    steps = lstm_forward(xs, h0, c0, weights)
    w = _lstm_checked(weights, h0.shape[0], xs.shape[1])
    n_h, count = h0.shape[0], len(steps)
    dL_dh = _matrix("dL_dh", dL_dh, (count, n_h))
    grads = {name: np.zeros_like(getattr(w, name)) for name in LSTMWeights._fields}
    total_h, total_c = np.zeros((count, n_h)), np.zeros((count, n_h))
    from_gates = np.zeros(n_h)
    dc_next = f_next = None
    for t in reversed(range(count)):
        step = steps[t]
        h_prev = steps[t - 1].h if t else h0
        c_prev = steps[t - 1].c if t else c0
        total_h[t] = dL_dh[t] + from_gates
        total_c[t] = lstm_cell_state_gradient(total_h[t], step.o, step.c, dc_next, f_next)
        deltas = {
            "f": total_c[t] * c_prev * step.f * (1 - step.f),
            "i": total_c[t] * step.c_tilde * step.i * (1 - step.i),
            "o": total_h[t] * np.tanh(step.c) * step.o * (1 - step.o),
            "c": total_c[t] * step.i * (1 - step.c_tilde ** 2),
        }
        joint = np.concatenate([h_prev, xs[t]])
        from_gates = np.zeros(n_h)
        for gate, delta in deltas.items():
            grads[f"W_{gate}"] += np.outer(delta, joint)
            grads[f"b_{gate}"] += delta
            from_gates += getattr(w, f"W_{gate}")[:, :n_h].T @ delta
        dc_next, f_next = total_c[t], step.f
    return LSTMGradients(LSTMWeights(**grads), total_h, total_c, from_gates, total_c[0] * steps[0].f)


def lstm_weights_from_pytorch(weight_ih, weight_hh, bias_ih=None, bias_hh=None) -> LSTMWeights:
    """Convert ``nn.LSTMCell``/``nn.LSTM`` (layer 0) tensors, as NumPy arrays, to :class:`LSTMWeights`.

    PyTorch stacks the gates as (i, f, g, o) in ``weight_ih (4 n_h, n_x)`` and ``weight_hh (4 n_h, n_h)``
    and keeps two biases; here each gate gets ``[W_hh | W_ih]`` (hidden part first) and ``b_ih + b_hh``.
    """
    weight_hh = _checks.array("weight_hh", weight_hh, 2)
    n_h = weight_hh.shape[1]
    weight_ih = _matrix("weight_ih", weight_ih, (4 * n_h, _checks.array("weight_ih", weight_ih, 2).shape[1]))
    _matrix("weight_hh", weight_hh, (4 * n_h, n_h))
    bias = np.zeros(4 * n_h)
    for name, value in (("bias_ih", bias_ih), ("bias_hh", bias_hh)):
        if value is not None:
            bias = bias + _vector(name, value, 4 * n_h)
    chunk = {gate: slice(k * n_h, (k + 1) * n_h) for k, gate in enumerate("ifco")}  # PyTorch's g = our C~
    matrices = {gate: np.hstack([weight_hh[s], weight_ih[s]]) for gate, s in chunk.items()}
    return LSTMWeights(matrices["f"], matrices["i"], matrices["o"], matrices["c"],
                       bias[chunk["f"]], bias[chunk["i"]], bias[chunk["o"]], bias[chunk["c"]])


# ---------------------------------------------------------------------------------------------
# GRU
# ---------------------------------------------------------------------------------------------

class GRUWeights(NamedTuple):
    """``W_z, W_r, W_h`` are ``(n_h, n_h + n_x)`` acting on ``[h_{t-1}, x_t]`` (``W_h`` on
    ``[r * h_{t-1}, x_t]``); ``b_hn`` is the extra bias of PyTorch's reset-after form only."""

    W_z: np.ndarray
    W_r: np.ndarray
    W_h: np.ndarray
    b_z: np.ndarray
    b_r: np.ndarray
    b_h: np.ndarray
    b_hn: np.ndarray | None = None


def gru_cell(x, h_prev, weights: GRUWeights, reset_after: bool = False) -> np.ndarray:
    """One GRU step: ``z, r = sigma(W [h, x] + b)``, ``h_t = (1 - z) * h~ + z * h_{t-1}`` with

    * ``reset_after=False`` (Cho et al. 2014): ``h~ = tanh(W_h [r * h_{t-1}, x_t] + b_h)``;
    * ``reset_after=True`` (PyTorch, cuDNN): ``h~ = tanh(W_h^x x_t + b_h + r * (W_h^h h_{t-1} + b_hn))``.

    Both gate with element-wise products: ``r`` scales the memory inside the candidate, ``z``
    interpolates between the candidate and the old state.
    """
    x, h_prev = _vector("x", x), _vector("h_prev", h_prev)
    reset_after = _checks.boolean("reset_after", reset_after)
    if not isinstance(weights, GRUWeights):
        raise TypeError(f"weights must be a GRUWeights, got {type(weights).__name__}")
    n_h, n_x = h_prev.shape[0], x.shape[0]
    W_z, W_r, W_h = (_matrix(f"weights.{n}", getattr(weights, n), (n_h, n_h + n_x)) for n in ("W_z", "W_r", "W_h"))
    b_z, b_r, b_h = (_vector(f"weights.{n}", getattr(weights, n), n_h) for n in ("b_z", "b_r", "b_h"))
    joint = np.concatenate([h_prev, x])
    z = sigmoid(W_z @ joint + b_z)
    r = sigmoid(W_r @ joint + b_r)
    if reset_after:
        b_hn = np.zeros(n_h) if weights.b_hn is None else _vector("weights.b_hn", weights.b_hn, n_h)
        candidate = np.tanh(W_h[:, n_h:] @ x + b_h + r * (W_h[:, :n_h] @ h_prev + b_hn))
    else:
        if weights.b_hn is not None:  # a converted PyTorch GRU silently computing Cho's form is a trap
            raise ValueError("weights.b_hn is PyTorch's reset-after bias: pass reset_after=True to use it")
        candidate = np.tanh(W_h @ np.concatenate([r * h_prev, x]) + b_h)
    return (1.0 - z) * candidate + z * h_prev


# ---------------------------------------------------------------------------------------------
# Parameter counts
# ---------------------------------------------------------------------------------------------

GATE_COUNT = {"rnn": 1, "gru": 3, "lstm": 4}
"""Weight blocks per cell: the RNN has one, the GRU three (z, r, h~), the LSTM four (f, i, o, C~)."""


def recurrent_parameter_count(cell: str, input_size: int, hidden_size: int,
                              bias_vectors: int = 1) -> ParameterCount:
    """Parameters of one recurrent layer: ``k n_h (n_h + n_x)`` weights and ``k n_h b`` biases, for
    ``k`` = 1 (RNN), 3 (GRU), 4 (LSTM) and ``b`` bias vectors per gate: 1 in the papers' equations,
    2 in PyTorch (``b_ih`` and ``b_hh``, whose sum is all that matters), 0 for no bias.
    """
    if cell not in GATE_COUNT:
        raise ValueError(f"cell must be one of {sorted(GATE_COUNT)}, got {cell!r}")
    n_x = _checks.positive("input_size", input_size)
    n_h = _checks.positive("hidden_size", hidden_size)
    bias_vectors = _checks.integer("bias_vectors", bias_vectors, minimum=0)
    if bias_vectors > 2:
        raise ValueError(f"bias_vectors must be 0, 1 or 2, got {bias_vectors}")
    gates = GATE_COUNT[cell]
    return ParameterCount(gates * n_h * (n_h + n_x), gates * n_h * bias_vectors)


def lstm_parameter_count(input_size: int, hidden_size: int, bias_vectors: int = 1) -> ParameterCount:
    """LSTM layer: ``4 n_h (n_h + n_x)`` weights, ``4 n_h`` biases per bias vector."""
    return recurrent_parameter_count("lstm", input_size, hidden_size, bias_vectors)


def gru_parameter_count(input_size: int, hidden_size: int, bias_vectors: int = 1) -> ParameterCount:
    """GRU layer: ``3 n_h (n_h + n_x)`` weights, ``3 n_h`` biases per bias vector."""
    return recurrent_parameter_count("gru", input_size, hidden_size, bias_vectors)


def rnn_parameter_count(input_size: int, hidden_size: int, bias_vectors: int = 1) -> ParameterCount:
    """Vanilla RNN layer: ``n_h (n_h + n_x)`` weights, ``n_h`` biases per bias vector."""
    return recurrent_parameter_count("rnn", input_size, hidden_size, bias_vectors)


def bidirectional_parameter_count(cell: str, input_size: int, forward_hidden: int,
                                  backward_hidden: int | None = None,
                                  bias_vectors: int = 1) -> ParameterCount:
    """A forward and a backward layer over the same input, each with its own weights (hidden sizes
    may differ); their outputs are concatenated, ``forward_hidden + backward_hidden`` wide."""
    forward_hidden = _checks.positive("forward_hidden", forward_hidden)
    backward_hidden = forward_hidden if backward_hidden is None else backward_hidden
    backward_hidden = _checks.positive("backward_hidden", backward_hidden)
    return (recurrent_parameter_count(cell, input_size, forward_hidden, bias_vectors)
            + recurrent_parameter_count(cell, input_size, backward_hidden, bias_vectors))


def fixed_window_lm_parameter_count(vocab_size: int, embedding_dim: int, context_size: int,
                                    hidden_size: int, learned_embeddings: bool = True,
                                    bias: bool = False) -> ParameterCount:
    """Bengio-style fixed-window neural language model: embed each of the ``n`` context words,
    concatenate (``n d`` values), one hidden layer, softmax over the vocabulary.

    weights ``= |V| d`` (if the embeddings are learned) ``+ n d h + h |V|``; biases ``h + |V|``.
    """
    vocab_size = _checks.positive("vocab_size", vocab_size)
    embedding_dim = _checks.positive("embedding_dim", embedding_dim)
    context_size = _checks.positive("context_size", context_size)
    hidden_size = _checks.positive("hidden_size", hidden_size)
    learned_embeddings = _checks.boolean("learned_embeddings", learned_embeddings)
    embeddings = ParameterCount(vocab_size * embedding_dim if learned_embeddings else 0, 0)
    hidden = dense_parameter_count(context_size * embedding_dim, hidden_size, bias)
    output = dense_parameter_count(hidden_size, vocab_size, bias)
    return embeddings + hidden + output


# ---------------------------------------------------------------------------------------------
# Vanishing gradients
# ---------------------------------------------------------------------------------------------

def with_spectral_radius(matrix, radius: float) -> np.ndarray:
    """``matrix`` rescaled so that its largest eigenvalue modulus is ``radius``."""
    matrix = _checks.array("matrix", matrix, 2)
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square, got shape {matrix.shape}")
    if not radius > 0:  # also refuses NaN
        raise ValueError(f"radius must be positive, got {radius}")
    current = np.max(np.abs(np.linalg.eigvals(matrix)))
    if current == 0:
        raise ValueError("matrix has spectral radius 0 (all eigenvalues zero): no rescaling reaches "
                         f"radius {radius}")
    return matrix * (radius / current)


def rnn_first_state_gradient_norms(lengths, spectral_radius: float, hidden_size: int = 32,
                                   seed: int = 0) -> np.ndarray:
    """``||dL/dh_1||`` for a tanh RNN whose ``W_hh`` has the given spectral radius, one value per
    sequence length ``T``, with ``L = v . h_T`` (``||v|| = 1``), small random inputs, ``h_0 = 0``.

    By the chain rule ``dL/dh_1 = J_2^T ... J_T^T v`` with ``J_t = diag(1 - h_t^2) W_hh``: a product of
    ``T - 1`` factors, so it shrinks geometrically when ``||J_t|| < 1``.
    """
    if not spectral_radius > 0:
        raise ValueError(f"spectral_radius must be positive, got {spectral_radius}")
    rng = np.random.default_rng(seed)
    hidden_size = _checks.positive("hidden_size", hidden_size)
    W_hh = with_spectral_radius(rng.standard_normal((hidden_size, hidden_size)), spectral_radius)
    W_xh = rng.standard_normal((hidden_size, 1)) * 0.1
    v = rng.standard_normal(hidden_size)
    v /= np.linalg.norm(v)
    lengths = [_checks.positive("lengths entry", length) for length in lengths]
    if not lengths:
        raise ValueError("lengths must not be empty")
    inputs = rng.standard_normal((max(lengths), 1))  # every length reads a prefix of one sequence
    norms = []
    for length in lengths:
        xs = inputs[:length]
        dL_dy = np.zeros((length, hidden_size))
        dL_dy[-1] = v
        grads = rnn_bptt(xs, np.zeros(hidden_size), W_xh, W_hh, np.eye(hidden_size), dL_dy)
        norms.append(np.linalg.norm(grads.hidden[0]))
    return np.array(norms)


def lstm_first_cell_gradient_norms(lengths, forget_bias: float, hidden_size: int = 32,
                                   seed: int = 0, weight_scale: float = 0.02) -> np.ndarray:
    """``||dL/dc_1||`` for an LSTM with random weights (``weight_scale``) and the forget-gate bias
    ``forget_bias``, one value per sequence length ``T``, with ``L = v . h_T``. A large bias makes
    ``f_t ~ 1``, and the cell-state path ``dL/dc_1 ~ f_2 * ... * f_T * dL/dc_T`` keeps its size.
    """
    rng = np.random.default_rng(seed)
    n = _checks.positive("hidden_size", hidden_size)
    matrices = [rng.standard_normal((n, n + 1)) * weight_scale for _ in range(4)]
    biases = [np.full(n, float(forget_bias)), np.zeros(n), np.zeros(n), np.zeros(n)]
    weights = LSTMWeights(*matrices, *biases)
    v = rng.standard_normal(n)
    v /= np.linalg.norm(v)
    lengths = [_checks.positive("lengths entry", length) for length in lengths]
    if not lengths:
        raise ValueError("lengths must not be empty")
    inputs = rng.standard_normal((max(lengths), 1))
    norms = []
    for length in lengths:
        xs = inputs[:length]
        dL_dh = np.zeros((length, n))
        dL_dh[-1] = v
        grads = lstm_bptt(xs, np.zeros(n), np.zeros(n), weights, dL_dh)
        norms.append(np.linalg.norm(grads.c[0]))
    return np.array(norms)
