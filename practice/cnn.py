"""Same question, new numbers: the CNN chapter's variants (sitecontract/practice.py explains the format).

Each variant's answer is computed here by the dlref function the worked solution uses; its ``check``
recomputes it with PyTorch (a module or functional op run on zeros, its parameters counted, FLOPs
counted by ``torch.utils.flop_counter``, or autograd for a gradient), independently of dlref.
"""


import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dlref.cnn import (VGG_CONFIGS, conv2d, conv2d_multiplications, conv2d_output_shape,
                       conv2d_parameter_count, conv2d_weight_gradient, conv_output_size,
                       conv_transpose2d, conv_transpose_output_size, deconvnet_saliency,
                       depthwise_separable_multiplications, depthwise_separable_parameter_count,
                       max_pool2d, pool2d_output_shape, preactivation_block_table,
                       preactivation_bottleneck_table, receptive_field, residual_input_gradient,
                       vgg_layer_table)
from sitecontract.practice import Variant, bmatrix, number, shape, vector

DTYPE = torch.float64   # the checks compare integer counts and exact sums: float64 keeps them exact





def _multiplications(x, weight, stride=1, padding=0, dilation=1, groups=1):
    """Run a convolution on ones, with the padding filled with ones too and all weights one: every
    product is 1, so each output value is the number of multiplications it took. Returns
    ``(total multiplications, output)``. (PyTorch's FLOP counter would do, but its first use costs seconds.)"""
    ones = F.pad(torch.ones_like(x), (padding,) * 4, value=1.0)
    counted = F.conv2d(ones, torch.ones_like(weight), stride=stride, dilation=dilation, groups=groups)
    return int(counted.sum()), F.conv2d(x, weight, stride=stride, padding=padding, dilation=dilation, groups=groups)


# ---------------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------------

def _dilated_output_check(n, k, d, expected):
    def check():
        out = F.conv2d(torch.zeros(1, 1, n, n, dtype=DTYPE), torch.zeros(1, 1, k, k, dtype=DTYPE), dilation=d)
        assert tuple(out.shape[2:]) == (expected, expected), (out.shape, expected)
    return check


def dilated_conv_output():
    found = []
    for n, k, d in [(9, 3, 2), (12, 3, 3), (16, 5, 2)]:
        span = d * (k - 1) + 1
        size = conv_output_size(n, kernel_size=k, dilation=d)
        found.append(Variant(
            givens=f"A ${k} \\times {k}$ convolution with dilation {d} over a ${n} \\times {n}$ input "
                   f"(stride 1, no padding). What is the output size?",
            answer=f"${shape(size, size)}$",
            working=f"Span $d(k-1)+1 = {span}$; it fits ${n} - {span} + 1 = {size}$ times along each axis.",
            check=_dilated_output_check(n, k, d, size)))
    return found


def _small_cnn_check(image, channels, f1, k1, f2, k2, expected_shapes, expected_params):
    def check():
        layers = [torch.nn.Conv2d(channels, f1, k1, padding="same", dtype=DTYPE), torch.nn.MaxPool2d(2, 2),
                  torch.nn.Conv2d(f1, f2, k2, dtype=DTYPE), torch.nn.MaxPool2d(2, 2)]
        x = torch.zeros(1, channels, image, image, dtype=DTYPE)
        for layer, expected in zip(layers, expected_shapes):
            x = layer(x)
            assert (x.shape[2], x.shape[3], x.shape[1]) == expected, (x.shape, expected)
        assert sum(p.numel() for p in layers[0].parameters()) == expected_params
    return check


