"""The training pages state only what the recorded runs, their configs and their logs say.

The runs take 5 to 20 minutes each and are not repeated here (docs/training/index.md gives the
commands). These tests check, from the committed files alone:

* every field of the results JSON against the log, the config, the code that writes it or the
  committed model (the GRU's samples are generated again from ``models/charlm.pt``);
* every number the notebooks print against the results, logs and configs, and the derived facts
  (confusion pairs, per-class accuracy, misclassified count) recomputed from the committed predictions;
* every number in the notebooks' Markdown, each mapped to the value it names (``*_PROSE`` below); the
  digits that are not claims are listed with the reason (``*_NOT_CLAIMS``);
* every number on docs/training/index.md bound to snippets/training/published.py.
"""

import inspect
import json
import math
import re
import shutil
import string
import subprocess
import tomllib
from dataclasses import asdict
from datetime import datetime, timezone
from fractions import Fraction
from types import SimpleNamespace

import nbformat
import numpy as np
import pytest
import torch

import contract
from dlref.train import charlm, cifar10
from dlref.train.common import DEFAULT_DATA_ROOT, Device
from sitecontract import bindings, namespaces

TRAINING = contract.DOCS / "training"
RESULTS = TRAINING / "results"
MODEL = TRAINING / "models" / "charlm.pt"
INDEX = TRAINING / "index.md"
SAMPLED = 80   # characters of each GRU sample generated again from the committed model
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def published() -> dict:
    """The names docs/training/index.md binds to (snippets/training/published.py)."""
    return namespaces.page_namespace(INDEX.read_text(encoding="utf-8"))


def notebook(name: str):
    return nbformat.read(TRAINING / name, as_version=4)


