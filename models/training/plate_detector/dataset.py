"""Data loading, augmentation and CenterNet targets for the plate detector.

Images are read from /work/shared/data (never copied into the repo). Everything is cached in RAM
as uint8 arrays so that augmentation stays cheap on a 2-core machine.
"""
import csv
import math
import os
import random
from collections import defaultdict

import cv2
import numpy as np
import torch

DATA = os.environ.get("PLATE_DATA", "/work/shared/data")
PAD = 114
STRIDE = 4

cv2.setNumThreads(1)


def read_boxes(folder, split=None):
    """-> list of (image_path, boxes float32 [n,4] x1,y1,x2,y2 in stored-image pixels)."""
    rows = list(csv.DictReader(open(os.path.join(DATA, folder, "boxes.tsv")), delimiter="\t"))
    by = defaultdict(list)
    order = []
    for r in rows:
        if split is not None and r.get("split") != split:
            continue
        name = r["image"]
        if name not in by:
            order.append(name)
        x, y, w, h = (float(r[k]) for k in ("x", "y", "w", "h"))
        by[name].append([x, y, x + w, y + h])
    return [(os.path.join(DATA, folder, "images", n), np.array(by[n], np.float32).reshape(-1, 4)) for n in order]


def load_rgb(path):
    im = cv2.imread(path, cv2.IMREAD_COLOR)
    if im is None:
        raise IOError(path)
    return cv2.cvtColor(im, cv2.COLOR_BGR2RGB)


def letterbox(img, S, interp=None):
    """Top-left letterbox. Returns (uint8 [S,S,3], r). r = S / max(w, h)."""
    h, w = img.shape[:2]
    r = S / max(w, h)
    nw, nh = max(1, int(round(w * r))), max(1, int(round(h * r)))
    if interp is None:
        interp = cv2.INTER_AREA if r < 1 else cv2.INTER_LINEAR
    rs = cv2.resize(img, (nw, nh), interpolation=interp)
    out = np.full((S, S, 3), PAD, np.uint8)
    out[:nh, :nw] = rs
    return out, r


# ---------------------------------------------------------------------------------------------
# augmentation

def color_aug(img):
    img = img.astype(np.float32)
    if random.random() < 0.8:  # brightness / contrast
        a = random.uniform(0.6, 1.4)
        b = random.uniform(-40, 40)
        img = img * a + b + (1 - a) * img.mean() * random.uniform(0, 1)
    if random.random() < 0.5:  # per-channel gain (colour cast, e.g. magenta night ride)
        img = img * np.array([random.uniform(0.75, 1.3) for _ in range(3)], np.float32)
    if random.random() < 0.5:  # saturation
        g = img.mean(axis=2, keepdims=True)
        s = random.uniform(0.0, 1.6)
        img = g + (img - g) * s
    if random.random() < 0.1:
        img = np.repeat(img.mean(axis=2, keepdims=True), 3, axis=2)
    img = np.clip(img, 0, 255)
    if random.random() < 0.3:  # gamma
        gm = random.uniform(0.6, 1.6)
        img = 255.0 * (img / 255.0) ** gm
    if random.random() < 0.25:
        img = img + np.random.normal(0, random.uniform(2, 10), img.shape).astype(np.float32)
    img = np.clip(img, 0, 255).astype(np.uint8)
    if random.random() < 0.2:
        k = random.choice([3, 5])
        img = cv2.GaussianBlur(img, (k, k), 0)
    if random.random() < 0.2:
        q = random.randint(20, 70)
        ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
        if ok:
            img = cv2.imdecode(enc, cv2.IMREAD_UNCHANGED)
    return img


