from dlref.peft import GPT3_175B, bits_per_parameter, nf4_codebook

# The numbers the chapter's summary table states, from dlref.
L, d = GPT3_175B.layers, GPT3_175B.d_model
nf4 = nf4_codebook()
nf4_block, double_quant_block, constant_bits, double_quant_bits = 64, 256, 32, 8
assert (L, d, len(nf4)) == (96, 12_288, 16)
assert (nf4[0], nf4[-1]) == (-1, 1) and 0 in nf4
assert bits_per_parameter(4, nf4_block, constant_bits) == 4 + constant_bits / nf4_block
