"""Small conversions the PyTorch cross-checks share: NumPy <-> float64 tensors, seeded modules."""

import numpy as np
import torch


def t(array) -> torch.Tensor:
    """A NumPy array (or list) as a float64 tensor, so comparisons are not limited by float32."""
    return torch.from_numpy(np.asarray(array, dtype=np.float64))


def n(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().numpy()


def randomized(module, rng, scale=1.0):
    """``module`` in float64 with every parameter drawn from ``rng`` (not PyTorch's init)."""
    module = module.double()
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(t(rng.standard_normal(tuple(p.shape)) * scale))
    return module
