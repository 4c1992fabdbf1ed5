import torch
import torch.nn.functional as F

torch.manual_seed(0)
dilations = (1, 2, 4, 8)
weights = [torch.randn(1, 1, 2) for _ in dilations]


def stack(x):
    for w, d in zip(weights, dilations):
        x = torch.tanh(F.conv1d(F.pad(x, (d, 0)), w, dilation=d))  # pad d*(k-1) on the left only
    return x


x = torch.randn(1, 1, 40)
jacobian = torch.autograd.functional.jacobian(stack, x)[0, 0, :, 0, 0, :]   # dy[t] / dx[s]
reaches = jacobian != 0
assert not torch.triu(reaches, diagonal=1).any()          # nothing above the diagonal: causal
nonzero_in_last_row = int(reaches[39].sum())
assert nonzero_in_last_row == 16                       # the receptive field, counted by autograd
assert reaches[39, 39]                                    # y[t] depends on x[t] itself