def small_cnn_shapes():
    found = []
    for image, channels, f1, k1, f2, k2 in [(64, 3, 8, 3, 16, 5), (96, 1, 32, 7, 64, 3), (100, 3, 12, 5, 24, 3)]:
        conv1 = conv2d_output_shape((image, image), kernel_size=k1, padding="same")
        pool1 = pool2d_output_shape(conv1, kernel_size=2, stride=2)
        conv2 = conv2d_output_shape(pool1, kernel_size=k2, padding="valid")
        pool2 = pool2d_output_shape(conv2, kernel_size=2, stride=2)
        shapes = [(*conv1, f1), (*pool1, f1), (*conv2, f2), (*pool2, f2)]
        flattened = pool2[0] * pool2[1] * f2
        params = conv2d_parameter_count(channels, f1, kernel_size=k1)
        found.append(Variant(
            givens=f"The same network on a ${image} \\times {image}$ image with {channels} channel(s): conv "
                   f"{f1} filters ${k1} \\times {k1}$ `'same'`, max pool $2 \\times 2$ stride 2, conv {f2} "
                   f"filters ${k2} \\times {k2}$ `'valid'`, max pool $2 \\times 2$ stride 2, flatten. Give "
                   f"the four shapes, the flattened size and the first conv layer's parameters.",
            answer=" → ".join(f"${shape(*s)}$" for s in shapes)
                   + f"; flatten ${number(flattened)}$; first conv ${number(params.total)}$ parameters "
                   f"(${number(params.weights)}$ weights, ${number(params.biases)}$ biases)",
            working=f"`'valid'`: ${pool1[0]} - {k2} + 1 = {conv2[0]}$; pooling floors: "
                    f"$\\lfloor ({conv2[0]} - 2)/2 \\rfloor + 1 = {pool2[0]}$.",
            check=_small_cnn_check(image, channels, f1, k1, f2, k2, shapes, params.total)))
    return found


