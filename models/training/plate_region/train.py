"""Plate region (country) from the plate's appearance: a small CNN on the reader's own input
crop (48x160 BGR, (v/255-0.5)/0.5, one-row layout), so the pipeline runs it on the tensor it
already built for the reader. Its probabilities are one factor of the region decision; the
character format and colour marks are the others (packages/core/src/plate/regions.ts).

Data: every plate of plates-openlpr-train whose country is known (any legibility: the country
shows even when the text does not), the openalpr eu / eu2 / us / br crops, fast-plate-ocr ar and
qanastek fr train crops, cut the way the pipeline cuts (plate_ocr/data.py), degraded the same way.
Held out: plates-openlpr-val, the crop sets' val splits (plate_ocr/data.py is_val), qanastek test.

  /usr/bin/python3 train.py --minutes 14 --out runs/main      # → runs/main/{model.pt, head.onnx, classes.json}
  /usr/bin/python3 train.py --minutes 20 --out runs/main2 --init runs/main/model.pt   # continue (new cosine cycle)
  /usr/bin/python3 train.py --minutes 40 --out runs/band2 --init checkpoint.pt --band 0.25 --freeze-look --lr 2e-3
      # BandRegionNet: the look head frozen + a band branch for the EU band's country letters (README run 8)
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "plate_ocr"))
import data  # noqa: E402  (plate_ocr's pipeline-shaped crops and degradations)

# Countries with fewer training plates than this are 'other': too few to learn a look from.
MIN_PER_CLASS = 20
OTHER = "other"


def country_of(code):
    c = (code or "").lower().split("-")[0]
    return {"uk": "gb"}.get(c, c)


def openlpr_items(name):
    """Every boxed plate with a known country (text not needed)."""
    out = []
    d = os.path.join(data.DATA, name)
    for r in data.tsv(os.path.join(d, "texts.tsv")):
        c = country_of(r["country"])
        if not c or c == "?":
            continue
        img = data.imread(os.path.join(d, "images", r["image"]))
        cut, box = data._context(img, *(float(r[k]) for k in "xywh"))
        out.append(data.Item(cut, box, "", 1, name, c))
    return out


def load():
    tr, va = data.crops("train")
    for it in tr + va:
        it.country = country_of(it.country)
    train = [it for it in openlpr_items("plates-openlpr-train") + tr if it.country and it.country != "?"]
    counts = {}
    for it in train:
        counts[it.country] = counts.get(it.country, 0) + 1
    classes = sorted(c for c, n in counts.items() if n >= MIN_PER_CLASS) + [OTHER]
    val = {"openlpr-val": openlpr_items("plates-openlpr-val")}
    for it in va:
        if it.country and it.country != "?":
            val.setdefault(it.src, []).append(it)
    return train, val, classes, counts


def label(classes, c):
    return classes.index(c) if c in classes else len(classes) - 1


def one_row(rng, it):
    """The pipeline's one-row reader crop of the item (jittered + degraded when rng)."""
    if rng is None:
        return data.to_line(data.pipeline_crop(it.img, it.box, 1), 1)
    x, y, w, h = it.box
    pw = min(w, math.exp(rng.uniform(math.log(28), math.log(300))))
    work_h = int(round(h * (1 + 2 * data.MARGIN_Y) * pw / w))
    crop = data.photometric(rng, data.pipeline_crop(it.img, it.box, 1, rng, work_h))
    return data.to_line(crop, 1)


