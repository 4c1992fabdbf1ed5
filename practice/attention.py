"""Same question, new numbers: the attention chapter's variants (sitecontract/practice.py explains the format).

Each variant's answer is computed here by the ``dlref.attention`` or ``dlref.language_models`` function the
worked solution uses; its ``check`` recomputes it independently: with PyTorch where it has the thing
(``F.scaled_dot_product_attention``, ``torch.softmax``, autograd, ``nn.MultiheadAttention``, parameter
counts of modules built on the ``meta`` device, which allocates no memory), otherwise with a direct
computation written separately from dlref (the BART and T5 corruptions, the scaling-law split).

Costs are checked by running self-attention with matrix products that count their own multiply-adds:
the same code is first shown to reproduce ``nn.MultiheadAttention``'s output on real numbers, then run on
a batch of zero sequences of the exam's size, where every shape is real and no arithmetic is done.
(PyTorch's ``FlopCounterMode`` would count too, but its first use takes seconds, too slow for a page
build; so would any arithmetic on ``meta`` tensors, which loads PyTorch's Python meta kernels.)
"""

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dlref.attention import (alignment_parameter_count, attention_gradients, bert_parameter_count,
                             causal_mask, classification_head_parameter_count, masked_softmax,
                             multi_head_attention_parameter_count, multi_head_shapes,
                             scaled_dot_product_attention, self_attention_macs, softmax)
from dlref.language_models import (SCALING_EXPONENTS, bart_text_infilling, bart_token_masking,
                                   beam_search_hypothesis_counts, compute_allocation, multi_head_self_attention,
                                   skipgram_forward, skipgram_loss, t5_parameter_count, t5_span_corruption,
                                   top_k_filter, top_p_filter, vit_input_parameter_count)
from dlref.language_models import causal_mask as decoder_mask
from sitecontract.practice import Variant, number, shape

# ---------------------------------------------------------------------------------------------
# Formatting: computed values go into the text through these, never typed by hand
# ---------------------------------------------------------------------------------------------


def _decimal(value, digits=4):
    """``value`` rounded to ``digits`` decimals, without a ``-0.0000`` for a tiny negative number."""
    return number(round(float(value), digits) + 0.0, digits)


def _entry(value, digits=None):
    """A given (``digits=None``: integers as integers, others as short as they are) or a computed
    value (``digits`` decimals)."""
    value = float(value)
    if digits is not None:
        return _decimal(value, digits)
    return number(int(round(value))) if value.is_integer() else number(value)


def _signed(value):
    """A value to subtract: ``3``, or ``(-3)`` in parentheses."""
    return _entry(value) if value >= 0 else f"({_entry(value)})"


def _bmatrix(matrix, digits=None):
    rows = [" & ".join(_entry(x, digits) for x in row) for row in np.atleast_2d(np.asarray(matrix, dtype=float))]
    return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"


def _vector(values, digits=None, brackets="()"):
    return brackets[0] + ", ".join(_entry(x, digits) for x in np.ravel(values)) + brackets[1]


def _significant(value, figures=3):
    """``value`` to ``figures`` significant figures, as the pages write it (``691{,}831`` → ``692{,}000``)."""
    return number(round(value, figures - 1 - math.floor(math.log10(abs(value)))))


def _approximately(value):
    """``= 100`` when the value is a whole number, else ``\\approx 832``."""
    if math.isclose(value, round(value), rel_tol=1e-9):
        return f"= {number(round(value))}"
    return rf"\approx {_significant(value)}"


def _close(actual, expected, atol=1e-9, what="value"):
    """Raise unless the PyTorch value equals dlref's (both as float64 arrays)."""
    actual, expected = (value.detach().double().numpy() if isinstance(value, torch.Tensor)
                        else np.asarray(value, dtype=float) for value in (actual, expected))
    assert actual.shape == expected.shape, (what, actual.shape, expected.shape)
    assert np.allclose(actual, expected, atol=atol, rtol=0), (what, actual, expected)


def _tensor(values):
    return torch.tensor(np.asarray(values, dtype=float), dtype=torch.float64)


def _count(module):
    return sum(p.numel() for p in module.parameters())


def _embedding(num_embeddings, dim):
    """nn.Embedding with an uninitialised weight: on the meta device, initialising it would load
    PyTorch's Python meta kernels (seconds of imports); the count is all the checks need."""
    return nn.Embedding(num_embeddings, dim, _weight=torch.empty(num_embeddings, dim))


# ---------------------------------------------------------------------------------------------
# Assignment Q6: scaled dot-product attention, step by step
# ---------------------------------------------------------------------------------------------


def _attention_check(Q, K, V, steps):
    """PyTorch's own attention kernel for the output, torch.softmax for the weights."""
    def check():
        q, k, v = _tensor(Q), _tensor(K), _tensor(V)
        scores = q @ k.T
        weights = torch.softmax(scores / math.sqrt(q.shape[1]), dim=-1)
        output = F.scaled_dot_product_attention(q[None], k[None], v[None])[0]
        _close(scores, steps.scores, what="scores")
        _close(weights, steps.weights, what="weights")
        _close(output, steps.output, what="output")
    return check


def _first_row_softmax(scaled_row):
    """The softmax of the first row written out, e.g. e^{0.7071} / (e^{0.7071} + e^{1.4142})."""
    terms = [f"e^{{{_decimal(s)}}}" for s in scaled_row]
    return rf"\frac{{{terms[0]}}}{{{' + '.join(terms)}}}"


def scaled_dot_product_attention_by_hand():
    found = []
    for Q, K, V in [([[1, 0], [0, 1], [1, 1]], [[1, 2], [2, 1]], [[1, 0], [0, 2]]),
                    ([[2, 1], [1, 3]], [[1, 1], [2, 0], [0, 1]], [[1, 2], [0, 1], [3, 0]]),
                    ([[1, 0, 1], [2, 1, 0]], [[1, 1, 0], [0, 1, 1]], [[2, 0, 1], [1, 3, 0]])]:
        steps = scaled_dot_product_attention(Q, K, V)
        d_k = len(Q[0])
        n_q, n_k, d_v = len(Q), len(K), len(V[0])
        first = steps.weights[0]
        found.append(Variant(
            givens=rf"Given $\text{{Attention}}(Q, K, V) = \operatorname{{softmax}}(QK^\top/\sqrt{{d_k}})\,V$ with "
                   rf"$Q = {_bmatrix(Q)}$, $K = {_bmatrix(K)}$, $V = {_bmatrix(V)}$ and $d_k = {d_k}$: compute "
                   rf"the raw scores $QK^\top$, the scaled scores, the attention weights (row-wise softmax) and "
                   rf"the output. What is the output's shape?",
            answer=rf"$QK^\top = {_bmatrix(steps.scores)}$; scaled $= {_bmatrix(steps.scaled, 4)}$; "
                   rf"$A = {_bmatrix(steps.weights, 4)}$; output $AV = {_bmatrix(steps.output, 4)}$, of shape "
                   rf"${shape(*steps.output.shape)}$: one row per query, $d_v = {d_v}$ columns.",
            working=rf"Row 1: $a_{{11}} = {_first_row_softmax(steps.scaled[0])} = {_decimal(first[0])}$; "
                    rf"output row 1 $= \sum_j a_{{1j}} v_j = {_vector(steps.output[0], 4)}$. "
                    rf"The scores are ${shape(n_q, n_k)}$ (queries × keys), divided by $\sqrt{{{d_k}}}$.",
            check=_attention_check(Q, K, V, steps)))
    return found


# ---------------------------------------------------------------------------------------------
# CSE641 Quiz 2 Q10: the softmax of three scores
# ---------------------------------------------------------------------------------------------


def _softmax_check(scores, expected):
    def check():
        _close(torch.softmax(_tensor(scores), dim=0), expected, what="softmax")
    return check


