import torch
from torch import nn

# The same step with torch alone: which results autocast lowers and which it keeps in float32.
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
x, y = torch.randn(32, 64), torch.randint(0, 10, (32,))
with torch.autocast("cpu", dtype=torch.bfloat16):
    logits = model(x)
    loss = nn.functional.cross_entropy(logits, y)    # on autocast's float32 list
loss.backward()
assert logits.dtype == torch.bfloat16 and loss.dtype == torch.float32
assert all(p.dtype == torch.float32 and p.grad.dtype == torch.float32 for p in model.parameters())

# float16's range ends at 65504, bfloat16's at float32's (about 3.4e38), at the cost of precision.
assert torch.finfo(torch.float16).max == 65504.0
assert torch.finfo(torch.bfloat16).max > 3e38 and torch.finfo(torch.bfloat16).eps == 2 ** -7
assert torch.tensor(1e-8, dtype=torch.float16).item() == 0.0
