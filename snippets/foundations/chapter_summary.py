import torch

from dlref.foundations import BYTES_PER_ELEMENT

# Bytes per element of the formats mixed precision uses, from dlref and from PyTorch.
bytes_per_element = {name: BYTES_PER_ELEMENT[name] for name in ("float32", "bfloat16", "float16")}
assert bytes_per_element == {name: torch.empty(0, dtype=getattr(torch, name)).element_size()
                             for name in bytes_per_element}