def random_view(img, boxes, C, smin=224, smax=960, p_letterbox=0.2, p_zoom=0.0, focus=False):
    """Random zoom (as if letterboxed at an 'effective size' in [smin, smax]) + crop to CxC.
    p_zoom: share of close-up views, scaled so one plate spans 25-75 % of the crop's width (photos where
    the plate is up to 60 % of the frame, which letterboxed views of these scenes almost never show).
    focus: the scene boxes only one plate (others unlabelled), so every view is a close-up around it.
    Returns (crop uint8 [C,C,3], boxes [n,4], ignore boxes [m,4])."""
    h, w = img.shape[:2]
    k_focus = random.randrange(len(boxes)) if len(boxes) else None
    close = bool(len(boxes)) and (focus or random.random() < p_zoom)
    if close:
        pw = max(2.0, float(boxes[k_focus, 2] - boxes[k_focus, 0]))
        tw = C * math.exp(random.uniform(math.log(0.25), math.log(0.75)))
        r = tw / pw
        a = math.exp(random.uniform(-0.1, 0.1))
        rx, ry = r * a, r / a
    elif random.random() < p_letterbox:
        S_eff = random.uniform(0.6 * C, C)
        r = S_eff / max(w, h)
        rx, ry = r, r
    else:
        S_eff = math.exp(random.uniform(math.log(smin), math.log(smax)))
        r = S_eff / max(w, h)
        a = math.exp(random.uniform(-0.15, 0.15))
        rx, ry = r * a, r / a
    nw, nh = max(1, int(round(w * rx))), max(1, int(round(h * ry)))
    rx, ry = nw / w, nh / h
    interp = cv2.INTER_AREA if max(rx, ry) < 1 else cv2.INTER_LINEAR
    rs = cv2.resize(img, (nw, nh), interpolation=interp)
    b = boxes * np.array([rx, ry, rx, ry], np.float32)
    # placement: offset (ox, oy) of the resized image inside the crop (negative = cropped)
    def axis_off(n, lo_c, hi_c, always=False):
        if n <= C:
            return 0 if random.random() < 0.5 else random.randint(0, C - n)
        if lo_c is not None and (always or random.random() < 0.85):
            # keep [lo_c, hi_c] (a plate centre) inside the crop: lo_c + off >= 0 and hi_c + off <= C - 1
            # (until 2026-12-03 the two bounds were swapped, so this never held and every crop was uniform)
            lo = max(-(n - C), int(math.ceil(-lo_c)))
            hi = min(0, int(C - 1 - hi_c))
            if lo <= hi:
                return random.randint(lo, hi)
        return -random.randint(0, n - C)
    if len(b):
        k = k_focus
        cx, cy = (b[k, 0] + b[k, 2]) / 2, (b[k, 1] + b[k, 3]) / 2
        if close:  # the whole plate inside the crop
            ox = axis_off(nw, b[k, 0], b[k, 2], True)
            oy = axis_off(nh, b[k, 1], b[k, 3], True)
        else:
            ox = axis_off(nw, cx - 4, cx + 4)
            oy = axis_off(nh, cy - 4, cy + 4)
    else:
        ox, oy = axis_off(nw, None, None), axis_off(nh, None, None)
    out = np.full((C, C, 3), PAD, np.uint8)
    x0, y0 = max(0, -ox), max(0, -oy)
    x1, y1 = min(nw, C - ox), min(nh, C - oy)
    out[y0 + oy:y1 + oy, x0 + ox:x1 + ox] = rs[y0:y1, x0:x1]
    b = b + np.array([ox, oy, ox, oy], np.float32)
    keep, ign = [], []
    for bb in b:
        area = (bb[2] - bb[0]) * (bb[3] - bb[1])
        cb = np.clip(bb, 0, C)
        carea = max(0.0, cb[2] - cb[0]) * max(0.0, cb[3] - cb[1])
        if carea <= 0:
            continue
        vis = carea / max(area, 1e-6)
        ch = cb[3] - cb[1]
        if vis >= 0.6 and ch >= 3.0 and (cb[2] - cb[0]) >= 5.0:
            keep.append(cb)
        else:
            ign.append(cb)
    keep = np.array(keep, np.float32).reshape(-1, 4)
    ign = np.array(ign, np.float32).reshape(-1, 4)
    return out, keep, ign


def hflip(img, boxes, ign):
    C = img.shape[1]
    img = img[:, ::-1].copy()
    def f(b):
        if len(b) == 0:
            return b
        return np.stack([C - b[:, 2], b[:, 1], C - b[:, 0], b[:, 3]], 1)
    return img, f(boxes), f(ign)


# ---------------------------------------------------------------------------------------------
# targets

