from dlref.cnn import conv2d_parameter_count, depthwise_separable_parameter_count

depthwise = conv2d_parameter_count(32, 32, kernel_size=3, groups=32, bias=False)  # one 3x3 filter per channel
pointwise = conv2d_parameter_count(32, 64, kernel_size=1, bias=False)             # 1x1 mixing of channels
separable = depthwise_separable_parameter_count(32, 64, kernel_size=3, bias=False)
assert (depthwise.total, pointwise.total) == (288, 2_048)
assert separable.total == 288 + 2_048 == 2_336

options = {"a": 2_336, "b": 1_152, "c": 896, "d": 448}
answer = [letter for letter, count in options.items() if count == separable.total]
assert answer == ["a"]

# Other counts a student might produce; none of them is (b), (c) or (d).
variants = {
    "with biases": depthwise_separable_parameter_count(32, 64, 3).total,
    "standard 3x3 conv": conv2d_parameter_count(32, 64, 3, bias=False).total,
    "depthwise only": depthwise.total,
    "pointwise only": pointwise.total,
}
assert variants == {"with biases": 2_432, "standard 3x3 conv": 18_432,
                    "depthwise only": 288, "pointwise only": 2_048}
assert not {1_152, 896, 448} & set(variants.values())
