"""Foundations: regularisation as a prior, learning-theory bounds, the perceptron, normalisation,
gradient clipping, batched matrix products and mixed precision.

Conventions: a data matrix ``X`` is ``(n, d)`` (one example per row); a label vector ``y`` is ``(n,)``.
The perceptron functions say which label convention they use ({0, 1} or {-1, +1}). Normalisation
functions take features on the *last* axis, as ``nn.LayerNorm`` and ``nn.BatchNorm1d`` on ``(N, C)``.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from dlref import _checks


def _positive_float(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not value > 0 or not math.isfinite(value):
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return value


# ---------------------------------------------------------------------------------------------
# Regularisation as a prior (MAP estimation)
# ---------------------------------------------------------------------------------------------

PRIORS = ("gaussian", "laplace", "cauchy")


def negative_log_prior(theta, prior: str, scale: float = 1.0) -> float:
    """``-log p(theta) = -sum_j log p(theta_j)`` for an i.i.d. zero-centred prior of the given ``scale``.

    * ``gaussian`` N(0, s^2): ``theta_j^2 / (2 s^2) + log(s sqrt(2 pi))``  -> the L2 penalty;
    * ``laplace`` (scale b = s): ``|theta_j| / s + log(2 s)``               -> the L1 penalty;
    * ``cauchy`` (scale s): ``log(1 + theta_j^2 / s^2) + log(pi s)``.

    ``theta`` is a scalar or a 1-D array.
    """
    theta = _checks.array("theta", np.atleast_1d(theta), 1)
    scale = _positive_float("scale", scale)
    if prior == "gaussian":
        terms = theta ** 2 / (2 * scale ** 2) + math.log(scale * math.sqrt(2 * math.pi))
    elif prior == "laplace":
        terms = np.abs(theta) / scale + math.log(2 * scale)
    elif prior == "cauchy":
        terms = np.log1p((theta / scale) ** 2) + math.log(math.pi * scale)
    else:
        raise ValueError(f"prior must be one of {PRIORS}, got {prior!r}")
    return float(terms.sum())


def l2_strength_from_prior(noise_std: float, prior_std: float) -> float:
    """The ``lambda`` of ``sum_i (y_i - x_i.theta)^2 + lambda ||theta||^2`` that a Gaussian likelihood
    N(x.theta, sigma^2) and a prior N(0, tau^2 I) give: ``lambda = sigma^2 / tau^2``."""
    return _positive_float("noise_std", noise_std) ** 2 / _positive_float("prior_std", prior_std) ** 2


def ridge_map_estimate(X, y, noise_std: float, prior_std: float) -> np.ndarray:
    """The MAP estimate of linear-regression weights, i.e. ridge regression:

    ``theta_MAP = argmin ||y - X theta||^2 + lambda ||theta||^2 = (X^T X + lambda I)^{-1} X^T y`` with
    ``lambda = sigma^2 / tau^2`` (:func:`l2_strength_from_prior`). ``X`` is ``(n, d)``, ``y`` is ``(n,)``;
    returns ``(d,)``.
    """
    X = _checks.array("X", X, 2)
    y = _checks.array("y", y, 1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have one value per row of X ({X.shape[0]}), got {y.shape[0]}")
    lam = l2_strength_from_prior(noise_std, prior_std)
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


# ---------------------------------------------------------------------------------------------
# Learning theory
# ---------------------------------------------------------------------------------------------

def vc_generalization_gap(vc_dim: int, n: int) -> float:
    """The complexity term of the VC bound without its constant and log factor:
    ``R_true(h) <= R_emp(h) + O(sqrt(VC(H) / n))``; returns ``sqrt(VC(H) / n)``."""
    return math.sqrt(_checks.positive("vc_dim", vc_dim) / _checks.positive("n", n))


def vc_sample_size(vc_dim: int, gap: float) -> float:
    """The ``n`` at which ``sqrt(VC(H) / n)`` equals ``gap``: ``n = VC(H) / gap^2`` (linear in VC)."""
    return _checks.positive("vc_dim", vc_dim) / _positive_float("gap", gap) ** 2


ACTIVATIONS = ("relu", "step", "square")


def shallow_network_fit(target, activation: str, width: int, points: int = 201) -> tuple[np.ndarray, np.ndarray]:
    """``(x, f(x))``: the best one-hidden-layer network with fixed hidden units on ``points`` inputs.

    Hidden unit ``i`` computes ``phi(x - c_i)`` with knots ``c_i = i / width`` (i = 0..width-1);
    the output layer ``a_0 + sum_i a_i phi(x - c_i)`` is fitted to ``target`` by least squares on
    ``points`` equally spaced inputs of ``[0, 1]``. ``phi`` is ``relu`` (``max(0, u)``), ``step``
    (``1[u > 0]``) or ``square`` (``u^2``, a polynomial). ``target`` is a function of a NumPy array.
    """
    width = _checks.positive("width", width)
    points = _checks.integer("points", points, minimum=2)
    if not callable(target):
        raise TypeError(f"target must be a function of x, got {type(target).__name__}")
    x = np.linspace(0.0, 1.0, points)
    u = x[:, None] - np.arange(width)[None, :] / width
    if activation == "relu":
        hidden = np.maximum(u, 0.0)
    elif activation == "step":
        hidden = (u > 0).astype(float)
    elif activation == "square":
        hidden = u ** 2
    else:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    design = np.hstack([np.ones((points, 1)), hidden])
    coefficients, *_ = np.linalg.lstsq(design, target(x), rcond=None)
    return x, design @ coefficients


def shallow_network_fit_error(target, activation: str, width: int, points: int = 201) -> float:
    """Sup error ``max |f(x) - target(x)|`` of :func:`shallow_network_fit` on its inputs."""
    x, fitted = shallow_network_fit(target, activation, width, points)
    return float(np.max(np.abs(fitted - target(x))))


# ---------------------------------------------------------------------------------------------
# The perceptron
# ---------------------------------------------------------------------------------------------

def _vector_and_label(w, x, y, labels) -> tuple[np.ndarray, np.ndarray, float]:
    w = _checks.array("w", w, 1)
    x = _checks.array("x", x, 1)
    if w.shape != x.shape:
        raise ValueError(f"w and x must have the same shape, got {w.shape} and {x.shape}")
    if y not in labels:
        raise ValueError(f"y must be one of {labels}, got {y!r}")
    return w, x, float(y)


def perceptron_update(w, x, y, lr: float = 1.0) -> np.ndarray:
    """Rosenblatt's rule with labels y in {0, 1}: ``delta_w = lr (y - y_hat) x``, ``y_hat = 1[w.x > 0]``."""
    w, x, y = _vector_and_label(w, x, y, (0, 1))
    y_hat = float(w @ x > 0)
    return _positive_float("lr", lr) * (y - y_hat) * x