def softmax_of_three_scores():
    found = []
    for scores in [[1, 0, -1], [2, 1, -1], [0.5, -1, 1.5]]:
        weights = softmax(scores)
        exps = np.exp(scores)
        found.append(Variant(
            givens=f"In self-attention, the scaled dot-product scores of one query are "
                   f"${_vector(scores, None, '[]')}$. What are the attention weights after the softmax "
                   f"(four decimals)?",
            answer=f"${_vector(weights, 4)}$",
            working=f"${' + '.join(f'e^{{{_entry(s)}}}' for s in scores)} = {_decimal(exps.sum())}$; each weight "
                    f"is its exponential over this sum, e.g. "
                    f"$e^{{{_entry(scores[0])}}}/{_decimal(exps.sum())} = {_decimal(weights[0])}$.",
            check=_softmax_check(scores, weights)))
    return found


# ---------------------------------------------------------------------------------------------
# CSE641 Quiz 2 Q5: attention weights from a kernel
# ---------------------------------------------------------------------------------------------


def _kernel_check(q, keys, exponential, gaussian, unnormalised_sum):
    """The normalised kernels in torch; SDPA's weights read off by attending to the identity matrix."""
    def check():
        query, k = _tensor(q), _tensor(keys)
        kernel = torch.exp(k @ query / math.sqrt(len(q)))
        _close(kernel / kernel.sum(), exponential, what="exponential kernel")
        sdpa_weights = F.scaled_dot_product_attention(query[None, None], k[None], torch.eye(len(keys),
                                                      dtype=torch.float64)[None])[0, 0]
        _close(sdpa_weights, exponential, what="SDPA weights")
        rbf = torch.exp(-torch.cdist(query[None], k)[0] ** 2 / 2)
        _close(rbf / rbf.sum(), gaussian, what="Gaussian kernel")
        _close(kernel.sum(), unnormalised_sum, what="option (a)")
    return check


def kernel_attention_weights():
    found = []
    for q, keys in [([1, 0], [[1, 1], [0, 1], [-1, 0]]), ([1, 1], [[2, 0], [1, 1], [0, -1]]),
                    ([0, 2], [[1, 1], [0, 2], [1, -1]])]:
        q_array, key_array = np.asarray(q, float), np.asarray(keys, float)
        # SDPA is option (b) with K(q, k) = exp(q.k / sqrt(d)); the identity as V returns its weights
        exponential = scaled_dot_product_attention(q_array[None], key_array, np.eye(len(keys))).weights[0]
        # a normalised exp-kernel is a softmax of the kernel's logarithm, here -|q - k|^2 / 2
        squared_distances = ((key_array - q_array) ** 2).sum(axis=1)
        gaussian = softmax(-squared_distances / 2)
        unnormalised_sum = float(np.exp(key_array @ q_array / math.sqrt(len(q))).sum())
        key_text = ", ".join(f"k_{i} = {_vector(k)}" for i, k in enumerate(keys, start=1))
        found.append(Variant(
            givens=rf"Option (b) normalises a similarity kernel over the keys, "
                   rf"$\alpha_i = K(q, k_i) / \sum_j K(q, k_j)$. For $q = {_vector(q)}$ and ${key_text}$, compute "
                   rf"the $\alpha_i$ with SDPA's kernel $K(q, k) = \exp(q \cdot k/\sqrt{{d}})$ ($d = {len(q)}$) and "
                   rf"with the Gaussian kernel $K(q, k) = \exp(-\lVert q - k \rVert^2/2)$. What do the unnormalised "
                   rf"values $K(q, k_i)$ of option (a) add up to, with SDPA's kernel?",
            answer=rf"SDPA's kernel: $\alpha = {_vector(exponential, 4)}$ (the SDPA weights); Gaussian: "
                   rf"$\alpha = {_vector(gaussian, 4)}$; option (a)'s values sum to ${_decimal(unnormalised_sum)}$, "
                   rf"not one.",
            working=rf"Dot products $q \cdot k_i = {_vector(key_array @ q_array)}$, squared distances "
                    rf"$\lVert q - k_i \rVert^2 = {_vector(squared_distances)}$; each kernel is exponentiated "
                    rf"and divided by its sum.",
            check=_kernel_check(q, keys, exponential, gaussian, unnormalised_sum)))
    return found


# ---------------------------------------------------------------------------------------------
# End-Sem Winter 2025 Q23: masking with a large negative logit
# ---------------------------------------------------------------------------------------------

FILL = -1e6   # the question's "large negative value"


def _masked_softmax_check(scores, visible, weights, future_share):
    def check():
        logits = _tensor(scores)
        allowed = torch.arange(len(scores)) < visible
        masked = torch.softmax(logits.masked_fill(~allowed, FILL), dim=0)
        assert torch.all(masked[visible:] == 0) and np.all(weights[visible:] == 0)   # exactly zero, not merely small
        _close(masked, weights, what="masked weights")
        _close(torch.softmax(logits[:visible], dim=0), weights[:visible], what="visible positions alone")
        _close(torch.softmax(logits, dim=0)[visible:].sum(), future_share, what="unmasked future")
    return check


def masked_softmax_weights():
    found = []
    for n, query, scores in [(4, 2, [1, 3, 2, 4]), (5, 3, [0, 2, 1, 3, -1]), (6, 4, [1, -1, 2, 0, 3, 1])]:
        mask = causal_mask(n)[query - 1]          # query number `query` sees positions 1..query
        weights = masked_softmax(np.asarray(scores, float), mask, fill=FILL)
        future_share = float(softmax(scores)[query:].sum())
        found.append(Variant(
            givens=rf"Query {query} of a decoder over {n} positions has the scaled scores "
                   rf"${_vector(scores, None, '[]')}$. The future positions are masked by replacing their logits "
                   rf"with $-10^{{6}}$. What are the attention weights after the softmax? How much weight would "
                   rf"the future positions get together without the mask?",
            answer=rf"${_vector(weights, 4, '[]')}$; without the mask the future would take "
                   rf"${_decimal(future_share, 3)}$ of the attention.",
            working=rf"$e^{{-10^{{6}}}}$ underflows to $0$: the weights are the softmax of the {query} visible "
                    rf"scores ${_vector(scores[:query], None, '[]')}$ alone.",
            check=_masked_softmax_check(scores, query, weights, future_share)))
    return found


# ---------------------------------------------------------------------------------------------
# The cost of self-attention: products that count their own multiply-adds
# ---------------------------------------------------------------------------------------------


class _MacCounter:
    """Matrix products that add up their multiply-adds per sequence: an (m x k)(k x n) product costs
    m k n, once per head (the axes between the leading batch axis and the matrix axes). Projections and
    attention products are kept apart."""

    def __init__(self):
        self.projections = 0
        self.attention = 0

    @staticmethod
    def _macs(a, b):
        return math.prod(a.shape[1:-2]) * a.shape[-2] * a.shape[-1] * b.shape[-1]

    def project(self, a, b):
        self.projections += self._macs(a, b)
        return a @ b

    def attend(self, a, b):
        self.attention += self._macs(a, b)
        return a @ b


def _self_attention_by_hand(x, W_q, W_k, W_v, W_o, heads, counter):
    """Multi-head self-attention of x (batch, n, d) written out; W_q, W_k, W_v are (d, h d_head),
    W_o (h d_head, d)."""
    batch, n, _ = x.shape
    d_head = W_q.shape[1] // heads
    split = lambda m: m.reshape(batch, n, heads, d_head).transpose(1, 2)          # (batch, h, n, d_head)
    q, k, v = (split(counter.project(x, W)) for W in (W_q, W_k, W_v))
    weights = torch.softmax(counter.attend(q, k.transpose(2, 3)) / math.sqrt(d_head), dim=-1)
    concat = counter.attend(weights, v).transpose(1, 2).reshape(batch, n, heads * d_head)
    return counter.project(concat, W_o)


