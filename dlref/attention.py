"""Attention and transformers: softmax, scaled dot-product and multi-head attention, its gradient,
its cost, and parameter counts of transformer blocks.

Conventions (those of Vaswani et al. 2017 and of the exam papers):

* a sequence is a matrix whose *rows* are positions: ``Q`` is ``(n_q, d_k)``, ``K`` is ``(n_k, d_k)``,
  ``V`` is ``(n_k, d_v)``;
* ``Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V``, the softmax taken along each row;
* a boolean ``mask`` of shape ``(n_q, n_k)`` is ``True`` where a query may look at a key (PyTorch's
  convention for a boolean ``attn_mask`` of ``F.scaled_dot_product_attention``);
* projections multiply on the right: ``head_i = Attention(X W_i^Q, X W_i^K, X W_i^V)`` with
  ``W_i^Q`` of shape ``(d_model, d_k)``. PyTorch's ``nn.Linear`` stores the transpose, ``(out, in)``.

Costs are counted in multiply-accumulates (MACs) of the matrix products; one MAC is two FLOPs.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from dlref import _checks
from dlref.cnn import ParameterCount, dense_parameter_count


def _matrix(name: str, value, columns: int | None = None) -> np.ndarray:
    matrix = _checks.array(name, value, 2)
    if columns is not None and matrix.shape[1] != columns:
        raise ValueError(f"{name} must have {columns} columns, got shape {matrix.shape}")
    return matrix


# ---------------------------------------------------------------------------------------------
# Softmax
# ---------------------------------------------------------------------------------------------

def softmax(z, axis: int = -1) -> np.ndarray:
    """``softmax(z)_i = exp(z_i) / sum_j exp(z_j)`` along ``axis`` (the max is subtracted first, which
    changes nothing but keeps ``exp`` from overflowing). Any shape; the result has the shape of ``z``."""
    z = np.asarray(z, dtype=np.float64)
    if z.ndim == 0 or z.size == 0:
        raise ValueError(f"z must be a non-empty array with at least one axis, got shape {z.shape}")
    if not np.all(np.isfinite(z) | (z == -np.inf)):
        raise ValueError("z must contain finite numbers (or -inf for masked entries)")
    if np.any(np.all(z == -np.inf, axis=axis)):
        raise ValueError("z has a row that is entirely -inf (every position masked): its softmax is undefined")
    shifted = z - np.max(z, axis=axis, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / np.sum(exponentials, axis=axis, keepdims=True)


def masked_softmax(z, mask, fill: float = -np.inf, axis: int = -1) -> np.ndarray:
    """Softmax of ``z`` after replacing the logits where ``mask`` is ``False`` by ``fill``.

    ``fill = -inf`` gives masked positions exactly zero probability; a large negative number (the
    ``-1e6`` of many implementations) gives them ``exp(fill - max)``, which is zero in float64 too.
    ``mask`` broadcasts against ``z`` (``True`` = keep)."""
    z = np.asarray(z, dtype=np.float64)
    mask = np.asarray(mask)
    if mask.dtype != np.bool_:
        raise TypeError(f"mask must be a boolean array (True = keep), got dtype {mask.dtype}")
    try:
        mask = np.broadcast_to(mask, z.shape)
    except ValueError:
        raise ValueError(f"mask of shape {mask.shape} does not broadcast to z of shape {z.shape}") from None
    if not (fill == -np.inf or (math.isfinite(fill) and fill < 0)):
        raise ValueError(f"fill must be -inf or a negative number, got {fill!r}")
    return softmax(np.where(mask, z, fill), axis=axis)


def softmax_jacobian(z) -> np.ndarray:
    """``d softmax(z)_i / d z_j = s_i (delta_ij - s_j)``, i.e. ``diag(s) - s s^T`` for a vector ``z``
    of length ``n``; shape ``(n, n)``. Symmetric, and each row sums to zero."""
    s = softmax(_checks.array("z", z, 1))
    return np.diag(s) - np.outer(s, s)


def causal_mask(length: int) -> np.ndarray:
    """``(length, length)`` boolean mask, ``True`` on and below the diagonal: position ``i`` may look
    at positions ``0..i`` only (a decoder's self-attention)."""
    length = _checks.positive("length", length)
    return np.tril(np.ones((length, length), dtype=bool))


# ---------------------------------------------------------------------------------------------
# Scaled dot-product attention
# ---------------------------------------------------------------------------------------------

class AttentionSteps(NamedTuple):
    """Every intermediate of ``softmax(Q K^T / sqrt(d_k)) V``."""

    scores: np.ndarray         # Q K^T, (n_q, n_k)
    scaled: np.ndarray         # Q K^T * scale, (n_q, n_k)
    weights: np.ndarray        # row-wise softmax of ``scaled`` (masked), (n_q, n_k); rows sum to 1
    output: np.ndarray         # weights V, (n_q, d_v)


def scaled_dot_product_attention(Q, K, V, mask=None, scale: float | None = None) -> AttentionSteps:
    """``Attention(Q, K, V) = softmax(Q K^T * scale) V`` with ``scale = 1/sqrt(d_k)`` by default.

    Shapes: ``Q (n_q, d_k)``, ``K (n_k, d_k)``, ``V (n_k, d_v)``; ``mask (n_q, n_k)`` boolean, ``True``
    where query ``i`` may attend to key ``j``. Returns the raw scores, the scaled scores, the weights
    and the output ``(n_q, d_v)``: one output row per query, as wide as a value."""
    Q = _matrix("Q", Q)
    K = _matrix("K", K, Q.shape[1])
    V = _matrix("V", V)
    if V.shape[0] != K.shape[0]:
        raise ValueError(f"V must have one row per key ({K.shape[0]}), got shape {V.shape}")
    if scale is None:
        scale = 1.0 / math.sqrt(Q.shape[1])
    elif isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    scores = Q @ K.T
    scaled = scores * scale
    weights = softmax(scaled) if mask is None else masked_softmax(scaled, mask)
    return AttentionSteps(scores, scaled, weights, weights @ V)


class AttentionGradients(NamedTuple):
    """Backward pass of :func:`scaled_dot_product_attention` for an upstream gradient ``dL/dO``."""

    weights: np.ndarray   # dL/dA = dL/dO V^T, (n_q, n_k)
    scores: np.ndarray    # dL/dS = A * (dL/dA - rowsum(A * dL/dA)), (n_q, n_k), S the scaled scores
    Q: np.ndarray         # dL/dQ = dL/dS K * scale, (n_q, d_k)
    K: np.ndarray         # dL/dK = (dL/dS)^T Q * scale, (n_k, d_k)
    V: np.ndarray         # dL/dV = A^T dL/dO, (n_k, d_v)


def attention_gradients(Q, K, V, grad_output, scale: float | None = None) -> AttentionGradients:
    """Gradients of ``L`` through ``O = A V``, ``A = softmax(S)``, ``S = Q K^T * scale``, by the chain rule:

    * ``dL/dA = dL/dO V^T`` and ``dL/dV = A^T dL/dO``;
    * the softmax of each row ``a`` has Jacobian ``diag(a) - a a^T``, so row by row
      ``dL/dS = a * (dL/da - (dL/da . a))`` (element-wise ``*``);
    * ``dL/dQ = dL/dS K * scale`` and ``dL/dK = (dL/dS)^T Q * scale``.

    ``grad_output`` has the shape of the output, ``(n_q, d_v)``."""
    steps = scaled_dot_product_attention(Q, K, V, scale=scale)
    Q, K, V = (np.asarray(m, dtype=np.float64) for m in (Q, K, V))
    grad_output = _matrix("grad_output", grad_output)
    if grad_output.shape != steps.output.shape:
        raise ValueError(f"grad_output must have the output's shape {steps.output.shape}, got {grad_output.shape}")
    scale = 1.0 / math.sqrt(Q.shape[1]) if scale is None else scale
    A = steps.weights
    grad_weights = grad_output @ V.T
    grad_scores = A * (grad_weights - np.sum(grad_weights * A, axis=1, keepdims=True))
    return AttentionGradients(grad_weights, grad_scores, grad_scores @ K * scale,
                              grad_scores.T @ Q * scale, A.T @ grad_output)


def softmax_saturation(d_k: int, scaled: bool, length: int = 16, trials: int = 200,
                       seed: int = 0) -> tuple[float, float]:
    """How saturated the attention softmax of one query over ``length`` keys is, for random
    ``d_k``-dimensional query and keys with independent ``N(0, 1)`` entries:
    ``(mean largest weight, mean of sum_ij |d softmax_i / d z_j|)`` over ``trials`` draws.

    The dot product ``q . k`` has variance ``d_k``; dividing by ``sqrt(d_k)`` (``scaled=True``) brings
    it back to 1. Unscaled, as ``d_k`` grows the largest weight tends to 1 (one-hot) and every entry
    ``s_i (delta_ij - s_j)`` of the softmax's Jacobian tends to 0: the gradient vanishes."""
    d_k = _checks.positive("d_k", d_k)
    scaled = _checks.boolean("scaled", scaled)
    length = _checks.positive("length", length)
    trials = _checks.positive("trials", trials)
    generator = np.random.default_rng(seed)
    largest, gradient = 0.0, 0.0
    for _ in range(trials):
        q = generator.standard_normal(d_k)
        keys = generator.standard_normal((length, d_k))
        z = keys @ q / (math.sqrt(d_k) if scaled else 1.0)
        largest += softmax(z).max()
        gradient += np.abs(softmax_jacobian(z)).sum()
    return largest / trials, gradient / trials


# ---------------------------------------------------------------------------------------------
# Multi-head attention
# ---------------------------------------------------------------------------------------------

class MultiHeadShapes(NamedTuple):
    """Shapes in ``MultiHead(Q, K, V) = Concat(head_1..head_h) W^O`` for ``n`` positions."""

    W_Q: tuple[int, int]      # each head's W_i^Q: (d_model, d_k)
    W_K: tuple[int, int]      # (d_model, d_k)
    W_V: tuple[int, int]      # (d_model, d_v)
    scores: tuple[int, int]   # each head's Q_i K_i^T: (n, n)
    head: tuple[int, int]     # each head's output: (n, d_v)
    concat: tuple[int, int]   # (n, h d_v)
    W_O: tuple[int, int]      # (h d_v, d_model)
    output: tuple[int, int]   # (n, d_model)


def multi_head_shapes(seq_len: int, d_model: int, num_heads: int, d_k: int | None = None,
                      d_v: int | None = None) -> MultiHeadShapes:
    """The shapes of every matrix of multi-head attention; ``d_k = d_v = d_model / h`` by default."""
    n = _checks.positive("seq_len", seq_len)
    d_model = _checks.positive("d_model", d_model)
    h = _checks.positive("num_heads", num_heads)
    if d_k is None or d_v is None:
        if d_model % h:
            raise ValueError(f"d_model {d_model} is not divisible by num_heads {h}; give d_k and d_v")
    d_k = d_model // h if d_k is None else _checks.positive("d_k", d_k)
    d_v = d_model // h if d_v is None else _checks.positive("d_v", d_v)
    return MultiHeadShapes((d_model, d_k), (d_model, d_k), (d_model, d_v), (n, n), (n, d_v),
                           (n, h * d_v), (h * d_v, d_model), (n, d_model))


class MultiHeadSteps(NamedTuple):
    heads: list[AttentionSteps]  # each head's intermediates
    concat: np.ndarray           # (n_q, h d_v)
    output: np.ndarray           # concat W^O, (n_q, d_model); the concatenation itself if W_O is None


def multi_head_attention(X_q, X_k, X_v, W_Q, W_K, W_V, W_O=None, mask=None) -> MultiHeadSteps:
    """``Concat(head_1, ..., head_h) W^O`` with ``head_i = Attention(X_q W_Q[i], X_k W_K[i], X_v W_V[i])``.

    ``W_Q``, ``W_K``, ``W_V`` are sequences of ``h`` matrices ``(d_model, d_k)`` / ``(d_model, d_v)``;
    ``W_O`` is ``(h d_v, d_out)`` or ``None`` (the concatenation, before the output projection)."""
    if not (len(W_Q) == len(W_K) == len(W_V)) or len(W_Q) == 0:
        raise ValueError(f"W_Q, W_K, W_V must hold the same number (>= 1) of per-head matrices, got "
                         f"{len(W_Q)}, {len(W_K)}, {len(W_V)}")
    X_q, X_k, X_v = _matrix("X_q", X_q), _matrix("X_k", X_k), _matrix("X_v", X_v)
    heads = []
    for i, (wq, wk, wv) in enumerate(zip(W_Q, W_K, W_V)):
        wq = _matrix(f"W_Q[{i}]", wq)
        wk = _matrix(f"W_K[{i}]", wk)
        wv = _matrix(f"W_V[{i}]", wv)
        for name, x, w in ((f"W_Q[{i}]", X_q, wq), (f"W_K[{i}]", X_k, wk), (f"W_V[{i}]", X_v, wv)):
            if w.shape[0] != x.shape[1]:
                raise ValueError(f"{name} must have {x.shape[1]} rows (the input width), got shape {w.shape}")
        heads.append(scaled_dot_product_attention(X_q @ wq, X_k @ wk, X_v @ wv, mask=mask))
    concat = np.concatenate([head.output for head in heads], axis=1)
    if W_O is None:
        return MultiHeadSteps(heads, concat, concat)
    W_O = _matrix("W_O", W_O)
    if W_O.shape[0] != concat.shape[1]:
        raise ValueError(f"W_O must have {concat.shape[1]} rows (h * d_v), got shape {W_O.shape}")
    return MultiHeadSteps(heads, concat, concat @ W_O)


# ---------------------------------------------------------------------------------------------
# Cost
# ---------------------------------------------------------------------------------------------

class AttentionCost(NamedTuple):
    """Multiply-accumulates of one self-attention layer on ``n`` positions."""

    projections: int   # X W^Q, X W^K, X W^V and Concat W^O: n d (h d_k + h d_k + h d_v) + n h d_v d
    scores: int        # Q_i K_i^T for every head: h n^2 d_k
    weighted_sum: int  # A_i V_i for every head: h n^2 d_v

    @property
    def total(self) -> int:
        return self.projections + self.scores + self.weighted_sum

    @property
    def flops(self) -> int:
        return 2 * self.total


def self_attention_macs(seq_len: int, d_model: int, num_heads: int = 1, d_head: int | None = None) -> AttentionCost:
    """MACs of multi-head self-attention (the softmax's ``O(h n^2)`` exponentials are left out).

    With ``d_head = d_model / h`` (the default) the total is ``4 n d^2 + 2 n^2 d`` whatever ``h`` is:
    ``O(n^2 d + n d^2)``. Heads of full width ``d_head = d_model`` would cost ``h`` times as much, in
    the projections and in the attention products alike."""
    n = _checks.positive("seq_len", seq_len)
    d = _checks.positive("d_model", d_model)
    h = _checks.positive("num_heads", num_heads)
    if d_head is None:
        if d % h:
            raise ValueError(f"d_model {d} is not divisible by num_heads {h}; give d_head")
        d_head = d // h
    d_head = _checks.positive("d_head", d_head)
    projections = 3 * n * d * h * d_head + n * h * d_head * d
    return AttentionCost(projections, h * n * n * d_head, h * n * n * d_head)


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------

def multi_head_attention_parameter_count(d_model: int, num_heads: int, bias: bool = True) -> ParameterCount:
    """``nn.MultiheadAttention(d_model, num_heads)``: ``W^Q, W^K, W^V, W^O`` are each ``d_model x d_model``
    in total over the heads (``h`` heads of ``d_model/h`` columns), so ``4 d^2`` weights and ``4 d``
    biases, independent of ``h``."""
    d = _checks.positive("d_model", d_model)
    h = _checks.positive("num_heads", num_heads)
    if d % h:
        raise ValueError(f"d_model {d} is not divisible by num_heads {h}")
    linear = dense_parameter_count(d, d, bias=bias)
    return linear + linear + linear + linear


def layernorm_parameter_count(d_model: int, bias: bool = True) -> ParameterCount:
    """``nn.LayerNorm(d_model, bias=bias)``: a gain (counted as weights) and, with ``bias``, a shift
    (biases) per feature."""
    d = _checks.positive("d_model", d_model)
    return ParameterCount(d, d if _checks.boolean("bias", bias) else 0)


def transformer_encoder_layer_parameter_count(d_model: int, num_heads: int, d_ff: int,
                                              bias: bool = True) -> ParameterCount:
    """One post- or pre-norm encoder layer (``nn.TransformerEncoderLayer``): self-attention
    (``4 d^2 + 4 d``), the feed-forward net ``d -> d_ff -> d`` (``2 d d_ff + d_ff + d``) and two
    LayerNorms (``4 d``). Without ``bias``, as ``nn.TransformerEncoderLayer(bias=False)``, neither the
    linear layers nor the LayerNorms have biases: ``4 d^2 + 2 d d_ff + 2 d``."""
    d_ff = _checks.positive("d_ff", d_ff)
    return (multi_head_attention_parameter_count(d_model, num_heads, bias)
            + dense_parameter_count(d_model, d_ff, bias) + dense_parameter_count(d_ff, d_model, bias)
            + layernorm_parameter_count(d_model, bias) + layernorm_parameter_count(d_model, bias))


def classification_head_parameter_count(hidden_size: int, num_classes: int, bias: bool = True) -> ParameterCount:
    """The task-specific layer put on a pretrained encoder such as BERT: one linear map from the
    ``[CLS]`` vector to the class logits, ``hidden * classes`` weights and ``classes`` biases."""
    return dense_parameter_count(_checks.positive("hidden_size", hidden_size),
                                 _checks.positive("num_classes", num_classes), bias=bias)


def alignment_parameter_count(score: str, encoder_size: int, decoder_size: int,
                              attention_size: int | None = None) -> int:
    """Parameters of the alignment score ``e_kj = score(s_k, h_j)`` of encoder-decoder attention.

    * ``"dot"``: ``s_k^T h_j``; no parameters (needs ``encoder_size == decoder_size``);
    * ``"general"`` (Luong): ``s_k^T W_a h_j``, ``W_a`` is ``decoder x encoder``;
    * ``"additive"`` (Bahdanau): ``v_a^T tanh(W_a s_k + U_a h_j)``, ``W_a`` is ``a x decoder``,
      ``U_a`` is ``a x encoder``, ``v_a`` has ``a`` entries (``a = attention_size``)."""
    encoder_size = _checks.positive("encoder_size", encoder_size)
    decoder_size = _checks.positive("decoder_size", decoder_size)
    if score == "dot":
        if encoder_size != decoder_size:
            raise ValueError(f"a dot-product score needs equal sizes, got encoder_size {encoder_size} "
                             f"and decoder_size {decoder_size}")
        return 0
    if score == "general":
        return decoder_size * encoder_size
    if score == "additive":
        a = _checks.positive("attention_size", attention_size)
        return a * decoder_size + a * encoder_size + a
    raise ValueError(f"score must be 'dot', 'general' or 'additive', got {score!r}")


class BertParameterCount(NamedTuple):
    embeddings: int   # token, position and segment embeddings and their LayerNorm
    encoder: int      # ``layers`` encoder layers
    pooler: int       # the dense layer on [CLS] (pretrained with next-sentence prediction)

    @property
    def total(self) -> int:
        return self.embeddings + self.encoder + self.pooler


def bert_parameter_count(vocab_size: int = 30_522, hidden_size: int = 768, layers: int = 12,
                         heads: int = 12, d_ff: int = 3_072, max_positions: int = 512,
                         segment_types: int = 2) -> BertParameterCount:
    """Parameters of a BERT encoder (defaults: BERT-base, uncased), without any task head:
    embeddings ``(V + P + S) d + 2d``, ``layers`` x :func:`transformer_encoder_layer_parameter_count`,
    pooler ``d^2 + d``."""
    d = _checks.positive("hidden_size", hidden_size)
    embeddings = (_checks.positive("vocab_size", vocab_size) + _checks.positive("max_positions", max_positions)
                  + _checks.positive("segment_types", segment_types)) * d + layernorm_parameter_count(d).total
    layer = transformer_encoder_layer_parameter_count(d, heads, d_ff).total
    return BertParameterCount(embeddings, _checks.positive("layers", layers) * layer,
                              dense_parameter_count(d, d).total)
