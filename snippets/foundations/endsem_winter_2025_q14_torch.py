import numpy as np
import torch
from torch import nn

# nn.BatchNorm1d trained on the same N(0, 1) batches, then shown drifted data.
rng = np.random.default_rng(0)
bn = nn.BatchNorm1d(3, momentum=0.1).double()
with torch.no_grad():
    bn.weight.fill_(2.0)
    bn.bias.fill_(1.0)
bn.train()
for _ in range(200):
    bn(torch.from_numpy(rng.standard_normal((32, 3))))
test = torch.from_numpy(3.0 + 2.0 * rng.standard_normal((64, 3)))

# Train mode normalises with the batch's own statistics (functional form: the buffers stay as they are).
train_out = nn.functional.batch_norm(test, None, None, bn.weight, bn.bias, training=True)
assert abs(train_out.mean().item() - 1.0) < 1e-9      # beta

bn_eval = bn.eval()
x = test.clone().requires_grad_()
eval_out = bn_eval(x)
assert abs(eval_out.mean().item() - 6.95) < 0.01      # far from beta = 1: the running stats are stale

# (a) weight and bias are used in eval mode; (c) gradients flow; (d) no batch statistics are used.
plain = (test - bn_eval.running_mean) / torch.sqrt(bn_eval.running_var + bn_eval.eps)
assert torch.allclose(eval_out, 2.0 * plain + 1.0)
eval_out[0, 0].backward()
assert x.grad[0, 0] > 0
assert torch.allclose(bn_eval(test[:1]), eval_out[:1])
