import torch
from torch import nn

from dlref.foundations import autocast_dtypes, tensor_bytes

# One training step of a small classifier under CPU autocast in bfloat16 (this machine has no GPU;
# torch.cuda.amp does the same on a GPU, with float16 by default).
torch.manual_seed(0)
batch, features, hidden, classes = 32, 64, 256, 10
model = nn.Sequential(nn.Linear(features, hidden), nn.ReLU(), nn.Linear(hidden, classes))
x, y = torch.randn(batch, features), torch.randint(0, classes, (batch,))
dtypes = autocast_dtypes(model, x, y)
assert dtypes["outputs"] == {"0": "bfloat16", "1": "bfloat16", "2": "bfloat16"}
assert dtypes["parameters"] == dtypes["gradients"] == {"float32"}

# Memory of the hidden activations that backward keeps: half in bfloat16.
hidden_fp32 = tensor_bytes((batch, hidden), "float32")
hidden_bf16 = tensor_bytes((batch, hidden), "bfloat16")
with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
    h = model[1](model[0](x))
assert h.numel() * h.element_size() == hidden_bf16

# Is it noise? Run twice: bit-for-bit the same. Is it close to float32? Within bfloat16 rounding.
with torch.no_grad():
    with torch.autocast("cpu", dtype=torch.bfloat16):
        first, second = model(x), model(x)
    reference = model(x)
relative_error = float((first.float() - reference).norm() / reference.norm())
seen = set(dtypes["outputs"].values()) | dtypes["parameters"] | {dtypes["loss"]}

options = {
    "a": hidden_bf16 < hidden_fp32 and "bfloat16" in seen,   # lower precision where it is safe: less memory
    "b": not torch.equal(first, second),                     # no noise is added: runs repeat exactly
    "c": "float64" in seen,                                  # nothing is promoted to FP64
    "d": seen == {"float32"},                                # the matmuls run in bfloat16, not FP32
}
answer = [letter for letter, true in options.items() if true]
error_bound = 0.01        # bfloat16 keeps 8 bits of mantissa: expect errors of a few parts in a thousand
assert answer == ["a"] and relative_error < error_bound
PRINTED_KEY = "a"
assert PRINTED_KEY in answer
