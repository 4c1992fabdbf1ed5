import torch

# Chinchilla's fitted loss (Hoffmann et al. 2022, approach 3): L = E + A / N^alpha + B / D^beta.
E, A, B, alpha, beta = 1.69, 406.4, 410.7, 0.34, 0.28

def best_model_size(compute):
    """argmin over N of L(N, D = C / (6N)), by gradient descent on log N with autograd."""
    log_n = torch.tensor(20.0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_n], max_iter=200, tolerance_grad=1e-14, tolerance_change=1e-14)
    log_c = torch.log(torch.tensor(compute / 6, dtype=torch.float64))

    def closure():
        optimizer.zero_grad()
        loss = E + A * torch.exp(-alpha * log_n) + B * torch.exp(-beta * (log_c - log_n))
        loss.backward()
        return loss

    optimizer.step(closure)
    return log_n.exp().item()

C = 1e21                                              # FLOPs, any budget
X = best_model_size(1e6 * C) / best_model_size(C)     # how much larger the best model gets
Y = 1e6 / X                                           # and the data, since C = 6 N D
exponent = torch.log10(torch.tensor(X)).item() / 6
assert abs(exponent - beta / (alpha + beta)) < 1e-6   # N_opt ∝ C^0.45: about half of the compute each way
assert 10 ** 2.5 < X < 10 ** 3 < Y < 10 ** 3.5       # X, Y ≈ 10^3, far from the key's 10^4 and 10^2
