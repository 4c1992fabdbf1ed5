import torch
from torch import nn

L, d, users = 96, 12_288, 10_000  # GPT-3 175B; modules on the "meta" device allocate no memory


def trainable(modules):
    return sum(p.numel() for module in modules for p in module.parameters() if p.requires_grad)


with torch.device("meta"):
    # LoRA on W_q and W_k of every layer: A (d -> 2) and B (2 -> d), no biases
    lora = [nn.Linear(d, 2, bias=False) for _ in range(2 * L)] + [nn.Linear(2, d, bias=False) for _ in range(2 * L)]
    # two adapters per layer: down-projection d -> 2 and up-projection 2 -> d, with biases
    adapters = [nn.Sequential(nn.Linear(d, 2), nn.ReLU(), nn.Linear(2, d)) for _ in range(2 * L)]
    # prefix-layer tuning: 4 + 4 virtual tokens, one activation each at every layer ...
    prefix = nn.ParameterList([nn.Parameter(torch.empty(4 + 4, d)) for _ in range(L)])
    # ... or a key and a value each, as a past_key_values cache stores them
    prefix_kv = nn.ParameterList([nn.Parameter(torch.empty(2, 4 + 4, d)) for _ in range(L)])

assert trainable(lora) == trainable([prefix]) == 9_437_184
assert trainable(adapters) == 11_796_864
assert trainable([prefix_kv]) == 18_874_368
assert trainable(lora) * users == 94_371_840_000
