"""Beam-search counts, top-k / top-p filtering and the BART/T5 corruptions against PyTorch code."""

import numpy as np
import pytest
import torch

from dlref.language_models import (bart_text_infilling, bart_token_masking, beam_search_hypothesis_counts,
                                   t5_span_corruption, top_k_filter, top_p_filter)
from torch_helpers import n, t


def torch_beam_search(beam, steps, vocab=60, score_every_word=False, seed=0):
    """A real beam search on random next-token logits; returns how many (hypothesis, word) pairs got a
    log-probability per step: each beam's top k, or every word when ``score_every_word``."""
    generator = torch.Generator().manual_seed(seed)
    W = torch.randn(vocab, vocab, generator=generator, dtype=torch.float64)
    beams, scored = [([0], 0.0)], []
    for _ in range(steps):
        candidates = []
        for tokens, logp in beams:
            log_probs = torch.log_softmax(W[tokens[-1]], dim=-1)
            top = torch.topk(log_probs, vocab if score_every_word else beam)
            candidates += [(tokens + [i], logp + v) for v, i in zip(top.values.tolist(), top.indices.tolist())]
        scored.append(len(candidates))
        beams = sorted(candidates, key=lambda c: c[1], reverse=True)[:beam]
    return scored


@pytest.mark.parametrize("beam, steps", [(10, 4), (1, 5), (3, 1), (5, 3), (7, 2)])
def test_beam_counts_match_a_real_beam_search(beam, steps):
    assert beam_search_hypothesis_counts(beam, steps) == torch_beam_search(beam, steps)
    assert beam_search_hypothesis_counts(beam, steps, vocab_size=60) == \
        torch_beam_search(beam, steps, score_every_word=True)


def test_exam_beam_count():
    assert sum(torch_beam_search(10, 4)) == sum(beam_search_hypothesis_counts(10, 4)) == 310


def torch_top_k(probs, k):
    logits = torch.log(t(probs))
    return torch.softmax(logits.masked_fill(logits < torch.topk(logits, k).values[-1], float("-inf")), -1)


def torch_top_p(probs, p):
    """The Hugging Face TopPLogitsWarper: sort ascending, drop tokens whose cumulative mass <= 1 - p."""
    logits = torch.log(t(probs))
    sorted_logits, order = torch.sort(logits)
    drop_sorted = sorted_logits.softmax(-1).cumsum(-1) <= 1 - p
    drop_sorted[-1] = False                       # always keep the most probable token
    return torch.softmax(logits.masked_fill(drop_sorted.scatter(0, order, drop_sorted), float("-inf")), -1)


EXAM_PROBS = [0.30, 0.20, 0.15, 0.10, 0.08, 0.06, 0.05, 0.03, 0.02, 0.01]


@pytest.mark.parametrize("seed", range(10))
def test_top_k_and_top_p_match_the_hugging_face_rules(seed):
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.full(rng.integers(2, 30), 0.7))
    k = int(rng.integers(1, len(probs) + 1))
    p = float(rng.uniform(0.05, 0.99))
    np.testing.assert_allclose(top_k_filter(probs, k), n(torch_top_k(probs, k)), atol=1e-12)
    np.testing.assert_allclose(top_p_filter(probs, p), n(torch_top_p(probs, p)), atol=1e-12)


def test_exam_distribution_and_edge_cases():
    np.testing.assert_allclose(top_k_filter(EXAM_PROBS, 5), n(torch_top_k(EXAM_PROBS, 5)), atol=1e-12)
    np.testing.assert_allclose(top_p_filter(EXAM_PROBS, 0.6), n(torch_top_p(EXAM_PROBS, 0.6)), atol=1e-12)
    assert np.count_nonzero(top_p_filter(EXAM_PROBS, 0.6)) == 3
    assert np.count_nonzero(top_p_filter(EXAM_PROBS, 0.3)) == 1          # one token already reaches p
    np.testing.assert_allclose(top_p_filter(EXAM_PROBS, 1.0), EXAM_PROBS)
    np.testing.assert_allclose(top_k_filter(EXAM_PROBS, 10), EXAM_PROBS)