def cell_output(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        assert output.output_type != "error", f"a cell raised {output.get('ename')}"
        if output.output_type == "stream":
            parts.append(output.text)
        elif "text/plain" in output.get("data", {}):
            parts.append(output.data["text/plain"] + "\n")
    return "".join(parts)


def notebook_output_text(name: str) -> str:
    """Everything the notebook's code cells printed (streams and plain-text results)."""
    cells = [cell for cell in notebook(name).cells if cell.cell_type == "code"]
    for cell in cells:
        assert cell.get("outputs") or not cell.source.strip(), f"{name}: a code cell was not executed"
    return "\n".join(cell_output(cell) for cell in cells)


def notebook_lines(name: str) -> set[str]:
    return {line.rstrip() for line in notebook_output_text(name).splitlines()}


def read_log(name: str) -> list[dict]:
    return [json.loads(line) for line in (RESULTS / name).read_text().splitlines()]


def assert_recorded_commit_is_in_history(commit: str) -> None:
    """A published run names a clean commit that this checkout contains (its code can be checked out)."""
    assert re.fullmatch(r"[0-9a-f]{40}", commit), f"run recorded from uncommitted code: {commit}"
    if shutil.which("git") and (contract.DOCS.parent / ".git").exists():
        ancestor = subprocess.run(["git", "merge-base", "--is-ancestor", commit, "HEAD"],
                                  cwd=contract.DOCS.parent, capture_output=True)
        assert ancestor.returncode == 0, f"{commit} is not an ancestor of HEAD"


def commit_time(commit: str) -> datetime | None:
    if not (shutil.which("git") and (contract.DOCS.parent / ".git").exists()):
        return None
    shown = subprocess.run(["git", "show", "-s", "--format=%ct", commit], cwd=contract.DOCS.parent,
                           capture_output=True, text=True)
    return datetime.fromtimestamp(int(shown.stdout), timezone.utc) if shown.returncode == 0 else None


def pinned_torch() -> str:
    dependencies = tomllib.loads((contract.ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return next(d.split("==")[1] for d in dependencies if d.startswith("torch=="))


def assert_provenance(device: str, torch_version: str, commit: str) -> None:
    """Where a run ran: the device string the code writes, the pinned torch, a commit of this history."""
    assert device == Device.choose("cpu").describe() or re.fullmatch(r".+ \(bfloat16 autocast, channels_last\)", device)
    assert torch_version.split("+")[0] == pinned_torch(), torch_version
    assert_recorded_commit_is_in_history(commit)


# ------------------------------------------------------------------------------------------ CIFAR-10

@pytest.fixture(scope="module")
def cifar10_results():
    return json.loads((RESULTS / "cifar10.json").read_text())


@pytest.fixture(scope="module")
def cifar10_labels():
    """The labels of the data set the runs read (the JPEG copy's .npz; the images are not needed)."""
    npz = DEFAULT_DATA_ROOT / "cifar10" / cifar10.NPZ_NAME
    if not npz.is_file():
        pytest.skip(f"needs the test labels in {npz}")
    with np.load(npz, allow_pickle=False) as archive:
        return SimpleNamespace(y_test=archive["y_test"].astype(np.int64), train_images=len(archive["y_train"]),
                               classes=tuple(str(c) for c in archive["classes"]))


def predictions(name: str) -> dict:
    return json.loads((RESULTS / f"cifar10_{name}_predictions.json").read_text())


def best_accuracy(entry: dict) -> float:
    return max(entry["test_accuracy"], entry["test_accuracy_tta"], entry["test_accuracy_tta_translate"])


@pytest.mark.parametrize("name", sorted(cifar10.CONFIGS))
def test_cifar10_results_fields_agree_with_log_config_code_and_predictions(cifar10_results, name):
    """Each field of the entry, checked against what it can be checked against."""
    assert set(cifar10_results) == set(cifar10.CONFIGS)
    entry, config, log = cifar10_results[name], cifar10.CONFIGS[name], read_log(f"cifar10_{name}_log.jsonl")
    model = cifar10.ResNet(config.widths, config.batchnorm_momentum, config.residual_units, config.scaling_factor)
    # The fields and the fixed strings are those results_entry writes today.
    written = cifar10.results_entry(
        cifar10.RunResult(config, model, metrics={k: entry[k] for k in (
            "test_accuracy", "test_accuracy_tta", "test_accuracy_tta_translate", "train_loss", "train_accuracy",
            "epochs", "steps", "batch_size", "training_seconds", "images_per_second", "train_images",
            "test_images")}),
        Device.choose("cpu"), entry["seed"], SimpleNamespace(note=entry["dataset"]))
    assert set(entry) == set(written)
    for key in ("config", "metric", "metric_names", "hyperparameters", "parameters"):
        assert entry[key] == written[key], key          # parameters: counted on the config's model
    assert entry["config"] == name and entry["hyperparameters"]["name"] == name
    assert entry["dataset"] in (cifar10.JPEG_NOTE, cifar10.ORIGINAL_NOTE)
    # The run's size follows from the config and the data.
    steps_per_epoch = entry["train_images"] // entry["batch_size"]
    assert entry["batch_size"] == min(config.batch_size, entry["train_images"])
    assert entry["steps"] == math.ceil(config.epochs * steps_per_epoch)
    assert entry["epochs"] == math.ceil(entry["steps"] / steps_per_epoch) == len(log)
    assert [record["epoch"] for record in log] == list(range(1, entry["epochs"] + 1))
    # The log's last epoch is the end of training: same weights, loss, accuracies and clock.
    for key in ("train_loss", "train_accuracy", "test_accuracy", "training_seconds"):
        assert log[-1][key] == entry[key], key
    assert abs(entry["images_per_second"] - entry["steps"] * entry["batch_size"] / entry["training_seconds"]) \
        <= 0.05 + entry["steps"] * entry["batch_size"] * 0.05 / entry["training_seconds"] ** 2
    assert 0 < entry["test_accuracy_tta"] <= 1   # no checkpoint is committed: checked only as printed
    # The predictions are this run's (flip+translate TTA) for every test image.
    shown = predictions(name)
    assert (shown["config"], shown["tta"]) == (name, "translate")
    assert len(shown["predicted"]) == entry["test_images"] == 10_000 and entry["train_images"] == 50_000
    assert entry["threads"] >= 1 and isinstance(entry["seed"], int)
    assert_provenance(entry["device"], entry["torch"], entry["git_commit"])
    recorded = datetime.strptime(entry["date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    committed = commit_time(entry["git_commit"])
    assert committed is None or committed <= recorded, "the run is dated before its commit"


def test_cifar10_predictions_reproduce_the_recorded_tta_accuracy(cifar10_results, cifar10_labels):
    assert len(cifar10_labels.y_test) == 10_000 and cifar10_labels.train_images == 50_000
    for name, entry in cifar10_results.items():
        predicted = np.array(predictions(name)["predicted"])
        assert round(float(np.mean(predicted == cifar10_labels.y_test)), 4) == entry["test_accuracy_tta_translate"]


def test_cifar10_notebook_prints_the_recorded_numbers(cifar10_results):
    lines = notebook_lines("cifar10.ipynb")
    shown = notebook_output_text("cifar10.ipynb")
    target = published()["assignment_target"]
    for name, entry in cifar10_results.items():
        assert (f"{name}: {entry['device']}, {entry['threads']} threads, torch {entry['torch']}, "
                f"commit {entry['git_commit'][:10]}, seed {entry['seed']}") in lines
        assert entry["dataset"] in lines
        assert cifar10.format_summary(entry) in lines, name
        for record in read_log(f"cifar10_{name}_log.jsonl"):   # the full training log
            assert json.dumps(record) in lines, (name, record["epoch"])
        best = best_accuracy(entry)
        assert (f"  assignment target {100 * target:.0f}%: {'reached' if best >= target else 'not reached'} "
                f"(best {100 * best:.2f}% after {entry['training_seconds']:.1f} s of training; "
                f"{entry['images_per_second']:.0f} images/s)") in lines, name
        # The layer table: each row as model_summary gives it for the config's net.
        config = cifar10.CONFIGS[name]
        rows = cifar10.model_summary(cifar10.ResNet(config.widths, residual_units=config.residual_units))
        assert f"config {name}: widths {config.widths}, {config.epochs} epochs, batch {config.batch_size}" in lines
        table = "\n".join(
            f"{r['layer']:28} {r['type']:10} {'x'.join(map(str, r['output'])):>14} {r['parameters']:>11,} "
            f"{r['trained']:>9,}" for r in rows)
        total, trained = sum(r["parameters"] for r in rows), sum(r["trained"] for r in rows)
        assert table + f"\n{'total':28} {'':10} {'':>14} {total:>11,} {trained:>9,}" in shown, name
        assert total == entry["parameters"]
    # The notebook's target is the assignment's (the one docs/training/index.md states).
    code = "\n".join(cell.source for cell in notebook("cifar10.ipynb").cells if cell.cell_type == "code")
    assert float(re.search(r"^target = ([\d.]+)", code, re.M)[1]) == target


def test_cifar10_misclassified_count_follows_from_the_recorded_accuracy(cifar10_results):
    entry = cifar10_results["long"]
    wrong = round((1 - entry["test_accuracy_tta_translate"]) * entry["test_images"])
    assert (f"{wrong} of {entry['test_images']} test images misclassified (flip+translate TTA)"
            in notebook_lines("cifar10.ipynb"))


def test_cifar10_confusion_facts_are_recomputed_from_the_predictions(cifar10_results, cifar10_labels):
    labels = cifar10_labels.y_test
    predicted = np.array(predictions("long")["predicted"])
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (labels, predicted), 1)
    classes = cifar10.CLASSES
    assert tuple(cifar10_labels.classes) == classes
    per_class = confusion.diagonal() / confusion.sum(1)
    pairs = sorted(((confusion[i, j] + confusion[j, i], classes[i], classes[j])
                    for i in range(10) for j in range(i + 1, 10)), reverse=True)
    lines = notebook_lines("cifar10.ipynb")
    assert "per-class accuracy: " + ", ".join(f"{c} {100 * a:.1f}%" for c, a in zip(classes, per_class)) in lines
    assert "most confused pairs: " + "; ".join(f"{a}/{b} {n}" for n, a, b in pairs[:3]) in lines
    wrong = int((predicted != labels).sum())
    assert f"{wrong} of {len(labels)} test images misclassified (flip+translate TTA)" in lines


# --------------------------------------------------------------------------------- GRU language model

@pytest.fixture(scope="module")
def charlm_results():
    return json.loads((RESULTS / "charlm.json").read_text())


@pytest.fixture(scope="module")
def charlm_model():
    model, vocabulary = charlm.load_model(MODEL)
    return model, charlm.Corpus(vocabulary, None, None)


def characters_read(train_characters: int, batch_size: int, seq_len: int, steps: int) -> tuple[int, float]:
    """Characters consumed after ``steps`` truncated-BPTT steps (charlm.streams/chunks), and the epochs."""
    row = train_characters // batch_size
    chunk_lengths = [min(seq_len, row - 1 - start) for start in range(0, row - 1, seq_len)]
    full, rest = divmod(steps, len(chunk_lengths))
    characters = batch_size * (full * (row - 1) + sum(chunk_lengths[:rest]))
    return characters, characters / (batch_size * (row - 1))


def test_charlm_results_fields_agree_with_log_config_code_and_model(charlm_results, charlm_model):
    results, log = charlm_results, read_log("charlm_log.jsonl")
    model, corpus = charlm_model
    assert set(results) == {"metric", "val_loss_nats_per_char", "val_bits_per_char", "steps", "epochs",
                            "training_seconds", "device", "torch_version", "git_commit", "model", "training",
                            "parameters", "dataset", "samples"}
    source = inspect.getsource(charlm.train)
    assert f'"{results["metric"]}"' in source and f'"{results["dataset"]}"' in source
    final = log[-1]
    assert results["val_loss_nats_per_char"] == final["val_loss"]
    assert results["val_bits_per_char"] == final["val_bits_per_char"]
    assert abs(results["val_bits_per_char"] - charlm.nats_to_bits(results["val_loss_nats_per_char"])) <= 1e-4
    assert results["steps"] == final["step"] and results["training_seconds"] == final["training_seconds"]
    assert [r["step"] for r in log] == sorted({r["step"] for r in log})
    assert math.ceil(results["epochs"]) == final["epoch"]
    # The configuration is today's default, and the committed model is of it.
    assert results["model"] == asdict(charlm.ModelConfig(vocab_size=len(corpus.vocabulary)))
    assert results["training"] == asdict(charlm.TrainConfig())
    assert asdict(model.config) == results["model"]
    assert sum(p.numel() for p in model.parameters()) == results["parameters"]
    saved = torch.load(MODEL, map_location="cpu", weights_only=True)
    assert {t.dtype for t in saved["state_dict"].values()} == {torch.float16}   # "a float16 state dict"
    assert MODEL.stat().st_size < 10 * 2**20
    # The samples the run recorded come out of the committed model again (same prompt and seed; the
    # first SAMPLED characters of each, as sampling one character costs ~10 ms here).
    assert set(results["samples"]) == {"temperature 0.5", "temperature 1.0", "temperature 0.8, top-k 5"}
    seed = results["training"]["seed"]
    for key, text in results["samples"].items():
        temperature = float(re.search(r"temperature ([\d.]+)", key)[1])
        top_k = int(re.search(r"top-k (\d+)", key)[1]) if "top-k" in key else None
        assert text.startswith("ROMEO:") and len(text) == len("ROMEO:") + 300, key
        again = charlm.sample(model, corpus, "ROMEO:", SAMPLED, temperature, top_k, seed)
        assert text.startswith(again), key
    assert_provenance(results["device"], results["torch_version"], results["git_commit"])


def test_charlm_epochs_and_throughput_follow_from_the_steps(charlm_results):
    path = DEFAULT_DATA_ROOT / "tinyshakespeare" / "input.txt"
    if not path.is_file():
        pytest.skip(f"needs {path}")
    corpus = charlm.Corpus.load(path)
    training = charlm.TrainConfig(**charlm_results["training"])
    _, epochs = characters_read(len(corpus.train), training.batch_size, training.seq_len, charlm_results["steps"])
    assert round(epochs, 2) == charlm_results["epochs"]
    for record in read_log("charlm_log.jsonl"):
        characters, epochs = characters_read(len(corpus.train), training.batch_size, training.seq_len, record["step"])
        assert math.ceil(epochs) == record["epoch"], record
        assert abs(record["chars_per_second"] - characters / record["training_seconds"]) \
            <= 1 + characters * 0.05 / record["training_seconds"] ** 2, record


def test_charlm_notebook_prints_the_recorded_numbers(charlm_results, charlm_model):
    results, lines, shown = charlm_results, notebook_lines("charlm.ipynb"), notebook_output_text("charlm.ipynb")
    assert (f"{results['parameters']:,} parameters; {results['device']}; torch {results['torch_version']}; "
            f"commit {results['git_commit'][:10]}") in lines
    assert f"model: {results['model']}" in lines and f"training: {results['training']}" in lines
    for r in read_log("charlm_log.jsonl"):
        assert (f"{r['step']:>6} {r['epoch']:>6} {r['train_loss']:>7.4f} {r['val_loss']:>7.4f} "
                f"{r['val_bits_per_char']:>6.3f} {r['lr']:>9.6f} {r['training_seconds']:>8.1f} "
                f"{r['chars_per_second']:>8}") in lines, r["step"]
    assert (f"validation loss: {results['val_loss_nats_per_char']:.4f} nats/char = "
            f"{results['val_bits_per_char']:.4f} bits/char") in lines
    assert (f"steps: {results['steps']}, epochs: {results['epochs']}, "
            f"training time: {results['training_seconds']:.1f} s") in lines
    # The samples shown are the committed model's (the notebook's prompts and seed; their beginnings).
    model, corpus = charlm_model
    for temperature in (0.5, 1.0):
        assert f"--- temperature {temperature} ---\n" + charlm.sample(
            model, corpus, "ROMEO:", SAMPLED, temperature=temperature, seed=1) in shown
    assert "--- temperature 0.8, top-k 5 ---\n" + charlm.sample(
        model, corpus, "KING HENRY:", SAMPLED, temperature=0.8, top_k=5, seed=1) in shown


# ---------------------------------------------------------------------- the notebooks' Markdown prose

def markdown_text(name: str) -> str:
    """The Markdown cells, each with its whitespace collapsed (fences and diagrams included)."""
    return "\n\n".join(" ".join(cell.source.split()) for cell in notebook(name).cells
                       if cell.cell_type == "markdown")


# Digits that are not claims, in both notebooks: code and link targets.
CODE_AND_LINKS = {
    r"(?<!`)`[^`\n]+`(?!`)": "inline code: file, module and function names",
    r"\]\([^)]*\)": "link targets",
    r"https?://\S+": "URLs",
}


def assert_prose_is_bound(name: str, phrases: list[str], values: dict, not_claims: dict[str, str],
                          text: str | None = None) -> None:
    """Each phrase, its ``{placeholders}`` filled with the named values, occurs in the notebook's
    Markdown; every number there is inside a filled placeholder or a listed non-claim, and each
    listed non-claim occurs. Changing a number in the prose, or the value it names, fails."""
    text = markdown_text(name) if text is None else text
    covered, problems = [], []
    for template in phrases:
        rendered, spans = "", []
        for literal, field, spec, conversion in string.Formatter().parse(template):
            rendered += literal
            if field is not None:
                value = format(values[field], spec)
                spans.append((len(rendered), len(rendered) + len(value)))
                rendered += value
        starts = [m.start() for m in re.finditer(re.escape(rendered), text)]
        if not starts:
            problems.append(f"not in the prose: {rendered!r}")
        covered += [(start + a, start + b) for start in starts for a, b in spans]
    excluded = []
    for pattern, reason in {**CODE_AND_LINKS, **not_claims}.items():
        found = [m.span() for m in re.finditer(pattern, text)]
        if not found and pattern not in CODE_AND_LINKS:
            problems.append(f"listed non-claim {pattern!r} ({reason}) does not occur")
        excluded += found
    for match in re.finditer(r"\d+(?:\.\d+)?", text):
        start, end = match.span()
        inside = any(a <= start and end <= b for a, b in covered)
        if not inside and not any(a < end and start < b for a, b in excluded):
            problems.append(f"number {match.group()!r} is bound to nothing: ...{text[max(0, start - 50):end + 30]}...")
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


CIFAR10_PROSE = [
    # the assignment's statement and the runs
    "to get the test accuracy to {target_percent} percent.",
    "{configs_word} recipes were run on a **{threads}-core CPU**",
    "The images come from a JPEG (quality {jpeg_quality}) copy of CIFAR-10",
    # the network diagram (shapes for one image, from model_summary)
    "image {in_channels}x{side}x{side}",
    "-> whitening conv {whiten_kernel}x{whiten_kernel} ({whiten_filters} filters, fixed: PCA of the "
    "{whiten_kernel}x{whiten_kernel} patches) -> GELU {whiten_filters}x{whiten_side}x{whiten_side}",
    "-> stage 1: conv{kernel}x{kernel} -> maxpool {pool} -> BN -> GELU, then x + GELU(BN(conv{kernel}x{kernel}(x))) "
    "w1x{side1}x{side1}",
    "-> stage 2: conv{kernel}x{kernel} -> maxpool {pool} -> BN -> GELU, then x + GELU(BN(conv{kernel}x{kernel}(x))) "
    "w2x{side2}x{side2}",
    "-> stage 3: conv{kernel}x{kernel} -> maxpool {pool} -> BN -> GELU, then x + GELU(BN(conv{kernel}x{kernel}(x))) "
    "w3x{side3}x{side3}",
    "-> global max-pool -> linear w3 -> {classes}, logits x {scale_numerator}/{scale_denominator}",
    # the training recipe (the configs' settings)
    "a {bias_scaler:g}× larger learning rate for the BatchNorm shifts (their scale is fixed at {bn_scale:g})",
    "label smoothing {label_smoothing:g}",
    "copied back every {lookahead_every} steps",
    "random {translate}-pixel translations",
    "in addition of {tta_shifts_word} {tta_shift}-pixel shifts (*flip+translate*)",
    "The {configs_word_lower} configs differ in width and length",
    # the pictures and what to take from it
    "as the network saw them ({side}×{side})",
    "on {tta_shifts_word} shifted copies",
    "compare the {accuracies_word} numbers of each summary line",
    "the `long` config's middle stage is {middle_ratio_word} as wide",
]
CIFAR10_NOT_CLAIMS = {
    r"Assignment Q2": "the assignment's question label",
    r"CIFAR-?10": "the data set's name (CIFAR-10, and CIFAR10 in the quoted question)",
    r"dlref\.train\.cifar10\b": "the command's module name (in the bash fence)",
    r"ResNet-9": "the name of a published network",
    r"bfloat16": "a number format's name",
    r"stage [1-3]:": "the stages' ordinal labels in the diagram",
    r"\bw[1-3](?![0-9])": "the symbols w1, w2, w3 for the stage widths",
}


def cifar10_prose_values() -> dict:
    fast, long = cifar10.CONFIGS["fast"], cifar10.CONFIGS["long"]
    results = json.loads((RESULTS / "cifar10.json").read_text())
    net = cifar10.ResNet(fast.widths, fast.batchnorm_momentum, fast.residual_units, fast.scaling_factor)
    shapes = {row["layer"]: row["output"] for row in cifar10.model_summary(net)}
    whiten_kernel = net.whiten.kernel_size[0]
    scale = Fraction(fast.scaling_factor).limit_denominator(1000)
    assert all(config.scaling_factor == fast.scaling_factor for config in cifar10.CONFIGS.values())
    predict = inspect.getsource(cifar10.predict)
    shifted = re.search(r"shifted = \[(.*)\]\n", predict)[1]
    bias = {float(v) for v in net.stages[0].norm.weight.detach().unique()}
    assert not net.stages[0].norm.weight.requires_grad and len(bias) == 1
    assert all(getattr(config, key) == getattr(fast, key) for config in cifar10.CONFIGS.values()
               for key in ("bias_scaler", "label_smoothing", "translate"))
    threads = {entry["threads"] for entry in results.values()}
    assert len(threads) == 1
    return dict(
        target_percent=round(100 * published()["assignment_target"]),
        configs_word=NUMBER_WORDS[len(cifar10.CONFIGS)].capitalize(),
        configs_word_lower=NUMBER_WORDS[len(cifar10.CONFIGS)],
        threads=threads.pop(),
        jpeg_quality=published()["jpeg_quality"],
        in_channels=net.whiten.in_channels,
        side=shapes["whiten"][1] + whiten_kernel - 1,          # a 2x2 'valid' conv maps 32 to 31
        whiten_kernel=whiten_kernel, whiten_filters=net.whiten.out_channels, whiten_side=shapes["whiten"][1],
        kernel=net.stages[0].conv.kernel_size[0], pool=net.stages[0].pool.kernel_size,
        side1=shapes["stages.0.norm"][1], side2=shapes["stages.1.norm"][1], side3=shapes["stages.2.norm"][1],
        classes=net.head.out_features,
        scale_numerator=scale.numerator, scale_denominator=scale.denominator,
        bias_scaler=fast.bias_scaler, bn_scale=bias.pop(), label_smoothing=fast.label_smoothing,
        lookahead_every=int(re.search(r"step % (\d+) == 0", inspect.getsource(cifar10.train))[1]),
        translate=fast.translate,
        tta_shifts_word=NUMBER_WORDS[shifted.count("padded[")],
        tta_shift=int(re.search(r"F\.pad\(x, \((\d+),\) \* 4", predict)[1]),
        accuracies_word=NUMBER_WORDS[len([k for k in results["fast"] if k.startswith("test_accuracy")])],
        middle_ratio_word={2: "twice"}[long.widths[1] // fast.widths[1]],
    )


def test_cifar10_notebook_prose_states_the_codes_and_the_runs_numbers():
    assert_prose_is_bound("cifar10.ipynb", CIFAR10_PROSE, cifar10_prose_values(), CIFAR10_NOT_CLAIMS)


CHARLM_PROSE = [
    "an embedding of the {vocab_size} characters ({embedding_dim} dimensions), {layers_word} stacked GRU layers "
    "(`nn.GRU`, {hidden_size} hidden units each",
    "The first {train_percent}% of `input.txt` trains it, the last {validation_percent}% validates it.",
    "the text is cut into {batch_size} contiguous streams read {seq_len} characters at a time",
    "so gradients flow back at most {seq_len} steps",
    "gradient clipping at norm {clip_norm:g}",
    "decays on a cosine over the {minutes:g}-minute budget",
    "reading the whole validation text (as {eval_streams} streams with carried state); dividing by ln "
    "{bits_base} gives bits per character",
    ".venv/bin/python -m dlref.train.charlm --minutes {minutes:g}",
    "(about once a {eval_every} of training)",
    "would pay ln {vocab_size} nats for each of the {vocab_size} symbols",
]
CHARLM_NOT_CLAIMS = {
    r"Assignment Q5": "the assignment's question label",
    r"CSE641 Quiz 2 Q6": "a linked question's label",
    r"\bb?float16\b": "number formats' names",
    r"temperature below 1\b": "the neutral temperature: softmax(z / 1) = softmax(z), a definition",
    r"At temperature 1\b": "the same definition",
}


def charlm_prose_values() -> dict:
    results = json.loads((RESULTS / "charlm.json").read_text())
    model, training = charlm.ModelConfig(**results["model"]), charlm.TrainConfig(**results["training"])
    assert model == charlm.ModelConfig(vocab_size=model.vocab_size) and training == charlm.TrainConfig()
    train_fraction = inspect.signature(charlm.Corpus.from_text).parameters["train_fraction"].default
    return dict(
        vocab_size=model.vocab_size, embedding_dim=model.embedding_dim, layers_word=NUMBER_WORDS[model.num_layers],
        hidden_size=model.hidden_size,
        train_percent=round(100 * train_fraction), validation_percent=round(100 * (1 - train_fraction)),
        batch_size=training.batch_size, seq_len=training.seq_len, clip_norm=training.clip_norm,
        minutes=training.minutes,
        eval_streams=inspect.signature(charlm.evaluate).parameters["batch_size"].default,
        bits_base=round(math.exp(1 / charlm.nats_to_bits(1.0))),   # bits = nats / ln(base)
        eval_every={60.0: "minute"}[training.eval_every_seconds],
    )


def test_charlm_notebook_prose_states_the_codes_numbers():
    assert_prose_is_bound("charlm.ipynb", CHARLM_PROSE, charlm_prose_values(), CHARLM_NOT_CLAIMS)


@pytest.mark.parametrize("name", ["cifar10.ipynb", "charlm.ipynb"])
def test_prose_check_fails_when_a_number_changes(name):
    """The check above is not vacuous: each number of the prose, changed alone, makes it fail."""
    phrases, values, not_claims = {
        "cifar10.ipynb": (CIFAR10_PROSE, cifar10_prose_values(), CIFAR10_NOT_CLAIMS),
        "charlm.ipynb": (CHARLM_PROSE, charlm_prose_values(), CHARLM_NOT_CLAIMS)}[name]
    text = markdown_text(name)
    excluded = [m.span() for pattern in {**CODE_AND_LINKS, **not_claims} for m in re.finditer(pattern, text)]
    claims = [m for m in re.finditer(r"\d+(?:\.\d+)?", text)
              if not any(a < m.end() and m.start() < b for a, b in excluded)]
    assert len(claims) >= 10
    for match in claims:
        changed = text[:match.start()] + str(int(float(match.group())) + 1) + text[match.end():]
        with pytest.raises(AssertionError):
            assert_prose_is_bound(name, phrases, values, not_claims, text=changed)


@pytest.mark.parametrize("name", ["cifar10.ipynb", "charlm.ipynb"])
def test_notebook_links_to_site_pages_point_at_existing_questions(name):
    # mkdocs-jupyter does not rewrite .md links inside notebooks, so they must name the built .html
    # page; the page and the question anchor must exist.
    text = markdown_text(name)
    assert not re.search(r"\]\([^)]*\.md[)#]", text), "link to a .md page: use the .html name"
    links = re.findall(r"\]\(\.\./([\w-]+)\.html#([\w-]+)\)", text)
    assert links
    for page, anchor in links:
        source = (contract.DOCS / f"{page}.md").read_text()
        assert f"{{#{anchor} " in source, (page, anchor)


# ------------------------------------------------------------------------- docs/training/index.md

def test_training_page_binds_every_number_to_the_recorded_runs():
    """Every number on the page outside code is a binding (or a bound table) that holds in
    snippets/training/published.py, which reads the results, the logs and the configs."""
    text = INDEX.read_text(encoding="utf-8")
    assert text.startswith("<!-- values: training/published.py -->\n")
    claims, failures = bindings.claims(text, published(), options_are_claims=False)
    assert not failures, "\n".join(failures)
    unbound = [f"{c.where}: {c.text}" for c in claims if c.status == "unbound"]
    assert not unbound, "numbers on docs/training/index.md bound to nothing:\n  " + "\n  ".join(unbound)
    assert sum(c.status == "bound" for c in claims) >= 20


def test_training_page_names_the_run_that_reaches_the_assignments_target(cifar10_results):
    values = published()
    reaching = [name for name, entry in cifar10_results.items() if best_accuracy(entry) >= values["assignment_target"]]
    assert values["runs_reaching_target"] == reaching
    assert values["cifar10_rows"] == [
        (name, entry["epochs"], entry["training_seconds"], 100 * entry["test_accuracy"], 100 * best_accuracy(entry),
         name in reaching) for name, entry in cifar10_results.items()]
