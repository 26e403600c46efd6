"""Data for the plate reader: real openalpr crops (read from /work/shared/data at run time,
never copied), the held-out split rule, augmentation, and a mixed real+synthetic batch stream.

Split rule (reproduce it in TypeScript for the benchmark):
    text = plate label, upper-case alnum (US rows with plate "0" are dropped)
    val  <=> int(sha1(text.encode("utf-8")).hexdigest(), 16) % 100 < 15
i.e. take the SHA-1 of the plate text, read the 160-bit digest as a big-endian integer, mod 100.
(Equivalently: the digest's big-endian integer mod 100; all crops of one text fall on one side.)
The resulting lists are in splits/{us,br}-val.txt (image<TAB>text).
"""
import hashlib
import math
import os
import random

import cv2
import numpy as np
import torch

import synth
from model import ALPHABET, H, W

DATA_ROOT = os.environ.get("PLATE_DATA", "/work/shared/data")
SETS = {"us": "plates-openalpr-us-crops", "br": "plates-openalpr-br-crops"}
HERE = os.path.dirname(os.path.abspath(__file__))
CHAR2IDX = {c: i + 1 for i, c in enumerate(ALPHABET)}


def clean(text):
    return "".join(c for c in text.upper() if c in CHAR2IDX)


def is_val(text):
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 100 < 15


