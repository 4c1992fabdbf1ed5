from dlref.peft import (GPT3_175B, adapter_parameter_count, lora_parameter_count,
                        prefix_parameter_count)

# GPT-3 175B (Brown et al. 2020, Table 2.1): 96 layers of width 12,288.
L, d = GPT3_175B.layers, GPT3_175B.d_model
assert (L, d) == (96, 12_288)
users = 10_000

# The counting rules of the LoRA paper (Hu et al. 2021, Section 5.1), whose baselines this question uses.
# 1. Prefix-layer tuning: l_p prefix and l_i infix tokens, one trained activation per token and layer.
prefix_length, infix_length = 4, 4
P = prefix_length + infix_length
prefix = prefix_parameter_count(d, L, P, keys_and_values=False)      # L d (l_p + l_i)
# 2. LoRA of rank 2 on the query and the key matrix (d x d) of every layer.
r, lora_matrices_per_layer = 2, 2
lora = lora_parameter_count(r, d, d, matrices=lora_matrices_per_layer * L)   # 2 L_LoRA d r
# 3. Houlsby adapters, two per layer, bottleneck ("projection dimension") 2, with biases.
m, adapters_per_layer = 2, 2
adapter = adapter_parameter_count(d, m, adapters=adapters_per_layer * L)    # L_Adpt (2 d m + m + d)

assert prefix == L * d * P == 9_437_184
assert lora == 2 * (lora_matrices_per_layer * L) * d * r == 9_437_184
assert adapter == adapters_per_layer * L * (2 * d * m + m + d) == 11_796_864

per_user = {"LoRA": lora, "prefix-tuning": prefix, "adapters": adapter}
cheapest = sorted(name for name, count in per_user.items() if count == min(per_user.values()))
assert cheapest == ["LoRA", "prefix-tuning"]
rows = [(name, count, count * users) for name, count in per_user.items()]
assert rows[2] == ("adapters", 11_796_864, 117_968_640_000)
adapter_extra = adapter / lora - 1                                   # the biases, per 2dm weights
assert round(100 * adapter_extra) == 25

# The same rules give the counts the LoRA paper reports for GPT-3 (its Table 4): LoRA of rank 1 on
# W_q and W_v, 4.7M; Houlsby adapters of bottleneck 1, two per layer, 7.1M.
paper_rank = 1
paper_lora = lora_parameter_count(paper_rank, d, d, matrices=2 * L)
paper_adapter = adapter_parameter_count(d, paper_rank, adapters=2 * L)
assert round(paper_lora / 1e6, 1) == 4.7 and round(paper_adapter / 1e6, 1) == 7.1

# Other readings: a key and a value per virtual token and layer (how implementations store a prefix),
# adapters without biases.
prefix_kv = prefix_parameter_count(d, L, P, keys_and_values=True)
adapter_no_bias = adapter_parameter_count(d, m, adapters=adapters_per_layer * L, bias=False)
assert prefix_kv == 18_874_368 and adapter_no_bias == 9_437_184

# Stored in FP16 (2 bytes each), for all users; and against GPT-3's own 175B parameters.
gpt3_parameters = 175e9
lora_all_gb = lora * users * 2 / 1e9
lora_share = lora / gpt3_parameters
assert round(lora_all_gb, 1) == 188.7 and round(100 * lora_share, 4) == 0.0054

# Per layer, which is what each method adds to one transformer block.
lora_per_layer, adapter_per_layer, prefix_per_layer = lora // L, adapter // L, prefix // L
assert (lora_per_layer, adapter_per_layer, prefix_per_layer) == (98_304, 122_884, 98_304)
assert lora_per_layer == prefix_per_layer == adapter_no_bias // L == 8 * d
