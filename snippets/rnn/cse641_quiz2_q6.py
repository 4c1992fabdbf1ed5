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


def what_it_does(option):
    model, state, output = apply_option(option)
    from_zero_state, _ = model(batch2, None)
    keeps_values = state is not None and torch.equal(state[0], h) and torch.equal(state[1], c)
    stops_gradients = state is None or not (state[0].requires_grad or state[1].requires_grad)
    return {"starts from zeros": torch.allclose(output, from_zero_state),
            "keeps the values, stops the gradients": keeps_values and stops_gradients}


options = {option: what_it_does(option) for option in "abcd"}

# "Reset" has two readings; each picks one option.
readings = {reading: [option for option, facts in options.items() if facts[fact]]
            for reading, fact in (("truncated BPTT", "keeps the values, stops the gradients"),
                                  ("zero state", "starts from zeros"))}
assert readings == {"truncated BPTT": ["c"], "zero state": ["d"]}
answer = sorted(set(readings["truncated BPTT"]) | set(readings["zero state"]))   # right under one reading each

PRINTED_KEY = "c"
assert readings["truncated BPTT"] == [PRINTED_KEY] and readings["zero state"] != [PRINTED_KEY]

# What detach_() does: same values, no path back into batch1 (truncated BPTT).
_, (h_detached, _), output = apply_option("c")
assert torch.equal(h_detached, h) and not h_detached.requires_grad
output.sum().backward()
assert h_detached.grad is None
