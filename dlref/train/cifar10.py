"""A residual network trained on CIFAR-10 (Modern-architectures assignment, Q2: "get to 90%").

Run it with ``python -m dlref.train.cifar10 --config fast`` (about 5 minutes of training on a
2-core CPU with bfloat16 AMX) or ``--config long``; ``--help`` lists the options.

Data: by default the JPEG (quality 75) copy of CIFAR-10 in ``<data>/cifar10/cifar10_jpeg_q75.npz``
(see the README of ``../shared/data``); the original CIFAR-10 python batches
(``cifar-10-batches-py/``, https://www.cs.toronto.edu/~kriz/cifar.html) load too. Accuracies reported
by the project's runs are measured on the JPEG copy, not on the original lossless images.

The recipe follows the public fast-CIFAR work (the ResNet-9 of the DAWNBench era and Keller Jordan's
airbench94), with real identity skips added to every stage:

* stem: a 2x2 convolution initialised to whiten the image patches (PCA, frozen), then GELU;
* three stages, each ``conv3x3 -> max-pool -> BN -> GELU`` followed by a residual unit
  ``x + GELU(BN(conv3x3(x)))`` with an identity skip;
* global max-pool, a linear classifier, logits scaled by 1/9;
* SGD with Nesterov momentum, a warm-up then linear-decay learning rate, a 64x higher learning rate
  for the BatchNorm biases, label smoothing 0.2 and lookahead (an EMA of the weights pulled back into
  the model every 5 steps);
* augmentation on whole uint8 tensors: random translation by up to 2 px (reflect padding) and
  alternating horizontal flips;
* test-time augmentation (TTA): the average of the logits of the image and its mirror image
  (``test_accuracy_tta``) and, in addition, of 1-pixel translations (``test_accuracy_tta_translate``).
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import time
import zipfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dlref.train.common import (REPOSITORY, DataError, Device, MetricLog, Stopwatch, data_root,
                                git_commit, keep_freed_memory, progress, save_results,
                                seed_everything)
from dlref.train.conv_gradient import conv3x3
from dlref.train.muon import Muon

CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
NPZ_NAME = "cifar10_jpeg_q75.npz"
BATCHES_DIRECTORY = "cifar-10-batches-py"
DATA_HELP = ("get the JPEG copy as described in the README of ../shared/data "
             f"(file cifar10/{NPZ_NAME}), or the original 'CIFAR-10 python version' from "
             "https://www.cs.toronto.edu/~kriz/cifar.html (unpacked folder cifar-10-batches-py/)")
JPEG_NOTE = "CIFAR-10, JPEG q75 copy (accuracies are measured on it, not on the lossless originals)"
ORIGINAL_NOTE = "CIFAR-10, original python batches"
RESULTS_PATH = REPOSITORY / "docs" / "training" / "results" / "cifar10.json"
RUNS_DIRECTORY = REPOSITORY / "runs"


# ----------------------------------------------------------------------------------------- data

@dataclass
class Cifar10:
    """CIFAR-10 as uint8 arrays: images (N, 32, 32, 3) RGB HWC, labels (N,) int64 in 0..9."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    classes: tuple = CLASSES
    note: str = JPEG_NOTE
    source: str = ""

    def subset(self, train: int | None = None, test: int | None = None, seed: int = 0) -> "Cifar10":
        """A random slice (for smoke runs): ``train`` training and ``test`` test images."""
        rng = np.random.default_rng(seed)

        def pick(x, y, n):
            if n is None or n >= len(x):
                return x, y
            index = np.sort(rng.choice(len(x), size=n, replace=False))
            return x[index], y[index]

        x_train, y_train = pick(self.x_train, self.y_train, train)
        x_test, y_test = pick(self.x_test, self.y_test, test)
        return replace(self, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


def _check_split(path: Path, name: str, images, labels) -> tuple[np.ndarray, np.ndarray]:
    images, labels = np.asarray(images), np.asarray(labels)
    if images.dtype != np.uint8 or images.ndim != 4 or images.shape[1:] != (32, 32, 3):
        raise DataError(f"{path}: x_{name} must be uint8 images of shape (N, 32, 32, 3), got "
                        f"{images.dtype} {images.shape}; {DATA_HELP}")
    if labels.ndim != 1 or labels.shape[0] != images.shape[0] or not np.issubdtype(labels.dtype, np.integer):
        raise DataError(f"{path}: y_{name} must be {images.shape[0]} integer labels, got "
                        f"{labels.dtype} {labels.shape}; {DATA_HELP}")
    if len(labels) == 0 or labels.min() < 0 or labels.max() > 9:
        raise DataError(f"{path}: y_{name} must hold labels 0..9 (and at least one); {DATA_HELP}")
    return images, labels.astype(np.int64)


def load_npz(path: Path) -> Cifar10:
    """The JPEG-q75 copy: an ``.npz`` with x_train, y_train, x_test, y_test (and classes)."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = {"x_train", "y_train", "x_test", "y_test"} - set(archive.files)
            if missing:
                raise DataError(f"{path}: missing arrays {sorted(missing)} (found {sorted(archive.files)}); "
                                f"{DATA_HELP}")
            arrays = {key: archive[key] for key in ("x_train", "y_train", "x_test", "y_test")}
            classes = tuple(str(c) for c in archive["classes"]) if "classes" in archive.files else CLASSES
    except DataError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as error:
        raise DataError(f"{path}: not a readable CIFAR-10 .npz ({type(error).__name__}: {error}); "
                        f"{DATA_HELP}") from None
    if len(classes) != 10:
        raise DataError(f"{path}: 'classes' must name 10 classes, got {len(classes)}; {DATA_HELP}")
    x_train, y_train = _check_split(path, "train", arrays["x_train"], arrays["y_train"])
    x_test, y_test = _check_split(path, "test", arrays["x_test"], arrays["y_test"])
    return Cifar10(x_train, y_train, x_test, y_test, classes, JPEG_NOTE, str(path))


def _unpickle(path: Path) -> dict:
    try:
        with path.open("rb") as file:
            batch = pickle.load(file, encoding="bytes")
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            ImportError, IndexError) as error:
        raise DataError(f"{path}: not a readable CIFAR-10 python batch ({type(error).__name__}: {error}); "
                        f"{DATA_HELP}") from None
    if not isinstance(batch, dict):
        raise DataError(f"{path}: expected a pickled dict, got {type(batch).__name__}; {DATA_HELP}")
    return batch


def _read_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    batch = _unpickle(path)
    if b"data" not in batch or b"labels" not in batch:
        raise DataError(f"{path}: a CIFAR-10 batch needs the keys b'data' and b'labels' "
                        f"(found {sorted(map(repr, batch))}); {DATA_HELP}")
    data, labels = np.asarray(batch[b"data"]), np.asarray(batch[b"labels"])
    if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072:
        raise DataError(f"{path}: b'data' must be uint8 of shape (N, 3072), got {data.dtype} {data.shape}; "
                        f"{DATA_HELP}")
    # Each row is the 1024 red, then green, then blue values of a 32x32 image (CHW order).
    return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy(), labels


def load_batches(directory: Path) -> Cifar10:
    """The original CIFAR-10 'python version': data_batch_1..5, test_batch, batches.meta."""
    directory = Path(directory)
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    missing = [name for name in names if not (directory / name).is_file()]
    if missing:
        raise DataError(f"{directory}: missing CIFAR-10 batches {missing}; {DATA_HELP}")
    train = [_read_batch(directory / name) for name in names[:5]]
    x_test, y_test = _read_batch(directory / "test_batch")
    x_train = np.concatenate([x for x, _ in train])
    y_train = np.concatenate([y for _, y in train])
    classes = CLASSES
    if (directory / "batches.meta").is_file():
        meta = _unpickle(directory / "batches.meta")
        if b"label_names" in meta and len(meta[b"label_names"]) == 10:
            classes = tuple(n.decode() if isinstance(n, bytes) else str(n) for n in meta[b"label_names"])
    x_train, y_train = _check_split(directory, "train", x_train, y_train)
    x_test, y_test = _check_split(directory, "test", x_test, y_test)
    return Cifar10(x_train, y_train, x_test, y_test, classes, ORIGINAL_NOTE, str(directory))


def load_cifar10(location: str | Path | None = None) -> Cifar10:
    """Load CIFAR-10 from ``location``: the .npz itself, a ``cifar-10-batches-py`` folder, or a
    data root holding ``cifar10/cifar10_jpeg_q75.npz`` or ``cifar-10-batches-py/``.

    ``None`` means :func:`dlref.train.common.data_root` (``$DLREF_DATA``, else ``../shared/data``).
    Missing or malformed data ends with a :class:`DataError` naming the paths looked at.
    """
    root = data_root(str(location) if location is not None else None)
    if root.is_file():
        return load_npz(root)
    candidates = [root / "cifar10" / NPZ_NAME, root / NPZ_NAME, root / BATCHES_DIRECTORY,
                  root / "cifar10" / BATCHES_DIRECTORY, root]
    for candidate in candidates:
        if candidate.suffix == ".npz" and candidate.is_file():
            return load_npz(candidate)
        if candidate.suffix != ".npz" and (candidate / "data_batch_1").is_file():
            return load_batches(candidate)
    looked = ", ".join(str(c) for c in candidates[:-1])
    raise DataError(f"no CIFAR-10 data found (looked at {looked} and {root}/data_batch_1); {DATA_HELP}; "
                    "then pass --data PATH or set $DLREF_DATA")


# ---------------------------------------------------------------------------------------- model

class Conv(nn.Conv2d):
    """A 3x3 'same' convolution whose first ``in_channels`` filters start as the identity (Dirac)."""

    def __init__(self, in_channels, out_channels, kernel_size=3, padding="same", bias=False):
        super().__init__(in_channels, out_channels, kernel_size, padding=padding, bias=bias)

    def reset_parameters(self):
        super().reset_parameters()
        if self.bias is not None:
            self.bias.data.zero_()
        weight = self.weight.data
        nn.init.dirac_(weight[: weight.size(1)])

    def forward(self, x):
        if self.kernel_size == (3, 3) and self.padding == "same" and self.bias is None:
            return conv3x3(x, self.weight)  # same result; a faster weight gradient on small CPU maps
        return super().forward(x)


class BatchNorm(nn.BatchNorm2d):
    """BatchNorm with a fixed scale of 1 and a trained shift (the scale only fights weight decay)."""

    def __init__(self, features, momentum=0.6, eps=1e-12):
        super().__init__(features, eps=eps, momentum=1 - momentum)
        self.weight.requires_grad = False


class ResidualStage(nn.Module):
    """``conv -> pool -> BN -> GELU`` (halves the size), then ``x + GELU(BN(conv(x)))``."""

    def __init__(self, in_channels, out_channels, batchnorm_momentum=0.6, residual_units=1):
        super().__init__()
        self.conv = Conv(in_channels, out_channels)
        self.pool = nn.MaxPool2d(2)
        self.norm = BatchNorm(out_channels, batchnorm_momentum)
        self.residual = nn.ModuleList(ResidualUnit(out_channels, batchnorm_momentum)
                                      for _ in range(residual_units))

    def forward(self, x):
        x = F.gelu(self.norm(self.pool(self.conv(x))))
        for unit in self.residual:
            x = unit(x)
        return x


class ResidualUnit(nn.Module):
    """``x + GELU(BN(conv3x3(x)))``: the identity skip carries ``x`` past the convolution."""

    def __init__(self, channels, batchnorm_momentum=0.6):
        super().__init__()
        self.conv = Conv(channels, channels)
        self.norm = BatchNorm(channels, batchnorm_momentum)

    def forward(self, x):
        return x + F.gelu(self.norm(self.conv(x)))


class ResNet(nn.Module):
    """Whitening stem, three residual stages (32 -> 15 -> 7 -> 3 pixels), max-pool, linear."""

    def __init__(self, widths=(64, 256, 256), batchnorm_momentum=0.6, residual_units=1,
                 scaling_factor=1 / 9, classes=10):
        super().__init__()
        self.whiten = nn.Conv2d(3, 24, kernel_size=2, padding=0, bias=True)
        self.whiten.weight.requires_grad = False  # set once from the data by init_whitening()
        nn.init.zeros_(self.whiten.bias)
        channels = [24, *widths]
        self.stages = nn.Sequential(*(ResidualStage(channels[i], channels[i + 1], batchnorm_momentum,
                                                    residual_units) for i in range(3)))
        self.head = nn.Linear(widths[-1], classes, bias=False)
        self.scaling_factor = scaling_factor

    def forward(self, x):
        x = self.stages(F.gelu(self.whiten(x)))
        x = F.adaptive_max_pool2d(x, 1).flatten(1)
        return self.head(x) * self.scaling_factor

    @torch.no_grad()
    def init_whitening(self, images: torch.Tensor, eps: float = 5e-4) -> None:
        """Set the 2x2 stem filters to the PCA whitening of the 2x2x3 patches of ``images``
        (normalised, N x 3 x 32 x 32): each eigenvector scaled by 1/sqrt(eigenvalue), and its negative."""
        patches = images.float().unfold(2, 2, 1).unfold(3, 2, 1).transpose(1, 3).reshape(-1, 3, 2, 2)
        flat = patches.reshape(len(patches), -1).double()
        covariance = flat.T @ flat / len(flat)
        eigenvalues, eigenvectors = torch.linalg.eigh(covariance)
        eigenvalues, eigenvectors = eigenvalues.flip(0), eigenvectors.T.flip(0)
        filters = (eigenvectors / torch.sqrt(eigenvalues.clamp_min(0) + eps)[:, None]).reshape(12, 3, 2, 2)
        self.whiten.weight.copy_(torch.cat([filters, -filters]).float())


def model_summary(model: ResNet) -> list[dict]:
    """One row per layer with parameters: name, output shape (for one 32x32 image), parameters."""
    rows, shapes, hooks = [], {}, []
    leaves = [(name, module) for name, module in model.named_modules()
              if not list(module.children()) and any(True for _ in module.parameters(recurse=False))]
    for name, module in leaves:
        hooks.append(module.register_forward_hook(
            lambda mod, inp, out, name=name: shapes.__setitem__(name, tuple(out.shape[1:]))))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, 32, 32))
    model.train(was_training)
    for hook in hooks:
        hook.remove()
    for name, module in leaves:
        count = sum(p.numel() for p in module.parameters(recurse=False))
        trained = sum(p.numel() for p in module.parameters(recurse=False) if p.requires_grad)
        rows.append(dict(layer=name, type=type(module).__name__, output=shapes[name],
                         parameters=count, trained=trained))
    return rows


# ------------------------------------------------------------------------------------- training

@dataclass(frozen=True)
class Config:
    """A training recipe; learning rates and weight decay are per 1024 examples (airbench's units)."""

    name: str
    epochs: float
    batch_size: int = 1024
    widths: tuple = (64, 256, 256)
    residual_units: int = 1
    lr: float = 11.5
    momentum: float = 0.85
    weight_decay: float = 0.0153
    bias_scaler: float = 64.0
    label_smoothing: float = 0.2
    warmup_fraction: float = 0.23
    final_lr_fraction: float = 0.07
    whiten_bias_epochs: float = 3
    lookahead: bool = True
    flip: bool = True
    translate: int = 2
    batchnorm_momentum: float = 0.6
    scaling_factor: float = 1 / 9
    whitening_images: int = 5000
    evaluate_every_epoch: bool = True
    # Progressive resizing: the first ``small_crop_epochs`` epochs train on random ``small_crop`` x
    # ``small_crop`` crops (one offset per batch), which cost about (small_crop / 32)^2 of a full epoch.
    small_crop: int = 32
    small_crop_epochs: int = 0
    # "sgd" (airbench94) or "muon" (airbench94_muon): Muon for the 3x3 filters, SGD for the rest.
    optimizer: str = "sgd"
    muon_lr: float = 0.24
    muon_momentum: float = 0.6


# Sized by measured throughput on the project's 2-core CPU (bf16, channels_last, batches of 512 or 1024,
# glibc told to keep freed memory): widths (64, 128, 256) train at about 900-1,700 images/s, airbench94's
# (64, 256, 256) at about 560-1,100 (the machine's speed varies that much from run to run). "fast" aims at
# about 5 minutes of training, "long" at the most accuracy within 20 minutes. Batches of 512 (twice the
# steps per epoch) beat 1024 at no cost per image: "fast" went from 88.87% to 89.14% and "long" from
# 91.04% to 91.30% (flip+translate TTA; medians of 3 seeds, but one run of "long" at 1024).
CONFIGS = {
    "fast": Config("fast", epochs=8, widths=(64, 128, 256), batch_size=512),
    "long": Config("long", epochs=17, widths=(64, 256, 256), batch_size=512),
}


@dataclass
class RunResult:
    config: Config
    model: ResNet
    history: list = field(default_factory=list)   # one dict per epoch (the JSON lines)
    metrics: dict = field(default_factory=dict)   # final metrics (see results_entry)
    test_logits: torch.Tensor | None = None       # TTA logits of the test set (for confusion matrix)


class Lookahead:
    """An EMA of the weights that is copied back into the model at each update (lookahead)."""

    def __init__(self, model: nn.Module):
        self.state = {k: v.detach().clone() for k, v in model.state_dict().items() if v.is_floating_point()}

    @torch.no_grad()
    def update(self, model: nn.Module, decay: float) -> None:
        current = model.state_dict()
        for key, average in self.state.items():
            average.lerp_(current[key], 1 - decay)
            current[key].copy_(average)


class Batches:
    """The data as one uint8 tensor on the device, normalised per batch and augmented per epoch."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, device: Device, mean, std):
        self.device = device
        self.images = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous().to(device.device)
        self.labels = torch.from_numpy(labels).to(device.device)
        self.mean = torch.as_tensor(mean, dtype=torch.float32, device=device.device).view(1, 3, 1, 1)
        self.std = torch.as_tensor(std, dtype=torch.float32, device=device.device).view(1, 3, 1, 1)
        self._padded = None

    def __len__(self):
        return len(self.labels)

    def normalise(self, images: torch.Tensor) -> torch.Tensor:
        x = (images.float() - self.mean) / self.std
        return x.contiguous(memory_format=self.device.memory_format)

    def augmented(self, translate: int, flip_mask: torch.Tensor | None, generator) -> torch.Tensor:
        """All images shifted by up to ``translate`` px (reflect padding) and mirrored where the mask is."""
        images = self.images
        if translate:
            if self._padded is None:
                self._padded = F.pad(images.float(), (translate,) * 4, mode="reflect").to(torch.uint8)
            shifts = torch.randint(0, 2 * translate + 1, (len(images), 2), generator=generator)
            shifts = shifts.to(images.device)
            out = torch.empty_like(images)
            code = shifts[:, 0] * (2 * translate + 1) + shifts[:, 1]
            for dy in range(2 * translate + 1):
                for dx in range(2 * translate + 1):
                    index = (code == dy * (2 * translate + 1) + dx).nonzero().squeeze(1)
                    if len(index):
                        out[index] = self._padded[index, :, dy:dy + 32, dx:dx + 32]
            images = out
        if flip_mask is not None:
            images = torch.where(flip_mask.view(-1, 1, 1, 1), images.flip(-1), images)
        return images


@torch.no_grad()
def predict(model: nn.Module, data: Batches, device: Device, tta: str = "none",
            batch_size: int = 1000) -> torch.Tensor:
    """Logits for every image of ``data``: ``tta`` is 'none', 'flip' (image + mirror) or
    'translate' (flip, plus the flipped pair of 1-px up-left and down-right shifts, weighted 1/2 : 1/2)."""
    if tta not in ("none", "flip", "translate"):
        raise ValueError(f"tta must be 'none', 'flip' or 'translate', got {tta!r}")
    model.eval()
    outputs = []
    for start in range(0, len(data), batch_size):
        x = data.normalise(data.images[start:start + batch_size])
        with device.autocast():
            def mirror(inputs):
                return 0.5 * model(inputs).float() + 0.5 * model(inputs.flip(-1)).float()
            if tta == "none":
                logits = model(x).float()
            elif tta == "flip":
                logits = mirror(x)
            else:
                padded = F.pad(x, (1,) * 4, mode="reflect")
                shifted = [padded[:, :, 0:32, 0:32], padded[:, :, 2:34, 2:34]]
                shifted = [s.contiguous(memory_format=device.memory_format) for s in shifted]
                logits = 0.5 * mirror(x) + 0.25 * mirror(shifted[0]) + 0.25 * mirror(shifted[1])
        outputs.append(logits.float())
    model.train()
    return torch.cat(outputs)


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    return (logits.argmax(1) == labels).float().mean().item()


def make_optimizers(model: ResNet, config: Config) -> list[torch.optim.Optimizer]:
    """SGD with Nesterov momentum for everything; or, with ``config.optimizer == "muon"``, Muon for the
    trained 3x3 filter banks and SGD for the rest (BatchNorm shifts, whitening bias, head)."""
    if config.optimizer not in ("sgd", "muon"):
        raise ValueError(f"optimizer must be 'sgd' or 'muon', got {config.optimizer!r}")
    # airbench's units: the loss is a sum over the batch, so the per-example step is lr / kilostep_scale.
    kilostep_scale = 1024 * (1 + 1 / (1 - config.momentum))
    lr = config.lr / kilostep_scale
    weight_decay = config.weight_decay * config.batch_size / kilostep_scale
    lr_biases = lr * config.bias_scaler
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    filters = [p for n, p in named if p.ndim == 4] if config.optimizer == "muon" else []
    norm_biases = [p for n, p in named if "norm" in n]
    others = [p for n, p in named if "norm" not in n and not any(p is f for f in filters)]
    groups = [dict(params=norm_biases, lr=lr_biases, weight_decay=weight_decay / lr_biases),
              dict(params=others, lr=lr, weight_decay=weight_decay / lr)]
    optimizers = [torch.optim.SGD(groups, momentum=config.momentum, nesterov=True)]
    if filters:
        optimizers.append(Muon(filters, lr=config.muon_lr, momentum=config.muon_momentum, nesterov=True))
    return optimizers


def lr_factor(step: int, total_steps: int, config: Config) -> float:
    """Linear warm-up from 0.2 to 1 over the first ``warmup_fraction`` of the steps, then a linear
    decay to ``final_lr_fraction``."""
    warmup = max(1, int(total_steps * config.warmup_fraction))
    if step < warmup:
        fraction = step / warmup
        return 0.2 * (1 - fraction) + fraction
    fraction = (step - warmup) / max(1, total_steps - warmup)
    return (1 - fraction) + config.final_lr_fraction * fraction


def train(config: Config, data: Cifar10, device: Device | None = None, seed: int = 0,
          log: MetricLog | None = None, show_progress: bool = True, final_tta: bool = True) -> RunResult:
    """Train ``config`` on ``data``; returns the model, the per-epoch log and the final metrics.

    ``training_seconds`` counts everything but evaluation: data augmentation, forward, backward,
    optimiser and lookahead steps, and the whitening initialisation.
    """
    device = device or Device.choose()
    seed_everything(seed)
    generator = torch.Generator().manual_seed(seed)
    log = log if log is not None else MetricLog(echo=False)
    # (Channel statistics of the training set are data preparation, not training.)
    mean = data.x_train.reshape(-1, 3).mean(0) / 255
    std = data.x_train.reshape(-1, 3).std(0) / 255
    train_set = Batches(data.x_train, data.y_train, device, mean, std)
    test_set = Batches(data.x_test, data.y_test, device, mean, std)
    batch_size = min(config.batch_size, len(train_set))
    steps_per_epoch = len(train_set) // batch_size
    total_steps = max(1, math.ceil(config.epochs * steps_per_epoch))
    epochs = math.ceil(total_steps / steps_per_epoch)

    stopwatch = Stopwatch()
    model = ResNet(config.widths, config.batchnorm_momentum, config.residual_units, config.scaling_factor)
    model.init_whitening(train_set.normalise(train_set.images[: config.whitening_images]).float()
                         .contiguous())
    model = model.to(device.device, memory_format=device.memory_format)
    optimizers = make_optimizers(model, config)
    groups = [group for optimizer in optimizers for group in optimizer.param_groups]
    base_lrs = [group["lr"] for group in groups]
    lookahead = Lookahead(model) if config.lookahead else None
    alpha = [0.95 ** 5 * (s / total_steps) ** 3 for s in range(total_steps + 1)]
    flip_mask = (torch.rand(len(train_set), generator=generator) < 0.5).to(device.device)
    result = RunResult(config, model)
    step = 0

    for epoch in range(1, epochs + 1):
        epoch_start = stopwatch.seconds
        model.whiten.bias.requires_grad_(epoch - 1 < config.whiten_bias_epochs)
        # Alternating flip: each image is mirrored in every other epoch (random which half first).
        mask = (flip_mask ^ bool((epoch - 1) % 2)) if config.flip else None
        images = train_set.augmented(config.translate, mask, generator)
        order = torch.randperm(len(train_set), generator=generator).to(device.device)
        steps = min(steps_per_epoch, total_steps - step)
        loss_sum = torch.zeros((), device=device.device)
        correct = torch.zeros((), device=device.device)
        bar = progress(range(steps), steps, f"epoch {epoch}/{epochs}") if show_progress else range(steps)
        crop = config.small_crop if epoch <= config.small_crop_epochs else 32
        offsets = torch.randint(0, 32 - crop + 1, (steps, 2), generator=generator).tolist() if crop < 32 else []
        for i in bar:
            index = order[i * batch_size:(i + 1) * batch_size]
            batch = images[index]
            if crop < 32:
                top, left = offsets[i]
                batch = batch[:, :, top:top + crop, left:left + crop]
            x, y = train_set.normalise(batch), train_set.labels[index]
            with device.autocast():
                logits = model(x).float()
            losses = F.cross_entropy(logits, y, label_smoothing=config.label_smoothing, reduction="none")
            loss = losses.sum()
            model.zero_grad(set_to_none=True)
            loss.backward()
            factor = lr_factor(step, total_steps, config)
            for group, base in zip(groups, base_lrs):
                group["lr"] = base * factor
            for optimizer in optimizers:
                optimizer.step()
            step += 1
            if lookahead is not None and step % 5 == 0:
                lookahead.update(model, decay=alpha[step])
            if lookahead is not None and step == total_steps:
                lookahead.update(model, decay=1.0)  # end on the averaged weights
            loss_sum += losses.detach().sum()
            correct += (logits.detach().argmax(1) == y).sum()
            if show_progress and (i % 5 == 4 or i == steps - 1):
                seconds = stopwatch.seconds - epoch_start
                bar.set_postfix(loss=f"{losses.detach().mean().item():.3f}",
                                img_s=f"{(i + 1) * batch_size / max(seconds, 1e-9):.0f}")
        epoch_seconds = stopwatch.seconds - epoch_start
        with stopwatch.paused():
            record = dict(epoch=epoch, **({"crop": crop} if crop < 32 else {}),
                          train_loss=round(loss_sum.item() / (steps * batch_size), 4),
                          train_accuracy=round(correct.item() / (steps * batch_size), 4))
            if config.evaluate_every_epoch or epoch == epochs:
                test_logits = predict(model, test_set, device)
                record["test_accuracy"] = round(accuracy(test_logits, test_set.labels), 4)
            record.update(lr=float(f"{base_lrs[1] * lr_factor(step - 1, total_steps, config):.4g}"),
                          training_seconds=round(stopwatch.seconds, 1),
                          images_per_second=round(steps * batch_size / epoch_seconds, 1))
            result.history.append(log.write(**record))
    training_seconds = stopwatch.seconds

    logits = {"none": predict(model, test_set, device)}
    if final_tta:
        logits["flip"] = predict(model, test_set, device, tta="flip")
        logits["translate"] = predict(model, test_set, device, tta="translate")
    result.test_logits = logits.get("translate", logits["none"])
    result.metrics = dict(
        test_accuracy=round(accuracy(logits["none"], test_set.labels), 4),
        test_accuracy_tta=round(accuracy(logits["flip"], test_set.labels), 4) if final_tta else None,
        test_accuracy_tta_translate=(round(accuracy(logits["translate"], test_set.labels), 4)
                                     if final_tta else None),
        train_loss=result.history[-1]["train_loss"],
        train_accuracy=result.history[-1]["train_accuracy"],
        epochs=epochs, steps=total_steps, batch_size=batch_size,
        training_seconds=round(training_seconds, 1),
        images_per_second=round(total_steps * batch_size / training_seconds, 1),
        train_images=len(train_set), test_images=len(test_set),
    )
    return result


# -------------------------------------------------------------------------------------- results

def results_entry(result: RunResult, device: Device, seed: int, data: Cifar10) -> dict:
    """What ``docs/training/results/cifar10.json`` records for one config."""
    return dict(
        config=result.config.name,
        metric="top-1 accuracy (fraction) on the 10,000 test images, without and with TTA",
        **result.metrics,
        metric_names={"test_accuracy": "top-1 accuracy on the test images, no TTA",
                      "test_accuracy_tta": "the same with flip TTA (mean logits of image and mirror)",
                      "test_accuracy_tta_translate": "flip TTA plus 1-px translations (airbench level 2)",
                      "training_seconds": "wall-clock training time without evaluation"},
        hyperparameters={k: (list(v) if isinstance(v, tuple) else v)
                         for k, v in asdict(result.config).items()},
        parameters=sum(p.numel() for p in result.model.parameters()),
        device=device.describe(),
        threads=torch.get_num_threads(),
        torch=torch.__version__,
        git_commit=git_commit(),
        dataset=data.note,
        seed=seed,
        date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )


def write_results(entry: dict, path: Path = RESULTS_PATH) -> Path:
    """Merge ``entry`` into the results JSON under its config name ({"fast": ..., "long": ...})."""
    path = Path(path)
    results = {}
    if path.is_file():
        try:
            results = json.loads(path.read_text())
        except json.JSONDecodeError:
            results = {}
    results[entry["config"]] = entry
    return save_results(path, dict(sorted(results.items())))


def format_summary(entry: dict) -> str:
    """The one-line summary printed by the command and the notebook (the test looks for it)."""
    text = (f"{entry['config']}: test accuracy {100 * entry['test_accuracy']:.2f}% without TTA")
    if entry.get("test_accuracy_tta") is not None:
        text += (f", {100 * entry['test_accuracy_tta']:.2f}% with flip TTA, "
                 f"{100 * entry['test_accuracy_tta_translate']:.2f}% with flip+translate TTA")
    return text + (f"; {entry['epochs']} epochs, {entry['steps']} steps, "
                   f"{entry['training_seconds']:.1f} s of training")


def write_predictions(result: RunResult, path: Path) -> Path:
    """The predicted class of every test image (flip+translate TTA): what the notebook's confusion
    matrix and misclassified examples are drawn from, without shipping the checkpoint."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    predicted = result.test_logits.argmax(1).tolist()
    path.write_text(json.dumps({"config": result.config.name, "tta": "translate", "predicted": predicted}) + "\n")
    return path


def run(config: Config, data: Cifar10, device: Device | None = None, seed: int = 0,
        log_path: Path | None = None, checkpoint: Path | None = None, results: Path | None = None,
        show_progress: bool = True, predictions: Path | None = None) -> tuple[RunResult, dict]:
    """Train, print the per-epoch log and the summary, save the checkpoint, the test predictions
    and (optionally) the results."""
    device = device or Device.choose()
    print(f"{data.note}: {len(data.x_train)} training / {len(data.x_test)} test images from {data.source}")
    print(f"config {config.name}: {config.epochs} epochs, batch {config.batch_size}, widths {config.widths}; "
          f"{device.describe()}, {torch.get_num_threads()} threads, seed {seed}", flush=True)
    result = train(config, data, device, seed, MetricLog(log_path), show_progress)
    entry = results_entry(result, device, seed, data)
    if checkpoint is not None:
        checkpoint = Path(checkpoint)
        checkpoint.parent.mkdir(parents=True, exist_ok=True)
        torch.save({"config": asdict(config), "state_dict": result.model.state_dict(),
                    "metrics": result.metrics, "mean_std_from": "training images"}, checkpoint)
        print(f"checkpoint: {checkpoint}")
    if predictions is not None:
        print(f"test predictions: {write_predictions(result, predictions)}")
    if results is not None:
        print(f"results: {write_results(entry, results)}")
    print(format_summary(entry), flush=True)
    return result, entry


def main(argv: list[str] | None = None) -> RunResult:
    parser = argparse.ArgumentParser(
        prog="python -m dlref.train.cifar10",
        description="Train our residual net on CIFAR-10 (Modern-architectures Q2). "
                    f"Default data: the JPEG q75 copy, {NPZ_NAME}; accuracies are measured on it.")
    parser.add_argument("--config", choices=sorted(CONFIGS), default="fast",
                        help="fast: 8 epochs of a small net, about 5 minutes of training on a 2-core "
                        "CPU; long: 17 epochs of a wider net, under 20 minutes")
    parser.add_argument("--data", help="the .npz, a cifar-10-batches-py folder, or a folder holding "
                        f"cifar10/{NPZ_NAME} or cifar-10-batches-py/ "
                        "(default: $DLREF_DATA, else ../shared/data)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=float, help="override the config's number of epochs")
    parser.add_argument("--batch-size", type=int, help="override the config's batch size")
    parser.add_argument("--widths", type=lambda text: tuple(int(w) for w in text.split(",")),
                        help="override the config's stage widths, e.g. 64,256,256")
    parser.add_argument("--limit-train", type=int, help="train on a random slice of this many images")
    parser.add_argument("--limit-test", type=int, help="evaluate on a random slice of this many images")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--checkpoint", type=Path, help="state dict path (default runs/cifar10-<config>.pt)")
    parser.add_argument("--log", type=Path, help="JSON-lines log (default docs/training/results/"
                        "cifar10_<config>_log.jsonl, or runs/ for a modified config)")
    parser.add_argument("--predictions", type=Path, help="JSON of the predicted class of every test image "
                        "(default beside the log)")
    parser.add_argument("--results", type=Path, help="results JSON to merge into "
                        "(default docs/training/results/cifar10.json; "
                        "written by default only for an unmodified config)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    keep_freed_memory()
    if args.threads:
        torch.set_num_threads(args.threads)
    config = CONFIGS[args.config]
    modified = any(v is not None for v in (args.epochs, args.batch_size, args.widths, args.limit_train,
                                            args.limit_test))
    if args.widths is not None:
        if len(args.widths) != 3 or min(args.widths) < 1:
            parser.error(f"--widths needs three positive widths, got {args.widths}")
        config = replace(config, widths=args.widths)
    if args.epochs is not None:
        config = replace(config, epochs=args.epochs)
    if args.batch_size is not None:
        config = replace(config, batch_size=args.batch_size)
    data = load_cifar10(args.data)
    if args.limit_train or args.limit_test:
        data = data.subset(args.limit_train, args.limit_test, seed=args.seed)
    results = args.results if args.results is not None else (None if modified else RESULTS_PATH)
    if results is None:
        print("(modified config: results JSON not written; pass --results PATH to write one)")
    # An unmodified config's run is the published one: its log and predictions go beside the results JSON.
    records = RUNS_DIRECTORY if modified else RESULTS_PATH.parent
    result, _ = run(config, data, Device.choose(args.device), args.seed,
                    log_path=args.log or records / f"cifar10_{config.name}_log.jsonl",
                    checkpoint=args.checkpoint or RUNS_DIRECTORY / f"cifar10-{config.name}.pt",
                    results=results, show_progress=not args.no_progress,
                    predictions=args.predictions or records / f"cifar10_{config.name}_predictions.json")
    return result


if __name__ == "__main__":
    main()
