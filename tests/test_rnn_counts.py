"""Parameter counts of dlref.rnn, each counted on the matching PyTorch module."""

import numpy as np
import pytest
import torch
from torch import nn

from dlref.rnn import (bidirectional_parameter_count, fixed_window_lm_parameter_count,
                       gru_parameter_count, lstm_parameter_count, recurrent_parameter_count,
                       rnn_parameter_count)

MODULES = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}
GATES = {"rnn": 1, "gru": 3, "lstm": 4}  # weight blocks a cell stacks: PyTorch's weight_ih has k n_h rows
WRAPPERS = {"rnn": rnn_parameter_count, "gru": gru_parameter_count, "lstm": lstm_parameter_count}


def numel(module, trainable_only=False):
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)


def weights_and_biases(module):
    named = dict(module.named_parameters())
    biases = sum(p.numel() for name, p in named.items() if "bias" in name)
    return numel(module) - biases, biases


def assert_count_matches(count, module):
    assert (count.weights, count.biases) == weights_and_biases(module)
    assert count.total == numel(module)


class PaperCell(nn.Module):
    """The papers' equations: one nn.Linear per gate acting on [h_{t-1}, x_t], one bias each."""

    def __init__(self, gates, input_size, hidden_size, bias=True):
        super().__init__()
        self.gates = nn.ModuleList(nn.Linear(hidden_size + input_size, hidden_size, bias=bias)
                                   for _ in range(gates))


