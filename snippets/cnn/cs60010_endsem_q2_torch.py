from torch import nn


def stage(c_in, c_out, kernel_size):
    """BatchNorm -> ReLU -> conv, the pre-activation order; the conv has no bias."""
    return [nn.BatchNorm2d(c_in), nn.ReLU(),
            nn.Conv2d(c_in, c_out, kernel_size, padding=kernel_size // 2, bias=False)]


plain = nn.Sequential(*stage(512, 512, 3))
bottleneck = nn.Sequential(*stage(512, 128, 1), *stage(128, 128, 3), *stage(128, 512, 1))


def count(module, kind):
    return sum(p.numel() for m in module.modules() if isinstance(m, kind) for p in m.parameters())


assert (count(plain, nn.Conv2d), count(plain, nn.BatchNorm2d)) == (2_359_296, 1_024)
assert (count(bottleneck, nn.Conv2d), count(bottleneck, nn.BatchNorm2d)) == (278_528, 1_536)
assert sum(p.numel() for p in plain.parameters()) == 2_360_320
assert sum(p.numel() for p in bottleneck.parameters()) == 280_064
# Running mean/var are buffers, not parameters (plus one step counter per BN layer).
assert sum(b.numel() for b in plain.buffers()) == 2 * 512 + 1