def _dilation_effect_check(k, channels, size, dilations, fields, params, per_output, valid_sizes):
    def check():
        torch.manual_seed(0)
        for d, field, valid in zip(dilations, fields, valid_sizes):
            conv = nn.Conv2d(channels, channels, k, padding=d * (k - 1) // 2, dilation=d, dtype=DTYPE)
            assert sum(p.numel() for p in conv.parameters()) == params
            # the receptive field by autograd: the span of input columns that reach the centre output
            x = torch.zeros(1, channels, size, size, dtype=DTYPE, requires_grad=True)
            conv(x)[0, 0, size // 2, size // 2].backward()
            touched = torch.nonzero(x.grad[0].abs().sum(dim=(0, 1))).flatten()
            assert int(touched.max() - touched.min()) + 1 == field, (d, touched)
            mults, out = _multiplications(torch.zeros(1, channels, size, size, dtype=DTYPE), conv.weight.detach(),
                                          dilation=d)   # no padding
            assert out.shape[-1] == valid
            assert mults == per_output * out[0].numel()
    return check


def dilation_effect():
    found = []
    for k, channels, size, dilations in [(3, 32, 16, (1, 3)), (5, 16, 20, (1, 2)), (3, 8, 28, (2, 6))]:
        fields = [receptive_field([k], dilations=[d]) for d in dilations]
        params = [conv2d_parameter_count(channels, channels, kernel_size=k).total for _ in dilations]
        # with 'same' padding d(k-1)/2 the map keeps its size: divide by its outputs
        per_output = [conv2d_multiplications(size, channels, channels, k, padding=d * (k - 1) // 2, dilation=d)
                      // (size * size * channels) for d in dilations]
        valid_sizes = [conv_output_size(size, k, dilation=d) for d in dilations]
        assert len(set(params)) == 1 and len(set(per_output)) == 1   # dilation changes neither
        d1, d2 = dilations
        found.append(Variant(
            givens=f"A ${k} \\times {k}$ convolution with {channels} input and {channels} output channels "
                   f"(with biases, stride 1) on a ${shape(size, size)}$ map. Going from dilation {d1} to "
                   f"dilation {d2}, what becomes of the receptive field of one output (per axis), the number "
                   f"of parameters, the multiplications per output value, and the output size without "
                   f"padding?",
            answer=f"Receptive field ${fields[0]} \\to {fields[1]}$; parameters ${number(params[0])}$ for both; "
                   f"${number(per_output[0])}$ multiplications per output for both; output without padding "
                   f"${shape(valid_sizes[0], valid_sizes[0])} \\to {shape(valid_sizes[1], valid_sizes[1])}$.",
            working=f"Span $d(k-1)+1$: ${d1} \\cdot {k - 1} + 1 = {fields[0]}$ and ${d2} \\cdot {k - 1} + 1 = "
                    f"{fields[1]}$; parameters $k^2 C^2 + C = {k * k} \\cdot {number(channels ** 2)} + {channels}"
                    f" = {number(params[0])}$, no $d$ in it; per output $k^2 C = {number(per_output[0])}$.",
            check=_dilation_effect_check(k, channels, size, dilations, fields, params[0], per_output[0],
                                         valid_sizes)))
    return found


# ---------------------------------------------------------------------------------------------
# Parameter and multiplication counts
# ---------------------------------------------------------------------------------------------

def _separable_parameters_check(c_in, c_out, k, expected):
    def check():
        separable = nn.Sequential(nn.Conv2d(c_in, c_in, k, groups=c_in, bias=False),   # depthwise
                                  nn.Conv2d(c_in, c_out, 1, bias=False))                # pointwise
        assert sum(p.numel() for p in separable.parameters()) == expected
    return check


def separable_parameters():
    found = []
    for c_in, c_out, k in [(16, 32, 3), (64, 128, 3), (24, 48, 5)]:
        depthwise = conv2d_parameter_count(c_in, c_in, kernel_size=k, groups=c_in, bias=False)
        pointwise = conv2d_parameter_count(c_in, c_out, kernel_size=1, bias=False)
        separable = depthwise_separable_parameter_count(c_in, c_out, kernel_size=k, bias=False)
        standard = conv2d_parameter_count(c_in, c_out, kernel_size=k, bias=False)
        found.append(Variant(
            givens=f"How many parameters (weights only, no biases) has a depthwise separable convolution "
                   f"with $C_\\text{{in}} = {c_in}$, $C_\\text{{out}} = {c_out}$ and a ${k} \\times {k}$ kernel?",
            answer=f"${number(separable.total)}$ (depthwise ${number(depthwise.total)}$ + pointwise "
                   f"${number(pointwise.total)}$)",
            working=f"${c_in} \\cdot {k} \\cdot {k} + {c_in} \\cdot {c_out} = {number(depthwise.total)} + "
                    f"{number(pointwise.total)}$; a standard convolution would need ${number(standard.total)}$.",
            check=_separable_parameters_check(c_in, c_out, k, separable.total)))
    return found


def _separable_multiplications_check(image, c_in, k, stride, padding, c_out, middle_hw, mults):
    def check():
        depthwise = nn.Conv2d(c_in, c_in, k, stride=stride, padding=padding, groups=c_in, bias=False, dtype=DTYPE)
        pointwise = nn.Conv2d(c_in, c_out, 1, bias=False, dtype=DTYPE)
        depthwise_mults, middle = _multiplications(torch.zeros(1, c_in, image, image, dtype=DTYPE),
                                                   depthwise.weight.detach(),
                                                   stride=stride, padding=padding, groups=c_in)
        pointwise_mults, out = _multiplications(middle, pointwise.weight.detach())
        assert tuple(middle.shape[2:]) == middle_hw and tuple(out.shape[1:]) == (c_out, *middle_hw)
        assert (depthwise_mults, pointwise_mults) == mults
    return check


def separable_multiplications():
    found = []
    for image, c_in, k, stride, padding, c_out in [(32, 3, 3, 1, 1, 8), (64, 4, 5, 1, 0, 16),
                                                    (50, 3, 4, 2, 1, 6)]:
        middle_hw = conv2d_output_shape((image, image), kernel_size=k, stride=stride, padding=padding)
        mults = depthwise_separable_multiplications((image, image), in_channels=c_in, out_channels=c_out,
                                                    kernel_size=k, stride=stride, padding=padding)
        side = middle_hw[0]
        found.append(Variant(
            givens=f"An image of shape ${shape(image, image, c_in)}$ goes through a depthwise separable "
                   f"convolution with ${k} \\times {k}$ filters, stride {stride}, padding {padding} and "
                   f"{c_out} output channels; the padding and stride act in the depthwise step only. What "
                   f"are the output sizes after the depthwise and after the pointwise step, and how many "
                   f"multiplications does each step take?",
            answer=f"Depthwise ${shape(side, side, c_in)}$, pointwise ${shape(side, side, c_out)}$; "
                   f"${number(mults.depthwise)} + {number(mults.pointwise)} = {number(mults.total)}$ "
                   f"multiplications.",
            working=f"$\\lfloor ({image} + 2 \\cdot {padding} - {k})/{stride} \\rfloor + 1 = {side}$; depthwise "
                    f"${side} \\cdot {side} \\cdot {c_in} \\cdot {k * k}$, pointwise "
                    f"${side} \\cdot {side} \\cdot {c_out} \\cdot {c_in}$.",
            check=_separable_multiplications_check(image, c_in, k, stride, padding, c_out, middle_hw,
                                                   tuple(mults))))
    return found


def _group_conv_check(c_in, c_out, groups, k, weights, standard, nudged, reached):
    def check():
        torch.manual_seed(0)
        grouped = nn.Conv2d(c_in, c_out, k, groups=groups, bias=False, dtype=DTYPE)
        assert grouped.weight.numel() == weights
        assert nn.Conv2d(c_in, c_out, k, bias=False).weight.numel() == standard
        # which outputs depend on input channel `nudged`? autograd answers exactly
        x = torch.randn(1, c_in, 8, 8, dtype=DTYPE, requires_grad=True)
        moved = [o for o in range(c_out)
                 if torch.autograd.grad(grouped(x)[0, o].sum(), x)[0][0, nudged].abs().sum() > 0]
        assert moved == reached, (moved, reached)
    return check


def group_conv_tradeoff():
    found = []
    for c_in, c_out, groups, k, nudged in [(12, 24, 3, 3, 5), (16, 16, 4, 3, 10), (8, 16, 2, 5, 1)]:
        grouped = conv2d_parameter_count(c_in, c_out, k, groups=groups, bias=False)
        standard = conv2d_parameter_count(c_in, c_out, k, bias=False)
        # nudge one input channel and see which outputs move, as the worked solution does
        rng = np.random.default_rng(0)
        weight = rng.standard_normal((c_out, c_in // groups, k, k))
        x = rng.standard_normal((c_in, 8, 8))
        bumped = x.copy()
        bumped[nudged] += 1.0
        change = np.abs(conv2d(bumped, weight, groups=groups) - conv2d(x, weight, groups=groups))
        reached = np.flatnonzero(change.sum(axis=(1, 2)) > 1e-9).tolist()
        found.append(Variant(
            givens=f"A ${k} \\times {k}$ convolution from {c_in} to {c_out} channels in {groups} groups (no "
                   f"bias). How many weights does it have, against the same convolution without groups? "
                   f"Which output channels depend on input channel {nudged} (channels counted from 0)?",
            answer=f"${number(grouped.weights)}$ weights against ${number(standard.weights)}$ "
                   f"({standard.weights // grouped.weights} times fewer); input channel {nudged} reaches only "
                   f"output channels {reached[0]} to {reached[-1]}.",
            working=f"Each of the {c_out} filters sees ${c_in}/{groups} = {c_in // groups}$ channels: "
                    f"${c_out} \\cdot {c_in // groups} \\cdot {k * k} = {number(grouped.weights)}$; channel "
                    f"{nudged} is in group {nudged // (c_in // groups)}, whose filters are outputs "
                    f"{reached[0]} to {reached[-1]}.",
            check=_group_conv_check(c_in, c_out, groups, k, grouped.weights, standard.weights, nudged,
                                    reached)))
    return found


def _vgg_torch_counts(config, image_size, in_channels, hidden, classes):
    """VGG written out in PyTorch: (weights, biases) of every weight layer. The layers live on the meta
    device (counts without memory); the spatial size is followed on a one-channel zero image."""
    layers, channels, plane = [], in_channels, torch.zeros(1, 1, image_size, image_size, dtype=DTYPE)
    for item in config:
        if item == "M":
            plane = F.max_pool2d(plane, 2)
        else:
            layers.append(nn.Conv2d(channels, item, kernel_size=3, padding=1, device="meta"))
            plane = F.conv2d(plane, torch.zeros(1, 1, 3, 3, dtype=DTYPE), padding=1)
            channels = item
    widths = [channels * plane.numel(), *hidden, classes]
    layers += [nn.Linear(a, b, device="meta") for a, b in zip(widths, widths[1:])]
    return [(m.weight.numel(), m.bias.numel()) for m in layers]


def _vgg_check(config, image_size, in_channels, hidden, classes, expected):
    def check():
        counts = _vgg_torch_counts(config, image_size, in_channels, hidden, classes)
        assert counts == expected, (counts, expected)
    return check


def _vgg_config_text(config):
    return ", ".join("M" if item == "M" else str(item) for item in config)


def vgg_weights_and_biases():
    found = []
    for name, image_size, hidden, classes in [("VGG-11", 224, (4096, 4096), 1000),
                                              ("VGG-13", 64, (1024, 1024), 200),
                                              ("VGG-16", 32, (512, 512), 10)]:
        config = VGG_CONFIGS[name]
        table = vgg_layer_table(name, image_size=image_size, in_channels=3, hidden_features=hidden,
                                num_classes=classes)
        weight_layers = [layer for layer in table if layer.parameters]
        convs = [layer for layer in weight_layers if layer.name.startswith("conv")]
        fcs = [layer for layer in weight_layers if layer.name.startswith("fc")]
        last_pool = [layer for layer in table if layer.name.startswith("pool")][-1].output_shape
        flattened = last_pool[0] * last_pool[1] * last_pool[2]
        rows = "\n".join(f"| {layer.name} | {layer.weights:,} | {layer.biases:,} |" for layer in weight_layers)
        conv_total = sum(layer.parameters for layer in convs)
        fc_total = sum(layer.parameters for layer in fcs)
        found.append(Variant(
            givens=f"How many weights and biases are there at each convolutional and fully connected layer of "
                   f"{name} on a ${shape(image_size, image_size, 3)}$ image? Its layers: "
                   f"{_vgg_config_text(config)} (a number is a $3 \\times 3$ convolution with that many "
                   f"filters, stride 1, padding 1; M is a $2 \\times 2$ max pool, stride 2), then dense layers "
                   f"of {', '.join(str(h) for h in hidden)} and {classes} units.",
            answer="| layer | weights | biases |\n| --- | ---: | ---: |\n" + rows
                   + f"\n\nConv layers ${number(conv_total)}$, dense layers ${number(fc_total)}$; total "
                   f"${number(conv_total + fc_total)}$.",
            working=f"A conv layer has $9 C_\\text{{in}} C_\\text{{out}}$ weights and $C_\\text{{out}}$ biases; the "
                    f"{len(convs)} convolutions keep the size and the pools take {image_size} to {last_pool[0]}, "
                    f"so the first dense layer receives ${shape(*last_pool)} = {number(flattened)}$ values.",
            check=_vgg_check(config, image_size, 3, hidden, classes,
                             [(layer.weights, layer.biases) for layer in weight_layers])))
    return found


def _residual_blocks_check(channels, bottleneck, expected):
    def stage(c_in, c_out, kernel_size):   # pre-activation order, the conv without bias; meta: counts only
        return [nn.BatchNorm2d(c_in, device="meta"), nn.ReLU(),
                nn.Conv2d(c_in, c_out, kernel_size, bias=False, device="meta")]

    def count(module, kind):
        return sum(p.numel() for m in module.modules() if isinstance(m, kind) for p in m.parameters())

    def check():
        plain = nn.Sequential(*stage(channels, channels, 3))
        narrow = nn.Sequential(*stage(channels, bottleneck, 1), *stage(bottleneck, bottleneck, 3),
                               *stage(bottleneck, channels, 1))
        counts = tuple(count(block, kind) for block in (plain, narrow) for kind in (nn.Conv2d, nn.BatchNorm2d))
        assert counts == expected, (counts, expected)
    return check


def residual_versus_bottleneck():
    found = []
    for channels, bottleneck in [(256, 64), (1024, 256), (128, 64)]:
        def split(table):
            return (sum(layer.parameters for layer in table if layer.name.startswith("conv")),
                    sum(layer.parameters for layer in table if layer.name.startswith("bn")))
        plain_conv, plain_bn = split(preactivation_block_table(channels, kernel_size=3))
        table = preactivation_bottleneck_table(channels, bottleneck_channels=bottleneck)
        bottleneck_conv, bottleneck_bn = split(table)
        stage_convs = [layer.parameters for layer in table if layer.name.startswith("conv")]
        ratio = (plain_conv + plain_bn) / (bottleneck_conv + bottleneck_bn)
        found.append(Variant(
            givens=f"A residual block is BatchNorm, ReLU, then a $3 \\times 3$ convolution with {channels} "
                   f"channels in and out. A bottleneck block is three BatchNorm/ReLU/convolution stages: "
                   f"$1 \\times 1$ from {channels} to {bottleneck} channels, $3 \\times 3$ from {bottleneck} to "
                   f"{bottleneck}, $1 \\times 1$ from {bottleneck} back to {channels}. The convolutions have no "
                   f"bias. How many parameters define each block?",
            answer=f"Residual block ${number(plain_conv)} + {number(plain_bn)} = {number(plain_conv + plain_bn)}$; "
                   f"bottleneck block ${number(bottleneck_conv)} + {number(bottleneck_bn)} = "
                   f"{number(bottleneck_conv + bottleneck_bn)}$ (conv + BatchNorm), about "
                   f"${number(ratio, 1)}$ times fewer.",
            working=f"Bottleneck convolutions ${' + '.join(number(c) for c in stage_convs)}$; BatchNorm "
                    f"$2({channels} + {bottleneck} + {bottleneck}) = {number(bottleneck_bn)}$ (each BN normalises "
                    f"its convolution's input).",
            check=_residual_blocks_check(channels, bottleneck,
                                         (plain_conv, plain_bn, bottleneck_conv, bottleneck_bn))))
    return found


# ---------------------------------------------------------------------------------------------
# Gradients, transposed convolutions and saliency
# ---------------------------------------------------------------------------------------------

TAPS = {"a": (0, 0), "b": (0, 1), "c": (1, 0), "d": (1, 1)}


def _kernel_gradient_check(x, position, tap, expected):
    def check():
        kernel = torch.tensor([[[[0.5, -1.0], [2.0, 0.25]]]], dtype=DTYPE, requires_grad=True)
        out = F.conv2d(torch.tensor(x, dtype=DTYPE)[None, None], kernel)
        target = out.sum() if position is None else out[0, 0, position[0] - 1, position[1] - 1]
        (grad,) = torch.autograd.grad(target, kernel)
        assert np.isclose(grad[0, 0][TAPS[tap]].item(), expected), (grad, expected)
    return check


def kernel_weight_gradient():
    found = []
    for x, position, tap in [([[2, 0, 1], [1, 3, -1], [0, 2, 4]], (1, 2), "c"),
                             ([[1, -2, 3], [0, 4, 1], [2, 1, -1]], (2, 2), "b"),
                             ([[1, 2, 0], [3, -1, 2], [0, 1, 1]], None, "d")]:
        x = np.array(x, dtype=float)
        out_shape = conv2d_output_shape(x.shape, kernel_size=2)
        grad_output = np.ones(out_shape)
        if position is not None:    # dY_ij / dw: a one-hot output gradient at (i, j)
            grad_output = np.zeros(out_shape)
            grad_output[position[0] - 1, position[1] - 1] = 1.0
        value = conv2d_weight_gradient(x, grad_output, kernel_size=2)[TAPS[tap]]
        p, q = TAPS[tap]
        if position is None:
            asked = f"$\\partial L / \\partial {tap}$ for $L = \\sum_{{i,j}} Y_{{ij}}$, the sum of all four outputs"
            terms = " + ".join(number(v) for v in x[p:p + out_shape[0], q:q + out_shape[1]].ravel())
            working = f"Each output uses ${tap}$ once, on the input under it: ${terms} = {number(value)}$."
        else:
            i, j = position
            asked = f"$\\partial Y / \\partial {tap}$ at output position $({i}, {j})$ (counted from 1)"
            working = (f"$Y_{{{i}{j}}} = a\\,x_{{{i}{j}}} + b\\,x_{{{i}{j + 1}}} + c\\,x_{{{i + 1}{j}}} + "
                       f"d\\,x_{{{i + 1}{j + 1}}}$, so the derivative is $x_{{{i + p}{j + q}}} = {number(value)}$.")
        found.append(Variant(
            givens=f"A 2D convolution (cross-correlation, as PyTorch computes it) with kernel "
                   f"$\\begin{{bmatrix}} a & b \\\\ c & d \\end{{bmatrix}}$ is applied with `'valid'` padding to "
                   f"the input $x = {bmatrix(x)}$. What is {asked}?",
            answer=f"${number(value)}$",
            working=working,
            check=_kernel_gradient_check(x, position, tap, value)))
    return found


def _residual_gradient_check(upstream, jacobian, expected):
    def check():
        J = torch.tensor(jacobian, dtype=DTYPE)
        x = torch.zeros(len(upstream), dtype=DTYPE, requires_grad=True)
        y = J @ x + x                              # F(x) = J x has Jacobian J
        # L = upstream . y has dL/dy = upstream (a scalar L: no grad_outputs, whose check imports sympy)
        (grad,) = torch.autograd.grad(torch.tensor(upstream, dtype=DTYPE) @ y, x)
        assert np.allclose(grad.numpy(), expected), (grad, expected)
    return check


def residual_gradient():
    found = []
    for upstream, jacobian in [([3.0], [[-0.25]]), ([-1.5], [[0.01]]), ([2.0, 1.0], [[0.5, 1.0], [0.0, -0.5]])]:
        grad = residual_input_gradient(upstream, jacobian)
        if len(upstream) == 1:
            g, j = upstream[0], jacobian[0][0]
            givens = (f"In a residual block $y = F(x) + x$ with scalar $x$, "
                      f"$\\partial \\mathcal{{L}} / \\partial y = {number(g)}$ and "
                      f"$\\partial F / \\partial x = {number(j)}$. What is $\\partial \\mathcal{{L}} / \\partial x$?")
            answer = f"${number(grad[0])}$"
            sign = "+" if j >= 0 else "-"
            working = f"${number(g)} \\cdot (1 {sign} {number(abs(j))}) = {number(grad[0])}$"
        else:
            givens = (f"In a residual block $y = F(x) + x$ with $x \\in \\mathbb{{R}}^{len(upstream)}$, the upstream "
                      f"gradient is $\\partial \\mathcal{{L}} / \\partial y = {vector(upstream)}$ and the Jacobian of "
                      f"$F$ at $x$ is $J_F = {bmatrix(jacobian)}$ (row $i$: the derivatives of $F_i$). What is "
                      f"$\\partial \\mathcal{{L}} / \\partial x$?")
            answer = f"${vector(grad)}$"
            working = (f"$(I + J_F)^\\top \\nabla_y \\mathcal{{L}} = {bmatrix((np.eye(2) + np.array(jacobian)).T)}"
                       f"{vector(upstream)}^\\top = {vector(grad)}$")
        found.append(Variant(givens=givens, answer=answer, working=working,
                             check=_residual_gradient_check(upstream, jacobian, grad)))
    return found


def _transposed_conv_check(x, kernel, stride, padding, expected):
    def check():
        out = F.conv_transpose2d(torch.tensor(x, dtype=DTYPE)[None, None],
                                 torch.tensor(kernel, dtype=DTYPE)[None, None],
                                 stride=stride, padding=padding)[0, 0]
        assert np.allclose(out.numpy(), expected), (out, expected)
    return check


def transposed_conv_by_hand():
    found = []
    for x, kernel, stride, padding in [([[1, -1], [2, 0]], [[1, 2], [3, 4]], 2, 0),
                                       ([[2, 1], [0, -1]], [[0, 1, 0], [1, 2, 1], [0, 1, 0]], 2, 1),
                                       ([[1, 2], [3, 4]], [[1, 0], [0, -1]], 1, 0)]:
        x, kernel = np.array(x, dtype=float), np.array(kernel, dtype=float)
        k = kernel.shape[0]
        size = conv_transpose_output_size(x.shape[0], kernel_size=k, stride=stride, padding=padding)
        out = conv_transpose2d(x, kernel, stride=stride, padding=padding)
        canvas = conv_transpose_output_size(x.shape[0], kernel_size=k, stride=stride)
        crop = f", then crop {padding} from every border" if padding else ""
        found.append(Variant(
            givens=f"Apply a transposed convolution (stride {stride}, padding {padding}, PyTorch's "
                   f"`conv_transpose2d`, kernel not flipped) to the input $x = {bmatrix(x)}$ with the filter "
                   f"${bmatrix(kernel)}$. What is the output?",
            answer=f"${bmatrix(out)}$ (${shape(size, size)}$)",
            working=f"Size $({x.shape[0]} - 1) \\cdot {stride} - 2 \\cdot {padding} + {k} = {size}$. Scatter "
                    f"each input value times the filter into a ${shape(canvas, canvas)}$ canvas, top-left "
                    f"corners {stride} apart{crop}.",
            check=_transposed_conv_check(x, kernel, stride, padding, out)))
    return found


class _DeconvReLU(torch.autograd.Function):
    """ReLU whose backward pass is DeconvNet's: relu(signal), not signal * (input > 0)."""

    @staticmethod
    def forward(ctx, x):
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad):
        return grad.clamp(min=0)


def _deconvnet_check(X, W, expected):
    def check():
        image = torch.tensor(X, dtype=DTYPE)[None, None].requires_grad_()
        weight = torch.tensor(W, dtype=DTYPE)[None, None]
        F.max_pool2d(_DeconvReLU.apply(F.conv2d(image, weight)), 2).sum().backward()
        assert np.allclose(image.grad[0, 0].numpy(), expected), (image.grad, expected)
    return check


def deconvnet_saliency_map():
    found = []
    for X, W in [([[2, 0, 1], [1, 3, 0], [0, 1, 1]], [[1, 0], [0, 1]]),
                 ([[1, 2, 0], [4, 1, 3], [0, 2, 1]], [[1, -1], [2, 0]]),
                 ([[0, 1, 2, 0], [3, 0, 1, 1], [1, 4, 0, 2], [0, 1, 1, 0]], [[0, 1], [1, 0]])]:
        X, W = np.array(X, dtype=float), np.array(W, dtype=float)
        feature_map = np.maximum(conv2d(X, W), 0)
        pooled, switches = max_pool2d(feature_map, 2)
        saliency = deconvnet_saliency(X, W, pool_size=2)
        row, col = (int(v) + 1 for v in np.argwhere(switches)[0])
        found.append(Variant(
            givens=f"Given $X = {bmatrix(X)}$ and $W = {bmatrix(W)}$, the forward pass is $X \\to$ "
                   f"${shape(*W.shape)}$ valid conv (cross-correlation) $\\to$ ReLU $\\to$ $2 \\times 2$ "
                   f"max-pool (stride 2) $\\to$ $P$, the sum of the pooled values. The backward pass via DeconvNet "
                   f"is $P \\to$ unpool (1 at each pooled maximum) $\\to$ ReLU on the signal $\\to$ full "
                   f"transposed convolution with $W$. Which saliency map does it produce?",
            answer=f"${bmatrix(saliency)}$",
            working=f"Feature map after ReLU ${bmatrix(feature_map)}$; the pool keeps "
                    f"${number(pooled.ravel()[0])}$ at position $({row}, {col})$"
                    + (" (its one window is the top-left $2 \\times 2$: the odd last row and column are dropped)"
                       if feature_map.shape[0] % 2 else "")
                    + "; the transposed convolution puts $W$ over the input window that produced it.",
            check=_deconvnet_check(X, W, saliency)))
    return found


# ---------------------------------------------------------------------------------------------
# Causal convolutions
# ---------------------------------------------------------------------------------------------

def _causal_stack_check(k, dilations, field):
    def check():
        torch.manual_seed(0)
        weights = [torch.randn(1, 1, k, dtype=DTYPE) for _ in dilations]

        def stack(x):
            for w, d in zip(weights, dilations):
                x = torch.tanh(F.conv1d(F.pad(x, (d * (k - 1), 0)), w, dilation=d))   # left padding only
            return x

        length = field + 6
        x = torch.randn(1, 1, length, dtype=DTYPE, requires_grad=True)
        y = stack(x)[0, 0]
        rows = [torch.autograd.grad(y[t], x, retain_graph=True)[0][0, 0] for t in range(length)]
        reaches = torch.stack(rows) != 0                            # row t: dy[t] / dx[s]
        assert not torch.triu(reaches, diagonal=1).any()            # no future input
        assert int(reaches[-1].sum()) == field and reaches[-1, -1]  # the field, x[t] itself included
    return check


def causal_receptive_field():
    found = []
    for k, dilations in [(3, (1, 2, 4)), (2, (1, 2, 4, 8, 16)), (3, (1, 3, 9))]:
        field = receptive_field([k] * len(dilations), dilations=list(dilations))
        pads = ", ".join(str(d * (k - 1)) for d in dilations)
        found.append(Variant(
            givens=f"A stack of causal 1-D convolutions, kernel size {k}, dilations "
                   f"{', '.join(str(d) for d in dilations)}, each padded on the left only. How many zeros does "
                   f"each layer pad on the left, which inputs can the output $y[t]$ depend on, and which value "
                   f"may $y[t]$ be trained to predict?",
            answer=f"Left padding {pads}; $y[t]$ depends on $x[t - {field - 1}], \\ldots, x[t]$ (receptive field "
                   f"${field}$), never on a future input; since it reads $x[t]$ itself, it predicts $x[t+1]$.",
            working=f"Padding $d(k-1)$ per layer; $r = 1 + (k-1)\\sum_l d_l = 1 + {k - 1} \\cdot "
                    f"{sum(dilations)} = {field}$.",
            check=_causal_stack_check(k, dilations, field)))
    return found


PRACTICE = {
    "modern-arch-assignment-q1": small_cnn_shapes,
    "endsem-winter-2025-q7": dilated_conv_output,
    "endsem-winter-2025-q12": dilation_effect,
    "endsem-winter-2025-q8": separable_parameters,
    "cs60010-ct3-q5": separable_multiplications,
    "endsem-winter-2025-q13": group_conv_tradeoff,
    "cs60010-endsem-q1": vgg_weights_and_biases,
    "cs60010-endsem-q2": residual_versus_bottleneck,
    "endsem-winter-2025-q2": kernel_weight_gradient,
    "endsem-winter-2025-q9": residual_gradient,
    "endsem-winter-2025-q17": transposed_conv_by_hand,
    "endsem-winter-2025-q20": deconvnet_saliency_map,
    "endsem-winter-2025-intermediate-q2": causal_receptive_field,
}

NO_PRACTICE = {}
