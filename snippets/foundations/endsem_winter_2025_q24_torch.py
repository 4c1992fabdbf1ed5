import numpy as np
import torch

# NumPy's matmul as an independent reference, on random shapes: all three PyTorch calls agree with it.
rng = np.random.default_rng(0)
for _ in range(5):
    b, n, m, p = rng.integers(1, 9, size=4)
    A, B = rng.standard_normal((b, n, m)), rng.standard_normal((b, m, p))
    expected = np.matmul(A, B)
    At, Bt = torch.from_numpy(A), torch.from_numpy(B)
    for result in (torch.matmul(At, Bt), torch.bmm(At, Bt), torch.einsum("bnm,bmp->bnp", At, Bt),
                   torch.stack([At[i] @ Bt[i] for i in range(b)])):
        assert np.allclose(result.numpy(), expected, rtol=1e-12, atol=1e-12)

# matmul broadcasts (a 2-D B is shared by the whole batch); bmm insists on two 3-D tensors.
A = torch.randn(4, 3, 5)
assert torch.matmul(A, torch.randn(5, 2)).shape == (4, 3, 2)
try:
    torch.bmm(A, torch.randn(5, 2))
    raise AssertionError("bmm accepted a 2-D tensor")
except RuntimeError:
    pass