def _assert_by_hand_is_multihead_attention(heads):
    """The counted code computes what nn.MultiheadAttention computes (3 positions of real numbers)."""
    d_model = 4 * heads
    with torch.random.fork_rng():          # seeded, and the build's global random state is left alone
        torch.manual_seed(0)
        mha = nn.MultiheadAttention(d_model, heads, bias=False, batch_first=True).double()
        x = torch.randn(1, 3, d_model, dtype=torch.float64)
    W_q, W_k, W_v = (w.T for w in mha.in_proj_weight.detach().chunk(3))
    mine = _self_attention_by_hand(x, W_q, W_k, W_v, mha.out_proj.weight.detach().T, heads, _MacCounter())
    _close(mine, mha(x, x, x, need_weights=False)[0], atol=1e-10, what="by-hand attention")


def _counted_macs(seq_len, d_model, heads, d_head=None):
    """The multiply-adds of the by-hand attention at the exam's size. It runs on a batch of zero
    sequences: every shape is the real one, but no arithmetic is done (and the weights are one number
    broadcast to their shape, so no memory is used)."""
    d_head = d_model // heads if d_head is None else d_head
    counter = _MacCounter()
    weight = lambda rows, columns: torch.zeros(()).expand(rows, columns)
    x = torch.zeros(0, seq_len, d_model)
    W_q, W_k, W_v = (weight(d_model, heads * d_head) for _ in range(3))
    output = _self_attention_by_hand(x, W_q, W_k, W_v, weight(heads * d_head, d_model), heads, counter)
    assert tuple(output.shape) == (0, seq_len, d_model)
    return counter


def _macs_check(cases, heads_for_equivalence=1):
    """``cases``: (seq_len, d_model, heads, d_head or None, expected dlref cost) to recount."""
    def check():
        _assert_by_hand_is_multihead_attention(heads_for_equivalence)
        for seq_len, d_model, heads, d_head, expected in cases:
            counted = _counted_macs(seq_len, d_model, heads, d_head)
            assert counted.projections == expected.projections, (counted.projections, expected)
            assert counted.attention == expected.scores + expected.weighted_sum, (counted.attention, expected)
    return check


def _multihead_cost_check(n, d_model, h, multi, single, full_width, parameters):
    cost_check = _macs_check([(n, d_model, h, None, multi), (n, d_model, 1, None, single),
                              (n, d_model, h, d_model, full_width)], heads_for_equivalence=h)

    def check():
        cost_check()
        with torch.device("meta"):
            one, many = nn.MultiheadAttention(d_model, 1), nn.MultiheadAttention(d_model, h)
        assert _count(one) == _count(many) == parameters, (_count(one), _count(many), parameters)
    return check


def multihead_attention_cost():
    found = []
    for n, d_model, h in [(256, 256, 4), (1024, 768, 12), (128, 1024, 16)]:
        d_k = d_model // h
        multi = self_attention_macs(n, d_model, num_heads=h)
        single = self_attention_macs(n, d_model, num_heads=1)
        full_width = self_attention_macs(n, d_model, num_heads=h, d_head=d_model)
        parameters = multi_head_attention_parameter_count(d_model, h).total
        found.append(Variant(
            givens=rf"Self-attention on $n = {number(n)}$ positions with $d_\text{{model}} = {number(d_model)}$. "
                   rf"How many multiply-adds do {h} heads of width $d_k = {d_k}$ cost (projections $Q, K, V$, "
                   rf"$W^O$ and the two attention products), how many one head of width ${number(d_model)}$, and "
                   rf"how many {h} heads of full width ${number(d_model)}$? How many parameters (with biases) "
                   rf"does the layer have?",
            answer=rf"{h} heads: ${number(multi.total)}$, the same as one head (${number(single.total)}$); "
                   rf"{h} full-width heads: ${number(full_width.total)}$, {full_width.total // single.total} times "
                   rf"as much. Parameters: ${number(parameters)}$ for any number of heads.",
            working=rf"$4 n d^2 = {number(multi.projections)}$ for the projections plus "
                    rf"$2 n^2 d = {number(multi.scores + multi.weighted_sum)}$ for $QK^\top$ and $AV$: "
                    rf"the heads enter only through $h d_k = d_\text{{model}}$. Parameters $4d^2 + 4d$.",
            check=_multihead_cost_check(n, d_model, h, multi, single, full_width, parameters)))
    return found


def _growth_check(n, d_model, cost_n, cost_2n, crossover_cost):
    return _macs_check([(n, d_model, 1, None, cost_n), (2 * n, d_model, 1, None, cost_2n),
                        (2 * d_model, d_model, 1, None, crossover_cost)])


def attention_cost_growth_in_length():
    found = []
    for n, d_model in [(1024, 64), (4096, 128), (256, 32)]:
        cost_n, cost_2n = self_attention_macs(n, d_model), self_attention_macs(2 * n, d_model)
        ratio = cost_2n.total / cost_n.total
        crossover = 2 * d_model
        crossover_cost = self_attention_macs(crossover, d_model)
        assert crossover_cost.projections == crossover_cost.scores + crossover_cost.weighted_sum
        found.append(Variant(
            givens=rf"A single-head self-attention layer of width $d = {d_model}$. How many multiply-adds does "
                   rf"it cost on $n = {number(n)}$ positions and on $2n = {number(2 * n)}$? By what factor does "
                   rf"doubling the length multiply the cost, and from what length on do the $n^2$ terms outweigh "
                   rf"the projections?",
            answer=rf"${number(cost_n.total)}$ and ${number(cost_2n.total)}$: a factor "
                   rf"${_decimal(ratio, 2)}$ (about $2^2$: quadratic in $n$); the $n^2$ terms win beyond "
                   rf"$n = 2d = {crossover}$.",
            working=rf"$4nd^2 + 2n^2 d = {number(cost_n.projections)} + "
                    rf"{number(cost_n.scores + cost_n.weighted_sum)}$; the two terms are equal when "
                    rf"$4nd^2 = 2n^2 d$, i.e. $n = 2d$.",
            check=_growth_check(n, d_model, cost_n, cost_2n, crossover_cost)))
    return found


def attention_cost_both_terms():
    found = []
    for l, h in [(512, 64), (128, 1024), (1536, 768)]:
        cost = self_attention_macs(l, h)
        attention = cost.scores + cost.weighted_sum
        if cost.projections > attention:
            verdict = "the projections ($l h^2$) dominate, since $l < 2h$"
        elif cost.projections < attention:
            verdict = "the attention products ($l^2 h$) dominate, since $l > 2h$"
        else:
            verdict = "the two terms are equal, since $l = 2h$"
        found.append(Variant(
            givens=rf"A self-attention layer (one head) on a sequence of length $l = {number(l)}$ with embedding "
                   rf"dimension $h = {number(h)}$. Count the multiply-adds of the four projections and of the "
                   rf"two attention products $QK^\top$ and $AV$. Which term dominates?",
            answer=rf"Projections $4lh^2 = {number(cost.projections)}$, attention $2l^2h = {number(attention)}$, "
                   rf"total ${number(cost.total)}$: {verdict}. In general $O(l^2 h + l h^2)$.",
            working=rf"Each projection is $({shape(l, h)})({shape(h, h)})$: $l h^2 = {number(l * h * h)}$; "
                    rf"$QK^\top$ is $({shape(l, h)})({shape(h, l)})$: $l^2 h = {number(l * l * h)}$.",
            check=_macs_check([(l, h, 1, None, cost)])))
    return found


# ---------------------------------------------------------------------------------------------
# Assignment Q7: shapes in multi-head attention
# ---------------------------------------------------------------------------------------------