LOSSES = ("hinge", "zero_one", "cross_entropy", "squared")


def linear_loss_gradient(loss: str, w, x, y, margin: float = 0.0) -> np.ndarray:
    """``d loss / d w`` for a linear score ``s = w.x`` and a label y in {0, 1} (sign ``t = 2y - 1``):

    * ``hinge``: ``max(0, margin - t s)`` -> ``-t x`` where ``t s < margin`` (a subgradient; 0 elsewhere);
      ``margin = 0`` is the perceptron criterion;
    * ``zero_one``: ``1[t s <= 0]`` -> ``0`` (piecewise constant: no gradient wherever it is defined);
    * ``cross_entropy``: ``-y log sigma(s) - (1-y) log(1 - sigma(s))`` -> ``(sigma(s) - y) x``;
    * ``squared``: ``(s - y)^2 / 2`` -> ``(s - y) x``.
    """
    w, x, y = _vector_and_label(w, x, y, (0, 1))
    s, t = float(w @ x), 2 * y - 1
    if loss == "hinge":
        return -t * x if t * s < margin else np.zeros_like(x)
    if loss == "zero_one":
        return np.zeros_like(x)
    if loss == "cross_entropy":
        return (1 / (1 + math.exp(-s)) - y) * x
    if loss == "squared":
        return (s - y) * x
    raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")


