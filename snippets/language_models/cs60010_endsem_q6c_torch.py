import torch

words = ["I", "went", "to", "the", "store"]
vocab = words + ["<mask>"] + [f"<extra_id_{i}>" for i in range(3)]
ids = torch.arange(5)                         # token ids of "I went to the store"
MASK, SENTINEL = 5, 6
text = lambda t: " ".join(vocab[i] for i in t.tolist())

# token masking: one <mask> per chosen token (masked_fill keeps the length)
chosen = torch.tensor([False, True, False, False, True])
assert text(ids.masked_fill(chosen, MASK)) == "I <mask> to the <mask>"

# span masking on a boolean mask: keep the first token of each masked run, drop the rest of it
def collapse(ids, span, fill):
    starts = span & ~torch.cat([torch.tensor([False]), span[:-1]])   # first token of each span
    fills = fill(starts.cumsum(0) - 1)                                # one placeholder per span
    out = torch.where(starts, fills, ids)
    return out[~span | starts], starts

span = torch.tensor([False, True, True, False, False])             # 'went to'
infilled, _ = collapse(ids, span, lambda n: torch.full_like(n, MASK))
infilled = torch.cat([infilled[:3], torch.tensor([MASK]), infilled[3:]])   # a zero-length span
assert text(infilled) == "I <mask> the <mask> store"

span = torch.tensor([False, True, True, False, True])              # 'went to', 'store'
t5_input, starts = collapse(ids, span, lambda n: SENTINEL + n)
assert text(t5_input) == "I <extra_id_0> the <extra_id_1>"
kept, _ = collapse(ids, ~span, lambda n: SENTINEL + n)   # the complement, collapsed, gives the target
target = torch.cat([kept, torch.tensor([SENTINEL + int(starts.sum())])])   # (the text starts unmasked)
assert text(target) == "<extra_id_0> went to <extra_id_1> store <extra_id_2>"
