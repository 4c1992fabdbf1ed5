"""The GRU language model's training code on a tiny corpus, in seconds (the full run is recorded in
docs/training/results/charlm.json by `python -m dlref.train.charlm`)."""

import math

import pytest
import torch

from dlref.train import charlm, common

TEXT = "the cat sat on the mat. the dog sat on the log. " * 60


@pytest.fixture
def corpus():
    return charlm.Corpus.from_text(TEXT)


def small(corpus, **overrides):
    settings = dict(vocab_size=len(corpus.vocabulary), embedding_dim=16, hidden_size=48, num_layers=2,
                    dropout=0.0)
    return charlm.ModelConfig(**{**settings, **overrides})


def test_dropout_acts_between_the_gru_layers_only_in_training(corpus):
    torch.manual_seed(0)
    model = charlm.CharGRU(small(corpus, num_layers=3, dropout=0.99))
    ids = corpus.train[:20][None]
    inputs = {}
    for i, layer in enumerate(model.layers):
        layer.register_forward_pre_hook(lambda module, args, i=i: inputs.__setitem__(i, args[0]))
    model.train()
    model(ids)
    assert inputs[0].abs().min() > 0                      # the embeddings are not dropped
    assert (inputs[1] == 0).float().mean() > 0.95          # 99% of the first layer's outputs are
    assert (inputs[2] == 0).float().mean() > 0.95
    model.eval()
    model(ids)
    assert (inputs[1] == 0).float().mean() == 0


def test_byte_dropout_keeps_each_element_with_probability_one_minus_p_and_rescales():
    torch.manual_seed(0)
    dropout = charlm.ByteDropout(0.25).train()
    x = torch.ones(400_000)
    y = dropout(x)
    kept = y != 0
    assert abs(kept.float().mean().item() - 0.75) < 0.005
    assert torch.all(y[kept] == 1 / 0.75) and abs(y.mean().item() - 1) < 0.01   # E[y] = x
    # Neighbouring elements come from different bytes of one random word: no correlation between them.
    a, b = kept[:-1].float(), kept[1:].float()
    assert abs(((a - a.mean()) * (b - b.mean())).mean().item()) < 0.003
    assert torch.equal(dropout.eval()(x), x)
    assert charlm.ByteDropout(0.3).p == 77 / 256
    with pytest.raises(ValueError, match="dropout p must be in"):
        charlm.ByteDropout(1.0)


def test_stacked_layers_match_a_multilayer_nn_gru_with_the_same_weights(corpus):
    torch.manual_seed(0)
    model = charlm.CharGRU(small(corpus, num_layers=2)).eval()
    reference = torch.nn.GRU(16, 48, num_layers=2, batch_first=True)
    with torch.no_grad():
        for i, layer in enumerate(model.layers):
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(reference, f"{name}_l{i}").copy_(getattr(layer, f"{name}_l0"))
    ids = corpus.train[:30].view(2, 15)
    hidden = torch.randn(2, 2, 48)
    logits, state = model(ids, hidden)
    expected_output, expected_state = reference(model.embedding(ids), hidden)
    torch.testing.assert_close(state, expected_state)
    torch.testing.assert_close(logits, model.head(expected_output))


def test_split_is_first_ninety_percent_train_last_ten_percent_validation(corpus):
    assert len(corpus.train) == int(0.9 * len(TEXT)) and len(corpus.train) + len(corpus.validation) == len(TEXT)
    assert corpus.decode(corpus.train[:7]) == TEXT[:7] and corpus.vocabulary == "".join(sorted(set(TEXT)))


def test_chunks_pair_each_character_with_the_next_and_streams_are_contiguous(corpus):
    rows = charlm.streams(corpus.train, batch_size=4)
    pieces = list(charlm.chunks(rows, seq_len=10))
    inputs, targets = pieces[0]
    assert torch.equal(inputs[:, 1:], targets[:, :-1])
    assert torch.equal(torch.cat([p[0] for p in pieces], dim=1), rows[:, :-1])   # nothing skipped


def test_learning_rate_warms_up_then_decays_to_its_floor():
    config = charlm.TrainConfig(lr=1e-3, warmup_steps=10, final_lr_fraction=0.1)
    assert charlm.learning_rate(config, 0, 0.0) == pytest.approx(1e-4)
    assert charlm.learning_rate(config, 50, 0.0) == pytest.approx(1e-3)
    assert charlm.learning_rate(config, 50, 0.5) == pytest.approx(1e-3 * (0.1 + 0.9 * 0.5))
    assert charlm.learning_rate(config, 50, 1.0) == pytest.approx(1e-4)


