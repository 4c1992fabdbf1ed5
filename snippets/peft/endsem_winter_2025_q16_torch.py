import torch

# PyTorch's own per-tensor quantizer on 100,000 activations z ~ N(0, 1), 8 bits over [-4, 4].
z = torch.randn(100_000, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
bits = 8
scale = 8.0 / (2 ** bits - 1)
zero_point = round(4.0 / scale)
noise = z - torch.fake_quantize_per_tensor_affine(z.float(), scale, zero_point, 0, 2 ** bits - 1).double()
inside = z.abs() < 3.9                                                # the clipped tails aside
assert abs(noise[inside].var().item() / (scale ** 2 / 12) - 1) < 0.02  # sigma_n^2 = Delta^2 / 12
snr_db = 10 * torch.log10(z.var() / noise[inside].var()).item()
assert 39 < snr_db < 42                                               # about 6 dB per bit

# Rescaling the activations (and the quantizer's scale) leaves the integer codes, hence I_Q, unchanged.
quantized = torch.fake_quantize_per_tensor_affine(z.float(), scale, zero_point, 0, 2 ** bits - 1)
quantized_scaled = torch.fake_quantize_per_tensor_affine(1000 * z.float(), 1000 * scale, zero_point, 0, 2 ** bits - 1)
codes, codes_scaled = torch.round(quantized / scale), torch.round(quantized_scaled / (1000 * scale))
assert torch.equal(codes, codes_scaled)
