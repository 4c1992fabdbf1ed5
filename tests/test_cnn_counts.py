"""Parameter and multiplication counts of dlref.cnn, each counted on the matching PyTorch module."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlref.cnn import (VGG16, batchnorm_parameter_count, conv2d_multiplications,
                       conv2d_parameter_count, conv_transpose2d_parameter_count,
                       dense_parameter_count, depthwise_separable_multiplications,
                       depthwise_separable_parameter_count, preactivation_block_table,
                       preactivation_bottleneck_table, vgg_layer_table)


def numel(module):
    return sum(p.numel() for p in module.parameters())


def weights_and_biases(module):
    """(weights, biases) of a module: every ``*.bias`` parameter is a bias, the rest are weights."""
    named = dict(module.named_parameters())
    biases = sum(p.numel() for name, p in named.items() if name.endswith("bias"))
    return numel(module) - biases, biases


def assert_count_matches(count, module):
    assert (count.weights, count.biases) == weights_and_biases(module)
    assert count.total == numel(module)


# ---------------------------------------------------------------------------------------------
# Parameter counts of single layers
# ---------------------------------------------------------------------------------------------

def test_conv2d_parameter_count_matches_nn_conv2d_with_groups_and_bias():
    rng = np.random.default_rng(10)
    for _ in range(40):
        groups = int(rng.integers(1, 5))
        c_in, c_out = groups * int(rng.integers(1, 5)), groups * int(rng.integers(1, 5))
        kernel = tuple(int(v) for v in rng.integers(1, 6, size=2))
        bias = bool(rng.random() < 0.5)
        conv = nn.Conv2d(c_in, c_out, kernel, groups=groups, bias=bias)
        assert_count_matches(conv2d_parameter_count(c_in, c_out, kernel, groups, bias), conv)


@pytest.mark.parametrize("c_in, c_out, k, total", [
    (3, 16, 5, 1_216),     # modern-architectures assignment Q1, first conv
    (64, 64, 3, 36_928),   # end-sem Q12: dilation does not change it
])
def test_exam_conv2d_parameter_counts(c_in, c_out, k, total):
    conv = nn.Conv2d(c_in, c_out, k)
    assert numel(conv) == total
    assert_count_matches(conv2d_parameter_count(c_in, c_out, k), conv)


def test_conv2d_parameter_count_int_kernel_means_square():
    assert_count_matches(conv2d_parameter_count(4, 6, 3), nn.Conv2d(4, 6, (3, 3)))


def test_conv_transpose2d_parameter_count_matches_nn_conv_transpose2d():
    rng = np.random.default_rng(11)
    for _ in range(40):
        groups = int(rng.integers(1, 5))
        c_in, c_out = groups * int(rng.integers(1, 5)), groups * int(rng.integers(1, 5))
        kernel = tuple(int(v) for v in rng.integers(1, 6, size=2))
        bias = bool(rng.random() < 0.5)
        deconv = nn.ConvTranspose2d(c_in, c_out, kernel, groups=groups, bias=bias)
        assert_count_matches(conv_transpose2d_parameter_count(c_in, c_out, kernel, groups, bias),
                             deconv)


def test_conv_transpose2d_bias_follows_the_output_channels():
    # 2 -> 6: a conv and its transpose share the weight count but not the bias count
    count = conv_transpose2d_parameter_count(2, 6, 3)
    assert count.biases == nn.ConvTranspose2d(2, 6, 3).bias.numel() == 6


def separable(c_in, c_out, kernel, multiplier=1, bias=True, stride=1, padding=0, dilation=1):
    return nn.Sequential(
        nn.Conv2d(c_in, c_in * multiplier, kernel, stride, padding, dilation, groups=c_in, bias=bias),
        nn.Conv2d(c_in * multiplier, c_out, 1, bias=bias))


def test_depthwise_separable_parameter_count_matches_sequential():
    rng = np.random.default_rng(12)
    for _ in range(30):
        c_in, c_out, m = (int(v) for v in rng.integers(1, 9, size=3))
        kernel = tuple(int(v) for v in rng.integers(1, 6, size=2))
        bias = bool(rng.random() < 0.5)
        count = depthwise_separable_parameter_count(c_in, c_out, kernel, m, bias)
        assert_count_matches(count, separable(c_in, c_out, kernel, m, bias))


def test_exam_depthwise_separable_32_to_64_3x3_without_bias_is_2336():
    module = separable(32, 64, 3, bias=False)
    assert numel(module) == 2_336
    assert_count_matches(depthwise_separable_parameter_count(32, 64, 3, bias=False), module)


def test_dense_parameter_count_matches_nn_linear():
    rng = np.random.default_rng(13)
    for _ in range(20):
        n_in, n_out = (int(v) for v in rng.integers(1, 50, size=2))
        bias = bool(rng.random() < 0.5)
        assert_count_matches(dense_parameter_count(n_in, n_out, bias), nn.Linear(n_in, n_out, bias))


@pytest.mark.parametrize("channels", [1, 3, 64, 257])
def test_batchnorm_parameter_count_is_gamma_and_beta_not_running_stats(channels):
    bn = nn.BatchNorm2d(channels)
    count = batchnorm_parameter_count(channels)
    assert (count.weights, count.biases) == (bn.weight.numel(), bn.bias.numel())
    assert count.total == numel(bn)
    # running mean and variance (and the batch counter) are buffers, not parameters
    assert sum(b.numel() for b in bn.buffers()) == 2 * channels + 1


# ---------------------------------------------------------------------------------------------
# Multiplication counts
# ---------------------------------------------------------------------------------------------

def count_multiplications(model, x):
    """Run the model once; each conv costs out.numel() * (C_in / groups) * k_h * k_w."""
    counts = []

    def hook(module, inputs, output):
        k_h, k_w = module.kernel_size
        counts.append(output.numel() * (module.in_channels // module.groups) * k_h * k_w)

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():  # float64 keeps these tiny convs off oneDNN and its start-up cost
        model.double()(x.double())
    for handle in handles:
        handle.remove()
    return counts


def tf_same_pad(hw, kernel, stride, dilation):
    """F.pad argument (left, right, top, bottom) for TensorFlow 'same' with any stride."""
    pads = []
    for n, k, s, d in zip(hw, kernel, stride, dilation):
        total = max((math.ceil(n / s) - 1) * s + d * (k - 1) + 1 - n, 0)
        pads.append((total // 2, total - total // 2))
    return (*pads[1], *pads[0])


def test_conv2d_multiplications_matches_a_forward_hook():
    rng = np.random.default_rng(14)
    checked = 0
    for _ in range(40):
        groups = int(rng.integers(1, 4))
        c_in, c_out = groups * int(rng.integers(1, 4)), groups * int(rng.integers(1, 4))
        hw = tuple(int(v) for v in rng.integers(4, 13, size=2))
        kernel = tuple(int(v) for v in rng.integers(1, 5, size=2))
        stride = tuple(int(v) for v in rng.integers(1, 3, size=2))
        dilation = tuple(int(v) for v in rng.integers(1, 3, size=2))
        padding = [0, 1, (1, 2), "valid", "same"][int(rng.integers(0, 5))]
        if padding == "same":  # PyTorch's 'same' is stride 1 only: pad explicitly, TF style
            pad = nn.ZeroPad2d(tf_same_pad(hw, kernel, stride, dilation))
            model = nn.Sequential(pad, nn.Conv2d(c_in, c_out, kernel, stride, 0, dilation, groups))
        else:
            model = nn.Conv2d(c_in, c_out, kernel, stride, padding, dilation, groups)
        try:
            [expected] = count_multiplications(model, torch.zeros(1, c_in, *hw))
        except RuntimeError:  # kernel wider than the padded input
            with pytest.raises(ValueError, match="kernel_size"):
                conv2d_multiplications(hw, c_in, c_out, kernel, stride, padding, dilation, groups)
            continue
        assert conv2d_multiplications(hw, c_in, c_out, kernel, stride, padding, dilation,
                                      groups) == expected, (hw, c_in, c_out, kernel, stride, padding)
        checked += 1
    assert checked >= 25


def test_exam_dilation_keeps_576_multiplications_per_output():
    for d in (1, 2, 4):
        conv = nn.Conv2d(64, 64, 3, padding=d, dilation=d)
        [expected] = count_multiplications(conv, torch.zeros(1, 64, 8, 8))
        assert expected == 8 * 8 * 64 * 576
        assert conv2d_multiplications(8, 64, 64, 3, padding=d, dilation=d) == expected


def test_depthwise_separable_multiplications_matches_forward_hooks():
    rng = np.random.default_rng(15)
    checked = 0
    for _ in range(30):
        c_in, c_out = (int(v) for v in rng.integers(1, 6, size=2))
        hw = tuple(int(v) for v in rng.integers(4, 13, size=2))
        kernel = tuple(int(v) for v in rng.integers(1, 5, size=2))
        stride, padding, dilation = (int(v) for v in (rng.integers(1, 3), rng.integers(0, 3),
                                                      rng.integers(1, 3)))
        model = separable(c_in, c_out, kernel, stride=stride, padding=padding, dilation=dilation)
        try:
            depthwise, pointwise = count_multiplications(model, torch.zeros(1, c_in, *hw))
        except RuntimeError:  # kernel wider than the padded input
            with pytest.raises(ValueError, match="kernel_size"):
                depthwise_separable_multiplications(hw, c_in, c_out, kernel, stride, padding,
                                                    dilation)
            continue
        got = depthwise_separable_multiplications(hw, c_in, c_out, kernel, stride, padding, dilation)
        assert (got.depthwise, got.pointwise, got.total) == (depthwise, pointwise,
                                                             depthwise + pointwise)
        checked += 1
    assert checked >= 20


def test_exam_depthwise_separable_200x200x3_4x4_padding_1_to_10_outputs():
    # padding 1 belongs to the depthwise step only; the 1x1 step keeps the 199 x 199 map
    model = separable(3, 10, 4, padding=1)
    depthwise, pointwise = count_multiplications(model, torch.zeros(1, 3, 200, 200))
    assert (depthwise, pointwise) == (1_900_848, 1_188_030)
    got = depthwise_separable_multiplications((200, 200), 3, 10, 4, stride=1, padding=1)
    assert (got.depthwise, got.pointwise) == (depthwise, pointwise)
    assert got.total == depthwise + pointwise


# ---------------------------------------------------------------------------------------------
# Whole stacks
# ---------------------------------------------------------------------------------------------

def vgg_rows(config, image_size, in_channels, hidden, classes):
    """Build the VGG layer by layer and record each layer's name, (weights, biases) and output shape.

    The layers live on the meta device (parameters without memory or initialisation: VGG-16 would
    otherwise fill 553 MB). The spatial size comes from running each layer's own kernel, stride and
    padding on a one-channel CPU image: a forward pass on meta tensors imports sympy (~0.5 s).
    """
    rows, number, pools, channels = [], 0, 0, in_channels
    model = nn.Sequential()
    image = torch.zeros(1, 1, image_size, image_size)
    for item in config:
        if item == "M":
            pools += 1
            layer, name = nn.MaxPool2d(2), f"pool{pools}"
            image = F.max_pool2d(image, layer.kernel_size, layer.stride, layer.padding)
        else:
            number += 1
            layer, name = nn.Conv2d(channels, item, 3, padding=1, device="meta"), f"conv{number}"
            image = F.conv2d(image, torch.zeros(1, 1, *layer.kernel_size), stride=layer.stride,
                             padding=layer.padding, dilation=layer.dilation)
            channels = layer.out_channels
        rows.append((name, *weights_and_biases(layer), (image.shape[2], image.shape[3], channels)))
        model.append(layer)
    features = image.numel() * channels  # what nn.Flatten hands to the first dense layer
    for width in (*hidden, classes):
        number += 1
        layer = nn.Linear(features, width, device="meta")
        rows.append((f"fc{number}", *weights_and_biases(layer), (layer.out_features,)))
        model.append(layer)
        features = width
    return rows, numel(model)


VGG11 = (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M")
# Configuration E of Simonyan & Zisserman (2015), table 1, written out here independently of dlref
VGG19_FROM_THE_PAPER = (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
                        512, 512, 512, 512, "M")


@pytest.mark.parametrize("config, image_size, in_channels, hidden, classes", [
    (VGG16, 224, 3, (4096, 4096), 1000),
    (VGG19_FROM_THE_PAPER, 224, 3, (4096, 4096), 1000),
    (VGG19_FROM_THE_PAPER, 64, 1, (32,), 7),
    (VGG11, 32, 3, (256,), 10),
    ((8, "M", 16, 16, "M", 4), 21, 1, (), 5),  # odd sizes: floor pooling, no hidden layer
])
def test_vgg_layer_table_matches_a_torch_vgg_row_by_row(config, image_size, in_channels, hidden,
                                                        classes):
    expected, total = vgg_rows(config, image_size, in_channels, hidden, classes)
    table = vgg_layer_table(config, image_size, in_channels, hidden, classes)
    assert [(r.name, r.weights, r.biases, tuple(r.output_shape)) for r in table] == expected
    assert sum(row.parameters for row in table) == total


def test_vgg16_total_is_the_published_138_357_544():
    _, total = vgg_rows(VGG16, 224, 3, (4096, 4096), 1000)
    assert total == 138_357_544
    assert sum(row.parameters for row in vgg_layer_table()) == total


def test_vgg19_by_name_matches_torch_and_the_published_143_667_240():
    """VGG-19 (Prince's figure 10.17): 16 convs and 3 dense layers; torchvision's vgg19 has 143,667,240."""
    expected, total = vgg_rows(VGG19_FROM_THE_PAPER, 224, 3, (4096, 4096), 1000)
    table = vgg_layer_table("VGG-19")
    assert [(r.name, r.weights, r.biases, tuple(r.output_shape)) for r in table] == expected
    assert total == sum(row.parameters for row in table) == 143_667_240
    assert [r.name for r in table if r.parameters][-4:] == ["conv16", "fc17", "fc18", "fc19"]


@pytest.mark.parametrize("name, config", [("VGG-11", VGG11), ("VGG-16", VGG16), ("VGG-19", VGG19_FROM_THE_PAPER)])
def test_vgg_config_by_name_is_the_layer_list(name, config):
    assert vgg_layer_table(name) == vgg_layer_table(config)


def layer_rows(modules):
    return [weights_and_biases(m) for m in modules]


@pytest.mark.parametrize("channels, kernel, conv_bias", [(64, 3, False), (16, 5, True), (7, 1, False)])
def test_preactivation_block_table_matches_bn_relu_conv(channels, kernel, conv_bias):
    block = nn.Sequential(nn.BatchNorm2d(channels), nn.ReLU(),
                          nn.Conv2d(channels, channels, kernel, padding=kernel // 2, bias=conv_bias))
    table = preactivation_block_table(channels, kernel, conv_bias)
    assert [row.name for row in table] == ["bn", f"conv{kernel}x{kernel}"]
    assert [(row.weights, row.biases) for row in table] == layer_rows([block[0], block[2]])
    assert sum(row.parameters for row in table) == numel(block)
    x = torch.randn(2, channels, 6, 6)
    assert block(x).shape == x.shape  # channels in == channels out, so the skip can be added


@pytest.mark.parametrize("channels, bottleneck, conv_bias", [(256, 64, False), (32, 8, True),
                                                             (6, 6, False)])
def test_preactivation_bottleneck_table_matches_three_bn_relu_conv_stages(channels, bottleneck,
                                                                          conv_bias):
    stages = []
    for c_in, c_out, k in ((channels, bottleneck, 1), (bottleneck, bottleneck, 3),
                           (bottleneck, channels, 1)):
        stages += [nn.BatchNorm2d(c_in), nn.ReLU(), nn.Conv2d(c_in, c_out, k, padding=k // 2,
                                                              bias=conv_bias)]
    block = nn.Sequential(*stages)
    table = preactivation_bottleneck_table(channels, bottleneck, conv_bias)
    assert [row.name for row in table] == ["bn1", "conv1 1x1", "bn2", "conv2 3x3", "bn3",
                                           "conv3 1x1"]
    parametrised = [m for m in block if not isinstance(m, nn.ReLU)]
    assert [(row.weights, row.biases) for row in table] == layer_rows(parametrised)
    assert sum(row.parameters for row in table) == numel(block)
    x = torch.randn(2, channels, 5, 5)
    assert block(x).shape == x.shape

