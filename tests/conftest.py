"""Shared settings: deterministic, single-process numerics for every test and page fence."""

import os

# NumPy's BLAS would start a thread per core for every small matrix; one is faster here, and the
# variable must be set before NumPy loads its library.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)  # two test processes (or CI next to a build) must not fight over 2 cores


@pytest.fixture(autouse=True)
def _seeded():
    torch.manual_seed(0)
    np.random.seed(0)
