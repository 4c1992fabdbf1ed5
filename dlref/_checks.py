"""Argument checks shared by every chapter module.

Each check raises ``TypeError`` for a value of the wrong kind and ``ValueError`` for a value outside
its range, and the message always names the argument, so a student sees *which* input was wrong
instead of a NumPy traceback from deep inside a formula.
"""

from __future__ import annotations

import numbers

import numpy as np


def integer(name: str, value, *, minimum: int | None = None) -> int:
    """Return ``value`` as an ``int``; reject bools, floats and anything below ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def positive(name: str, value) -> int:
    """An integer >= 1 (sizes, strides, channel counts)."""
    return integer(name, value, minimum=1)


def non_negative(name: str, value) -> int:
    """An integer >= 0 (paddings)."""
    return integer(name, value, minimum=0)


def pair(name: str, value, check=positive) -> tuple[int, int]:
    """An int or a pair of ints, checked element-wise, returned as ``(height, width)``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair (height, width), got {value!r}")
        return check(f"{name}[0]", value[0]), check(f"{name}[1]", value[1])
    single = check(name, value)
    return single, single


def boolean(name: str, value) -> bool:
    """A real ``bool`` (so that ``bias=0`` is not silently read as False)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def array(name: str, value, ndim: int | tuple[int, ...]) -> np.ndarray:
    """A real-valued array with the given number of dimensions, as float64."""
    try:
        result = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of numbers: {error}") from None
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if result.ndim not in allowed:
        wanted = " or ".join(str(n) for n in allowed)
        raise ValueError(f"{name} must have {wanted} dimensions, got shape {result.shape}")
    if result.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {result.shape}")
    return result
