"""Shared settings: deterministic, single-process numerics for every test and page fence."""

import numpy as np
import pytest
import torch

torch.set_num_threads(1)  # two test processes (or CI next to a build) must not fight over 2 cores


@pytest.fixture(autouse=True)
def _seeded():
    torch.manual_seed(0)
    np.random.seed(0)