def make_targets(boxes, ign, C, stride=STRIDE, alpha=0.54):
    """CenterNet/TTFNet-style targets on the stride grid.
    heat [1,G,G]: elliptical Gaussian per box, 1.0 at the cell holding the centre.
    ignore [1,G,G]: 1 where negatives are not penalised (cut/tiny plates).
    reg_w [G,G]: weight of each cell for box regression; reg_box [4,G,G]: target x1,y1,x2,y2 (input px)."""
    G = C // stride
    heat = np.zeros((G, G), np.float32)
    ignore = np.zeros((G, G), np.float32)
    reg_w = np.zeros((G, G), np.float32)
    reg_box = np.zeros((4, G, G), np.float32)
    reg_area = np.full((G, G), np.inf, np.float32)
    ys, xs = np.mgrid[0:G, 0:G].astype(np.float32)
    ccx, ccy = (xs + 0.5) * stride, (ys + 0.5) * stride  # cell centres, input px
    for bb in ign:
        gx0, gy0 = int(max(0, bb[0] // stride)), int(max(0, bb[1] // stride))
        gx1, gy1 = int(min(G, math.ceil(bb[2] / stride))), int(min(G, math.ceil(bb[3] / stride)))
        ignore[gy0:gy1, gx0:gx1] = 1
    for bb in boxes:
        x1, y1, x2, y2 = bb
        w, h = x2 - x1, y2 - y1
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
        ci, cj = min(G - 1, int(cy // stride)), min(G - 1, int(cx // stride))
        sx = max(alpha * w / 6.0, stride * 0.5)
        sy = max(alpha * h / 6.0, stride * 0.5)
        g = np.exp(-((ccx - cx) ** 2) / (2 * sx * sx) - ((ccy - cy) ** 2) / (2 * sy * sy))
        g[ci, cj] = 1.0
        heat = np.maximum(heat, g)
        # regression cells: inside the box with g >= 0.3, plus the centre cell
        inside = (ccx > x1) & (ccx < x2) & (ccy > y1) & (ccy < y2)
        m = (g >= 0.3) & inside
        m[ci, cj] = True
        area = w * h
        m &= area < reg_area
        reg_area[m] = area
        reg_w[m] = g[m]
        for k, v in enumerate((x1, y1, x2, y2)):
            reg_box[k][m] = v
    ignore[heat > 0] = 0
    return heat[None], ignore[None], reg_w, reg_box


class TrainSet(torch.utils.data.Dataset):
    def __init__(self, records, crop=320, length=None, weights=None, smin=224, smax=960, p_zoom=0.0, focus=None):
        self.records = records
        self.crop = crop
        self.p_zoom = p_zoom
        self.focus = focus or [False] * len(records)
        self.smin, self.smax = smin, smax
        self.images = None
        self.length = length or len(records)
        self.weights = np.array(weights if weights is not None else [1.0] * len(records), np.float64)
        self.weights /= self.weights.sum()

    def cache(self):
        self.images = [load_rgb(p) for p, _ in self.records]
        return self

    def __len__(self):
        return self.length

    def __getitem__(self, idx):
        k = int(np.random.choice(len(self.records), p=self.weights))
        img = self.images[k] if self.images is not None else load_rgb(self.records[k][0])
        boxes = self.records[k][1]
        crop, b, ign = random_view(img, boxes, self.crop, self.smin, self.smax, p_zoom=self.p_zoom, focus=self.focus[k])
        if random.random() < 0.5:
            crop, b, ign = hflip(crop, b, ign)
        crop = color_aug(crop)
        heat, ignore, reg_w, reg_box = make_targets(b, ign, self.crop)
        x = torch.from_numpy(np.ascontiguousarray(crop.transpose(2, 0, 1)))  # uint8 CHW
        return x, torch.from_numpy(heat), torch.from_numpy(ignore), torch.from_numpy(reg_w), torch.from_numpy(reg_box)


def worker_init(wid):
    s = (torch.initial_seed() + wid) % (2 ** 32)
    random.seed(s)
    np.random.seed(s)


def read_fr(split):
    """plates-fr-qanastek scenes: one boxed plate per photo, other plates unlabelled (its README)."""
    rows = csv.DictReader(open(os.path.join(DATA, "plates-fr-qanastek", "labels.tsv")), delimiter="\t")
    out = []
    for r in rows:
        if r["split"] != split:
            continue
        x, y, w, h = (float(r[k]) for k in ("x", "y", "w", "h"))
        out.append((os.path.join(DATA, "plates-fr-qanastek", "images", r["image"]), np.array([[x, y, x + w, y + h]], np.float32)))
    return out


def train_records():
    op = read_boxes("plates-openlpr-train")
    ro = read_boxes("plates-romanian", split="train")
    return op, ro


def val_records(name):
    if name == "openlpr":
        return read_boxes("plates-openlpr-val")
    if name == "romanian":
        return read_boxes("plates-romanian", split="valid")
    raise ValueError(name)
