import numpy as np

from dlref.peft import absmax_quantize, bits_per_parameter, dequantize, nf4_codebook

# The givens: a 2-bit code book (4 values in [-1, 1]) and a tensor of 4 values, one block.
bits = 2
codebook = [-1, -0.2, 0.6, 1]
assert len(codebook) == 2 ** bits
x = np.array([-48, -3, 38, 50])

quantized = absmax_quantize(x, codebook)
constant = quantized.constants[0]             # c = max |x|, stored once per block (FP32)
scaled = x / constant                         # x / c lies in [-1, 1]
indices = quantized.indices.tolist()          # nearest code for each scaled value
codes = [format(i, "02b") for i in indices]   # 2 bits each
x_hat = dequantize(quantized)                 # q[index] * c
error = x - x_hat
assert constant == 50
assert np.allclose(scaled, [-0.96, -0.06, 0.76, 1.0])
assert indices == [0, 1, 2, 3] and codes == ["00", "01", "10", "11"]
assert x_hat.tolist() == [-50, -10, 30, 50]
assert error.tolist() == [2, 7, 8, 0]

# Why -3 goes to -0.2 and 38 to 0.6: distances of each scaled value to the four codes.
distances = np.abs(scaled[:, None] - np.array(codebook)[None, :])
assert np.allclose(distances[1], [0.94, 0.14, 0.66, 1.06])
assert np.allclose(distances[2], [1.76, 0.96, 0.16, 0.24])

# Storage of this block: 4 indices of 2 bits and one 32-bit constant.
constant_bits = 32
stored_bits = len(indices) * bits + constant_bits
assert stored_bits == 40
fp16_bits = len(x) * 16
assert fp16_bits == 64

# QLoRA's real format, NF4: 16 normal-quantile codes, blocks of 64, constants double-quantized.
nf4_code_bits, nf4_block = 4, 64
double_quant_bits, double_quant_block = 8, 256
nf4 = nf4_codebook()
nf4_bits = bits_per_parameter(nf4_code_bits, block_size=nf4_block, constant_bits=constant_bits)
nf4_double_bits = bits_per_parameter(nf4_code_bits, block_size=nf4_block, constant_bits=constant_bits,
                                     double_quant_block=double_quant_block,
                                     double_quant_bits=double_quant_bits)
assert len(nf4) == 2 ** nf4_code_bits == 16 and nf4[0] == -1 and nf4[-1] == 1 and 0 in nf4
assert nf4_bits == 4.5
assert round(nf4_double_bits, 3) == 4.127
