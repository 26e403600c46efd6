"""Training batches: synthetic line crops (synth.py) resized to height 32, aspect kept,
right-padded to the batch's widest crop (pad value 0 after normalisation, as the
TypeScript side pads)."""
import random

import cv2
import numpy as np
import torch

import synth
from model import H

CHAR2IDX = {c: i + 1 for i, c in enumerate(synth.ALPHABET)}
MAX_W = 512


def to_input(crop, rng=None):
    h, w = crop.shape[:2]
    nw = int(min(MAX_W, max(16, round(w * H / h))))
    # the TypeScript side samples bilinearly (no area filter): train on both
    interp = cv2.INTER_AREA if h > H and (rng is None or rng.random() < 0.5) else cv2.INTER_LINEAR
    return cv2.resize(crop, (nw, H), interpolation=interp)


def batch_from(samples):
    """samples: list of (HxWx3 uint8 at height H, label) -> x [N,3,H,W], targets, lengths, texts."""
    W = max(s[0].shape[1] for s in samples)
    W = (W + 7) // 8 * 8
    x = np.zeros((len(samples), 3, H, W), np.float32)
    for i, (im, _) in enumerate(samples):
        x[i, :, :, :im.shape[1]] = (im.transpose(2, 0, 1).astype(np.float32) / 255.0 - 0.5) / 0.5
    texts = [t for _, t in samples]
    tg = torch.tensor([CHAR2IDX[c] for t in texts for c in t], dtype=torch.long)
    ln = torch.tensor([len(t) for t in texts], dtype=torch.long)
    return torch.from_numpy(x), tg, ln, texts


def alignable(im, label):
    """CTC needs 2·len+1 steps (one per 4 px of width): skip lines squeezed beyond that."""
    return len(label) * 2 + 1 <= im.shape[1] // 4


def fixed_set(n, seed):
    """n text lines (no empty labels) rendered from a fixed seed, at the reader's input height."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        crop, label = synth.render(rng)
        im = to_input(crop)
        if label and alignable(im, label):
            out.append((im, label))
    return out


class Stream(torch.utils.data.IterableDataset):
    def __init__(self, batch, seed):
        self.batch, self.seed = batch, seed

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        rng = random.Random(self.seed * 1000 + (info.id if info else 0))
        while True:
            out = []
            while len(out) < self.batch * 4:
                crop, label = synth.render(rng)
                im = to_input(crop, rng)
                if alignable(im, label):
                    out.append((im, label))
            # similar widths together: less padding per batch
            out.sort(key=lambda s: s[0].shape[1])
            chunks = [out[i:i + self.batch] for i in range(0, len(out), self.batch)]
            rng.shuffle(chunks)
            for c in chunks:
                yield batch_from(c)


def greedy_decode(probs):
    idx = probs.argmax(-1).cpu().numpy()
    res = []
    for row in idx:
        s, prev = [], 0
        for k in row:
            if k != prev and k != 0:
                s.append(synth.ALPHABET[k - 1])
            prev = k
        res.append(" ".join("".join(s).split()))
    return res