def load_rows(name):
    """All labelled rows of a crop set: list of (image_path, image_name, text)."""
    d = os.path.join(DATA_ROOT, SETS[name])
    rows = []
    with open(os.path.join(d, "labels.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        ci, cp = header.index("image"), header.index("plate")
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) <= cp:
                continue
            text = clean(p[cp])
            if not text or text == "0":
                continue
            rows.append((os.path.join(d, "images", p[ci]), p[ci], text))
    return rows


def split(name, which):
    rows = load_rows(name)
    return [r for r in rows if is_val(r[2]) == (which == "val")]


def write_splits():
    os.makedirs(os.path.join(HERE, "splits"), exist_ok=True)
    for name in SETS:
        val = split(name, "val")
        with open(os.path.join(HERE, "splits", "%s-val.txt" % name), "w") as f:
            f.write("# held-out: int(sha1(text).hexdigest(),16) %% 100 < 15 ; %d crops, %d distinct texts\n"
                    % (len(val), len({r[2] for r in val})))
            for _, img, text in val:
                f.write("%s\t%s\n" % (img, text))


def read_rgb(path):
    im = cv2.imread(path, cv2.IMREAD_COLOR)
    return cv2.cvtColor(im, cv2.COLOR_BGR2RGB)


def preprocess(img_rgb, h=H, w=W):
    """The deployment contract: stretch to h x w (bilinear), (v/255-0.5)/0.5, CHW float32."""
    im = cv2.resize(img_rgb, (w, h), interpolation=cv2.INTER_LINEAR)
    return ((im.astype(np.float32) / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)


def to_tensor_uint8(img):  # HxWx3 uint8 (already h x w) -> CHW float normalised
    return ((img.astype(np.float32) / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)


def augment_real(rng, img, h=H, w=W, strong=True):
    """Detector-like crop jitter (margins -3..+12 % per side, rotation, slight perspective) + photometric."""
    ih, iw = img.shape[:2]
    src = np.float32([[0, 0], [iw, 0], [iw, ih], [0, ih]])
    m = lambda: rng.uniform(-0.03, 0.12)
    box = np.float32([[-m() * iw, -m() * ih], [iw + m() * iw, -m() * ih], [iw + m() * iw, ih + m() * ih],
                      [-m() * iw, ih + m() * ih]])
    box += np.float32([[rng.uniform(-0.02, 0.02) * iw, rng.uniform(-0.03, 0.03) * ih] for _ in range(4)])
    a = math.radians(rng.uniform(-6, 6))
    c = box.mean(0)
    R = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    box = (box - c) @ R.T + c
    work_h = max(16, int(rng.choice([h, h, 1.5 * h, 2 * h]) * rng.uniform(0.6, 1.0)))
    work_w = max(30, int(work_h * iw / ih * rng.uniform(0.85, 1.15)))
    M = cv2.getPerspectiveTransform(box, np.float32([[0, 0], [work_w, 0], [work_w, work_h], [0, work_h]]))
    border = rng.choice([cv2.BORDER_REPLICATE, cv2.BORDER_REFLECT, cv2.BORDER_CONSTANT])
    out = cv2.warpPerspective(img, M, (work_w, work_h), flags=cv2.INTER_AREA if work_h < ih else cv2.INTER_LINEAR,
                              borderMode=border, borderValue=tuple(int(v) for v in img[0, 0]))
    if strong:
        out = synth.degrade(rng, out, light=True)
    interp = rng.choice([cv2.INTER_LINEAR, cv2.INTER_LINEAR, cv2.INTER_AREA, cv2.INTER_CUBIC])
    return cv2.resize(out, (w, h), interpolation=interp)


def cheap_jitter(rng, im):
    h, w = im.shape[:2]
    s = rng.uniform(0.93, 1.07)
    M = np.float32([[s * rng.uniform(0.95, 1.05), rng.uniform(-0.05, 0.05), rng.uniform(-0.04, 0.04) * w],
                    [rng.uniform(-0.02, 0.02), s, rng.uniform(-0.06, 0.06) * h]])
    M[0, 2] += (1 - M[0, 0]) * w / 2
    M[1, 2] += (1 - M[1, 1]) * h / 2
    out = cv2.warpAffine(im, M, (w, h), borderMode=cv2.BORDER_REPLICATE)
    c, b = rng.uniform(0.8, 1.2), rng.uniform(-20, 20)
    return np.clip((out.astype(np.float32) - 128) * c + 128 + b, 0, 255).astype(np.uint8)


def encode(texts):
    tg = [CHAR2IDX[c] for t in texts for c in t]
    return torch.tensor(tg, dtype=torch.long), torch.tensor([len(t) for t in texts], dtype=torch.long)


def greedy_decode(probs):
    """probs/logits [N,T,C] -> list of strings (argmax, collapse repeats, drop blank 0)."""
    idx = probs.argmax(-1).cpu().numpy() if torch.is_tensor(probs) else probs.argmax(-1)
    out = []
    for row in idx:
        s, prev = [], 0
        for k in row:
            if k != prev and k != 0:
                s.append(ALPHABET[k - 1])
            prev = k
        out.append("".join(s))
    return out


class MixedStream(torch.utils.data.IterableDataset):
    """Infinite stream of batches: fraction p_syn synthetic, p_us US real train, p_br BR real train."""

    def __init__(self, batch=64, mix=(0.5, 0.25, 0.25), seed=0, h=H, w=W, max_len=None):
        self.batch, self.mix, self.seed, self.h, self.w = batch, mix, seed, h, w
        self.buf_size, self.p_new = 3000, 0.35  # synthetic render cache: CPU is the bottleneck
        self.max_len = max_len or (2 * (w // 4)) // 2  # CTC needs T >= L (+repeats); keep labels <= T/2

    def _load(self):
        self.real = {}
        for name in ("us", "br"):
            imgs = []
            for path, _, text in split(name, "train"):
                im = read_rgb(path)
                s = 96.0 / im.shape[0]
                if s < 1:
                    im = cv2.resize(im, (max(1, int(im.shape[1] * s)), 96), interpolation=cv2.INTER_AREA)
                imgs.append((im, text))
            self.real[name] = imgs

    def __iter__(self):
        cv2.setNumThreads(0)
        torch.set_num_threads(1)
        info = torch.utils.data.get_worker_info()
        seed = self.seed * 1000 + (info.id if info else 0) + random.randrange(1 << 20)
        rng = random.Random(seed)
        self._load()
        buf = []
        while True:
            xs, texts = [], []
            for _ in range(self.batch):
                r = rng.random()
                if r < self.mix[0]:
                    if len(buf) < self.buf_size or rng.random() < self.p_new:
                        while True:
                            im, t = synth.render(rng, self.h, self.w)
                            if 0 < len(t) <= self.max_len:
                                break
                        if len(buf) < self.buf_size:
                            buf.append((im, t))
                        else:
                            buf[rng.randrange(self.buf_size)] = (im, t)
                    else:  # reuse a rendered synthetic crop with a cheap geometric/photometric jitter
                        im, t = rng.choice(buf)
                        im = cheap_jitter(rng, im)
                else:
                    name = "us" if r < self.mix[0] + self.mix[1] else "br"
                    src, t = rng.choice(self.real[name])
                    im = augment_real(rng, src, self.h, self.w, strong=rng.random() < 0.8)
                xs.append(to_tensor_uint8(im))
                texts.append(t)
            tg, ln = encode(texts)
            yield torch.from_numpy(np.stack(xs)), tg, ln, texts


if __name__ == "__main__":
    write_splits()
    for n in SETS:
        rows = load_rows(n)
        v = split(n, "val")
        print(n, "rows", len(rows), "val crops", len(v), "val texts", len({r[2] for r in v}),
              "train crops", len(rows) - len(v))
