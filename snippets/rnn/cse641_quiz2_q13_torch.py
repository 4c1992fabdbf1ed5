import torch

torch.manual_seed(0)
n_x, n_h, n_y, T = 3, 4, 2, 6
U = (0.5 * torch.randn(n_h, n_h, dtype=torch.float64)).requires_grad_()
W = torch.randn(n_h, n_x, dtype=torch.float64, requires_grad=True)
V = torch.randn(n_y, n_h, dtype=torch.float64, requires_grad=True)
xs, targets = torch.randn(T, n_x, dtype=torch.float64), torch.randn(T, n_y, dtype=torch.float64)

states, s, loss = [torch.zeros(n_h, dtype=torch.float64)], torch.zeros(n_h, dtype=torch.float64), 0.0
for t in range(T):
    s = torch.tanh(U @ s + W @ xs[t])
    states.append(s)
    loss = loss + 0.5 * ((V @ s - targets[t]) ** 2).sum()
loss.backward()

# The answer's recursion, written out in PyTorch: dL/ds_t = V^T dL_t/dy_t + U^T delta_{t+1},
# delta_t = (1 - s_t^2) * dL/ds_t, dL/dU = sum_t delta_t s_{t-1}^T (and likewise for W and V).
with torch.no_grad():
    dL_dU, dL_dW, dL_dV = torch.zeros_like(U), torch.zeros_like(W), torch.zeros_like(V)
    delta_next = torch.zeros(n_h, dtype=torch.float64)
    for t in reversed(range(T)):
        s_t, s_prev = states[t + 1], states[t]
        dL_dy = V @ s_t - targets[t]
        dL_ds = V.T @ dL_dy + U.T @ delta_next
        delta = (1 - s_t ** 2) * dL_ds
        dL_dU += torch.outer(delta, s_prev)
        dL_dW += torch.outer(delta, xs[t])
        dL_dV += torch.outer(dL_dy, s_t)
        delta_next = delta
for ours, parameter in ((dL_dU, U), (dL_dW, W), (dL_dV, V)):
    assert torch.allclose(ours, parameter.grad)
