import torch
from torch import nn

class ViTInput(nn.Module):
    """Patchify with a stride-P convolution, prepend [CLS], add learnable positions."""

    def __init__(self, image=224, patch=8, channels=3, d_model=512):
        super().__init__()
        self.patch_embedding = nn.Conv2d(channels, d_model, kernel_size=patch, stride=patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, d_model))
        self.positions = nn.Parameter(torch.zeros(1, 1 + (image // patch) ** 2, d_model))

    def forward(self, images):
        tokens = self.patch_embedding(images).flatten(2).transpose(1, 2)     # (batch, 784, 512)
        cls = self.cls.expand(images.shape[0], -1, -1)
        return torch.cat([cls, tokens], dim=1) + self.positions

vit = ViTInput()
assert vit(torch.zeros(1, 3, 224, 224)).shape == (1, 785, 512)
assert vit.positions.numel() == 401_920
assert vit.patch_embedding.weight.numel() == 98_304 and vit.patch_embedding.bias.numel() == 512
assert vit.cls.numel() == 512