def _multihead_shapes_check(seq_len, d_model, h, shapes):
    """nn.MultiheadAttention's stored matrices, and its output rebuilt head by head."""
    def check():
        with torch.random.fork_rng():      # seeded, and the build's global random state is left alone
            torch.manual_seed(0)
            mha = nn.MultiheadAttention(d_model, h, bias=False, batch_first=True).double()
            X = torch.randn(seq_len, d_model, dtype=torch.float64)
        W_q, W_k, W_v = (w.T for w in mha.in_proj_weight.detach().chunk(3))   # nn.Linear stores (out, in)
        d_k = d_model // h
        heads = []
        for i in range(h):
            columns = slice(d_k * i, d_k * (i + 1))
            q, k, v = X @ W_q[:, columns], X @ W_k[:, columns], X @ W_v[:, columns]
            assert tuple(W_q[:, columns].shape) == shapes.W_Q == shapes.W_K == shapes.W_V
            scores = q @ k.T
            assert tuple(scores.shape) == shapes.scores
            heads.append(torch.softmax(scores / math.sqrt(d_k), dim=-1) @ v)
            assert tuple(heads[-1].shape) == shapes.head
        concat = torch.cat(heads, dim=1)
        W_o = mha.out_proj.weight.detach().T
        assert tuple(concat.shape) == shapes.concat and tuple(W_o.shape) == shapes.W_O
        output = concat @ W_o
        assert tuple(output.shape) == shapes.output
        _close(output, mha(X[None], X[None], X[None], need_weights=False)[0][0], atol=1e-10, what="MHA output")
    return check


def multihead_shapes():
    found = []
    for seq_len, d_model, h in [(5, 12, 3), (6, 16, 4), (10, 64, 8)]:
        shapes = multi_head_shapes(seq_len, d_model, num_heads=h)
        d_k = d_model // h
        found.append(Variant(
            givens=rf"Multi-head attention with $Q, K, V \in \mathbb{{R}}^{{{shape(seq_len, d_model)}}}$ "
                   rf"(sequence length {seq_len}, embedding dimension {d_model}), $h = {h}$ heads and "
                   rf"$d_k = d_v = d_\text{{model}}/h$. What are the shapes of $W_i^Q, W_i^K, W_i^V$ and $W^O$, of "
                   rf"the concatenated heads and of the output? Give every shape in one head's expression.",
            answer=rf"$W_i^Q, W_i^K, W_i^V$: ${shape(*shapes.W_Q)}$; $W^O$: ${shape(*shapes.W_O)}$; concatenation "
                   rf"${shape(*shapes.concat)}$, times $W^O$ gives ${shape(*shapes.output)}$, the input's shape. "
                   rf"One head: $(QW_i^Q)$ ${shape(seq_len, d_k)}$, scores ${shape(*shapes.scores)}$, "
                   rf"$\text{{head}}_i$ ${shape(*shapes.head)}$.",
            working=rf"$d_k = {d_model}/{h} = {d_k}$; $\text{{head}}_i = \operatorname{{softmax}}\big((QW_i^Q)"
                    rf"(KW_i^K)^\top/\sqrt{{{d_k}}}\big)(VW_i^V)$; $h d_v = {h} \cdot {d_k} = {shapes.concat[1]}$ "
                    rf"columns after concatenation.",
            check=_multihead_shapes_check(seq_len, d_model, h, shapes)))
    return found


# ---------------------------------------------------------------------------------------------
# Assignment Q8: the gradient through softmax attention
# ---------------------------------------------------------------------------------------------


def _gradient_check(Q, K, V, G, grads):
    """Autograd through torch.softmax, keeping the intermediate gradients."""
    def check():
        q = _tensor(Q).requires_grad_()
        k, v = _tensor(K), _tensor(V)
        scaled = q @ k.T / math.sqrt(q.shape[1])
        weights = torch.softmax(scaled, dim=-1)
        scaled.retain_grad()
        weights.retain_grad()
        # L = sum(G * O) has dL/dO = G. (Handing G to backward() instead would load PyTorch's
        # symbolic-shape machinery, half a second of imports.)
        ((weights @ v) * _tensor(G)).sum().backward()
        _close(weights.grad, grads.weights, what="dL/dA")
        _close(scaled.grad, grads.scores, what="dL/dS")
        _close(q.grad, grads.Q, what="dL/dQ")
    return check


def _loss_from_upstream_gradient(G):
    """The loss whose gradient with respect to the output is G, in words."""
    if np.all(np.asarray(G) == 1):
        return r"$L$ the sum of all outputs ($G = \partial L/\partial O$ all ones)"
    return rf"a loss $L$ with $G = \partial L/\partial O = {_bmatrix(G)}$"