class RegionNet(nn.Module):
    """4 stride-2 conv blocks + 1, mean‖max pooled, linear: ~0.1 M parameters."""

    def __init__(self, k):
        super().__init__()
        ch = [3, 24, 48, 64, 96]
        layers = []
        for a, b in zip(ch, ch[1:]):
            layers += [nn.Conv2d(a, b, 3, 2, 1, bias=False), nn.BatchNorm2d(b), nn.ReLU(inplace=True)]
        layers += [nn.Conv2d(96, 128, 3, 1, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU(inplace=True)]
        self.features = nn.Sequential(*layers)
        self.drop = nn.Dropout(0.2)
        self.fc = nn.Linear(256, k)

    def forward(self, x):
        f = self.features(x)
        g = torch.cat([f.mean((2, 3)), f.amax((2, 3))], 1)
        return self.fc(self.drop(g))


# The band branch's view: the left quarter of the reader's 48x200 crop, where an EU plate's blue
# band and its country letters sit (the crop has 6 % margins and detector jitter around the plate).
BAND_FRAC = 0.26
LOOK_W = 160  # the look branch's training width (runs 1-7 saw 48x160 crops)


class BandRegionNet(nn.Module):
    """RegionNet (the whole crop, resized to 48x160) plus a band branch at the crop's own
    resolution, stride 1 first: the band's country letters are ~7 px tall in the 48x200 crop and
    RegionNet's two stride-2 convs leave them ~2 px. Logits add; the band's linear layer starts
    at zero, so training starts from the look head it extends."""

    def __init__(self, k):
        super().__init__()
        self.look = RegionNet(k)
        ch = [3, 16, 32, 48, 64]
        layers = [nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True)]
        for a, b in zip(ch[1:], ch[2:]):
            layers += [nn.Conv2d(a, b, 3, 2, 1, bias=False), nn.BatchNorm2d(b), nn.ReLU(inplace=True)]
        layers += [nn.Conv2d(64, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True)]
        self.band = nn.Sequential(*layers)
        self.band_fc = nn.Linear(128, k)
        nn.init.zeros_(self.band_fc.weight)
        nn.init.zeros_(self.band_fc.bias)
        self.freeze_look = False

    def train(self, mode=True):
        super().train(mode)
        if self.freeze_look:  # its batch-norm statistics stay those it was trained with
            self.look.eval()
        return self

    def forward(self, x):
        w = int(x.shape[-1])  # the crop width is fixed per reader: a constant in the exported graph
        look = self.look(x if w == LOOK_W else F.interpolate(x, size=(x.shape[-2], LOOK_W), mode="bilinear", align_corners=False))
        f = self.band(x[..., : int(round(w * BAND_FRAC))])
        return look + self.band_fc(self.look.drop(torch.cat([f.mean((2, 3)), f.amax((2, 3))], 1)))


def has_band(state):
    """Whether a saved state_dict is a BandRegionNet's (else a plain RegionNet's)."""
    return any(k.startswith("band") for k in state)


# Band code drawn by plate_reader/synth.py render_eu → the look's class (codes of countries without a class are left out)
BAND_CLASS = {"D": "de", "RO": "ro", "F": "fr", "I": "it", "NL": "nl", "PL": "pl", "B": "be", "E": "es", "A": "at",
              "CZ": "cz", "S": "se", "SK": "sk", "BG": "bg", "GR": "gr", "IRL": "ie", "L": "lu", "LT": "lt",
              "LV": "lv", "EST": "ee", "DK": "dk", "HR": "hr", "SLO": "si", "GB": "gb", "UK": "gb"}


def synthetic_band(rng, classes):
    """A rendered EU plate with a band whose code names one of the look's classes, and that class."""
    code = rng.choice(sorted(c for c, k in BAND_CLASS.items() if k in classes))
    img, _ = data.synthetic(rng, lambda r: data.synth.render_eu(r, cc=code, band=True))
    return img, label(classes, BAND_CLASS[code])


