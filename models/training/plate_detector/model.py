"""PlateLens plate detector: tiny anchor-free CenterNet-style network.

Backbone: MobileNetV2-style inverted residual blocks (ReLU only, no SE, no pooling),
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
    def __init__(self, width=1.0, neck=48):
        super().__init__()
        c = [int(round(v * width)) for v in (16, 24, 40, 80, 128)]
        self.stem = nn.Sequential(conv_bn(3, c[0], 3, 2), conv_bn(c[0], c[0], 3, 1, groups=c[0]), conv_bn(c[0], c[0], 1, act=False))
        self.s4 = nn.Sequential(IR(c[0], c[1], 2, 3), IR(c[1], c[1], 1, 3))
        self.s8 = nn.Sequential(IR(c[1], c[2], 2, 3, 5), IR(c[2], c[2], 1, 3), IR(c[2], c[2], 1, 3))
        self.s16 = nn.Sequential(IR(c[2], c[3], 2, 4, 5), IR(c[3], c[3], 1, 3), IR(c[3], c[3], 1, 3, 5))
        self.s32 = nn.Sequential(IR(c[3], c[4], 2, 4, 5), IR(c[4], c[4], 1, 3, 5), IR(c[4], c[4], 1, 3, 5))
        self.lat = nn.ModuleList([conv_bn(ci, neck, 1) for ci in c[1:]])
        self.smooth = nn.ModuleList([
            nn.Sequential(conv_bn(neck, neck, 3, 1, groups=neck), conv_bn(neck, neck, 1)) for _ in range(3)
        ])
        self.head_heat = nn.Sequential(conv_bn(neck, neck, 3, 1, groups=neck), conv_bn(neck, neck, 1), nn.Conv2d(neck, 1, 1))
        self.head_box = nn.Sequential(conv_bn(neck, neck, 3, 1, groups=neck), conv_bn(neck, neck, 1), nn.Conv2d(neck, 4, 1))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
        nn.init.constant_(self.head_heat[-1].bias, -4.6)
        nn.init.normal_(self.head_heat[-1].weight, std=0.01)
        nn.init.normal_(self.head_box[-1].weight, std=0.01)
        nn.init.constant_(self.head_box[-1].bias, 1.0)

    def forward(self, x):
        x = self.stem(x)
        f4 = self.s4(x)
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        f32 = self.s32(f16)
        p = self.lat[3](f32)
        for lvl, f in ((2, f16), (1, f8), (0, f4)):
            p = F.interpolate(p, scale_factor=2.0, mode="nearest") + self.lat[lvl](f)
            p = self.smooth[lvl](p)
        heat = torch.sigmoid(self.head_heat(p))
        ltrb = torch.exp(self.head_box(p)) * float(STRIDE)
        return heat, ltrb

    def forward_raw(self, x):
        """Training: heat logits and raw box outputs (log(ltrb/stride))."""
        x = self.stem(x)
        f4 = self.s4(x)
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        f32 = self.s32(f16)
        p = self.lat[3](f32)
        for lvl, f in ((2, f16), (1, f8), (0, f4)):
            p = F.interpolate(p, scale_factor=2.0, mode="nearest") + self.lat[lvl](f)
            p = self.smooth[lvl](p)
        return self.head_heat(p), self.head_box(p)


def count_params(m):
    return sum(p.numel() for p in m.parameters())


if __name__ == "__main__":
    m = PlateDetector()
    print("params", count_params(m))
    h, b = m(torch.zeros(1, 3, 320, 320))
    print(h.shape, b.shape)
