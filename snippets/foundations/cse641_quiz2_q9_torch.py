import torch
from torch import nn

# torch.autocast directly, without dlref: the Linear layers compute in bfloat16, the weights stay float32.
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
x, y = torch.randn(32, 64), torch.randint(0, 10, (32,))
with torch.autocast("cpu", dtype=torch.bfloat16):
    hidden = model[1](model[0](x))
    logits = model[2](hidden)
    loss = nn.functional.cross_entropy(logits, y)
loss.backward()
assert hidden.dtype == logits.dtype == torch.bfloat16
assert hidden.element_size() == 2 and torch.empty(1).element_size() == 4
assert loss.dtype == torch.float32 and model[0].weight.dtype == model[0].weight.grad.dtype == torch.float32
