from dlref.generative import gan_generator_gradients

# The working as the scan shows it: "d/dp [-log p] = 1/p, which -> infinity as p -> 0".
p = 0.01


def printed_ns_derivative(q):
    return 1 / q


printed = printed_ns_derivative(p)
computed = gan_generator_gradients(p)["non-saturating"]
assert computed != printed_ns_derivative(p)          # the sign: d/dp(-log p) = -1/p
assert computed == -printed_ns_derivative(p)          # the magnitude 1/p, which the key rests on, is right
