import copy

import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=2, hidden_size=3, batch_first=True)
batch1, batch2 = torch.randn(1, 5, 2), torch.randn(1, 5, 2)
_, (h, c) = lstm(batch1)                     # the state carried over from the previous batch


def apply_option(option):
    """Do what the option does, then run the next batch; return (model, state used, output)."""
    model, state = copy.deepcopy(lstm), (h.clone(), c.clone())
    if option == "a":
        model.reset_parameters()             # re-initialises the *weights*
    elif option == "b":
        model.zero_grad()                    # clears the parameters' gradients
    elif option == "c":
        state[0].detach_(), state[1].detach_()   # cuts the graph; the values stay
    elif option == "d":
        state = None                         # nn.LSTM then starts from zeros
    output, _ = model(batch2, state)
    return model, state, output


def resets_the_state(option):
    model, _, output = apply_option(option)
    from_zero_state, _ = model(batch2, None)
    return torch.allclose(output, from_zero_state)


answer = [option for option in "abcd" if resets_the_state(option)]
assert answer == ["d"]

# What detach_() does instead: same values, no path back into batch1 (truncated BPTT).
_, (h_detached, _), output = apply_option("c")
assert torch.equal(h_detached, h) and not h_detached.requires_grad
output.sum().backward()
assert h_detached.grad is None

PRINTED_KEY = "c"
assert answer != [PRINTED_KEY]