def torch_spans(ids, span, fill):
    """Collapse each run of True in ``span`` to one placeholder ``fill(run number)``."""
    starts = span & ~torch.cat([torch.tensor([False]), span[:-1]])
    out = torch.where(starts, fill(starts.cumsum(0) - 1), ids)
    return out[~span | starts]


@pytest.mark.parametrize("seed", range(8))
def test_corruptions_match_tensor_implementations(seed):
    rng = np.random.default_rng(seed)
    length = int(rng.integers(3, 12))
    words = [f"w{i}" for i in range(length)]
    vocab = words + ["<mask>"] + [f"<extra_id_{i}>" for i in range(length + 1)]
    text = lambda ids: [vocab[i] for i in ids.tolist()]
    ids = torch.arange(length)
    span = torch.from_numpy(rng.random(length) < 0.4)
    span[0] = False                                         # text starts unmasked
    span[int(rng.integers(1, length))] = True               # at least one span
    runs, start = [], None
    for i, masked in enumerate(span.tolist() + [False]):
        if masked and start is None:
            start = i
        elif not masked and start is not None:
            runs.append((start, i - start))
            start = None

    assert bart_token_masking(words, np.flatnonzero(span.numpy()).tolist())[0] == \
        text(ids.masked_fill(span, length))
    assert bart_text_infilling(words, runs) == (text(torch_spans(ids, span, lambda r: torch.full_like(r, length))),
                                                words)
    t5_input, t5_target = t5_span_corruption(words, runs)
    assert t5_input == text(torch_spans(ids, span, lambda r: length + 1 + r))
    kept = torch_spans(ids, ~span, lambda r: length + 1 + r)
    assert t5_target == text(torch.cat([kept, torch.tensor([length + 1 + len(runs)])]))[:len(t5_target)]
    assert t5_target[-1] == f"<extra_id_{len(runs)}>"


def test_exam_sentence():
    sentence = "I went to the store".split()
    assert bart_token_masking(sentence, [1, 4])[0] == "I <mask> to the <mask>".split()
    assert bart_text_infilling(sentence, [(1, 2), (4, 0)])[0] == "I <mask> the <mask> store".split()
    assert t5_span_corruption(sentence, [(1, 2), (4, 1)]) == (
        "I <extra_id_0> the <extra_id_1>".split(), "<extra_id_0> went to <extra_id_1> store <extra_id_2>".split())


@pytest.mark.parametrize("call, error, message", [
    (lambda: beam_search_hypothesis_counts(0, 4), ValueError, "beam_size must be >= 1"),
    (lambda: beam_search_hypothesis_counts(10, 4, vocab_size=5), ValueError, "vocab_size 5 must be at least"),
    (lambda: top_k_filter(EXAM_PROBS, 11), ValueError, "k must be at most the vocabulary size 10"),
    (lambda: top_k_filter([0.5, 0.6], 1), ValueError, "probs must sum to 1"),
    (lambda: top_k_filter([1.2, -0.2], 1), ValueError, "probs must be non-negative"),
    (lambda: top_p_filter(EXAM_PROBS, 0), ValueError, r"p must be a number in \(0, 1\]"),
    (lambda: top_p_filter(EXAM_PROBS, 1.5), ValueError, r"p must be a number in \(0, 1\]"),
    (lambda: bart_token_masking("I went".split(), [2]), ValueError, r"positions\[0\] must be below"),
    (lambda: bart_text_infilling("a b c".split(), [(1, 3)]), ValueError, r"spans\[0\] = \(1, 3\) runs past"),
    (lambda: t5_span_corruption("a b c".split(), [(1, 0)]), ValueError, r"spans\[0\] length must be >= 1"),
    (lambda: t5_span_corruption("a b c d".split(), [(2, 1), (0, 1)]), ValueError, "must be sorted"),
    (lambda: t5_span_corruption("a b c d".split(), [(0, 1), (1, 1)]), ValueError, "touches the previous span"),
    (lambda: t5_span_corruption("a b", [(0, 1)]), TypeError, "tokens must be a non-empty list of strings"),
])
def test_bad_input_names_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()