class WithSoftmax(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return F.softmax(self.net(x), -1)


@torch.no_grad()
def evaluate(net, fixed, classes):
    net.eval()
    res = {}
    for name, (x, y) in fixed.items():
        p = net(x).argmax(-1)
        known = y < len(classes) - 1  # plates of a class the model knows
        res[name] = {"n": int(len(y)), "acc": round(float((p == y).float().mean()), 4),
                     "acc_known": round(float((p[known] == y[known]).float().mean()) if known.any() else 0.0, 4)}
    net.train()
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="runs/main")
    ap.add_argument("--minutes", type=float, default=12)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init", default=None, help="continue from a model.pt / checkpoint.pt (same classes)")
    ap.add_argument("--mercosul", type=float, default=0.0,
                    help="share of each batch that is a synthetic Mercosul plate labelled br (the real Brazilian "
                         "crops are all the old grey design)")
    ap.add_argument("--freeze-look", action="store_true", help="with --band: train only the band branch")
    ap.add_argument("--band", type=float, default=None,
                    help="train BandRegionNet (look + band branch) on 48x200 crops; the value is the share of each "
                         "batch that is a synthetic EU plate labelled by its band code")
    args = ap.parse_args()
    if args.freeze_look and args.band is None:
        ap.error("--freeze-look needs --band (it freezes the look branch of BandRegionNet)")
    if args.band is not None:
        data.W = 200  # the shipped reader's crop; the look branch resizes to its 160
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(HERE, args.out), exist_ok=True)
    t0 = time.time()
    train, val, classes, counts = load()
    print("classes", len(classes), classes, "train", len(train), {k: len(v) for k, v in val.items()}, flush=True)
    # sample ∝ 1/sqrt(class size): rare countries are seen more often than their share, not evenly
    lab = [label(classes, it.country) for it in train]
    size = {}
    for l in lab:
        size[l] = size.get(l, 0) + 1
    weights = [1 / math.sqrt(size[l]) for l in lab]
    fixed = {}
    for name, items in val.items():
        x = torch.from_numpy(data.to_batch([one_row(None, it) for it in items]))
        fixed[name] = (x, torch.tensor([label(classes, it.country) for it in items]))
    if args.mercosul > 0:  # held-out synthetic Mercosul plates, a fixed seed no training batch uses
        vr = random.Random(10_000 + args.seed)
        ims = [data.synthetic(vr, data.synth.render_mercosul)[0] for _ in range(100)]
        fixed["synth-mercosul"] = (torch.from_numpy(data.to_batch(ims)), torch.full((100,), label(classes, "br")))
    if args.band:  # held-out synthetic band plates (fixed seed): can the band branch read codes at all
        vr = random.Random(20_000 + args.seed)
        b = [synthetic_band(vr, classes) for _ in range(200)]
        fixed["synth-band"] = (torch.from_numpy(data.to_batch([im for im, _ in b])), torch.tensor([c for _, c in b]))
    net = RegionNet(len(classes)) if args.band is None else BandRegionNet(len(classes))
    prev_steps = 0
    if args.init:
        ck = torch.load(args.init, map_location="cpu")
        assert ck["classes"] == classes, "class list changed: train from scratch"
        state = {k: (v.float() if v.dtype.is_floating_point else v) for k, v in ck["state"].items()}
        if args.band is not None and not has_band(state):
            net.look.load_state_dict(state)  # a plain look head: the band branch starts fresh
        else:
            net.load_state_dict(state)
        prev_steps = ck["step"]
    if args.freeze_look:
        net.freeze_look = True
        for p in net.look.parameters():
            p.requires_grad_(False)
        net.train()
    opt = torch.optim.AdamW([p for p in net.parameters() if p.requires_grad], lr=args.lr, weight_decay=5e-4)
    budget, step, losses = args.minutes * 60, 0, []
    start = time.time()
    while time.time() - start < budget:
        frac = (time.time() - start) / budget
        for g in opt.param_groups:
            g["lr"] = args.lr * min(1, step / 50) * 0.5 * (1 + math.cos(math.pi * frac))
        n_syn = sum(rng.random() < args.mercosul for _ in range(args.batch))
        n_band = sum(rng.random() < (args.band or 0) for _ in range(args.batch - n_syn))
        idx = rng.choices(range(len(train)), weights, k=args.batch - n_syn - n_band)
        bands = [synthetic_band(rng, classes) for _ in range(n_band)]
        ims = ([one_row(rng, train[i]) for i in idx] + [data.synthetic(rng, data.synth.render_mercosul)[0] for _ in range(n_syn)]
               + [im for im, _ in bands])
        x = torch.from_numpy(data.to_batch(ims))
        y = torch.tensor([lab[i] for i in idx] + [label(classes, "br")] * n_syn + [c for _, c in bands])
        loss = F.cross_entropy(net(x), y, label_smoothing=0.05)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        step += 1
        if step % 100 == 0:
            print(f"step {step} {(time.time() - start) / 60:.1f} min loss {np.mean(losses[-100:]):.3f} "
                  f"{step * args.batch / (time.time() - start):.0f} samples/s", flush=True)
        if step % 500 == 0:
            print("val", evaluate(net, fixed, classes), flush=True)
    res = evaluate(net, fixed, classes)
    print("final", step, "steps", res, flush=True)
    out = os.path.join(HERE, args.out)
    torch.save({"state": net.state_dict(), "classes": classes, "step": prev_steps + step}, os.path.join(out, "model.pt"))
    json.dump({"classes": classes, "counts": counts, "steps": prev_steps + step, "batch": args.batch, "minutes": args.minutes,
               "wall_s": round(time.time() - t0), "val": res}, open(os.path.join(out, "classes.json"), "w"), indent=1)
    net.eval()
    torch.onnx.export(WithSoftmax(net), torch.zeros(1, 3, data.H, data.W), os.path.join(out, "head.onnx"),
                      input_names=["x"], output_names=["region"], dynamic_axes={"x": {0: "n"}, "region": {0: "n"}},
                      opset_version=13)


if __name__ == "__main__":
    main()
