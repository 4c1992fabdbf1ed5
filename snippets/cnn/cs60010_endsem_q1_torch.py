import torch
from torch import nn


def vgg19():
    """VGG-19 as in Simonyan & Zisserman (2015), configuration E, written out by hand."""
    layers, channels = [], 3
    for width, repeats in ((64, 2), (128, 2), (256, 4), (512, 4), (512, 4)):
        for _ in range(repeats):
            layers += [nn.Conv2d(channels, width, kernel_size=3, padding=1), nn.ReLU()]
            channels = width
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers, nn.Flatten(),
                         nn.Linear(512 * 7 * 7, 4096), nn.ReLU(), nn.Dropout(),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(),
                         nn.Linear(4096, 1000))


with torch.device("meta"):  # shapes and counts only: no real weights
    model = vgg19()
    logits = model(torch.empty(1, 3, 224, 224))
assert tuple(logits.shape) == (1, 1000)

counts = [(m.weight.numel(), m.bias.numel()) for m in model if isinstance(m, (nn.Conv2d, nn.Linear))]
assert counts == [(1_728, 64), (36_864, 64), (73_728, 128), (147_456, 128),
                  (294_912, 256), (589_824, 256), (589_824, 256), (589_824, 256),
                  (1_179_648, 512)] + [(2_359_296, 512)] * 7 + [
                  (102_760_448, 4_096), (16_777_216, 4_096), (4_096_000, 1_000)]
total = sum(p.numel() for p in model.parameters())
assert total == 143_667_240   # also the count torchvision reports for its vgg19
float32_megabytes = total * 4 / 1e6   # what real float32 weights would take
