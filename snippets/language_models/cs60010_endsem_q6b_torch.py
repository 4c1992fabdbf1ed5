import torch

probs = torch.tensor([0.30, 0.20, 0.15, 0.10, 0.08, 0.06, 0.05, 0.03, 0.02, 0.01], dtype=torch.float64)
logits = probs.log()

# top-k as the Hugging Face logits warper does it: everything below the k-th largest logit -> -inf
kth = torch.topk(logits, 5).values[-1]
top_k = logits.masked_fill(logits < kth, float("-inf")).softmax(-1)

# top-p likewise: sort ascending, drop the tokens whose cumulative mass is at most 1 - p
sorted_logits, order = torch.sort(logits)
drop_sorted = sorted_logits.softmax(-1).cumsum(-1) <= 1 - 0.6
drop = drop_sorted.scatter(0, order, drop_sorted)
top_p = logits.masked_fill(drop, float("-inf")).softmax(-1)

assert torch.allclose(top_k, torch.tensor([.3614, .2410, .1807, .1205, .0964, 0, 0, 0, 0, 0],
                                          dtype=torch.float64), atol=5e-5)
assert torch.allclose(top_p, torch.tensor([.4615, .3077, .2308, 0, 0, 0, 0, 0, 0, 0],
                                          dtype=torch.float64), atol=5e-5)
