"""Masked (causal) self-attention and the two-head concatenation against F.scaled_dot_product_attention."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlref.language_models import causal_mask, masked_attention, multi_head_self_attention
from torch_helpers import n, t

# CS60010 End-Sem Q5: how, are, you; embedding = concat(in, out)
X = np.array([[-1, -1, 1, 1], [1, 1, -1, -1], [-1, 2, 1, -2]], dtype=float)
Q, K, V1, V2 = X[:, [0, 2]], X[:, [1, 3]], X[:, :2], X[:, 2:]


def test_causal_mask_is_pytorchs():
    for length in (1, 3, 7):
        ours = causal_mask(length)
        theirs = torch.ones(length, length, dtype=torch.bool).tril()
        assert ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("seed", range(6))
def test_masked_attention_matches_sdpa(seed):
    rng = np.random.default_rng(seed)
    n_q, d_k, d_v = rng.integers(1, 7), rng.integers(1, 6), rng.integers(1, 5)
    q, k, v = (rng.standard_normal(shape) for shape in ((n_q, d_k), (n_q, d_k), (n_q, d_v)))
    steps = masked_attention(q, k, v, causal_mask(n_q))
    expected = F.scaled_dot_product_attention(t(q), t(k), t(v), is_causal=True)
    np.testing.assert_allclose(steps.output, n(expected), atol=1e-12)
    np.testing.assert_allclose(steps.scaled, steps.scores / math.sqrt(d_k))
    np.testing.assert_allclose(steps.weights.sum(axis=1), 1)
    assert np.all(steps.weights[~causal_mask(n_q)] == 0)


@pytest.mark.parametrize("seed", range(4))
def test_arbitrary_boolean_mask_matches_sdpa(seed):
    rng = np.random.default_rng(seed)
    n_q, n_k, d = 4, 5, 3
    mask = rng.random((n_q, n_k)) < 0.6
    mask[:, 0] = True                                   # every query sees at least one key
    q, k, v = rng.standard_normal((n_q, d)), rng.standard_normal((n_k, d)), rng.standard_normal((n_k, 2))
    expected = F.scaled_dot_product_attention(t(q), t(k), t(v), attn_mask=torch.from_numpy(mask))
    np.testing.assert_allclose(masked_attention(q, k, v, mask).output, n(expected), atol=1e-12)
    unmasked = F.scaled_dot_product_attention(t(q), t(k), t(v))
    np.testing.assert_allclose(masked_attention(q, k, v).output, n(unmasked), atol=1e-12)


def test_exam_two_heads_against_sdpa():
    result = multi_head_self_attention([Q, Q], [K, K], [V1, V2], causal_mask(3))
    heads = F.scaled_dot_product_attention(t(Q).expand(2, 3, 2), t(K).expand(2, 3, 2),
                                           torch.stack([t(V1), t(V2)]), is_causal=True)
    np.testing.assert_allclose(result.output, n(heads.transpose(0, 1).reshape(3, 4)), atol=1e-12)
    w = 1 / (1 + math.exp(2 * math.sqrt(2)))            # weight of 'how' for the query 'are'
    np.testing.assert_allclose(result.output[1], [1 - 2 * w, 1 - 2 * w, 2 * w - 1, 2 * w - 1])


@pytest.mark.parametrize("seed", range(3))
def test_multi_head_concatenates_heads_in_order(seed):
    rng = np.random.default_rng(seed)
    qs = [rng.standard_normal((4, 3)) for _ in range(3)]
    ks = [rng.standard_normal((4, 3)) for _ in range(3)]
    vs = [rng.standard_normal((4, 2)) for _ in range(3)]
    result = multi_head_self_attention(qs, ks, vs, causal_mask(4))
    expected = F.scaled_dot_product_attention(torch.stack([t(q) for q in qs]), torch.stack([t(k) for k in ks]),
                                              torch.stack([t(v) for v in vs]), is_causal=True)
    np.testing.assert_allclose(result.output, n(expected.transpose(0, 1).reshape(4, 6)), atol=1e-12)


@pytest.mark.parametrize("call, error, message", [
    (lambda: masked_attention(Q, K[:, :1], V1), ValueError, "K must have 2 columns"),
    (lambda: masked_attention(Q, K, V1[:2]), ValueError, "V must have one row per key"),
    (lambda: masked_attention(Q, K, V1, np.ones((3, 3))), TypeError, "mask must be a boolean array"),
    (lambda: masked_attention(Q, K, V1, np.ones((2, 3), bool)), ValueError, r"mask must have shape \(3, 3\)"),
    (lambda: masked_attention(Q, K, V1, np.zeros((3, 3), bool)), ValueError, "no key allowed"),
    (lambda: causal_mask(0), ValueError, "length must be >= 1"),
    (lambda: multi_head_self_attention([Q], [K, K], [V1]), ValueError, "one matrix per head"),
])
def test_bad_input_names_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()
