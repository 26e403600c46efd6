"""Plate crops for fine-tuning PP-OCRv4 rec on plates, read at run time from /work/shared/data
(never copied into the repo). Every sample is cut the way the TypeScript pipeline cuts a crop
(packages/core/src/plate/plate-crop.ts): a detector-like box (jittered edges), the pipeline's
margin, stretched to 48x160 BGR; two-row plates are laid out as one line (top half | bottom half).

Held-out splits, never trained on (all crops of one text / group on one side):
  val <=> int(sha1(key).hexdigest(), 16) % 100 < 15, key = plate text (us, br, eu2, ar) or the
  `group` column (eu); plates-openlpr-val and the qanastek `test` split are held out whole.
"""
import csv
import hashlib
import math
import os
import random
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.append(os.path.join(HERE, "..", "plate_reader"))  # last: it has its own data.py / train.py
import synth  # noqa: E402  (the from-scratch reader's renderer: synthetic plates per format)

DATA = os.environ.get("PLATE_DATA", os.path.join(HERE, "../../../../shared/data"))
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
H, W = 48, 160
# The pipeline's crop margins (fractions of the box) and the two-row layout overlap.
MARGIN_X, MARGIN_Y = 0.06, 0.12
ROW_OVERLAP = 0.06


def is_val(key):
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 100 < 15


def clean(t):
    return "".join(c for c in t.upper() if c in ALPHABET)


def tsv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def imread(path):
    im = cv2.imread(path, cv2.IMREAD_COLOR)  # BGR, as PP-OCR expects
    if im is None:
        raise FileNotFoundError(path)
    return im


class Item:
    """An image region holding one plate: `img` (BGR), the plate box in it, text, rows, kind."""
    __slots__ = ("img", "box", "text", "rows", "src", "country")

    def __init__(self, img, box, text, rows, src, country=""):
        self.img, self.box, self.text, self.rows, self.src, self.country = img, box, text, rows, src, country


def _context(img, x, y, w, h, pad=0.6):
    """Cut the box with `pad` context on each side (keeps memory small), box in the cut's pixels."""
    ih, iw = img.shape[:2]
    x0, y0 = max(0, int(x - pad * w)), max(0, int(y - pad * h))
    x1, y1 = min(iw, int(x + w + pad * w)), min(ih, int(y + h + pad * h))
    return img[y0:y1, x0:x1].copy(), (x - x0, y - y0, w, h)


def scenes_openlpr(name, legible=("clear",)):
    out = []
    d = os.path.join(DATA, name)
    for r in tsv(os.path.join(d, "texts.tsv")):
        if r["legibility"] not in legible or r["text"] in ("", "-"):
            continue
        img = imread(os.path.join(d, "images", r["image"]))
        c, box = _context(img, *(float(r[k]) for k in "xywh"))
        out.append(Item(c, box, clean(r["text"]), int(r["rows"] or 1), name, r["country"]))
    return out


def crops(split):
    """Crop sets → (train, val) lists of Items."""
    tr, va = [], []

    def add(item, key, held=None):
        (va if (is_val(key) if held is None else held) else tr).append(item)

    d = os.path.join(DATA, "plates-openalpr-eu-crops")
    for r in tsv(os.path.join(d, "labels.tsv")):
        if r["legibility"] != "clear":
            continue
        im = imread(os.path.join(d, "images", r["image"]))
        add(Item(im, (0, 0, im.shape[1], im.shape[0]), clean(r["plate"]), 1, "eu", r["country"]), r["group"])
    d = os.path.join(DATA, "plates-openalpr-eu2-crops")
    for r in tsv(os.path.join(d, "labels.tsv")):
        im = imread(os.path.join(d, "images", r["image"]))
        add(Item(im, (0, 0, im.shape[1], im.shape[0]), clean(r["plate"]), 2, "eu2", r["country"].lower()), clean(r["plate"]))
    d = os.path.join(DATA, "plates-openalpr-us-crops")
    for r in tsv(os.path.join(d, "labels.tsv")):
        if r["plate"] == "0":
            continue
        im = imread(os.path.join(d, "images", r["image"]))
        # US crops show the whole plate (state name, slogan): the registration is the middle band
        add(Item(im, (0, 0, im.shape[1], im.shape[0]), clean(r["plate"]), 1, "us", "us-" + r["state"]), clean(r["plate"]))
    d = os.path.join(DATA, "plates-openalpr-br-crops")
    for r in tsv(os.path.join(d, "labels.tsv")):
        im = imread(os.path.join(d, "images", r["image"]))
        add(Item(im, (0, 0, im.shape[1], im.shape[0]), clean(r["plate"]), 1, "br", "br"), clean(r["plate"]))
    d = os.path.join(DATA, "plates-ar-fastplateocr-crops")
    for r in tsv(os.path.join(d, "labels.tsv")):
        im = imread(os.path.join(d, "images", r["image"]))
        rows = 2 if "moto" in r["format"] else 1
        add(Item(im, (0, 0, im.shape[1], im.shape[0]), clean(r["plate"]), rows, "ar", "ar"), clean(r["plate"]))
    d = os.path.join(DATA, "plates-fr-qanastek")
    for r in tsv(os.path.join(d, "crops.tsv")):
        im = imread(os.path.join(d, "crops", r["image"]))
        box = tuple(float(r[k]) for k in ("plate_x", "plate_y", "plate_w", "plate_h"))
        add(Item(im, box, clean(r["plate"]), 1, "fr", "fr"), "", held=r["split"] == "test")
    return tr, va