def test_bits_are_nats_over_ln_2():
    assert charlm.nats_to_bits(1.4) == pytest.approx(1.4 * math.log2(math.e))


def test_training_on_a_slice_reduces_the_validation_loss(corpus):
    device = common.Device(torch.device("cpu"), None, False)
    torch.manual_seed(0)
    before = charlm.evaluate(charlm.CharGRU(small(corpus)), corpus.validation, device, batch_size=4, seq_len=32)
    log = common.MetricLog(echo=False)
    model, summary = charlm.train(corpus, small(corpus), charlm.TrainConfig(
        minutes=1, max_steps=60, batch_size=8, seq_len=32, lr=1e-2, warmup_steps=5, eval_every_seconds=1e9),
        device, log, show_progress=False)
    assert summary["steps"] == 60 and log.records[-1]["step"] == 60
    assert summary["val_loss_nats_per_char"] < before - 1.0
    assert summary["val_bits_per_char"] == pytest.approx(charlm.nats_to_bits(summary["val_loss_nats_per_char"]), abs=1e-3)


def test_the_model_memorises_one_batch(corpus):
    torch.manual_seed(0)
    model = charlm.CharGRU(small(corpus))
    inputs, targets = next(charlm.chunks(charlm.streams(corpus.train[:400], 2), 40))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(150):
        logits, _ = model(inputs)
        loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert loss.item() < 0.1


def test_sampling_top_1_is_greedy_and_seeds_repeat(corpus):
    torch.manual_seed(0)
    model = charlm.CharGRU(small(corpus))
    greedy = charlm.sample(model, corpus, "the ", 20, top_k=1, seed=1)
    ids, (logits, hidden) = corpus.encode("the "), model(corpus.encode("the ")[None])
    by_hand = []
    for _ in range(20):
        next_id = int(logits[0, -1].argmax())
        by_hand.append(next_id)
        logits, hidden = model(torch.tensor([[next_id]]), hidden)
    assert greedy == "the " + corpus.decode(by_hand)
    assert charlm.sample(model, corpus, "the ", 30, 1.0, seed=3) == charlm.sample(model, corpus, "the ", 30, 1.0, seed=3)
    with pytest.raises(ValueError, match="temperature"):
        charlm.sample(model, corpus, "the ", 5, temperature=0)
    with pytest.raises(ValueError, match="top_k"):
        charlm.sample(model, corpus, "the ", 5, top_k=0)


def test_saved_model_loads_back_in_float32(corpus, tmp_path):
    torch.manual_seed(0)
    model = charlm.CharGRU(small(corpus)).eval()
    path = charlm.save_model(model, corpus, tmp_path / "m.pt")
    loaded, vocabulary = charlm.load_model(path)
    ids = corpus.encode("the cat")[None]
    assert vocabulary == corpus.vocabulary
    assert torch.allclose(loaded(ids)[0], model(ids)[0], atol=1e-2)   # float16 storage


def test_missing_data_says_where_it_looked_and_where_to_get_it(tmp_path):
    with pytest.raises(SystemExit, match=r"looked at .*input\.txt.*char-rnn"):
        charlm.Corpus.load(tmp_path)
    (tmp_path / "input.txt").write_text("too short")
    with pytest.raises(SystemExit, match="fewer than"):
        charlm.Corpus.load(tmp_path)
    (tmp_path / "input.txt").write_bytes(b"\xff\xfe" * 10_000)
    with pytest.raises(SystemExit, match="not UTF-8"):
        charlm.Corpus.load(tmp_path)


def test_command_line_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        charlm.main(["--help"])
    assert exit_info.value.code == 0 and "--minutes" in capsys.readouterr().out


def test_data_location_option_then_environment_then_default(monkeypatch, tmp_path):
    monkeypatch.delenv(common.DATA_ENVIRONMENT_VARIABLE, raising=False)
    assert common.data_root(None) == common.DEFAULT_DATA_ROOT
    monkeypatch.setenv(common.DATA_ENVIRONMENT_VARIABLE, str(tmp_path))
    assert common.data_root(None) == tmp_path and common.data_root("/x") == common.Path("/x")
