import torch
from torch import nn


def vgg16():
    """VGG-16 as in Simonyan & Zisserman (2015), configuration D, written out by hand."""
    layers, channels = [], 3
    for width, repeats in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        for _ in range(repeats):
            layers += [nn.Conv2d(channels, width, kernel_size=3, padding=1), nn.ReLU()]
            channels = width
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers, nn.Flatten(),
                         nn.Linear(512 * 7 * 7, 4096), nn.ReLU(), nn.Dropout(),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(),
                         nn.Linear(4096, 1000))


with torch.device("meta"):  # shapes and counts only: no 550 MB of real weights
    model = vgg16()
    logits = model(torch.empty(1, 3, 224, 224))
assert tuple(logits.shape) == (1, 1000)

counts = [(m.weight.numel(), m.bias.numel()) for m in model if isinstance(m, (nn.Conv2d, nn.Linear))]
assert counts == [(1_728, 64), (36_864, 64), (73_728, 128), (147_456, 128), (294_912, 256),
                  (589_824, 256), (589_824, 256), (1_179_648, 512), (2_359_296, 512),
                  (2_359_296, 512), (2_359_296, 512), (2_359_296, 512), (2_359_296, 512),
                  (102_760_448, 4_096), (16_777_216, 4_096), (4_096_000, 1_000)]
# 138,357,544 is also the count torchvision reports for its vgg16.
assert sum(p.numel() for p in model.parameters()) == 138_357_544
