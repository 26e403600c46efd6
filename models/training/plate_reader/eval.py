"""Exact-match evaluation of the plate reader (PyTorch) on held-out US/BR crops and synthetic plates.

  /usr/bin/python3 eval.py [--ckpt checkpoint.pt] [--json out.json] [--dump preds.tsv]
Preprocessing is exactly the deployment contract (data.preprocess: bilinear stretch, (v/255-.5)/.5).
"""
import argparse
import json
import random

import numpy as np
import torch

import data
import synth
from model import ALPHABET, H, W, PlateReader


def load_model(path):
    ck = torch.load(path, map_location="cpu")
    sd = ck["model"] if "model" in ck else ck
    cfg = ck.get("cfg", {}) if isinstance(ck, dict) else {}
    m = PlateReader(**cfg) if cfg else PlateReader()
    m.load_state_dict({k: v.float() for k, v in sd.items()})
    m.eval()
    return m


def cer_stats(pred, gt):
    # Levenshtein distance
    d = list(range(len(gt) + 1))
    for i, p in enumerate(pred, 1):
        prev, d[0] = d[0], i
        for j, g in enumerate(gt, 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (p != g))
            prev, d[j] = d[j], cur
    return d[len(gt)]


@torch.no_grad()
def predict(model, imgs, bs=64):
    out = []
    for i in range(0, len(imgs), bs):
        x = torch.from_numpy(np.stack([data.preprocess(im) for im in imgs[i:i + bs]]))
        out += data.greedy_decode(model.logits(x))
    return out


def template_decode(p, templates=("LLLNNNN", "LLLNLNN")):
    """Optional post-processing the TS side may use when the plate format is known (e.g. Brazil):
    greedy CTC segments; if their count equals the template length, re-pick each character among
    letters (L) or digits (N) by the segment's summed probabilities; best-scoring template wins."""
    idx = p.argmax(-1)
    segs, prev = [], 0
    for t, k in enumerate(idx):
        if k != 0 and k != prev:
            segs.append([t])
        elif k != 0 and k == prev:
            segs[-1].append(t)
        prev = k
    greedy = "".join(ALPHABET[idx[s[0]] - 1] for s in segs)
    best, best_sc = greedy, -1e9
    for tpl in templates:
        if len(tpl) != len(segs):
            continue
        out, sc = [], 0.0
        for s, c in zip(segs, tpl):
            q = p[s].sum(0)
            rng_ = range(1, 11) if c == "N" else range(11, 37)
            k = max(rng_, key=lambda j: q[j])
            out.append(ALPHABET[k - 1])
            sc += np.log(q[k] / len(s) + 1e-9)
        if sc > best_sc:
            best, best_sc = "".join(out), sc
    return best


def score(preds, gts):
    exact = sum(p == g for p, g in zip(preds, gts)) / max(1, len(gts))
    ed = sum(cer_stats(p, g) for p, g in zip(preds, gts))
    nch = sum(len(g) for g in gts)
    return {"exact": exact, "char_acc": 1 - ed / max(1, nch), "n": len(gts)}


def synthetic_set(n=1000, seed=12345):
    rng = random.Random(seed)
    imgs, texts = [], []
    while len(imgs) < n:
        im, t = synth.render(rng, H, W)
        if len(t) <= 20:
            imgs.append(im)
            texts.append(t)
    return imgs, texts


def synthetic_by_style(model, n=200, seed=777):
    res = {}
    for fn, _ in synth.STYLES:
        rng = random.Random(seed)
        imgs, texts = [], []
        for _ in range(n):
            im, t = synth.render(rng, H, W, style=fn)
            imgs.append(im)
            texts.append(t)
        res[fn.__name__.replace("render_", "")] = score(predict(model, imgs), texts)
    return res


def evaluate(model, n_syn=1000, dump=None):
    res = {}
    rows_all = []
    for name in ("us", "br"):
        rows = data.split(name, "val")
        imgs = [data.read_rgb(p) for p, _, _ in rows]
        preds = predict(model, imgs)
        gts = [t for _, _, t in rows]
        res[name] = score(preds, gts)
        if name == "br":
            with torch.no_grad():
                pr = torch.cat([model(torch.from_numpy(np.stack([data.preprocess(im) for im in imgs[i:i + 64]])))
                                for i in range(0, len(imgs), 64)]).numpy()
            res["br_template"] = score([template_decode(q) for q in pr], gts)
        rows_all += [(name, r[1], g, p) for r, g, p in zip(rows, gts, preds)]
    if n_syn:
        imgs, texts = synthetic_set(n_syn)
        preds = predict(model, imgs)
        res["synthetic"] = score(preds, texts)
    if dump:
        with open(dump, "w") as f:
            for r in rows_all:
                f.write("\t".join(r) + ("\tOK" if r[2] == r[3] else "\tERR") + "\n")
    return res


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default="checkpoint.pt")
    ap.add_argument("--json")
    ap.add_argument("--dump")
    ap.add_argument("--n-syn", type=int, default=1000)
    ap.add_argument("--by-style", type=int, default=0, help="also N synthetic samples per style")
    a = ap.parse_args()
    torch.set_num_threads(1)
    model = load_model(a.ckpt)
    r = evaluate(model, a.n_syn, a.dump)
    if a.by_style:
        r["synthetic_by_style"] = synthetic_by_style(model, a.by_style)
    print(json.dumps(r, indent=1))
    if a.json:
        json.dump(r, open(a.json, "w"), indent=1)
