"""What every training run shares: device and precision, seeds, data paths, logs, checkpoints.

On a CUDA machine a run uses the GPU; on a CPU it uses bfloat16 autocast and channels_last
memory format, several times faster for convolutions on CPUs with AMX/AVX512-BF16.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

REPOSITORY = Path(__file__).resolve().parents[2]
DEFAULT_DATA_ROOT = REPOSITORY.parent / "shared" / "data"
DATA_ENVIRONMENT_VARIABLE = "DLREF_DATA"


class DataError(SystemExit):
    """Missing or malformed data: ends the command with this message (no traceback)."""

    def __init__(self, message: str):
        super().__init__(f"error: {message}")


def data_root(cli_value: str | None = None) -> Path:
    """Where the data lives: the command-line option, else ``$DLREF_DATA``, else ``../shared/data``."""
    if cli_value:
        return Path(cli_value).expanduser()
    if os.environ.get(DATA_ENVIRONMENT_VARIABLE):
        return Path(os.environ[DATA_ENVIRONMENT_VARIABLE]).expanduser()
    return DEFAULT_DATA_ROOT


@dataclass
class Device:
    """Where and how to compute: ``autocast()`` and ``memory_format`` follow the device."""

    device: torch.device
    dtype: torch.dtype | None  # autocast dtype, None for plain float32
    channels_last: bool

    @classmethod
    def choose(cls, prefer: str = "auto") -> "Device":
        if prefer not in ("auto", "cpu", "cuda"):
            raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', got {prefer!r}")
        if prefer == "cuda" or (prefer == "auto" and torch.cuda.is_available()):
            return cls(torch.device("cuda"), torch.bfloat16, True)
        return cls(torch.device("cpu"), torch.bfloat16, True)

    def autocast(self):
        if self.dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.dtype)

    @property
    def memory_format(self):
        return torch.channels_last if self.channels_last else torch.contiguous_format

    def describe(self) -> str:
        precision = "float32" if self.dtype is None else f"{self.dtype} autocast".replace("torch.", "")
        name = torch.cuda.get_device_name() if self.device.type == "cuda" else "CPU"
        layout = ", channels_last" if self.channels_last else ""
        return f"{name} ({precision}{layout})"


# glibc mallopt() parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory for reuse instead of returning it to the system.

    A training step allocates and frees the same large activation buffers every time. By default
    glibc serves blocks over 32 MB with mmap() and unmaps them on free, so every step pays the page
    faults of first touching fresh memory again; on our 2-core VM that made a CIFAR-10 step about
    1.6x slower (median 950 ms against 600 ms per batch of 1024). This is the effect PyTorch's CPU
    performance guide fixes with jemalloc or tcmalloc; with plain glibc two mallopt() calls do it.
    Returns False (and changes nothing) where the C library is not glibc.
    """
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # No mmap()ed blocks (all from the heap), and never trim the heap's free top back to the system.
    return bool(mallopt(_M_MMAP_MAX, 0)) and bool(mallopt(_M_TRIM_THRESHOLD, 2**31 - 1))


def seed_everything(seed: int) -> None:
    """Fix every random generator a run uses, so a run can be repeated."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def git_commit() -> str:
    """The checkout's commit, with ``+dirty`` when the code in ``dlref/`` has uncommitted changes (a
    recorded run must name code that can be checked out); ``"unknown"`` outside a git checkout."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPOSITORY, capture_output=True,
                                text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--", "dlref"], cwd=REPOSITORY,
                                 capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if changed else "")


class MetricLog:
    """One JSON object per line: to a file (if given) and to standard output."""

    def __init__(self, path: Path | None = None, echo: bool = True):
        self.path, self.echo, self.records = path, echo, []
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")

    def write(self, **record) -> dict:
        line = json.dumps(record, sort_keys=False)
        self.records.append(record)
        if self.echo:
            print(line, flush=True)
        if self.path is not None:
            with self.path.open("a") as file:
                file.write(line + "\n")
        return record


class Stopwatch:
    """Training time, excluding what happens inside ``paused()`` (evaluation, logging)."""

    def __init__(self):
        self.elapsed, self._start, self._running = 0.0, time.perf_counter(), True

    @contextlib.contextmanager
    def paused(self):
        self.elapsed += time.perf_counter() - self._start
        self._running = False
        try:
            yield
        finally:
            self._start, self._running = time.perf_counter(), True

    @property
    def seconds(self) -> float:
        return self.elapsed + (time.perf_counter() - self._start if self._running else 0.0)


def progress(iterable, total: int, description: str, enabled: bool = True):
    """A tqdm progress bar on standard error (silent when ``enabled`` is False)."""
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=description, disable=not enabled, file=sys.stderr,
                dynamic_ncols=True, leave=False)


def save_results(path: Path, results: dict) -> Path:
    """Write a run's final metrics as pretty JSON (the file the notebook and the tests read)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n")
    return path
