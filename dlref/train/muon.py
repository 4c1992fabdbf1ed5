"""Muon: momentum SGD whose update for each weight matrix is orthogonalised (Keller Jordan, 2024).

Used for the convolution filters of the CIFAR-10 residual net, as in airbench94_muon; every other
parameter (BatchNorm shifts, the head) keeps plain SGD. References: K. Jordan, "Muon: an optimizer for
hidden layers in neural networks" (2024) and the airbench94_muon script.
"""

from __future__ import annotations

import torch

# Quintic Newton-Schulz coefficients chosen (by Jordan) to push small singular values up fast.
NEWTON_SCHULZ_COEFFICIENTS = (3.4445, -4.7750, 2.0315)


def orthogonalize(update: torch.Tensor, steps: int = 3, eps: float = 1e-7) -> torch.Tensor:
    """Approximately ``U V^T`` for ``update = U S V^T`` (2-D), by ``steps`` quintic Newton-Schulz
    iterations ``X <- a X + (b A + c A^2) X`` with ``A = X X^T``, starting from ``X = G / ||G||_F``.

    The iteration maps each singular value s to p(s) = a s + b s^3 + c s^5 without touching the singular
    vectors; with few steps the result's singular values land roughly in [0.5, 1.5] rather than exactly
    at 1, which trains as well (Jordan). Computed in bfloat16, like the reference.
    """
    if not isinstance(update, torch.Tensor) or update.ndim != 2:
        raise ValueError(f"update must be a 2-D tensor, got {getattr(update, 'shape', type(update))}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    a, b, c = NEWTON_SCHULZ_COEFFICIENTS
    x = update.to(torch.bfloat16)
    x = x / (x.norm() + eps)            # every singular value <= 1, where the iteration is designed to work
    tall = x.size(0) > x.size(1)
    if tall:                              # iterate on the smaller Gram matrix
        x = x.T
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    return (x.T if tall else x).to(update.dtype)


class Muon(torch.optim.Optimizer):
    """For each parameter W (a filter bank, flattened to out_channels x rest):

    ``m <- mu m + g``;  ``d = g + mu m`` (Nesterov) or ``m``;  ``W <- W sqrt(out) / ||W||_F``;
    ``W <- W - lr orthogonalize(d)``.

    Rescaling W to a fixed norm each step stands in for weight decay: every filter bank is followed by
    BatchNorm, so only its direction matters.
    """

    def __init__(self, params, lr: float = 0.24, momentum: float = 0.6, nesterov: bool = True,
                 newton_schulz_steps: int = 3):
        if lr < 0:
            raise ValueError(f"lr must be non-negative, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        if nesterov and momentum == 0:
            raise ValueError("nesterov needs a positive momentum")
        super().__init__(params, dict(lr=lr, momentum=momentum, nesterov=nesterov,
                                      newton_schulz_steps=newton_schulz_steps))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for parameter in group["params"]:
                if parameter.grad is None:
                    continue
                gradient = parameter.grad
                state = self.state[parameter]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = torch.zeros_like(gradient)
                buffer = state["momentum_buffer"]
                buffer.mul_(group["momentum"]).add_(gradient)
                direction = gradient.add(buffer, alpha=group["momentum"]) if group["nesterov"] else buffer
                parameter.mul_(len(parameter) ** 0.5 / parameter.norm())
                update = orthogonalize(direction.reshape(len(direction), -1), group["newton_schulz_steps"])
                parameter.add_(update.view_as(parameter), alpha=-group["lr"])
