from torch import nn

separable = nn.Sequential(
    nn.Conv2d(32, 32, kernel_size=3, groups=32, bias=False),  # depthwise
    nn.Conv2d(32, 64, kernel_size=1, bias=False),             # pointwise
)
assert sum(p.numel() for p in separable.parameters()) == 2_336
