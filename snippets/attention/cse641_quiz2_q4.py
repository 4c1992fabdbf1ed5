from dlref.attention import multi_head_attention_parameter_count, self_attention_macs

# The Transformer-base sizes: n = 512 positions, d_model = 512, h = 8 heads of d_k = 64.
n, d_model, h = 512, 512, 8
d_k = d_model // h
assert d_k == 64

single = self_attention_macs(n, d_model, num_heads=1)             # one head of width 512
multi = self_attention_macs(n, d_model, num_heads=h)              # eight heads of width 64
full_width = self_attention_macs(n, d_model, num_heads=h, d_head=d_model)  # (c): eight heads of width 512
projection_matrices = multi.projections // (n * d_model * d_model)
attention_products = (multi.scores + multi.weighted_sum) // (n * n * d_model)
assert (projection_matrices, attention_products) == (4, 2)
assert multi == single                                            # every term: h * (d/h) = d
assert (multi.total, single.total) == (805_306_368, 805_306_368)
assert full_width.scores == h * single.scores                     # the n^2 terms grow h-fold
ratio = full_width.total / single.total
assert ratio == 8.0

# The projections are the same four d x d matrices whatever h is.
params_single = multi_head_attention_parameter_count(d_model, 1).total
params_multi = multi_head_attention_parameter_count(d_model, h).total
assert params_single == params_multi == 1_050_624

options = {
    "a": "wrong: the heads are independent and run in parallel (one batched matrix product)",
    "b": multi.total == single.total,
    "c": full_width.total == multi.total,          # this is what (c) describes, and it is not the cost
    "d": params_multi == 0,                        # the projections are still there
}
answer = [letter for letter, fact in options.items() if fact is True]
assert answer == ["b"]
