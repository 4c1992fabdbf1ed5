"""Language models: skip-gram, masked self-attention by hand, decoding (beam search, top-k, top-p),
pretraining corruptions (BART, T5), parameter counts of T5 and ViT, and compute-optimal scaling.

Conventions:

* a vocabulary is a list of words; word ``i`` has an *in*-vector ``W_in[i]`` (its embedding as a centre
  word) and an *out*-vector ``W_out[i]`` (its embedding as a context word); both are ``(V, d)`` arrays,
  one row per word;
* in attention, a sequence is a matrix whose rows are positions, ``Attention(Q, K, V) =
  softmax(Q K^T / sqrt(d_k)) V``; a boolean mask is ``True`` where a query may look at a key (PyTorch's
  convention for a boolean ``attn_mask``);
* parameter counts are those of the modules PyTorch would build (``nn.Linear``, ``nn.Embedding``,
  a LayerNorm's scale), so each one can be checked by summing ``numel()``.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple, Sequence

import numpy as np

from dlref import _checks


def _matrix(name: str, value, columns: int | None = None) -> np.ndarray:
    matrix = _checks.array(name, value, 2)
    if columns is not None and matrix.shape[1] != columns:
        raise ValueError(f"{name} must have {columns} columns, got shape {matrix.shape}")
    return matrix


def _softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax (last axis); ``-inf`` entries get probability 0."""
    shifted = z - np.max(z, axis=-1, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / np.sum(exponentials, axis=-1, keepdims=True)


def _index(name: str, value, size: int) -> int:
    index = _checks.integer(name, value, minimum=0)
    if index >= size:
        raise ValueError(f"{name} must be below the vocabulary size {size}, got {index}")
    return index


# ---------------------------------------------------------------------------------------------
# Skip-gram
# ---------------------------------------------------------------------------------------------

class SkipGramForward(NamedTuple):
    """The three layers of a skip-gram network for one centre word."""

    input: np.ndarray          # one-hot x of the centre word, (V,)
    hidden: np.ndarray         # h = W_in^T x: the centre word's in-vector, (d,)
    scores: np.ndarray         # u = W_out h: one score per vocabulary word, (V,)
    probabilities: np.ndarray  # p = softmax(u): P(word | centre), (V,)


def _skipgram_weights(W_in, W_out) -> tuple[np.ndarray, np.ndarray]:
    W_in = _matrix("W_in", W_in)
    W_out = _matrix("W_out", W_out, W_in.shape[1])
    if W_out.shape[0] != W_in.shape[0]:
        raise ValueError(f"W_out must have one row per word ({W_in.shape[0]}), got shape {W_out.shape}")
    return W_in, W_out


def skipgram_forward(center: int, W_in, W_out) -> SkipGramForward:
    """Forward pass of skip-gram for the centre word with index ``center``.

    ``x = onehot(center)`` (V,), ``h = W_in^T x = W_in[center]`` (d,), ``u = W_out h`` (V,),
    ``p = softmax(u)``: ``p_w = exp(u_w . h) / sum_w' exp(u_w' . h)`` with ``u_w`` the out-vector of ``w``.
    ``W_in`` and ``W_out`` are ``(V, d)``, one row per word."""
    W_in, W_out = _skipgram_weights(W_in, W_out)
    center = _index("center", center, W_in.shape[0])
    x = np.zeros(W_in.shape[0])
    x[center] = 1.0
    hidden = W_in.T @ x
    scores = W_out @ hidden
    return SkipGramForward(x, hidden, scores, _softmax(scores))


def _context(context: Sequence[int], size: int) -> list[int]:
    if isinstance(context, (str, bytes)) or not isinstance(context, Sequence) or not context:
        raise ValueError(f"context must be a non-empty sequence of word indices, got {context!r}")
    return [_index(f"context[{i}]", c, size) for i, c in enumerate(context)]


def skipgram_loss(center: int, context: Sequence[int], W_in, W_out) -> float:
    """Loss of one window: ``L = -sum_{c in context} log p(c | center)
    = -sum_c u_c . h + |context| * log sum_w exp(u_w . h)`` (the full softmax, no negative sampling)."""
    forward = skipgram_forward(center, W_in, W_out)
    context = _context(context, len(forward.scores))
    return float(-sum(np.log(forward.probabilities[c]) for c in context))


class SkipGramGradients(NamedTuple):
    """``dL/d`` the centre word's in-vector and ``dL/dW_out`` of :func:`skipgram_loss`."""

    hidden: np.ndarray   # dL/dh = W_out^T (|C| p - n), (d,): the gradient of the in-vector W_in[center]
    W_out: np.ndarray    # dL/dW_out = (|C| p - n) h^T, (V, d)


def skipgram_loss_gradient(center: int, context: Sequence[int], W_in, W_out) -> SkipGramGradients:
    """Gradients of :func:`skipgram_loss`, by hand. With ``n_w`` the number of times ``w`` is a context
    word and ``e = |C| p - n`` (predicted minus observed counts), ``dL/du = e``, so
    ``dL/dh = W_out^T e`` (only the centre row of ``W_in`` gets it) and ``dL/dW_out = e h^T``."""
    W_in, W_out = _skipgram_weights(W_in, W_out)
    forward = skipgram_forward(center, W_in, W_out)
    context = _context(context, W_in.shape[0])
    counts = np.bincount(context, minlength=W_in.shape[0]).astype(float)
    error = len(context) * forward.probabilities - counts
    return SkipGramGradients(W_out.T @ error, np.outer(error, forward.hidden))


# ---------------------------------------------------------------------------------------------
# Masked (causal) self-attention
# ---------------------------------------------------------------------------------------------

def causal_mask(length: int) -> np.ndarray:
    """``(length, length)`` boolean, ``True`` on and below the diagonal: position ``i`` sees ``0..i``."""
    length = _checks.positive("length", length)
    return np.tril(np.ones((length, length), dtype=bool))


class AttentionSteps(NamedTuple):
    """Every intermediate of ``softmax(mask(Q K^T / sqrt(d_k))) V``."""

    scores: np.ndarray    # Q K^T, (n_q, n_k)
    scaled: np.ndarray    # Q K^T / sqrt(d_k), (n_q, n_k)
    weights: np.ndarray   # row-wise softmax, masked entries 0, (n_q, n_k)
    output: np.ndarray    # weights V, (n_q, d_v)


def masked_attention(Q, K, V, mask=None) -> AttentionSteps:
    """``softmax(Q K^T / sqrt(d_k)) V`` with the logits where ``mask`` is ``False`` set to ``-inf``.

    ``Q (n_q, d_k)``, ``K (n_k, d_k)``, ``V (n_k, d_v)``, ``mask (n_q, n_k)`` boolean (``True`` = may
    attend). Each query row must be allowed at least one key."""
    Q = _matrix("Q", Q)
    K = _matrix("K", K, Q.shape[1])
    V = _matrix("V", V)
    if V.shape[0] != K.shape[0]:
        raise ValueError(f"V must have one row per key ({K.shape[0]}), got shape {V.shape}")
    scores = Q @ K.T
    scaled = scores / math.sqrt(Q.shape[1])
    if mask is not None:
        mask = np.asarray(mask)
        if mask.dtype != np.bool_:
            raise TypeError(f"mask must be a boolean array (True = may attend), got dtype {mask.dtype}")
        if mask.shape != scores.shape:
            raise ValueError(f"mask must have shape {scores.shape} (queries, keys), got {mask.shape}")
        if not mask.any(axis=1).all():
            raise ValueError("mask has a query row with no key allowed: its softmax is undefined")
        logits = np.where(mask, scaled, -np.inf)
    else:
        logits = scaled
    weights = _softmax(logits)
    return AttentionSteps(scores, scaled, weights, weights @ V)


class MultiHeadSteps(NamedTuple):
    heads: list[AttentionSteps]   # one per head
    output: np.ndarray            # concat(head_1, ..., head_h), (n, h * d_v), before W_O


def multi_head_self_attention(queries: Sequence, keys: Sequence, values: Sequence, mask=None) -> MultiHeadSteps:
    """``concat(head_1, ..., head_h)`` with ``head_i = Attention(Q_i, K_i, V_i)`` (masked), *before* the
    output projection ``W_O``: the question gives each head's ``Q_i, K_i, V_i`` directly."""
    if not (len(queries) == len(keys) == len(values)) or not queries:
        raise ValueError(f"queries, keys and values must list one matrix per head, got "
                         f"{len(queries)}, {len(keys)}, {len(values)}")
    heads = [masked_attention(q, k, v, mask) for q, k, v in zip(queries, keys, values)]
    return MultiHeadSteps(heads, np.concatenate([head.output for head in heads], axis=1))


# ---------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------

def beam_search_hypothesis_counts(beam_size: int, steps: int, vocab_size: int | None = None) -> list[int]:
    """How many hypotheses get a log-probability at each decoding step of beam search (beam ``k``).

    Step 1 extends the single start token; every later step extends the ``k`` live hypotheses.
    ``vocab_size=None``: each hypothesis is extended by its own top ``k`` words, so ``[k, k^2, k^2, ...]``
    (the count of the usual lecture slide); with ``vocab_size = V`` every word is scored:
    ``[V, k V, k V, ...]``. The cumulative count is the sum of the list."""
    beam_size = _checks.positive("beam_size", beam_size)
    steps = _checks.positive("steps", steps)
    if vocab_size is None:
        per_hypothesis = beam_size
    else:
        per_hypothesis = _checks.positive("vocab_size", vocab_size)
        if vocab_size < beam_size:
            raise ValueError(f"vocab_size {vocab_size} must be at least beam_size {beam_size}")
    return [per_hypothesis] + [beam_size * per_hypothesis] * (steps - 1)


def _distribution(name: str, probs) -> np.ndarray:
    probs = _checks.array(name, probs, 1)
    if np.any(probs < 0) or not np.all(np.isfinite(probs)):
        raise ValueError(f"{name} must be non-negative finite probabilities, got {probs.tolist()}")
    if not math.isclose(probs.sum(), 1.0, abs_tol=1e-9):
        raise ValueError(f"{name} must sum to 1, got {probs.sum()!r}")
    return probs


def top_k_filter(probs, k: int) -> np.ndarray:
    """Top-k sampling: keep the ``k`` most probable tokens, zero the rest, renormalise.

    ``p'_i = p_i / sum_{j in top k} p_j`` for ``i`` in the top ``k``, else 0; same shape ``(V,)``.
    Ties at the boundary are broken by the lower index."""
    probs = _distribution("probs", probs)
    k = _checks.positive("k", k)
    if k > len(probs):
        raise ValueError(f"k must be at most the vocabulary size {len(probs)}, got {k}")
    keep = np.argsort(-probs, kind="stable")[:k]
    filtered = np.zeros_like(probs)
    filtered[keep] = probs[keep]
    return filtered / filtered.sum()


def top_p_filter(probs, p: float) -> np.ndarray:
    """Top-p (nucleus) sampling: keep the smallest set of most probable tokens whose total probability
    is at least ``p``, zero the rest, renormalise (Holtzman et al. 2020). Same shape ``(V,)``."""
    probs = _distribution("probs", probs)
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 < p <= 1:
        raise ValueError(f"p must be a number in (0, 1], got {p!r}")
    order = np.argsort(-probs, kind="stable")
    cumulative = np.cumsum(probs[order])
    size = int(np.searchsorted(cumulative, p - 1e-12)) + 1   # first prefix with mass >= p
    keep = order[:min(size, len(probs))]
    filtered = np.zeros_like(probs)
    filtered[keep] = probs[keep]
    return filtered / filtered.sum()


# ---------------------------------------------------------------------------------------------
# Pretraining corruptions
# ---------------------------------------------------------------------------------------------

def _tokens(tokens) -> list[str]:
    if isinstance(tokens, str) or not isinstance(tokens, Sequence) or not tokens \
            or not all(isinstance(t, str) for t in tokens):
        raise TypeError(f"tokens must be a non-empty list of strings, got {tokens!r}")
    return list(tokens)


def _spans(spans, length: int, allow_empty: bool) -> list[tuple[int, int]]:
    checked = []
    for i, span in enumerate(spans):
        if not isinstance(span, (tuple, list)) or len(span) != 2:
            raise ValueError(f"spans[{i}] must be a pair (start, length), got {span!r}")
        start = _checks.non_negative(f"spans[{i}] start", span[0])
        size = _checks.integer(f"spans[{i}] length", span[1], minimum=0 if allow_empty else 1)
        if start + size > length:
            raise ValueError(f"spans[{i}] = {tuple(span)} runs past the {length} tokens")
        if checked and start < checked[-1][0] + checked[-1][1]:
            raise ValueError(f"spans must be sorted and must not overlap: spans[{i}] = {tuple(span)}")
        if checked and start == checked[-1][0] + checked[-1][1] and checked[-1][1] and size:
            raise ValueError(f"spans[{i}] = {tuple(span)} touches the previous span: merge them")
        checked.append((start, size))
    if not checked:
        raise ValueError("spans must name at least one span")
    return checked


def bart_token_masking(tokens, positions, mask: str = "<mask>") -> tuple[list[str], list[str]]:
    """BART token masking: each chosen token is replaced by ``mask``, one for one (the input keeps its
    length). Returns ``(encoder input, decoder target)``; BART's target is the whole original text."""
    tokens = _tokens(tokens)
    chosen = {_index(f"positions[{i}]", p, len(tokens)) for i, p in enumerate(positions)}
    if not chosen:
        raise ValueError("positions must name at least one token")
    return [mask if i in chosen else t for i, t in enumerate(tokens)], tokens


def bart_text_infilling(tokens, spans, mask: str = "<mask>") -> tuple[list[str], list[str]]:
    """BART text infilling: each span ``(start, length)`` (lengths drawn from Poisson(3) in the paper;
    length 0 inserts a mask) is replaced by a *single* ``mask``, so the model must also predict how many
    tokens are missing. Returns ``(encoder input, decoder target)``; the target is the original text."""
    tokens = _tokens(tokens)
    spans = _spans(spans, len(tokens), allow_empty=True)
    corrupted, position = [], 0
    for start, size in spans:
        corrupted += tokens[position:start] + [mask]
        position = start + size
    return corrupted + tokens[position:], tokens


def t5_span_corruption(tokens, spans) -> tuple[list[str], list[str]]:
    """T5 span corruption: the ``i``-th span ``(start, length)`` becomes the sentinel ``<extra_id_i>`` in
    the input; the target lists only the dropped spans, each after its sentinel, and ends with one
    more sentinel. Returns ``(encoder input, decoder target)``."""
    tokens = _tokens(tokens)
    spans = _spans(spans, len(tokens), allow_empty=False)
    corrupted, target, position = [], [], 0
    for i, (start, size) in enumerate(spans):
        sentinel = f"<extra_id_{i}>"
        corrupted += tokens[position:start] + [sentinel]
        target += [sentinel] + tokens[start:start + size]
        position = start + size
    return corrupted + tokens[position:], target + [f"<extra_id_{len(spans)}>"]


# ---------------------------------------------------------------------------------------------
# Parameter counts: T5 and ViT
# ---------------------------------------------------------------------------------------------

class T5ParameterCount(NamedTuple):
    """Parameters of a T5 (v1.0) encoder-decoder, by part. Linear layers have no biases; each layer
    norm is a scale vector of ``d_model`` (RMS norm, no shift)."""

    embedding: int                # shared token embedding, V * d_model
    encoder_self_attention: int   # L_enc * 4 * d_model * (h * d_kv): W_Q, W_K, W_V, W_O
    encoder_ffn: int              # L_enc * 2 * d_model * d_ff
    decoder_self_attention: int   # L_dec * 4 * d_model * (h * d_kv)
    decoder_cross_attention: int  # L_dec * 4 * d_model * (h * d_kv)
    decoder_ffn: int              # L_dec * 2 * d_model * d_ff
    layer_norms: int              # (2 L_enc + 1 + 3 L_dec + 1) * d_model
    relative_bias: int            # buckets * h, once in the encoder and once in the decoder
    lm_head: int                  # V * d_model if the output layer is not tied to the embedding, else 0

    @property
    def attention_and_ffn(self) -> int:
        """The ``d_model^2`` terms only: what a hand count of the blocks gives."""
        return (self.encoder_self_attention + self.encoder_ffn + self.decoder_self_attention
                + self.decoder_cross_attention + self.decoder_ffn)

    @property
    def total(self) -> int:
        return sum(self)


def t5_parameter_count(d_model: int = 1024, d_ff: int = 4096, num_layers: int = 24,
                       num_decoder_layers: int | None = None, num_heads: int = 16, d_kv: int = 64,
                       vocab_size: int = 32_128, relative_attention_num_buckets: int = 32,
                       tie_word_embeddings: bool = True) -> T5ParameterCount:
    """Parameter count of a T5 v1.0 model; the defaults are T5-Large (``d_model`` 1024, ``d_ff`` 4096,
    24 + 24 layers, 16 heads of 64, vocabulary 32,128, 32 relative-position buckets, tied embeddings).

    Per encoder layer: ``4 d_model (h d_kv)`` (attention) + ``2 d_model d_ff`` (ReLU FFN) + ``2 d_model``
    (norms); per decoder layer add a cross-attention ``4 d_model (h d_kv)`` and a third norm. Each stack
    ends with a norm, and its first layer holds a relative-position bias table ``buckets x h``."""
    d_model = _checks.positive("d_model", d_model)
    d_ff = _checks.positive("d_ff", d_ff)
    encoder_layers = _checks.positive("num_layers", num_layers)
    decoder_layers = encoder_layers if num_decoder_layers is None else _checks.positive(
        "num_decoder_layers", num_decoder_layers)
    heads = _checks.positive("num_heads", num_heads)
    inner = heads * _checks.positive("d_kv", d_kv)
    vocab = _checks.positive("vocab_size", vocab_size)
    buckets = _checks.non_negative("relative_attention_num_buckets", relative_attention_num_buckets)
    tied = _checks.boolean("tie_word_embeddings", tie_word_embeddings)
    attention = 4 * d_model * inner
    ffn = 2 * d_model * d_ff
    return T5ParameterCount(
        embedding=vocab * d_model,
        encoder_self_attention=encoder_layers * attention,
        encoder_ffn=encoder_layers * ffn,
        decoder_self_attention=decoder_layers * attention,
        decoder_cross_attention=decoder_layers * attention,
        decoder_ffn=decoder_layers * ffn,
        layer_norms=(2 * encoder_layers + 1 + 3 * decoder_layers + 1) * d_model,
        relative_bias=2 * buckets * heads,
        lm_head=0 if tied else vocab * d_model,
    )


class ViTInputParameters(NamedTuple):
    """Learnable parameters of a ViT's input: the patch embedding, the class token, the positions."""

    num_patches: int          # (H / P) * (W / P)
    patch_weights: int        # (P * P * C) * d_model: the linear map of a flattened patch
    patch_biases: int         # d_model (a Conv2d / Linear bias; the ViT paper's E has none)
    class_token: int          # d_model if a learnable [CLS] is prepended, else 0
    positional: int           # (num_patches + 1 if CLS else num_patches) * d_model


def vit_input_parameter_count(image_size, patch_size, channels: int = 3, d_model: int = 768,
                              class_token: bool = True) -> ViTInputParameters:
    """Counts of a Vision Transformer's input representation (Dosovitskiy et al. 2021).

    ``N = (H/P)(W/P)`` patches; the patch embedding maps ``P^2 C`` pixel values to ``d_model``; with a
    class token there are ``N + 1`` learnable position embeddings of ``d_model`` each."""
    height, width = _checks.pair("image_size", image_size)
    patch_h, patch_w = _checks.pair("patch_size", patch_size)
    if height % patch_h or width % patch_w:
        raise ValueError(f"image_size {(height, width)} must be divisible by patch_size {(patch_h, patch_w)}")
    channels = _checks.positive("channels", channels)
    d_model = _checks.positive("d_model", d_model)
    cls = _checks.boolean("class_token", class_token)
    patches = (height // patch_h) * (width // patch_w)
    return ViTInputParameters(patches, patch_h * patch_w * channels * d_model, d_model,
                              d_model if cls else 0, (patches + cls) * d_model)


# ---------------------------------------------------------------------------------------------
# Scaling laws: how to spend more compute
# ---------------------------------------------------------------------------------------------

SCALING_EXPONENTS = {
    # law: (a, b) with N_opt ∝ C^a and D_opt ∝ C^b, a + b = 1 (C ≈ 6 N D)
    "kaplan": (0.73, 0.27),      # Kaplan et al. 2020, Sec. 6.1: N ∝ C^0.73, D = B·S ∝ C^(0.24+0.03)
    "chinchilla": (0.5, 0.5),    # Hoffmann et al. 2022, Table 2: a ≈ b ≈ 0.5 (approaches 1 and 2)
}


class ComputeAllocation(NamedTuple):
    model_factor: float    # X: N grows by compute_factor ** a
    data_factor: float     # Y: D (tokens = steps * batch) grows by compute_factor ** b
    log10_model: float
    log10_data: float


def compute_allocation(compute_factor: float, law: str) -> ComputeAllocation:
    """Split a compute increase ``C -> f C`` between model size and data: ``X = f^a``, ``Y = f^b`` with
    the exponents of ``law`` (:data:`SCALING_EXPONENTS`); ``X Y = f`` because ``C ≈ 6 N D``."""
    if isinstance(compute_factor, bool) or not isinstance(compute_factor, numbers.Real) or not compute_factor >= 1:
        raise ValueError(f"compute_factor must be a number >= 1, got {compute_factor!r}")
    if law not in SCALING_EXPONENTS:
        raise ValueError(f"law must be one of {sorted(SCALING_EXPONENTS)}, got {law!r}")
    a, b = SCALING_EXPONENTS[law]
    exponent = math.log10(compute_factor)
    return ComputeAllocation(compute_factor ** a, compute_factor ** b, a * exponent, b * exponent)


# Hoffmann et al. 2022, eq. (10) (approach 3): L(N, D) = E + A / N^alpha + B / D^beta
CHINCHILLA_FIT = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}


def chinchilla_loss(n_params, n_tokens, fit: dict = CHINCHILLA_FIT) -> float:
    """The fitted loss ``L(N, D) = E + A N^-alpha + B D^-beta`` of Hoffmann et al. 2022 (approach 3)."""
    if not n_params > 0 or not n_tokens > 0:
        raise ValueError(f"n_params and n_tokens must be positive, got {n_params!r}, {n_tokens!r}")
    return fit["E"] + fit["A"] * n_params ** -fit["alpha"] + fit["B"] * n_tokens ** -fit["beta"]


def chinchilla_optimal_model_size(compute: float, fit: dict = CHINCHILLA_FIT) -> tuple[float, float]:
    """``(N_opt, D_opt)`` minimising :func:`chinchilla_loss` under ``C = 6 N D``:
    ``N_opt = G (C/6)^(beta/(alpha+beta))``, ``D_opt = (C/6) / N_opt``,
    ``G = (alpha A / (beta B))^(1/(alpha+beta))`` (setting ``dL/dN = 0`` with ``D = C/(6N)``)."""
    if isinstance(compute, bool) or not isinstance(compute, numbers.Real) or not compute > 0:
        raise ValueError(f"compute must be a positive number of FLOPs, got {compute!r}")
    alpha, beta = fit["alpha"], fit["beta"]
    G = (alpha * fit["A"] / (beta * fit["B"])) ** (1 / (alpha + beta))
    n_opt = G * (compute / 6) ** (beta / (alpha + beta))
    return n_opt, compute / 6 / n_opt
