"""PlateLens plate detector: tiny anchor-free CenterNet-style network.

Backbone: two plain strided convs to stride 4, then MobileNetV2-style inverted residual blocks (ReLU only, no SE, no pooling),
FPN-lite top-down neck (nearest x2 upsample + add) down to stride 4, and two heads:
  heat: [N,1,H/4,W/4]  sigmoid plate-centre heatmap
  ltrb: [N,4,H/4,W/4]  distances (input pixels) from cell centre ((j+.5)*4, (i+.5)*4)
                       to the box left/top/right/bottom edges = exp(raw) * 4
Ops after export: Conv (BN folded), Relu, Add, Resize(nearest), Sigmoid, Exp, Mul.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

STRIDE = 4


def conv_bn(cin, cout, k=1, s=1, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if act:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class IR(nn.Module):
    """Inverted residual: 1x1 expand -> kxk depthwise -> 1x1 project (linear)."""

    def __init__(self, cin, cout, s=1, e=3, k=3):
        super().__init__()
        mid = cin * e
        self.use_res = s == 1 and cin == cout
        self.block = nn.Sequential(
            conv_bn(cin, mid, 1),
            conv_bn(mid, mid, k, s, groups=mid),
            conv_bn(mid, cout, 1, act=False),
        )

    def forward(self, x):
        y = self.block(x)
        return x + y if self.use_res else y


class PlateDetector(nn.Module):
    def __init__(self, neck=48, neck4=32):
        super().__init__()
        # stride 2 / 4: plain (fused) convs, cheap on large maps
        self.stem = nn.Sequential(conv_bn(3, 16, 3, 2), conv_bn(16, 32, 3, 2))
        self.s4 = IR(32, 32, 1, 2)
        self.s8 = nn.Sequential(IR(32, 48, 2, 3, 5), IR(48, 48, 1, 3))
        self.s16 = nn.Sequential(IR(48, 96, 2, 4, 5), IR(96, 96, 1, 3), IR(96, 96, 1, 3, 5))
        self.s32 = nn.Sequential(IR(96, 160, 2, 4, 5), IR(160, 160, 1, 3, 5), IR(160, 160, 1, 3, 5))
        self.lat32 = conv_bn(160, neck, 1)
        self.lat16 = conv_bn(96, neck, 1)
        self.lat8 = conv_bn(48, neck, 1)
        self.lat4 = conv_bn(32, neck4, 1)
        self.smooth16 = nn.Sequential(conv_bn(neck, neck, 3, 1, groups=neck), conv_bn(neck, neck, 1))
        self.smooth8 = nn.Sequential(conv_bn(neck, neck, 3, 1, groups=neck), conv_bn(neck, neck, 1))
        self.reduce8 = conv_bn(neck, neck4, 1)
        self.smooth4 = nn.Sequential(conv_bn(neck4, neck4, 3, 1, groups=neck4), conv_bn(neck4, neck4, 1))
        self.head_heat = nn.Sequential(conv_bn(neck4, neck4, 3, 1, groups=neck4), conv_bn(neck4, neck4, 1), nn.Conv2d(neck4, 1, 1))
        self.head_box = nn.Sequential(conv_bn(neck4, neck4, 3, 1, groups=neck4), conv_bn(neck4, neck4, 1), nn.Conv2d(neck4, 4, 1))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
        nn.init.constant_(self.head_heat[-1].bias, -4.6)
        nn.init.normal_(self.head_heat[-1].weight, std=0.01)
        nn.init.normal_(self.head_box[-1].weight, std=0.01)
        nn.init.constant_(self.head_box[-1].bias, 1.0)

    def features(self, x):
        f4 = self.s4(self.stem(x))
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        f32 = self.s32(f16)
        up = lambda t: F.interpolate(t, scale_factor=2.0, mode="nearest")  # noqa: E731
        p = self.lat32(f32)
        p = self.smooth16(up(p) + self.lat16(f16))
        p = self.smooth8(up(p) + self.lat8(f8))
        p = self.smooth4(up(self.reduce8(p)) + self.lat4(f4))
        return p

    def forward_raw(self, x):
        """Training: heat logits and raw box outputs (log(ltrb/stride))."""
        p = self.features(x)
        return self.head_heat(p), self.head_box(p)

    def forward(self, x):
        h, b = self.forward_raw(x)
        return torch.sigmoid(h), torch.exp(b) * float(STRIDE)


def count_params(m):
    return sum(p.numel() for p in m.parameters())


if __name__ == "__main__":
    m = PlateDetector()
    print("params", count_params(m))
    h, b = m(torch.zeros(1, 3, 320, 320))
    print(h.shape, b.shape)
