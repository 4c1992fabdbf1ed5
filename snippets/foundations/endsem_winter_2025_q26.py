import torch
from torch import nn

from dlref.foundations import autocast_dtypes, tensor_bytes

# What mixed precision keeps in float32: one step of a small classifier under CPU autocast (bfloat16).
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
x, y = torch.randn(32, 64), torch.randint(0, 10, (32,))
dtypes = autocast_dtypes(model, x, y)
kept_in_float32 = {"weights": dtypes["parameters"] == {"float32"}, "gradients": dtypes["gradients"] == {"float32"},
                   "loss": dtypes["loss"] == "float32"}
lowered = [name for name, dtype in dtypes["outputs"].items() if dtype == "bfloat16"]
with torch.autocast("cpu", dtype=torch.bfloat16):      # the CPU's lists: losses in float32, softmax not
    logits = model(x)
    assert nn.functional.cross_entropy(logits, y).dtype == torch.float32
    assert torch.softmax(logits, dim=-1).dtype == torch.bfloat16
assert all(kept_in_float32.values()) and lowered == ["0", "1", "2"]

# Memory per parameter element: the float32 master weights, and a bfloat16 copy would halve it.
n_params = sum(p.numel() for p in model.parameters())
weights_fp32 = tensor_bytes((n_params,), "float32")
weights_bf16 = tensor_bytes((n_params,), "bfloat16")

# Why bfloat16 needs no loss scaling and float16 does: the range. A tiny gradient survives bfloat16.
tiny = 1e-8
tiny_in_fp16 = torch.tensor(tiny).half().item()
tiny_in_bf16 = torch.tensor(tiny).bfloat16().item()
fp16_max, bf16_max = torch.finfo(torch.float16).max, torch.finfo(torch.bfloat16).max
bf16_eps, fp32_eps = torch.finfo(torch.bfloat16).eps, torch.finfo(torch.float32).eps
assert tiny_in_fp16 == 0.0 and abs(tiny_in_bf16 - tiny) / tiny < 0.01

options = {
    "a": bool(lowered) and all(kept_in_float32.values()),   # low precision where safe, FP32 where it matters
    "b": False,       # autocast casts operands; it adds no noise (runs repeat exactly, see Quiz 2 Q9)
    "c": "float64" in dtypes["outputs"].values() or dtypes["loss"] == "float64",
    "d": not lowered,                                       # the Linear layers do run in bfloat16
}
answer = [letter for letter, true in options.items() if true]
assert answer == ["a"]
PRINTED_KEY = "a"
assert PRINTED_KEY in answer
