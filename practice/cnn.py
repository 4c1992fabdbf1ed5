"""Same question, new numbers: the CNN chapter's variants (sitecontract/practice.py explains the format).

Each variant's answer is computed here by the dlref function the worked solution uses; its ``check``
recomputes it with PyTorch (a module or functional op run on zeros), independently of dlref.
"""

import torch
import torch.nn.functional as F

from dlref.cnn import conv2d_output_shape, conv2d_parameter_count, conv_output_size, pool2d_output_shape
from sitecontract.practice import Variant, number, shape


def _dilated_output_check(n, k, d, expected):
    def check():
        out = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), dilation=d)
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
        layers = [torch.nn.Conv2d(channels, f1, k1, padding="same"), torch.nn.MaxPool2d(2, 2),
                  torch.nn.Conv2d(f1, f2, k2), torch.nn.MaxPool2d(2, 2)]
        x = torch.zeros(1, channels, image, image)
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


PRACTICE = {
    "modern-arch-assignment-q1": small_cnn_shapes,
    "endsem-winter-2025-q7": dilated_conv_output,
}

NO_PRACTICE = {
    "endsem-winter-2025-q12": "conceptual: what dilation changes, no numbers to vary",
}
