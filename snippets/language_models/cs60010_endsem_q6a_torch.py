import torch

torch.manual_seed(0)
vocab, beam, steps = 1_000, 10, 4
W = torch.randn(vocab, vocab)                 # a toy "decoder": next-token logits from the last token

beams = [([0], 0.0)]                          # (tokens, log-probability), starting from <s>
scored = []                                   # how many hypotheses got a log-probability per step
for _ in range(steps):
    candidates = []
    for tokens, logp in beams:
        log_probs = torch.log_softmax(W[tokens[-1]], dim=-1)
        top = torch.topk(log_probs, beam)     # each hypothesis proposes its k best next words
        candidates += [(tokens + [i], logp + v) for v, i in zip(top.values.tolist(), top.indices.tolist())]
    scored.append(len(candidates))
    beams = sorted(candidates, key=lambda c: c[1], reverse=True)[:beam]   # keep the best k

assert scored == [10, 100, 100, 100] and sum(scored) == 310