def meta(factory, *args, **kwargs):
    with torch.device("meta"):  # shapes only: nothing is allocated
        return factory(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# One layer
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_recurrent_parameter_count_matches_pytorch_with_two_or_no_bias_vectors(cell):
    rng = np.random.default_rng(len(cell))
    for _ in range(15):
        n_x, n_h = (int(v) for v in rng.integers(1, 40, size=2))
        for bias_vectors, bias in ((2, True), (0, False)):
            module = meta(MODULES[cell], n_x, n_h, bias=bias)
            assert_count_matches(recurrent_parameter_count(cell, n_x, n_h, bias_vectors), module)
            assert_count_matches(WRAPPERS[cell](n_x, n_h, bias_vectors), module)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_one_bias_vector_is_the_papers_equations_a_linear_layer_per_gate(cell):
    rng = np.random.default_rng(10 + len(cell))
    for _ in range(15):
        n_x, n_h = (int(v) for v in rng.integers(1, 40, size=2))
        count = recurrent_parameter_count(cell, n_x, n_h, bias_vectors=1)
        assert_count_matches(count, meta(PaperCell, GATES[cell], n_x, n_h))
        assert count == WRAPPERS[cell](n_x, n_h) == recurrent_parameter_count(cell, n_x, n_h)
        # the same weights as PyTorch, half its biases (PyTorch keeps b_ih and b_hh)
        pytorch = meta(MODULES[cell], n_x, n_h)
        assert count.weights == weights_and_biases(pytorch)[0]
        assert 2 * count.biases == weights_and_biases(pytorch)[1]


def test_gate_blocks_are_the_rows_pytorch_stacks():
    for cell, module in MODULES.items():
        layer = meta(module, 3, 5)
        assert layer.weight_ih_l0.shape == (GATES[cell] * 5, 3)
        assert layer.weight_hh_l0.shape == (GATES[cell] * 5, 5)


def test_exam_lstm_with_input_2_and_cell_3():
    # W_f acts on [h, x]: 3 x (3 + 2) = 3 x 5, b_f has 3; four such gates
    gate = nn.Linear(3 + 2, 3)
    assert tuple(gate.weight.shape) == (3, 5) and gate.bias.numel() == 3
    assert 4 * (3 * 5 + 3) == 72
    count = lstm_parameter_count(2, 3)
    assert (count.weights, count.biases, count.total) == (60, 12, 72)
    assert lstm_parameter_count(2, 3, bias_vectors=0).total == 60 == numel(nn.LSTM(2, 3, bias=False))
    assert lstm_parameter_count(2, 3, bias_vectors=2).total == 84 == numel(nn.LSTM(2, 3))


def test_counts_are_plain_ints_even_for_numpy_sizes():
    count = gru_parameter_count(np.int64(4), np.int32(6), np.int64(2))
    assert type(count.weights) is int and type(count.biases) is int
    assert count.total == numel(nn.GRU(4, 6))


# ---------------------------------------------------------------------------------------------
# Bidirectional
# ---------------------------------------------------------------------------------------------

def test_exam_bidirectional_lstm_200_forward_100_backward_over_300_without_bias():
    count = bidirectional_parameter_count("lstm", 300, 200, 100, bias_vectors=0)
    assert 4 * 200 * (200 + 300) == 400_000 and 4 * 100 * (100 + 300) == 160_000
    assert count.total == 560_000 and count.biases == 0
    forward = meta(nn.LSTM, 300, 200, bias=False)
    backward = meta(nn.LSTM, 300, 100, bias=False)
    assert numel(forward) == 400_000 and numel(backward) == 160_000
    assert count.total == numel(forward) + numel(backward)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_bidirectional_parameter_count_matches_two_separate_layers(cell):
    rng = np.random.default_rng(20 + len(cell))
    for _ in range(10):
        n_x, fwd, bwd = (int(v) for v in rng.integers(1, 30, size=3))
        for bias_vectors, bias in ((2, True), (0, False)):
            count = bidirectional_parameter_count(cell, n_x, fwd, bwd, bias_vectors)
            pair = nn.ModuleList([meta(MODULES[cell], n_x, fwd, bias=bias),
                                  meta(MODULES[cell], n_x, bwd, bias=bias)])
            assert_count_matches(count, pair)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_bidirectional_with_equal_sizes_matches_pytorchs_bidirectional_layer(cell):
    rng = np.random.default_rng(30 + len(cell))
    for _ in range(10):
        n_x, n_h = (int(v) for v in rng.integers(1, 30, size=2))
        for bias_vectors, bias in ((2, True), (0, False)):
            module = meta(MODULES[cell], n_x, n_h, bias=bias, bidirectional=True)
            assert_count_matches(bidirectional_parameter_count(cell, n_x, n_h, None, bias_vectors),
                                 module)
            assert_count_matches(bidirectional_parameter_count(cell, n_x, n_h, n_h, bias_vectors),
                                 module)
        # the papers' single bias per gate: a PaperCell each way
        paper = nn.ModuleList([meta(PaperCell, GATES[cell], n_x, n_h) for _ in range(2)])
        assert_count_matches(bidirectional_parameter_count(cell, n_x, n_h), paper)


# ---------------------------------------------------------------------------------------------
# Fixed-window language model
# ---------------------------------------------------------------------------------------------

class FixedWindowLM(nn.Module):
    """Bengio et al. (2003) without the direct connections: embed n words, concatenate, one tanh
    hidden layer, scores over the vocabulary."""

    def __init__(self, vocab, dim, context, hidden, learned_embeddings=True, bias=False):
        super().__init__()
        self.context = context
        # an embedding table loaded from elsewhere (zeros: only shapes matter here), frozen unless
        # learned; from_pretrained also skips the normal_ init, slow on the meta device
        self.embedding = nn.Embedding.from_pretrained(torch.zeros(vocab, dim),
                                                      freeze=not learned_embeddings)
        self.hidden = nn.Linear(context * dim, hidden, bias=bias)
        self.output = nn.Linear(hidden, vocab, bias=bias)

    def forward(self, words):  # (context,) word ids -> (vocab,) scores
        return self.output(torch.tanh(self.hidden(self.embedding(words).reshape(-1))))


def assert_lm_count_matches(count, model):
    trainable = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    biases = sum(p.numel() for name, p in trainable if "bias" in name)
    assert (count.weights, count.biases) == (numel(model, trainable_only=True) - biases, biases)


def test_exam_fixed_window_lm_vocab_50000_dim_300_context_4_hidden_50():
    # by hand: 4*300*50 + 50*50,000 = 60,000 + 2,500,000; the embeddings add 50,000*300 = 15,000,000
    assert 4 * 300 * 50 + 50 * 50_000 == 2_560_000 and 2_560_000 + 50_000 * 300 == 17_560_000
    frozen = fixed_window_lm_parameter_count(50_000, 300, 4, 50, learned_embeddings=False)
    learned = fixed_window_lm_parameter_count(50_000, 300, 4, 50, learned_embeddings=True)
    assert frozen.total == 2_560_000 and learned.total == 17_560_000
    assert fixed_window_lm_parameter_count(50_000, 300, 4, 50) == learned  # learned is the default
    assert_lm_count_matches(frozen, meta(FixedWindowLM, 50_000, 300, 4, 50, learned_embeddings=False))
    assert_lm_count_matches(learned, meta(FixedWindowLM, 50_000, 300, 4, 50))


def test_fixed_window_lm_parameter_count_matches_a_small_working_model():
    rng = np.random.default_rng(40)
    for _ in range(12):
        vocab, dim, context, hidden = (int(v) for v in rng.integers(1, 12, size=4))
        learned, bias = bool(rng.random() < 0.5), bool(rng.random() < 0.5)
        model = FixedWindowLM(vocab, dim, context, hidden, learned, bias)
        words = torch.from_numpy(rng.integers(0, vocab, size=context))
        assert model(words).shape == (vocab,)  # the module really is such a language model
        count = fixed_window_lm_parameter_count(vocab, dim, context, hidden, learned, bias)
        assert_lm_count_matches(count, model)