def gradient_through_attention():
    found = []
    for Q, K, V, G in [([[1, 0], [1, 1]], [[1, 1], [0, 2]], [[1, 2], [3, 1]], [[1, 1], [1, 1]]),
                       ([[1, 1], [1, -1]], [[2, 0], [0, 1]], [[2, 1], [0, 3]], [[1, 0], [0, 1]]),
                       ([[1, 1], [2, 0]], [[1, 0], [0, 1], [-1, 1]], [[1, 0], [0, 1], [2, 2]], [[1, 1], [1, 1]])]:
        loss = _loss_from_upstream_gradient(G)
        grads = attention_gradients(Q, K, V, G)
        A = scaled_dot_product_attention(Q, K, V).weights
        row_sum = float(A[0] @ grads.weights[0])
        d_k = len(Q[0])
        found.append(Variant(
            givens=rf"$A = \operatorname{{softmax}}(QK^\top/\sqrt{{d_k}})$ and $O = AV$ with $Q = {_bmatrix(Q)}$, "
                   rf"$K = {_bmatrix(K)}$, $V = {_bmatrix(V)}$ ($d_k = {d_k}$), and {loss}. Compute "
                   rf"$\partial L/\partial A$, $\partial L/\partial S$ ($S$ the scaled scores) and "
                   rf"$\partial L/\partial Q$.",
            answer=rf"$\partial L/\partial A = GV^\top = {_bmatrix(grads.weights)}$; "
                   rf"$\partial L/\partial S = {_bmatrix(grads.scores, 4)}$; "
                   rf"$\partial L/\partial Q = {_bmatrix(grads.Q, 4)}$.",
            working=rf"$A = {_bmatrix(A, 4)}$; row 1: $\sum_j a_{{1j}} \frac{{\partial L}}{{\partial a_{{1j}}}} = "
                    rf"{_decimal(row_sum)}$, so $\frac{{\partial L}}{{\partial s_{{1j}}}} = a_{{1j}}"
                    rf"\big(\frac{{\partial L}}{{\partial a_{{1j}}}} - {_decimal(row_sum)}\big)$; then "
                    rf"$\partial L/\partial Q = (\partial L/\partial S)\,K/\sqrt{{{d_k}}}$.",
            check=_gradient_check(Q, K, V, G, grads)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 CT3 Q2: dot-product attention in an encoder-decoder
# ---------------------------------------------------------------------------------------------


class _GRUDecoder(nn.Module):
    """A GRU decoder whose input is [word embedding, context]: the context is h_n or the attention average."""

    def __init__(self, hidden, attention, vocab=100, embed=32):
        super().__init__()
        self.attention = attention
        self.embed = _embedding(vocab, embed)
        self.cell = nn.GRUCell(embed + hidden, hidden)
        self.out = nn.Linear(hidden, vocab)


def _encoder_decoder_check(H, s_prev, steps, state_size, general):
    def check():
        states, s = _tensor(H), _tensor(s_prev)
        e = states @ s
        alpha = torch.softmax(e, dim=0)
        _close(e, steps.scores[0], what="e_kj")
        _close(alpha, steps.weights[0], what="alpha")
        _close(alpha @ states, steps.output[0], what="C_k")
        with torch.device("meta"):                       # parameter counts only
            plain, attentive = _GRUDecoder(state_size, False), _GRUDecoder(state_size, True)
            luong = nn.Linear(state_size, state_size, bias=False)      # s^T W_a h
        assert _count(attentive) - _count(plain) == 0
        assert _count(luong) == general
    return check


def encoder_decoder_dot_attention():
    found = []
    for H, s_prev, state_size in [([[1, 0], [0, 1], [1, 1]], [2, 1], 256),
                                  ([[1, 2, 0], [0, 1, 1], [2, 0, 1]], [1, 0, 1], 512),
                                  ([[0, 1, 1], [1, 0, 0], [1, 1, 0], [2, 0, 1]], [1, 1, 0], 128)]:
        # the plain (unscaled) dot product: scale 1
        steps = scaled_dot_product_attention(np.asarray([s_prev], float), H, H, scale=1.0)
        extra = alignment_parameter_count("dot", state_size, state_size)
        general = alignment_parameter_count("general", state_size, state_size)
        states = ", ".join(f"h_{j} = {_vector(h)}" for j, h in enumerate(H, start=1))
        found.append(Variant(
            givens=rf"An encoder-decoder with dot-product attention has the encoder states ${states}$ and the "
                   rf"previous decoder state $s_{{k-1}} = {_vector(s_prev)}$. (a) Compute the scores $e_{{kj}}$, "
                   rf"the weights $\alpha_{{kj}}$ and the context $C_k$. (b) With states of size {state_size}, how "
                   rf"many parameters does the attention model add to one that feeds $h_n$ to every decoder step? "
                   rf"How many would Luong's general score $s^\top W_a h$ add?",
            answer=rf"(a) $e = {_vector(steps.scores[0], None, '[]')}$, "
                   rf"$\alpha = {_vector(steps.weights[0], 4, '[]')}$, "
                   rf"$C_k = {_vector(steps.output[0], 4, '[]')}$. (b) ${extra}$ with the dot product; the general "
                   rf"score adds $W_a$, ${number(general)}$ parameters.",
            working=rf"$e_{{kj}} = s_{{k-1}}^\top h_j$, $\alpha_{{kj}} = e^{{e_{{kj}}}}/\sum_i e^{{e_{{ki}}}}$, "
                    rf"$C_k = \sum_j \alpha_{{kj}} h_j$: no weights, and $C_k$ has the size of $h_n$; "
                    rf"$W_a$ is ${shape(state_size, state_size)}$.",
            check=_encoder_decoder_check(H, s_prev, steps, state_size, general)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q3(c): the task-specific head of a BERT classifier
# ---------------------------------------------------------------------------------------------


def _bert_head_check(hidden, classes, head, config, backbone):
    """nn.Linear for the head; the encoder rebuilt from PyTorch modules on the meta device."""
    def check():
        with torch.device("meta"):
            linear = nn.Linear(hidden, classes)
            embeddings = nn.ModuleList([_embedding(30_522, hidden), _embedding(512, hidden),
                                        _embedding(2, hidden), nn.LayerNorm(hidden)])
            layer = nn.TransformerEncoderLayer(hidden, config["heads"], config["d_ff"])
            pooler = nn.Linear(hidden, hidden)
        assert (linear.weight.numel(), linear.bias.numel()) == (head.weights, head.biases)
        total = _count(embeddings) + config["layers"] * _count(layer) + _count(pooler)
        assert total == backbone, (total, backbone)
    return check


def bert_classifier_head():
    found = []
    for name, hidden, classes, config in [
            ("BERT-large", 1024, 7, dict(layers=24, heads=16, d_ff=4096)),
            ("BERT-base", 768, 20, dict(layers=12, heads=12, d_ff=3072)),
            ("BERT-medium", 512, 3, dict(layers=8, heads=8, d_ff=2048))]:
        head = classification_head_parameter_count(hidden, classes)
        backbone = bert_parameter_count(hidden_size=hidden, layers=config["layers"], heads=config["heads"],
                                        d_ff=config["d_ff"]).total
        found.append(Variant(
            givens=rf"You use {name} (hidden size ${number(hidden)}$, {config['layers']} layers) for topic "
                   rf"classification of documents with {classes} classes. How many task-specific parameters do "
                   rf"you need?",
            answer=rf"${number(head.weights)}$ weights, ${number(head.total)}$ with the biases: one linear layer "
                   rf"from the ${number(hidden)}$-dimensional `[CLS]` vector to the {classes} logits.",
            working=rf"$W$ is ${shape(classes, hidden)}$: ${number(hidden)} \cdot {classes} = {number(head.weights)}$, "
                    rf"plus {classes} biases. The pretrained {name} (${number(backbone)}$ parameters) is not "
                    rf"task-specific.",
            check=_bert_head_check(hidden, classes, head, config, backbone)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q4: skip-gram forward pass and the loss of a window
# ---------------------------------------------------------------------------------------------


def _skipgram_check(W_in, W_out, center, context, layers, loss):
    """nn.Embedding holds the in-vectors, a bias-free nn.Linear the out-vectors; summed cross-entropy."""
    def check():
        embed_in = nn.Embedding(*np.shape(W_in)).double()
        output_layer = nn.Linear(np.shape(W_out)[1], np.shape(W_out)[0], bias=False).double()
        with torch.no_grad():
            embed_in.weight.copy_(_tensor(W_in))
            output_layer.weight.copy_(_tensor(W_out))
        hidden = embed_in(torch.tensor([center]))
        logits = output_layer(hidden)
        _close(hidden[0], layers.hidden, what="hidden")
        _close(logits[0], layers.scores, what="scores")
        _close(logits.softmax(dim=-1)[0], layers.probabilities, what="probabilities")
        total = F.cross_entropy(logits.expand(len(context), -1), torch.tensor(context), reduction="sum")
        _close(total, loss, what="loss")
    return check


SKIPGRAM_CASES = [
    # vocabulary, {word: (in-vector, out-vector)}, window, centre
    (["the", "cat", "sat", "on", "mat", "dog"],
     {"the": ((1, 0), (0, 1)), "cat": ((0, 1), (1, 0)), "sat": ((1, 1), (-1, 1)), "on": ((-1, 0), (1, 1)),
      "mat": ((0, -1), (0, -1)), "dog": ((1, -1), (-1, -1))},
     ["the", "cat", "sat", "on", "mat"], "sat"),
    (["I", "like", "green", "tea", "very", "much"],
     {"I": ((1, 1), (1, -1)), "like": ((2, 0), (1, 1)), "green": ((2, -1), (1, 0)), "tea": ((0, 2), (0, -1)),
      "very": ((-1, 1), (-1, 1)), "much": ((0, -1), (2, 1))},
     ["like", "green", "tea"], "green"),
    (["we", "love", "deep", "learning", "models"],
     {"we": ((1, 0, 1), (1, 1, 0)), "love": ((0, 1, 0), (0, 1, -1)), "deep": ((1, 0, -1), (1, 0, 1)),
      "learning": ((0, -1, 1), (-1, 0, -1)), "models": ((1, 1, 0), (2, 0, 0))},
     ["we", "love", "deep", "learning", "models"], "deep"),
]


def skipgram_window_loss():
    found = []
    for vocab, table, window, center in SKIPGRAM_CASES:
        W_in = np.array([table[w][0] for w in vocab], dtype=float)
        W_out = np.array([table[w][1] for w in vocab], dtype=float)
        context = [w for w in window if w != center]
        center_index, context_indices = vocab.index(center), [vocab.index(w) for w in context]
        layers = skipgram_forward(center_index, W_in, W_out)
        loss = skipgram_loss(center_index, context_indices, W_in, W_out)
        Z = float(np.exp(layers.scores).sum())
        score_sum = float(sum(layers.scores[i] for i in context_indices))
        side = {1: "one word", 2: "two words"}[(len(window) - 1) // 2]
        rows = "\n".join(f"| {w} | {_vector(table[w][0])} | {_vector(table[w][1])} |" for w in vocab)
        found.append(Variant(
            givens=f"Skip-gram with the vocabulary {{{', '.join(vocab)}}}, in that order, and the window "
                   f"'{' '.join(window)}' with centre '{center}' and the {side} either side as context. "
                   f"Each word has a {W_in.shape[1]}-dimensional in-vector and out-vector:\n\n"
                   f"| word | in-vector | out-vector |\n| --- | --- | --- |\n{rows}\n\n"
                   f"What are the values at the input, hidden and output layers? What is the loss of this window?",
            answer=rf"Input ${_vector(layers.input, None, '[]')}$; hidden $\mathbf{{h}} = {_vector(layers.hidden)}$; "
                   rf"scores ${_vector(layers.scores, None, '[]')}$, $Z = \sum_w e^{{s_w}} \approx {_decimal(Z, 2)}$, "
                   rf"softmax ${_vector(layers.probabilities, 4, '[]')}$; loss $L \approx {_decimal(loss, 3)}$.",
            working=rf"$L = {len(context)} \ln Z - \sum_o s_o = {len(context)} \cdot {_decimal(math.log(Z))} - "
                    rf"{_signed(score_sum)} \approx {_decimal(loss, 3)}$, the context words being "
                    rf"{', '.join(context)}.",
            check=_skipgram_check(W_in, W_out, center_index, context_indices, layers, loss)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q5: two-head masked self-attention, by hand
# ---------------------------------------------------------------------------------------------


def _masked_two_head_check(X, word, expected_output, expected_weights):
    """F.scaled_dot_product_attention with is_causal=True, both heads as one batch."""
    def check():
        x = _tensor(X)
        Q, K = x[:, [0, 2]], x[:, [1, 3]]
        values = torch.stack([x[:, :2], x[:, 2:]])                    # head 1: in-vectors, head 2: out-vectors
        out = F.scaled_dot_product_attention(Q.expand(2, -1, -1), K.expand(2, -1, -1), values, is_causal=True)
        _close(torch.cat([out[0, word], out[1, word]]), expected_output, what="concat")
        allowed = torch.ones(len(X), len(X), dtype=torch.bool).tril()
        weights = (Q @ K.T / math.sqrt(2)).masked_fill(~allowed, float("-inf")).softmax(-1)
        _close(weights[word], expected_weights, what="weights")
    return check


MASKED_ATTENTION_CASES = [
    # sentence, {word: (in-vector, out-vector)}, the word whose output is asked
    (["I", "like", "tea"], {"I": ((1, 0), (0, 1)), "like": ((0, 1), (1, -1)), "tea": ((1, 1), (-1, 0))}, "like"),
    (["we", "are", "here"], {"we": ((1, 1), (0, 1)), "are": ((0, 2), (1, 0)), "here": ((1, 0), (1, 1))}, "here"),
    (["the", "cat", "sat", "down"], {"the": ((0, 1), (1, 0)), "cat": ((1, 0), (1, 1)),
                                     "sat": ((1, 2), (-1, 0)), "down": ((2, 1), (0, -1))}, "sat"),
]


def masked_two_head_attention():
    found = []
    for sentence, table, target in MASKED_ATTENTION_CASES:
        X = np.array([table[w][0] + table[w][1] for w in sentence], dtype=float)
        Q, K = X[:, [0, 2]], X[:, [1, 3]]                    # dims 1, 3 -> query; dims 2, 4 -> key
        V1, V2 = X[:, :2], X[:, 2:]                          # in-vectors, out-vectors
        result = multi_head_self_attention([Q, Q], [K, K], [V1, V2], decoder_mask(len(sentence)))
        word = sentence.index(target)
        head = result.heads[0]
        rows = "\n".join(f"| {w} | {_vector(table[w][0])} | {_vector(table[w][1])} |" for w in sentence)
        found.append(Variant(
            givens=f"A transformer decoder is trained on the ground truth '{' '.join(sentence)}'. Each word's "
                   f"embedding is the concatenation of its in-vector and out-vector:\n\n"
                   f"| word | in-vector | out-vector |\n| --- | --- | --- |\n{rows}\n\n"
                   f"The masked self-attention has $h = 2$ heads. For both heads the first and third dimensions "
                   f"form the query and the second and fourth the key; the value is the in-vector for the first "
                   f"head and the out-vector for the second. With scaled dot-product attention, what is the "
                   f"output for '{target}' before the projection $W_O$?",
            answer=rf"$\text{{concat}}(\text{{head}}_1, \text{{head}}_2) = {_vector(result.output[word], 4, '[]')}$, "
                   rf"with the weights ${_vector(head.weights[word], 4, '[]')}$ on "
                   rf"{', '.join(sentence)}.",
            working=rf"$\mathbf{{q}}_\text{{{target}}} = {_vector(Q[word])}$; scores "
                    rf"${_vector(head.scores[word][:word + 1], None, '[]')}$ on the visible words "
                    rf"({', '.join(sentence[:word + 1])}), divided by $\sqrt{{2}}$; later words are masked.",
            check=_masked_two_head_check(X, word, result.output[word], head.weights[word])))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q6(a): beam search, how many hypotheses get a score
# ---------------------------------------------------------------------------------------------


def _beam_search_check(beam, steps, expected_counts):
    """A real beam search on a toy decoder (random next-token logits), counting the scored candidates."""
    def check():
        generator = torch.Generator().manual_seed(0)
        W = torch.randn(40, 40, generator=generator)
        beams, scored = [([0], 0.0)], []
        for _ in range(steps):
            candidates = []
            for tokens, logp in beams:
                top = torch.topk(torch.log_softmax(W[tokens[-1]], dim=-1), beam)
                candidates += [(tokens + [i], logp + v) for v, i in zip(top.values.tolist(), top.indices.tolist())]
            scored.append(len(candidates))
            beams = sorted(candidates, key=lambda c: c[1], reverse=True)[:beam]
        assert scored == expected_counts, (scored, expected_counts)
    return check


def beam_search_hypotheses():
    found = []
    ordinal = {3: "third", 5: "fifth", 6: "sixth"}
    for beam, step in [(5, 3), (4, 6), (8, 5)]:
        counts = beam_search_hypothesis_counts(beam, step)
        total = sum(counts)
        found.append(Variant(
            givens=f"You decode with beam search, beam size {beam}. By the {ordinal[step]} step of the decoder, "
                   f"i.e. when you generate word {step} of the sequence, for how many hypotheses will you have "
                   f"computed the log-probability?",
            answer=f"${number(total)}$ hypotheses.",
            working=rf"Step 1 scores ${counts[0]}$ extensions of the start token; each of the {step - 1} later "
                    rf"steps ${beam} \cdot {beam} = {counts[1]}$: ${counts[0]} + {step - 1} \cdot {counts[1]} = "
                    rf"{number(total)}$.",
            check=_beam_search_check(beam, step, counts)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q6(b): top-k and top-p filtering
# ---------------------------------------------------------------------------------------------


def _top_k_top_p_check(probs, k, p, top_k, top_p):
    """The two filters as the Hugging Face logits warpers write them, on log-probabilities."""
    def check():
        logits = _tensor(probs).log()
        kth = torch.topk(logits, k).values[-1]
        _close(logits.masked_fill(logits < kth, float("-inf")).softmax(-1), top_k, what="top-k")
        sorted_logits, order = torch.sort(logits)
        drop_sorted = sorted_logits.softmax(-1).cumsum(-1) <= 1 - p
        drop = drop_sorted.scatter(0, order, drop_sorted)
        _close(logits.masked_fill(drop, float("-inf")).softmax(-1), top_p, what="top-p")
    return check


TOP_K_TOP_P_CASES = [
    (["sun", "rain", "snow", "wind", "fog", "hail"], [0.40, 0.25, 0.15, 0.10, 0.06, 0.04], 4, 0.5),
    (["red", "blue", "green", "black", "white", "grey", "pink", "gold"],
     [0.22, 0.18, 0.16, 0.14, 0.12, 0.08, 0.06, 0.04], 2, 0.75),
    (["ran", "sat", "slept", "ate", "sang", "flew"], [0.05, 0.70, 0.03, 0.12, 0.02, 0.08], 3, 0.8),
]


def _distribution_row(values):
    return " | ".join("0" if v == 0 else _decimal(v, 3) for v in values)


def top_k_and_top_p():
    found = []
    for tokens, probs, k, p in TOP_K_TOP_P_CASES:
        top_k, top_p = top_k_filter(probs, k), top_p_filter(probs, p)
        kept = [t for t, q in zip(tokens, top_p) if q > 0]
        mass_k = float(np.sum(np.asarray(probs)[top_k > 0]))
        mass_p = float(np.sum(np.asarray(probs)[top_p > 0]))
        header = "| | " + " | ".join(tokens) + " |\n|" + " --- |" * (len(tokens) + 1)
        given_row = "| p | " + " | ".join(f"{q:.2f}" for q in probs) + " |"
        found.append(Variant(
            givens=f"The vocabulary has {len(tokens)} words, and the softmax of the logits gives\n\n"
                   f"{header}\n{given_row}\n\n"
                   f"How does the distribution change with top-$k$ sampling, $k = {k}$, and with top-$p$ "
                   f"sampling, $p = {p}$?",
            answer=f"{header}\n{given_row}\n| top-k | {_distribution_row(top_k)} |\n"
                   f"| top-p | {_distribution_row(top_p)} |",
            working=rf"Top-$k$ keeps the {k} most probable words, mass ${_decimal(mass_k, 2)}$; top-$p$ keeps "
                    rf"{', '.join(kept)}, the fewest most probable words with mass $\ge {p}$ "
                    rf"(${_decimal(mass_p, 2)}$); each kept $p$ is divided by the mass kept.",
            check=_top_k_top_p_check(probs, k, p, top_k, top_p)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q6(c): BART token masking, text infilling, T5 span corruption
# ---------------------------------------------------------------------------------------------


def _corrupt_by_labels(tokens, spans, placeholder):
    """Written apart from dlref: label every position with the span covering it (or None), emit the
    placeholder at a span's first position, and insert those of empty spans before their start."""
    covering = [None] * len(tokens)
    for index, (start, length) in enumerate(spans):
        for position in range(start, start + length):
            covering[position] = index
    empty_at = {start: index for index, (start, length) in enumerate(spans) if length == 0}
    corrupted, dropped = [], {index: [] for index in range(len(spans))}
    for position, token in enumerate(tokens + [None]):
        if position in empty_at:
            corrupted.append(placeholder(empty_at[position]))
        if token is None:
            break
        index = covering[position]
        if index is None:
            corrupted.append(token)
            continue
        if position == spans[index][0]:
            corrupted.append(placeholder(index))
        dropped[index].append(token)
    return corrupted, dropped


def _corruption_check(sentence, positions, infill_spans, t5_spans, expected):
    def check():
        tokens = sentence.split()
        masked = ["<mask>" if i in positions else t for i, t in enumerate(tokens)]
        infilled, _ = _corrupt_by_labels(tokens, infill_spans, lambda i: "<mask>")
        t5_input, dropped = _corrupt_by_labels(tokens, t5_spans, lambda i: f"<extra_id_{i}>")
        t5_target = [w for i in range(len(t5_spans)) for w in [f"<extra_id_{i}>"] + dropped[i]]
        t5_target.append(f"<extra_id_{len(t5_spans)}>")
        assert [" ".join(x) for x in (masked, infilled, t5_input, t5_target)] == expected, expected
    return check


CORRUPTION_CASES = [
    # sentence, token-masking positions, text-infilling spans (start, length), T5 spans
    ("the cat sat on a mat", [1, 3], [(2, 2), (5, 0)], [(2, 2), (5, 1)]),
    ("she reads a long book", [1, 3], [(0, 0), (2, 2)], [(0, 1), (2, 2)]),
    ("deep nets learn useful features fast", [1, 3, 5], [(2, 3)], [(1, 1), (4, 2)]),
]


def _describe_spans(tokens, spans):
    parts = []
    for start, length in spans:
        if length:
            parts.append(f"the span '{' '.join(tokens[start:start + length])}'")
        else:
            parts.append(f"an empty span before '{tokens[start]}'")
    return _and(parts)


def _and(items):
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def bart_and_t5_corruptions():
    found = []
    for sentence, positions, infill_spans, t5_spans in CORRUPTION_CASES:
        tokens = sentence.split()
        masked, _ = bart_token_masking(tokens, positions)
        infilled, target = bart_text_infilling(tokens, infill_spans)
        t5_input, t5_target = t5_span_corruption(tokens, t5_spans)
        chosen = _and([f"'{tokens[i]}'" for i in positions])
        found.append(Variant(
            givens=f"Take the sentence \"{sentence}\". BART token masking masks {chosen}; BART text infilling "
                   f"masks {_describe_spans(tokens, infill_spans)}; T5 span corruption drops "
                   f"{_describe_spans(tokens, t5_spans)}. Give the encoder inputs and the targets. Which BART "
                   f"objective is closer to T5's?",
            answer=f"Token masking: `{' '.join(masked)}`; text infilling: `{' '.join(infilled)}`; both BART "
                   f"targets: `{' '.join(target)}`. T5: input `{' '.join(t5_input)}`, target "
                   f"`{' '.join(t5_target)}`. Text infilling is closer to T5 (a whole span becomes one placeholder).",
            working=f"Token masking keeps all {len(tokens)} positions ({len(masked)} tokens); infilling gives "
                    f"{len(infilled)} tokens, one `<mask>` per span, so the model must also guess each span's "
                    f"length. T5's target holds only the dropped spans, each after its sentinel.",
            check=_corruption_check(sentence, positions, infill_spans, t5_spans,
                                    [" ".join(x) for x in (masked, infilled, t5_input, t5_target)])))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q7(a): the parameters of a T5 model
# ---------------------------------------------------------------------------------------------


def _t5_like_model(d_model, d_ff, layers, heads, d_kv, vocab, buckets):
    """A T5 v1.0 model's modules, written out from nn.Linear, nn.Embedding and nn.RMSNorm (scale only):
    no biases, one shared embedding tied to the output, a relative-position table in each stack."""
    inner = heads * d_kv

    def attention():
        return nn.ModuleList([nn.Linear(d_model, inner, bias=False) for _ in range(3)]
                             + [nn.Linear(inner, d_model, bias=False)])

    def ffn():
        return nn.Sequential(nn.Linear(d_model, d_ff, bias=False), nn.ReLU(), nn.Linear(d_ff, d_model, bias=False))

    encoder = nn.ModuleList([nn.ModuleList([attention(), nn.RMSNorm(d_model), ffn(), nn.RMSNorm(d_model)])
                             for _ in range(layers)])
    decoder = nn.ModuleList([nn.ModuleList([attention(), nn.RMSNorm(d_model), attention(), nn.RMSNorm(d_model),
                                            ffn(), nn.RMSNorm(d_model)]) for _ in range(layers)])
    return nn.ModuleDict(dict(shared=_embedding(vocab, d_model), encoder=encoder, decoder=decoder,
                              encoder_norm=nn.RMSNorm(d_model), decoder_norm=nn.RMSNorm(d_model),
                              encoder_bias=_embedding(buckets, heads), decoder_bias=_embedding(buckets, heads)))


def _t5_check(config, total):
    def check():
        with torch.device("meta"):       # shapes only: billions of parameters cost no memory
            model = _t5_like_model(**config)
        assert _count(model) == total, (_count(model), total)
    return check


T5_VOCAB, T5_BUCKETS = 32_128, 32


def t5_parameters():
    found = []
    for name, d_model, d_ff, layers, heads, d_kv in [("T5-Small", 512, 2048, 6, 8, 64),
                                                     ("T5-Base", 768, 3072, 12, 12, 64),
                                                     ("T5-3B", 1024, 16_384, 24, 32, 128)]:
        count = t5_parameter_count(d_model, d_ff, layers, layers, heads, d_kv, T5_VOCAB, T5_BUCKETS)
        encoder = count.encoder_self_attention + count.encoder_ffn
        decoder = count.decoder_self_attention + count.decoder_cross_attention + count.decoder_ffn
        config = dict(d_model=d_model, d_ff=d_ff, layers=layers, heads=heads, d_kv=d_kv, vocab=T5_VOCAB,
                      buckets=T5_BUCKETS)
        found.append(Variant(
            givens=rf"Consider {name}: model dimension ${number(d_model)}$, a vocabulary of "
                   rf"${number(T5_VOCAB)}$ tokens, {layers} layers in the encoder and {layers} in the decoder, "
                   rf"{heads} attention heads of $d_{{kv}} = {d_kv}$, and a feed-forward network of "
                   rf"${number(d_ff)}$ nodes. T5 has no biases, an RMS norm (a scale vector) before each "
                   rf"sub-layer and at the end of each stack, a relative-position bias of {T5_BUCKETS} buckets per "
                   rf"head in each stack, and one embedding shared by the encoder, the decoder and the output "
                   rf"layer. How many parameters does it have?",
            answer=rf"${number(count.total)}$.",
            working=rf"Embedding ${number(count.embedding)}$ + encoder "
                    rf"${layers} \cdot (4 \cdot {number(d_model)} \cdot {number(heads * d_kv)} + 2 \cdot "
                    rf"{number(d_model)} \cdot {number(d_ff)}) = {number(encoder)}$ + decoder (with cross-attention) "
                    rf"${number(decoder)}$ + norms ${number(count.layer_norms)}$ + position biases "
                    rf"${number(count.relative_bias)}$.",
            check=_t5_check(config, count.total)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q7(b): spending more compute
# ---------------------------------------------------------------------------------------------


def _allocation_check(factor, kaplan, chinchilla):
    """From the papers' own statements, not dlref's exponent table: Kaplan et al. grow the model as
    C^0.73 and the data as batch x steps, C^0.24 x C^0.03; Chinchilla grows both equally, and C ~ 6ND
    makes their product the compute factor."""
    def check():
        model, batch, steps = factor ** 0.73, factor ** 0.24, factor ** 0.03
        assert math.isclose(kaplan.model_factor, model) and math.isclose(kaplan.data_factor, batch * steps)
        assert math.isclose(model * batch * steps, factor)
        equal = math.sqrt(factor)
        assert math.isclose(chinchilla.model_factor, equal) and math.isclose(chinchilla.data_factor, equal)
    return check


def compute_allocation_split():
    found = []
    a_kaplan, a_chinchilla = SCALING_EXPONENTS["kaplan"][0], SCALING_EXPONENTS["chinchilla"][0]
    for exponent in [4, 8, 3]:
        factor = 10 ** exponent
        kaplan = compute_allocation(factor, "kaplan")
        chinchilla = compute_allocation(factor, "chinchilla")
        found.append(Variant(
            givens=rf"While training your LLM, you get $10^{{{exponent}}}$ times more compute. You can increase "
                   rf"the model size by a factor $X$ and the data (steps × batch size) by a factor $Y$. What are "
                   rf"the ideal $X$ and $Y$?",
            answer=rf"Kaplan et al. (2020): $X = 10^{{{_decimal(kaplan.log10_model, 2)}}} "
                   rf"{_approximately(kaplan.model_factor)}$, $Y = 10^{{{_decimal(kaplan.log10_data, 2)}}} "
                   rf"{_approximately(kaplan.data_factor)}$; Chinchilla (2022): $X = Y "
                   rf"{_approximately(chinchilla.model_factor)}$.",
            working=rf"$C \approx 6ND$, so $XY = 10^{{{exponent}}}$; $N_\text{{opt}} \propto C^{{a}}$ gives "
                    rf"$X = 10^{{{exponent} a}}$ with $a = {a_kaplan}$ (Kaplan) or $a = {a_chinchilla}$ "
                    rf"(Chinchilla), and "
                    rf"$Y = 10^{{{exponent}(1 - a)}}$.",
            check=_allocation_check(factor, kaplan, chinchilla)))
    return found


# ---------------------------------------------------------------------------------------------
# CS60010 End-Sem Q7(c): the learnable parameters of a ViT's input
# ---------------------------------------------------------------------------------------------


class _ViTInput(nn.Module):
    """Patchify with a stride-P convolution, prepend [CLS], add learnable positions."""

    def __init__(self, image, patch, channels, d_model):
        super().__init__()
        self.patch_embedding = nn.Conv2d(channels, d_model, kernel_size=patch, stride=patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, d_model))
        self.positions = nn.Parameter(torch.zeros(1, 1 + (image // patch) ** 2, d_model))

    def forward(self, images):
        tokens = self.patch_embedding(images).flatten(2).transpose(1, 2)
        return torch.cat([self.cls.expand(images.shape[0], -1, -1), tokens], dim=1) + self.positions


def _vit_check(image, patch, channels, d_model, counts):
    def check():
        vit = _ViTInput(image, patch, channels, d_model)
        tokens = vit(torch.zeros(0, channels, image, image))   # zero images: the real shapes, no arithmetic
        assert tuple(tokens.shape) == (0, counts.num_patches + 1, d_model), tokens.shape
        assert vit.positions.numel() == counts.positional
        assert vit.patch_embedding.weight.numel() == counts.patch_weights
        assert vit.patch_embedding.bias.numel() == counts.patch_biases and vit.cls.numel() == counts.class_token
    return check


def vit_input_parameters():
    found = []
    for image, patch, channels, d_model in [(256, 16, 3, 768), (384, 32, 3, 1024), (128, 8, 1, 192)]:
        counts = vit_input_parameter_count(image, patch, channels, d_model, class_token=True)
        colour = "RGB images (3 channels)" if channels == 3 else "greyscale images (1 channel)"
        patch_dim = patch * patch * channels
        found.append(Variant(
            givens=rf"A Vision Transformer encodes {colour} of ${shape(image, image)}$ pixels with patches of "
                   rf"${shape(patch, patch)}$. The model dimension is ${number(d_model)}$, and a learnable class-token "
                   rf"embedding is prepended. How many learnable parameters are there for the positional "
                   rf"embeddings, and for the input representation (the linear patch embedding)?",
            answer=rf"Positional embeddings: ${number(counts.positional)}$. Patch embedding: "
                   rf"${number(counts.patch_weights)}$ weights (${number(counts.patch_weights + counts.patch_biases)}$ "
                   rf"with the bias; the class token adds ${number(counts.class_token)}$ more).",
            working=rf"$N = {image}^2/{patch}^2 = {counts.num_patches}$ patches; positions "
                    rf"$(1 + {counts.num_patches}) \cdot {number(d_model)}$; a patch holds "
                    rf"${patch} \cdot {patch} \cdot {channels} = {number(patch_dim)}$ numbers: "
                    rf"${number(patch_dim)} \cdot {number(d_model)} = {number(counts.patch_weights)}$.",
            check=_vit_check(image, patch, channels, d_model, counts)))
    return found


PRACTICE = {
    "modern-arch-assignment-q6": scaled_dot_product_attention_by_hand,
    "cse641-quiz2-q10": softmax_of_three_scores,
    "cse641-quiz2-q5": kernel_attention_weights,
    "endsem-winter-2025-q23": masked_softmax_weights,
    "cse641-quiz2-q4": multihead_attention_cost,
    "modern-arch-assignment-q7": multihead_shapes,
    "modern-arch-assignment-q8": gradient_through_attention,
    "cse641-quiz2-q12": attention_cost_growth_in_length,
    "endsem-winter-2025-q25": attention_cost_both_terms,
    "cs60010-ct3-q2": encoder_decoder_dot_attention,
    "cs60010-endsem-q3c": bert_classifier_head,
    "cs60010-endsem-q4": skipgram_window_loss,
    "cs60010-endsem-q5": masked_two_head_attention,
    "cs60010-endsem-q6a": beam_search_hypotheses,
    "cs60010-endsem-q6b": top_k_and_top_p,
    "cs60010-endsem-q6c": bart_and_t5_corruptions,
    "cs60010-endsem-q7a": t5_parameters,
    "cs60010-endsem-q7b": compute_allocation_split,
    "cs60010-endsem-q7c": vit_input_parameters,
}

NO_PRACTICE = {
    "cse641-quiz2-q3": "conceptual: why several heads help (different representation subspaces at once); "
                       "no quantity to compute",
    "cse641-quiz2-q8": "conceptual: which objects PyTorch's nn.MultiheadAttention returns, an API fact with "
                       "no numbers to vary",
}