def to_line(crop, rows):
    """Reader input layout: one-row crops as they are; two-row crops as top half | bottom half."""
    if rows < 2:
        return cv2.resize(crop, (W, H), interpolation=cv2.INTER_LINEAR)
    h = crop.shape[0]
    cut = int(round(h * (0.5 + ROW_OVERLAP))), int(round(h * (0.5 - ROW_OVERLAP)))
    top = cv2.resize(crop[: max(1, cut[0])], (W // 2, H), interpolation=cv2.INTER_LINEAR)
    bot = cv2.resize(crop[min(h - 1, cut[1]):], (W // 2, H), interpolation=cv2.INTER_LINEAR)
    return np.concatenate([top, bot], axis=1)


def pipeline_crop(img, box, rows, rng=None, work_h=None):
    """Cut like the pipeline: box (+ detector-like jitter when rng), margins, warp to a work size."""
    x, y, w, h = box
    q = np.float32([[x - MARGIN_X * w, y - MARGIN_Y * h], [x + w + MARGIN_X * w, y - MARGIN_Y * h],
                    [x + w + MARGIN_X * w, y + h + MARGIN_Y * h], [x - MARGIN_X * w, y + h + MARGIN_Y * h]])
    if rng is not None:
        j = lambda s: rng.gauss(0, 0.045) * s
        q += np.float32([[j(w), j(h)], [j(w), j(h)], [j(w), j(h)], [j(w), j(h)]])
        dx, dy = rng.gauss(0, 0.03) * w, rng.gauss(0, 0.05) * h
        q += np.float32([dx, dy])
        s = math.exp(rng.gauss(0, 0.06))
        c = q.mean(0)
        a = math.radians(rng.gauss(0, 2.5))
        R = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]]) * s
        q = (q - c) @ R.T + c
    ow = w * (1 + 2 * MARGIN_X)
    oh = h * (1 + 2 * MARGIN_Y)
    if work_h is None:
        work_h = int(round(oh))
    work_h = max(8, work_h)
    work_w = max(16, int(round(work_h * ow / oh)))
    M = cv2.getPerspectiveTransform(q, np.float32([[0, 0], [work_w, 0], [work_w, work_h], [0, work_h]]))
    return cv2.warpPerspective(img, M, (work_w, work_h), flags=cv2.INTER_AREA if work_h < oh else cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)


def photometric(rng, im):
    if rng.random() < 0.35:
        k = rng.choice([3, 3, 5])
        im = cv2.GaussianBlur(im, (k, k), rng.uniform(0.3, 1.4))
    if rng.random() < 0.15:  # motion blur
        k = rng.choice([3, 5, 7])
        ker = np.zeros((k, k), np.float32)
        ker[k // 2, :] = 1.0 / k
        im = cv2.filter2D(im, -1, ker)
    im = im.astype(np.float32)
    im = (im - 128) * rng.uniform(0.6, 1.35) + 128 + rng.uniform(-45, 45)
    im *= np.float32([rng.uniform(0.85, 1.15) for _ in range(3)])
    if rng.random() < 0.4:
        im += np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(2, 10), im.shape)
    im = np.clip(im, 0, 255).astype(np.uint8)
    if rng.random() < 0.12:
        im = cv2.cvtColor(cv2.cvtColor(im, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    if rng.random() < 0.5:
        _, enc = cv2.imencode(".jpg", im, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(25, 90)])
        im = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return im


def augment(rng, it: Item):
    x, y, w, h = it.box
    # plate width as the pipeline sees it: 30..300 px (never above the source's own resolution)
    pw = min(w, math.exp(rng.uniform(math.log(28), math.log(300))))
    work_h = int(round(h * (1 + 2 * MARGIN_Y) * pw / w))
    crop = pipeline_crop(it.img, it.box, it.rows, rng, work_h)
    crop = photometric(rng, crop)
    return to_line(crop, it.rows)


def synthetic(rng, style=None):
    """A rendered plate placed in a random scene patch, cut like the pipeline."""
    style = style or rng.choices([f for f, _ in synth.STYLES], [p for _, p in synth.STYLES])[0]
    plate, label = style(rng)
    plate = cv2.cvtColor(np.asarray(plate), cv2.COLOR_RGB2BGR)
    ph, pw = plate.shape[:2]
    bg = cv2.cvtColor(synth.random_background(rng, int(pw * 2), int(ph * 2)), cv2.COLOR_RGB2BGR)
    ox, oy = int(pw * 0.5), int(ph * 0.5)
    bg[oy:oy + ph, ox:ox + pw] = plate
    rows = 2 if style is synth.render_two_line else 1
    return augment(rng, Item(bg, (ox, oy, pw, ph), clean(label), rows, "synth")), clean(label)


def fixed(items):
    """Validation inputs: the pipeline's crop of the true box, no jitter, no degradation."""
    return [(to_line(pipeline_crop(it.img, it.box, it.rows), it.rows), it.text) for it in items]


def validation_sets():
    """Every held-out set as fixed (input, text) pairs, by source, plus plates-openlpr-val."""
    _, va = crops("val")
    by = {}
    for it in va:
        by.setdefault(it.src, []).append(it)
    sets = {k: fixed(v) for k, v in by.items()}
    sets["openlpr-val"] = fixed(scenes_openlpr("plates-openlpr-val"))
    return sets


def to_batch(ims):
    a = np.stack(ims).astype(np.float32) / 255.0
    return ((a - 0.5) / 0.5).transpose(0, 3, 1, 2).copy()
