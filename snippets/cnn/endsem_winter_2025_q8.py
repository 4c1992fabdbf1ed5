from dlref.cnn import conv2d_parameter_count, depthwise_separable_parameter_count

# The givens, as the question states them.
C_in, C_out, kernel = 32, 64, (3, 3)

depthwise = conv2d_parameter_count(C_in, C_in, kernel_size=kernel, groups=C_in, bias=False)  # one 3x3 filter per channel
pointwise_kernel = (1, 1)
pointwise = conv2d_parameter_count(C_in, C_out, kernel_size=pointwise_kernel, bias=False)    # 1x1 mixing of channels
separable = depthwise_separable_parameter_count(C_in, C_out, kernel_size=kernel, bias=False)
assert (depthwise.total, pointwise.total) == (288, 2_048)
assert separable.total == 288 + 2_048 == 2_336

options = {"a": 2_336, "b": 1_152, "c": 896, "d": 448}
answer = [letter for letter, count in options.items() if count == separable.total]
assert answer == ["a"]

# Other counts a student might produce; none of them is (b), (c) or (d).
with_biases = depthwise_separable_parameter_count(C_in, C_out, kernel).total
standard = conv2d_parameter_count(C_in, C_out, kernel, bias=False).total
variants = [with_biases, standard, depthwise.total, pointwise.total]
assert variants == [2_432, 18_432, 288, 2_048]
assert standard // separable.total == 7      # about eight times more (7.9)
assert not {options["b"], options["c"], options["d"]} & set(variants)