def train_perceptron(X, y, margin: float | None = None, max_epochs: int = 1000) -> tuple[np.ndarray, int]:
    """Cyclic perceptron from ``w = 0`` on labels y in {-1, +1}; returns ``(w, updates)``.

    Plain (``margin=None``): update ``w <- w + y_i x_i`` when ``y_i w.x_i <= 0`` (a mistake).
    Margin perceptron (``margin = gamma``): update when ``y_i w.x_i <= (gamma / 2) ||w||``, i.e. on a
    mistake *or* a correct answer with normalised margin below ``gamma / 2``. Stops after an epoch
    with no update; ``ValueError`` if ``max_epochs`` pass without that (data not separable enough).
    """
    X = _checks.array("X", X, 2)
    y = _checks.array("y", y, 1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have one label per row of X ({X.shape[0]}), got {y.shape[0]}")
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError("y must contain only -1 and +1")
    if margin is not None:
        margin = _positive_float("margin", margin)
    max_epochs = _checks.positive("max_epochs", max_epochs)
    w, updates = np.zeros(X.shape[1]), 0
    for _ in range(max_epochs):
        changed = False
        for x_i, y_i in zip(X, y):
            threshold = 0.0 if margin is None else margin / 2 * np.linalg.norm(w)
            if y_i * (w @ x_i) <= threshold:
                w = w + y_i * x_i
                updates += 1
                changed = True
        if not changed:
            return w, updates
    raise ValueError(f"no separating pass within max_epochs={max_epochs}")


def perceptron_mistake_bound(radius: float, gamma: float) -> float:
    """Novikoff: the perceptron makes at most ``(R / gamma)^2`` mistakes on data with
    ``||x_i|| <= R`` separated by a unit vector with margin ``gamma``."""
    ratio = _positive_float("radius", radius) / _positive_float("gamma", gamma)
    return ratio ** 2


def margin_perceptron_update_bound(radius: float, gamma: float) -> float:
    """The margin perceptron (update when ``y w.x <= (gamma/2) ||w||``) makes at most
    ``8 (R / gamma)^2 + 4 (R / gamma)`` updates (mistakes or margin violations)."""
    ratio = _positive_float("radius", radius) / _positive_float("gamma", gamma)
    return 8 * ratio ** 2 + 4 * ratio


def separable_data(n: int, d: int, gamma: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(X, y, w_star)``: ``n`` points in ``d`` dimensions, drawn from N(0, I), with labels
    ``sign(w_star.x)`` for a random unit ``w_star``; points with ``|w_star.x| < gamma`` are pushed
    out to ``|w_star.x| = gamma`` along ``w_star``, so the margin is exactly ``gamma``."""
    n, d = _checks.positive("n", n), _checks.integer("d", d, minimum=2)
    gamma = _positive_float("gamma", gamma)
    rng = np.random.default_rng(seed)
    w_star = rng.standard_normal(d)
    w_star /= np.linalg.norm(w_star)
    X = rng.standard_normal((n, d))
    scores = X @ w_star
    sign = np.where(scores >= 0, 1.0, -1.0)
    X = X + np.outer(np.maximum(gamma - np.abs(scores), 0.0) * sign, w_star)
    return X, sign, w_star


# ---------------------------------------------------------------------------------------------
# A sigmoid unit under squared loss
# ---------------------------------------------------------------------------------------------

def sigmoid(z):
    """``sigma(z) = 1 / (1 + exp(-z))``."""
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def sigmoid_squared_loss_gradient(w: float, b: float, x: float, y: float) -> float:
    """``d/dw (sigma(w x + b) - y)^2 = 2 (sigma - y) sigma (1 - sigma) x`` (chain rule; sigma' = sigma(1-sigma))."""
    for name, value in (("w", w), ("b", b), ("x", x), ("y", y)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    s = float(sigmoid(w * x + b))
    return 2 * (s - y) * s * (1 - s) * x


# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------

def layer_norm(x, gamma=None, beta=None, eps: float = 1e-5) -> np.ndarray:
    """LayerNorm over the last axis: ``gamma (x - mean) / sqrt(var + eps) + beta`` with the mean and the
    *biased* variance of each row (each token on its own). ``x`` is ``(..., d)``."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 1 or x.shape[-1] == 0:
        raise ValueError(f"x must have a non-empty last axis, got shape {x.shape}")
    normalised = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + eps)
    return _affine(normalised, gamma, beta, x.shape[-1])


def _affine(normalised, gamma, beta, d):
    gamma = np.ones(d) if gamma is None else _checks.array("gamma", gamma, 1)
    beta = np.zeros(d) if beta is None else _checks.array("beta", beta, 1)
    if gamma.shape != (d,) or beta.shape != (d,):
        raise ValueError(f"gamma and beta must have shape ({d},), got {gamma.shape} and {beta.shape}")
    return gamma * normalised + beta


def batch_norm_train(x, gamma=None, beta=None, eps: float = 1e-5) -> np.ndarray:
    """BatchNorm in training mode: each feature (last axis) normalised with the mean and *biased*
    variance over all other axes (the batch, and the time steps of a ``(N, T, d)`` batch)."""
    x = _checks.array("x", x, (2, 3))
    axes = tuple(range(x.ndim - 1))
    normalised = (x - x.mean(axes)) / np.sqrt(x.var(axes) + eps)
    return _affine(normalised, gamma, beta, x.shape[-1])


def batch_norm_eval(x, running_mean, running_var, gamma=None, beta=None, eps: float = 1e-5) -> np.ndarray:
    """BatchNorm in evaluation mode: ``gamma (x - running_mean) / sqrt(running_var + eps) + beta``;
    the batch's own statistics are not used, so each example's output is independent of the batch."""
    x = _checks.array("x", x, (1, 2, 3))
    d = x.shape[-1]
    running_mean = _checks.array("running_mean", running_mean, 1)
    running_var = _checks.array("running_var", running_var, 1)
    if running_mean.shape != (d,) or running_var.shape != (d,):
        raise ValueError(f"running_mean and running_var must have shape ({d},)")
    return _affine((x - running_mean) / np.sqrt(running_var + eps), gamma, beta, d)


def running_stats_update(running_mean, running_var, x, momentum: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """One training step's update of BatchNorm's buffers (PyTorch's convention):
    ``m <- (1 - momentum) m + momentum mean_B``, ``v <- (1 - momentum) v + momentum var_B`` with the
    *unbiased* batch variance (divide by ``N - 1``). ``x`` is ``(N, d)``, ``N >= 2``."""
    x = _checks.array("x", x, 2)
    if x.shape[0] < 2:
        raise ValueError(f"x needs at least 2 rows for an unbiased variance, got {x.shape[0]}")
    momentum = _positive_float("momentum", momentum)
    if momentum > 1:
        raise ValueError(f"momentum must be in (0, 1], got {momentum}")
    running_mean = _checks.array("running_mean", running_mean, 1)
    running_var = _checks.array("running_var", running_var, 1)
    return ((1 - momentum) * running_mean + momentum * x.mean(0),
            (1 - momentum) * running_var + momentum * x.var(0, ddof=1))


# ---------------------------------------------------------------------------------------------
# Gradient clipping
# ---------------------------------------------------------------------------------------------

def clip_grad_by_norm(grads: Sequence, max_norm: float) -> list[np.ndarray]:
    """Clip by the global L2 norm of all gradients:
    ``g <- max_norm * g / ||g||`` if ``||g|| >= max_norm`` (else unchanged), with
    ``||g|| = sqrt(sum over tensors of sum g^2)``. The direction never changes."""
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)) or not grads:
        raise TypeError("grads must be a non-empty list of arrays (one per parameter)")
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    max_norm = _positive_float("max_norm", max_norm)
    total = math.sqrt(sum(float((g ** 2).sum()) for g in arrays))
    scale = max_norm / total if total >= max_norm else 1.0
    return [g * scale for g in arrays]


def global_grad_norm(grads: Sequence) -> float:
    """``sqrt(sum over tensors of sum g^2)``: the norm that :func:`clip_grad_by_norm` compares."""
    return math.sqrt(sum(float((np.asarray(g, dtype=np.float64) ** 2).sum()) for g in grads))


# ---------------------------------------------------------------------------------------------
# Batched matrix products and memory
# ---------------------------------------------------------------------------------------------

def batched_matmul_flops(b: int, n: int, m: int, p: int) -> int:
    """Floating-point operations of ``b`` products ``(n, m) @ (m, p)``: ``2 b n m p``
    (one multiply and one add per term of each of the ``b n p`` dot products of length ``m``)."""
    return 2 * _checks.positive("b", b) * _checks.positive("n", n) * _checks.positive("m", m) * _checks.positive("p", p)


BYTES_PER_ELEMENT = {"float64": 8, "float32": 4, "bfloat16": 2, "float16": 2, "int8": 1}


def matrix_products_recorded(result) -> int:
    """How many matrix-product operations (``bmm``, ``mm``) autograd recorded behind ``result``: a walk of
    its graph from ``result.grad_fn``, counting ``BmmBackward0`` and ``MmBackward0`` nodes once each.
    One batched call gives 1; a Python loop over a batch of ``b`` gives ``b``."""
    grad_fn = getattr(result, "grad_fn", None)
    if grad_fn is None:
        raise ValueError("result must be a tensor computed from a tensor that requires grad (it has no grad_fn)")
    seen, stack, count = set(), [grad_fn], 0
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        count += type(node).__name__ in ("BmmBackward0", "MmBackward0")
        stack.extend(parent for parent, _ in node.next_functions)
    return count


def tensor_bytes(shape: Sequence[int], dtype: str) -> int:
    """Memory of a dense tensor: ``numel * bytes_per_element`` (float32 4, bfloat16/float16 2, ...)."""
    if dtype not in BYTES_PER_ELEMENT:
        raise ValueError(f"dtype must be one of {sorted(BYTES_PER_ELEMENT)}, got {dtype!r}")
    numel = 1
    for index, size in enumerate(shape):
        numel *= _checks.positive(f"shape[{index}]", size)
    return numel * BYTES_PER_ELEMENT[dtype]


def autocast_dtypes(model, inputs, targets, dtype_name: str = "bfloat16") -> dict:
    """What runs in which precision when ``model`` is trained one step under CPU autocast.

    Runs ``cross_entropy(model(inputs), targets)`` inside ``torch.autocast("cpu", dtype)`` and
    backpropagates outside it. Returns dtype names (``"float32"``, ``"bfloat16"``, ...):
    ``parameters`` and ``gradients`` (sets over all parameters), ``outputs`` (each direct child
    module's output, in order, keyed by its name) and ``loss``.
    """
    import torch

    if dtype_name not in ("bfloat16", "float16"):
        raise ValueError(f"dtype_name must be 'bfloat16' or 'float16', got {dtype_name!r}")
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    outputs, hooks = {}, []
    for name, child in model.named_children():
        hooks.append(child.register_forward_hook(
            lambda module, args, out, name=name: outputs.__setitem__(name, str(out.dtype).replace("torch.", ""))))
    try:
        model.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=getattr(torch, dtype_name)):
            loss = torch.nn.functional.cross_entropy(model(inputs), targets)
        loss.backward()
    finally:
        for hook in hooks:
            hook.remove()
    name = lambda t: str(t.dtype).replace("torch.", "")  # noqa: E731
    return {"parameters": {name(p) for p in model.parameters()},
            "gradients": {name(p.grad) for p in model.parameters()},
            "outputs": outputs, "loss": name(loss)}
