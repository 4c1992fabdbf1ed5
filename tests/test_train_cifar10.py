"""The CIFAR-10 training code on synthetic data: it learns, it memorises, it refuses bad data.

None of these tests needs the real data set (``../shared/data``); they build small arrays.
"""

import json
import pickle

import numpy as np
import pytest
import torch

from dlref.train import cifar10
from dlref.train.common import DataError, Device

TINY = dict(widths=(8, 16, 16), whitening_images=64)

# The published runs use bf16 autocast (Device.choose("cpu")); at these toy sizes oneDNN's bf16 kernels are
# ~6x slower than float32, so only the command-line test (which chooses the device as a run does) pays for it.
FLOAT32 = Device(torch.device("cpu"), None, True)


def synthetic(n: int, seed: int = 0):
    """Images whose class sets the mean brightness of one colour channel (learnable in a few steps)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = rng.integers(0, 80, (n, 32, 32, 3))
    images[np.arange(n), :, :, labels % 3] += 17 * labels[:, None, None]
    return images.astype(np.uint8), labels.astype(np.int64)


def dataset(n_train: int, n_test: int) -> cifar10.Cifar10:
    x, y = synthetic(n_train + n_test)
    return cifar10.Cifar10(x[:n_train], y[:n_train], x[n_train:], y[n_train:], source="synthetic")


@pytest.mark.parametrize("optimizer", ["sgd", "muon"])
def test_training_reduces_the_loss(optimizer):
    config = cifar10.Config("smoke", epochs=4, batch_size=64, optimizer=optimizer, **TINY)
    result = cifar10.train(config, dataset(256, 64), FLOAT32, show_progress=False)
    losses = [record["train_loss"] for record in result.history]
    assert len(result.history) == 4 and result.metrics["steps"] == 16
    assert losses[-1] < losses[0] - 0.1, losses
    assert 0 < result.metrics["training_seconds"]
    assert result.metrics["test_accuracy"] > 0.2  # chance is 0.1
    assert result.test_logits.shape == (64, 10)
    for key in ("epoch", "train_loss", "train_accuracy", "test_accuracy", "lr", "training_seconds",
                "images_per_second"):
        assert key in result.history[-1]


def test_a_seed_repeats_the_run_exactly():
    """Only a run's time depends on the machine's speed; its losses and accuracies are set by the seed
    (the CPU kernels are deterministic), so two runs of a published config can be compared directly."""
    config = cifar10.Config("repeat", epochs=2, batch_size=64, **TINY)

    def history(seed):
        result = cifar10.train(config, dataset(128, 32), FLOAT32, seed=seed, show_progress=False,
                               final_tta=False)
        return [{k: v for k, v in record.items() if k not in ("training_seconds", "images_per_second")}
                for record in result.history]

    first = history(seed=0)
    assert history(seed=0) == first
    assert history(seed=1) != first


def test_the_model_memorises_one_batch():
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (32, 32, 32, 3)).astype(np.uint8)
    labels = rng.integers(0, 10, 32)
    data = cifar10.Cifar10(images, labels, images, labels)  # test on the training batch itself
    config = cifar10.Config("overfit", epochs=30, batch_size=32, flip=False, translate=0,
                            label_smoothing=0.0, widths=(16, 32, 32), whitening_images=32)
    result = cifar10.train(config, data, FLOAT32, show_progress=False, final_tta=False)
    assert result.history[-1]["train_accuracy"] >= 0.95
    assert result.metrics["test_accuracy"] >= 0.95  # eval mode (running BN statistics), same images


def test_model_is_residual_and_counts_its_parameters():
    model = cifar10.ResNet()
    rows = cifar10.model_summary(model)
    assert sum(r["parameters"] for r in rows) == sum(p.numel() for p in model.parameters())
    assert rows[-1]["output"] == (10,)
    unit = model.stages[0].residual[0]
    x = torch.randn(2, 64, 15, 15)
    with torch.no_grad():  # the skip adds the input itself: out - x is the residual branch
        torch.testing.assert_close(unit(x) - x, torch.nn.functional.gelu(unit.norm(unit.conv(x))))


def test_whitening_decorrelates_patches():
    x, _ = synthetic(64)
    images = torch.from_numpy(x).permute(0, 3, 1, 2).float() / 255
    model = cifar10.ResNet(widths=(8, 16, 16))
    model.init_whitening(images, eps=0.0)
    with torch.no_grad():
        out = torch.nn.functional.conv2d(images, model.whiten.weight[:12])
    flat = out.permute(0, 2, 3, 1).reshape(-1, 12).double()
    torch.testing.assert_close(flat.T @ flat / len(flat), torch.eye(12, dtype=torch.float64),
                               atol=1e-3, rtol=0)


def test_augmentation_shifts_and_flips_whole_images():
    x, y = synthetic(8)
    data = cifar10.Batches(x, y, Device.choose("cpu"), (0.5,) * 3, (0.25,) * 3)
    mask = torch.tensor([True, False] * 4)
    flipped = data.augmented(0, mask, torch.Generator().manual_seed(0))
    assert torch.equal(flipped[0], data.images[0].flip(-1)) and torch.equal(flipped[1], data.images[1])
    shifted = data.augmented(2, None, torch.Generator().manual_seed(0))
    assert shifted.shape == data.images.shape and shifted.dtype == torch.uint8
    # a shifted image is a window of the reflect-padded image
    padded = torch.nn.functional.pad(data.images.float(), (2,) * 4, mode="reflect")
    windows = padded.unfold(2, 32, 1).unfold(3, 32, 1)  # N, C, 5, 5, 32, 32
    for i in range(8):
        assert any(torch.equal(windows[i, :, a, b], shifted[i].float()) for a in range(5) for b in range(5))


def test_lr_schedule_warms_up_then_decays():
    config = cifar10.CONFIGS["fast"]
    factors = [cifar10.lr_factor(s, 100, config) for s in range(101)]
    assert factors[0] == pytest.approx(0.2) and max(factors) == pytest.approx(1.0)
    assert factors[-1] == pytest.approx(config.final_lr_fraction)
    assert factors.index(max(factors)) == 23


# ------------------------------------------------------------------------------------ data errors

def write_npz(path, x_train, y_train, x_test, y_test, **extra):
    np.savez_compressed(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test,
                        classes=np.array(cifar10.CLASSES), **extra)
    return path


def write_batches(directory, x_train, y_train, x_test, y_test):
    directory.mkdir(parents=True)

    def dump(name, x, y):
        rows = x.transpose(0, 3, 1, 2).reshape(len(x), 3072)  # CHW-flattened, as in the original
        with open(directory / name, "wb") as file:
            pickle.dump({b"batch_label": name.encode(), b"labels": [int(v) for v in y], b"data": rows,
                         b"filenames": [b"x.png"] * len(x)}, file)

    for i, part in enumerate(np.array_split(np.arange(len(x_train)), 5), start=1):
        dump(f"data_batch_{i}", x_train[part], y_train[part])
    dump("test_batch", x_test, y_test)
    with open(directory / "batches.meta", "wb") as file:
        pickle.dump({b"label_names": [c.encode() for c in cifar10.CLASSES], b"num_vis": 3072}, file)
    return directory


@pytest.fixture
def arrays():
    x, y = synthetic(60)
    return x[:50], y[:50].astype(np.uint8), x[50:], y[50:].astype(np.uint8)


def test_npz_and_python_batches_load_to_the_same_arrays(tmp_path, arrays):
    (tmp_path / "cifar10").mkdir()
    write_npz(tmp_path / "cifar10" / cifar10.NPZ_NAME, *arrays)
    write_batches(tmp_path / "other" / cifar10.BATCHES_DIRECTORY, *arrays)
    from_npz = cifar10.load_cifar10(tmp_path)
    from_root = cifar10.load_cifar10(tmp_path / "other")
    from_directory = cifar10.load_cifar10(tmp_path / "other" / cifar10.BATCHES_DIRECTORY)
    from_file = cifar10.load_cifar10(tmp_path / "cifar10" / cifar10.NPZ_NAME)
    for loaded in (from_root, from_directory, from_file):
        for key in ("x_train", "y_train", "x_test", "y_test"):
            np.testing.assert_array_equal(getattr(loaded, key), getattr(from_npz, key))
        assert loaded.classes == cifar10.CLASSES
    assert from_npz.y_train.dtype == np.int64 and from_npz.x_train.shape == (50, 32, 32, 3)
    assert "JPEG" in from_npz.note and "original" in from_root.note


def test_data_root_comes_from_the_environment(tmp_path, arrays, monkeypatch):
    (tmp_path / "cifar10").mkdir()
    write_npz(tmp_path / "cifar10" / cifar10.NPZ_NAME, *arrays)
    monkeypatch.setenv("DLREF_DATA", str(tmp_path))
    assert len(cifar10.load_cifar10().x_train) == 50


def test_missing_data_says_where_it_looked_and_where_to_get_it(tmp_path):
    absent = tmp_path / "nowhere"
    with pytest.raises(DataError) as error:
        cifar10.load_cifar10(absent)
    message = str(error.value)
    assert str(absent / "cifar10" / cifar10.NPZ_NAME) in message
    assert str(absent / cifar10.BATCHES_DIRECTORY) in message
    assert "README" in message and "https://www.cs.toronto.edu/~kriz/cifar.html" in message


@pytest.mark.parametrize("damage, expected", [
    (dict(drop="y_test"), "missing arrays ['y_test']"),
    (dict(x_train=np.zeros((50, 32, 32), np.uint8)), "x_train must be uint8 images of shape (N, 32, 32, 3)"),
    (dict(x_test=np.zeros((10, 32, 32, 3), np.float32)), "x_test must be uint8"),
    (dict(y_train=np.zeros(49, np.uint8)), "y_train must be 50 integer labels"),
    (dict(y_test=np.full(10, 12, np.uint8)), "labels 0..9"),
])
def test_malformed_npz_is_refused(tmp_path, arrays, damage, expected):
    fields = dict(zip(("x_train", "y_train", "x_test", "y_test"), arrays))
    fields.pop(damage.pop("drop", None), None)
    fields.update(damage)
    path = tmp_path / "bad.npz"
    np.savez(path, **fields)
    with pytest.raises(DataError) as error:
        cifar10.load_cifar10(path)
    assert expected in str(error.value) and str(path) in str(error.value)


def test_truncated_npz_is_refused(tmp_path, arrays):
    path = write_npz(tmp_path / "cut.npz", *arrays)
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(DataError, match="not a readable CIFAR-10 .npz"):
        cifar10.load_cifar10(path)


def test_malformed_python_batches_are_refused(tmp_path, arrays):
    directory = write_batches(tmp_path / cifar10.BATCHES_DIRECTORY, *arrays)
    with open(directory / "data_batch_3", "wb") as file:
        pickle.dump({b"data": np.zeros((10, 1024), np.uint8), b"labels": [0] * 10}, file)
    with pytest.raises(DataError, match=r"data_batch_3: b'data' must be uint8 of shape \(N, 3072\)"):
        cifar10.load_cifar10(tmp_path)
    (directory / "data_batch_3").write_bytes(b"not a pickle")
    with pytest.raises(DataError, match="not a readable CIFAR-10 python batch"):
        cifar10.load_cifar10(tmp_path)
    (directory / "test_batch").unlink()
    with pytest.raises(DataError, match=r"missing CIFAR-10 batches \['test_batch'\]"):
        cifar10.load_cifar10(directory)


# ------------------------------------------------------------------------------------ command line

def test_help_describes_the_command(capsys):
    with pytest.raises(SystemExit) as stop:
        cifar10.main(["--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    assert "--config" in text and "--data" in text and "JPEG q75" in text


def test_command_stops_cleanly_without_data(tmp_path):
    with pytest.raises(DataError) as error:
        cifar10.main(["--data", str(tmp_path), "--no-progress"])
    assert str(error.value).startswith("error: no CIFAR-10 data found")


def test_command_runs_a_modified_config_without_touching_the_results(tmp_path, arrays, capsys):
    (tmp_path / "cifar10").mkdir()
    x, y = synthetic(300)
    write_npz(tmp_path / "cifar10" / cifar10.NPZ_NAME, x[:256], y[:256], x[256:], y[256:])
    before = cifar10.RESULTS_PATH.read_bytes() if cifar10.RESULTS_PATH.exists() else None
    cifar10.CONFIGS["tiny-test"] = cifar10.Config("tiny-test", epochs=1, batch_size=128, **TINY)
    try:
        cifar10.main(["--config", "tiny-test", "--data", str(tmp_path), "--epochs", "1", "--no-progress",
                      "--checkpoint", str(tmp_path / "model.pt"), "--log", str(tmp_path / "log.jsonl"),
                      "--predictions", str(tmp_path / "predictions.json")])
    finally:
        del cifar10.CONFIGS["tiny-test"]
    out = capsys.readouterr().out
    assert "tiny-test: test accuracy" in out and '"epoch": 1' in out
    assert "CPU (bfloat16 autocast, channels_last)" in out  # the published runs' precision path
    assert "state_dict" in torch.load(tmp_path / "model.pt", weights_only=True)
    assert (tmp_path / "log.jsonl").read_text().count("\n") == 1
    predictions = json.loads((tmp_path / "predictions.json").read_text())
    assert predictions["config"] == "tiny-test" and len(predictions["predicted"]) == 44
    assert set(predictions["predicted"]) <= set(range(10))
    # The summary's flip+translate TTA accuracy is the accuracy of these predictions.
    tta = np.mean(np.array(predictions["predicted"]) == y[256:])
    assert f"{100 * tta:.2f}% with flip+translate TTA" in out
    after = cifar10.RESULTS_PATH.read_bytes() if cifar10.RESULTS_PATH.exists() else None
    assert before == after


def test_progressive_resizing_trains_the_first_epochs_on_small_crops():
    config = cifar10.Config("crops", epochs=3, batch_size=64, small_crop=24, small_crop_epochs=2, **TINY)
    seen = []
    original = cifar10.ResNet.forward

    def recording_forward(model, x):
        if model.training:
            seen.append(tuple(x.shape[2:]))
        return original(model, x)

    cifar10.ResNet.forward = recording_forward
    try:
        result = cifar10.train(config, dataset(128, 32), FLOAT32, show_progress=False, final_tta=False)
    finally:
        cifar10.ResNet.forward = original
    assert seen == [(24, 24)] * 4 + [(32, 32)] * 2   # 2 steps per epoch
    assert [record.get("crop") for record in result.history] == [24, 24, None]


def test_muon_config_puts_the_filters_under_muon_and_the_rest_under_sgd():
    model = cifar10.ResNet((8, 16, 16))
    sgd, muon = cifar10.make_optimizers(model, cifar10.Config("m", epochs=1, optimizer="muon"))
    filters = {id(p) for group in muon.param_groups for p in group["params"]}
    trained = [p for p in model.parameters() if p.requires_grad]
    assert filters == {id(p) for p in trained if p.ndim == 4} and len(filters) == 6
    rest = {id(p) for group in sgd.param_groups for p in group["params"]}
    assert rest == {id(p) for p in trained} - filters
    assert len(cifar10.make_optimizers(model, cifar10.Config("s", epochs=1))) == 1
    with pytest.raises(ValueError, match="optimizer must be 'sgd' or 'muon'"):
        cifar10.make_optimizers(model, cifar10.Config("x", epochs=1, optimizer="adam"))
