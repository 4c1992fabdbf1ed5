"""dlref.attention against PyTorch: softmax, masking, scaled dot-product and multi-head attention, and the
hand-derived backward pass against autograd, on the exam's numbers and on random cases."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlref import attention as A

RNG = np.random.default_rng(1234)


def t(array):
    return torch.tensor(np.asarray(array), dtype=torch.float64)


@pytest.mark.parametrize("shape", [(3,), (4, 5), (2, 3, 7)])
def test_softmax_matches_torch(shape):
    z = RNG.standard_normal(shape) * 5
    assert np.allclose(A.softmax(z), torch.softmax(t(z), dim=-1).numpy())
    assert np.allclose(A.softmax(z, axis=0), torch.softmax(t(z), dim=0).numpy())


def test_softmax_of_the_quiz_scores_and_large_logits():
    assert np.allclose(A.softmax([2, 0, -1]), torch.softmax(t([2, 0, -1]), 0).numpy())
    assert np.allclose(A.softmax([1000.0, 0.0]), [1.0, 0.0])      # no overflow


def test_masked_softmax_matches_torch_masked_fill():
    z = RNG.standard_normal((4, 4))
    mask = np.tril(np.ones((4, 4), dtype=bool))
    expected = torch.softmax(t(z).masked_fill(~torch.tensor(mask), float("-inf")), dim=-1).numpy()
    assert np.allclose(A.masked_softmax(z, mask), expected)
    assert np.allclose(A.masked_softmax(z, mask, fill=-1e6), expected)
    assert np.array_equal(A.causal_mask(4), mask)


def test_softmax_jacobian_matches_autograd():
    z = RNG.standard_normal(6)
    J = torch.autograd.functional.jacobian(lambda x: torch.softmax(x, 0), t(z)).numpy()
    assert np.allclose(A.softmax_jacobian(z), J)


@pytest.mark.parametrize("n_q, n_k, d_k, d_v", [(3, 2, 2, 2), (5, 7, 4, 3), (1, 9, 16, 8)])
def test_attention_matches_scaled_dot_product_attention(n_q, n_k, d_k, d_v):
    Q, K, V = (RNG.standard_normal(s) for s in ((n_q, d_k), (n_k, d_k), (n_k, d_v)))
    steps = A.scaled_dot_product_attention(Q, K, V)
    expected = F.scaled_dot_product_attention(t(Q)[None], t(K)[None], t(V)[None])[0].numpy()
    assert np.allclose(steps.output, expected)
    assert np.allclose(steps.scores, Q @ K.T) and np.allclose(steps.scaled, Q @ K.T / np.sqrt(d_k))
    assert steps.weights.shape == (n_q, n_k) and np.allclose(steps.weights.sum(1), 1)


def test_attention_with_a_mask_and_a_scale_matches_torch():
    Q, K, V = (RNG.standard_normal((5, 4)) for _ in range(3))
    mask = A.causal_mask(5)
    steps = A.scaled_dot_product_attention(Q, K, V, mask=mask, scale=0.3)
    expected = F.scaled_dot_product_attention(t(Q)[None], t(K)[None], t(V)[None], attn_mask=torch.tensor(mask),
                                              scale=0.3)[0].numpy()
    assert np.allclose(steps.output, expected)
    causal = F.scaled_dot_product_attention(t(Q)[None], t(K)[None], t(V)[None], is_causal=True)[0].numpy()
    assert np.allclose(A.scaled_dot_product_attention(Q, K, V, mask=mask).output, causal)


def test_the_assignment_q6_numbers_against_torch():
    Q, K, V = [[1, 2], [3, 4], [5, 6]], [[2, 1], [4, 3]], [[0.5, 1.0], [1.5, 2.0]]
    steps = A.scaled_dot_product_attention(Q, K, V)
    assert np.allclose(steps.output, F.scaled_dot_product_attention(t(Q), t(K), t(V)).numpy())


@pytest.mark.parametrize("scale", [None, 1.0])
def test_attention_gradients_match_autograd(scale):
    Q, K, V = RNG.standard_normal((4, 3)), RNG.standard_normal((6, 3)), RNG.standard_normal((6, 2))
    G = RNG.standard_normal((4, 2))
    q, k, v = (t(m).requires_grad_() for m in (Q, K, V))
    out = F.scaled_dot_product_attention(q[None], k[None], v[None], scale=scale)[0]
    (out * t(G)).sum().backward()
    grads = A.attention_gradients(Q, K, V, G, scale=scale)
    assert np.allclose(grads.Q, q.grad.numpy())
    assert np.allclose(grads.K, k.grad.numpy())
    assert np.allclose(grads.V, v.grad.numpy())


def _torch_heads(mha, d_model, h):
    W_q, W_k, W_v = (w.detach().double().T.numpy() for w in mha.in_proj_weight.chunk(3))
    d_k = d_model // h
    cols = [slice(i * d_k, (i + 1) * d_k) for i in range(h)]
    return ([W_q[:, c] for c in cols], [W_k[:, c] for c in cols], [W_v[:, c] for c in cols],
            mha.out_proj.weight.detach().double().T.numpy())


@pytest.mark.parametrize("d_model, h, n", [(8, 2, 4), (12, 3, 5), (16, 1, 3)])
def test_multi_head_attention_matches_nn_multiheadattention(d_model, h, n):
    torch.manual_seed(d_model + h)
    mha = nn.MultiheadAttention(d_model, h, bias=False, batch_first=True).double()
    x = torch.randn(1, n, d_model, dtype=torch.float64)
    out, weights = mha(x, x, x, average_attn_weights=False)
    W_Q, W_K, W_V, W_O = _torch_heads(mha, d_model, h)
    steps = A.multi_head_attention(x[0].numpy(), x[0].numpy(), x[0].numpy(), W_Q, W_K, W_V, W_O)
    assert np.allclose(steps.output, out[0].detach().numpy())
    for i, head in enumerate(steps.heads):
        assert np.allclose(head.weights, weights[0, i].detach().numpy())
    shapes = A.multi_head_shapes(n, d_model, h)
    assert W_Q[0].shape == shapes.W_Q and W_O.shape == shapes.W_O
    assert steps.concat.shape == shapes.concat and steps.output.shape == shapes.output


def test_multi_head_attention_with_a_causal_mask_matches_torch():
    torch.manual_seed(0)
    mha = nn.MultiheadAttention(8, 2, bias=False, batch_first=True).double()
    x = torch.randn(1, 5, 8, dtype=torch.float64)
    allowed = A.causal_mask(5)
    out, _ = mha(x, x, x, attn_mask=torch.tensor(~allowed))   # PyTorch's MHA: True = NOT allowed
    W_Q, W_K, W_V, W_O = _torch_heads(mha, 8, 2)
    steps = A.multi_head_attention(x[0].numpy(), x[0].numpy(), x[0].numpy(), W_Q, W_K, W_V, W_O, mask=allowed)
    assert np.allclose(steps.output, out[0].detach().numpy())
