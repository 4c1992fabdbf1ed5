"""Skip-gram forward pass, loss and hand-derived gradients against PyTorch (modules and autograd)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlref.language_models import skipgram_forward, skipgram_loss, skipgram_loss_gradient
from torch_helpers import n, t

# CS60010 End-Sem Q4, Table 1
IN = [(1, -1), (-1, 2), (-2, -2), (1, 1), (2, 1), (-1, -1), (1, 2), (2, -1), (2, 2), (1, 1)]
OUT = [(-2, 2), (1, -2), (2, 2), (-1, -1), (-2, -1), (1, 1), (-1, -2), (-2, 1), (-2, -2), (-1, -1)]
EXAM = (5, [0, 7, 3, 1], IN, OUT)   # centre 'how', context hi, there, are, you


def torch_skipgram(center, context, W_in, W_out):
    """nn.Embedding (in-vectors) -> bias-free nn.Linear (out-vectors) -> summed cross-entropy."""
    V, d = np.shape(W_in)
    embed, linear = nn.Embedding(V, d).double(), nn.Linear(d, V, bias=False).double()
    with torch.no_grad():
        embed.weight.copy_(t(W_in))
        linear.weight.copy_(t(W_out))
    hidden = embed(torch.tensor([center]))
    logits = linear(hidden)
    loss = F.cross_entropy(logits.expand(len(context), -1), torch.tensor(context), reduction="sum")
    loss.backward()
    return hidden[0], logits[0], loss, embed.weight.grad, linear.weight.grad


def random_case(rng):
    V, d = rng.integers(3, 12), rng.integers(1, 6)
    context = rng.integers(0, V, size=rng.integers(1, 6)).tolist()   # repeats allowed
    return int(rng.integers(0, V)), context, rng.standard_normal((V, d)), rng.standard_normal((V, d))


CASES = [EXAM] + [random_case(np.random.default_rng(seed)) for seed in range(8)]


@pytest.mark.parametrize("case", CASES)
def test_forward_and_loss_match_pytorch(case):
    center, context, W_in, W_out = case
    hidden, logits, loss, _, _ = torch_skipgram(*case)
    layers = skipgram_forward(center, W_in, W_out)
    assert layers.input.sum() == 1 and layers.input[center] == 1
    np.testing.assert_allclose(layers.hidden, n(hidden))
    np.testing.assert_allclose(layers.scores, n(logits), atol=1e-12)
    np.testing.assert_allclose(layers.probabilities, n(logits.softmax(-1)), atol=1e-12)
    assert np.isclose(skipgram_loss(center, context, W_in, W_out), loss.item())


@pytest.mark.parametrize("case", CASES)
def test_hand_gradients_match_autograd(case):
    center, context, W_in, W_out = case
    _, _, _, grad_in, grad_out = torch_skipgram(*case)
    grads = skipgram_loss_gradient(center, context, W_in, W_out)
    np.testing.assert_allclose(grads.hidden, n(grad_in[center]), atol=1e-12)
    np.testing.assert_allclose(np.delete(n(grad_in), center, axis=0), 0)   # only the centre row moves
    np.testing.assert_allclose(grads.W_out, n(grad_out), atol=1e-12)


def test_exam_window_loss():
    hidden, logits, loss, _, _ = torch_skipgram(*EXAM)
    assert hidden.tolist() == [-1, -1] and logits.tolist() == [0, 1, -4, 2, 3, -2, 3, 1, 4, 2]
    assert skipgram_loss(*EXAM) == pytest.approx(4 * np.log(np.exp(n(logits)).sum()) - 4)


@pytest.mark.parametrize("call, message", [
    (lambda: skipgram_forward(10, IN, OUT), "center must be below the vocabulary size 10"),
    (lambda: skipgram_forward(-1, IN, OUT), "center must be >= 0"),
    (lambda: skipgram_forward(1.0, IN, OUT), "center must be an integer"),
    (lambda: skipgram_forward(0, IN, OUT[:9]), "W_out must have one row per word"),
    (lambda: skipgram_forward(0, IN, [(1, 2, 3)] * 10), "W_out must have 2 columns"),
    (lambda: skipgram_loss(0, [], IN, OUT), "context must be a non-empty sequence"),
    (lambda: skipgram_loss(0, [3, 12], IN, OUT), r"context\[1\] must be below"),
])
def test_bad_input_names_the_argument(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()
