import numpy as np

from dlref.peft import (gaussian_channel_capacity, quantization_noise_variance, quantization_step,
                        uniform_quantize)

# Per-tensor quantization of one layer's activations z ~ N(0, 1) to b bits over [-4, 4].
b, low, high = 8, -4.0, 4.0
variance_z = 1.0
step = quantization_step(b, low, high)                      # Delta = 8 / 255
noise_variance = quantization_noise_variance(step)          # sigma_n^2 = Delta^2 / 12
snr = variance_z / noise_variance
capacity = float(gaussian_channel_capacity(snr))            # bits one noisy activation can carry
assert round(step, 4) == 0.0314 and round(snr) == 12_192 and round(capacity, 2) == 6.79

# The model holds: inside the range (no clipping) the rounding error has variance Delta^2 / 12.
z = np.random.default_rng(0).normal(size=100_000)
inside = np.abs(z) < 3.9
measured_noise = np.var(z[inside] - uniform_quantize(z[inside], b, low, high))
assert abs(measured_noise / noise_variance - 1) < 0.02

# One more bit: the step halves, the noise variance quarters, the capacity grows by one bit.
snr_9 = variance_z / quantization_noise_variance(quantization_step(b + 1, low, high))
gain = float(gaussian_channel_capacity(snr_9)) - capacity
assert round(snr_9 / snr, 2) == 4.02 and round(gain, 2) == 1.0
db_per_bit = 10 * np.log10(snr_9 / snr)
assert round(db_per_bit, 1) == 6.0

# Option (a)'s H(noise) = log2(Delta) depends on the units: rescale the layer by c (and the next layer
# by 1/c) and the network, its quantized codes and I_Q are unchanged, but the "bound" moves by log2(c).
c = 1000.0
codes = np.round(z / step)
codes_scaled = np.round(c * z / (c * step))
entropy_noise = np.log2(step)
entropy_noise_scaled = np.log2(c * step)
assert np.array_equal(codes, codes_scaled)
assert round(entropy_noise, 2) == -4.99 and round(entropy_noise_scaled, 2) == 4.97
shift = entropy_noise_scaled - entropy_noise
assert round(shift, 2) == 9.97

# Option (b): the quantized weights take 2^b values (atoms), the original ones have a density, so
# KL(p_W || p_Q) is infinite and the "bound" is -infinity, below I_Q >= 0.
levels = 2 ** b
assert levels == 256

options = {
    "a": ("wrong: the differential entropy log2(Delta) of the noise has units; rescaling a layer moves it "
          "by log2(c) while I_Q stays"),
    "b": "wrong: a density against 2^b atoms gives an infinite KL divergence, a bound of minus infinity",
    "c": ("wrong: its surviving pieces (a distance between densities, a step size) carry units, which an "
          "information bound cannot"),
    "d": ("right: the additive-noise model makes each quantized activation a Gaussian channel, "
          "1/2 log2(1 + SNR) with SNR quadrupling per bit"),
}
answer = [letter for letter, verdict in options.items() if verdict.startswith("right")]
assert answer == ["d"]
