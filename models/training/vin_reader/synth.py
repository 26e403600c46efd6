"""Synthetic VIN-scene text-line crops (project-owned renderer; fonts from Debian packages).

render(rng) -> (RGB uint8 crop, label): one text line cut the way PlateLens' text detector
(PP-OCR DB, unclip 1.5) cuts it — loose vertical margins, some horizontal slack, a few
degrees of tilt, bits of the neighbouring lines — at the text's own pixel size (cap
height 7..44 px), so resizing to the reader's 32 px height reproduces the blur of small
text. Label: upper-case text over ALPHABET (lower case is read as upper case; other
punctuation is dropped from the label).

Line kinds: a VIN (≈55 %: bare, with a label such as "VIN:" / "CHASSIS NO.", or split into
groups by spaces), distractor lines of door stickers / documents (≈30 %), and random
alphanumeric codes (≈15 %, so the reader does not learn "every line is 17 characters").
Surfaces: printed sticker, windshield plate (light or dark), document, stamped metal
(engraved with a light edge), dot-peened metal, inverse (light on dark).

This renderer is independent of the TypeScript scene generator the tests use
(packages/core/test/gen), so the test set stays unseen.

python3 synth.py OUT_DIR N [SEED] -> writes N samples as PNG + labels.tsv (to look at them)
"""
import glob
import math
import os
import random
import string
import sys

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ :-./#"
VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
YEAR_CHARS = "ABCDEFGHJKLMNPRSTVWXY123456789"

F = "/usr/share/fonts/"
FONTS_PRINT = [F + p for p in [
    "truetype/opendin/OSP-DIN.ttf", "truetype/dejavu/DejaVuSans.ttf", "truetype/dejavu/DejaVuSans-Bold.ttf",
    "truetype/dejavu/DejaVuSansCondensed.ttf", "truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
    "truetype/dejavu/DejaVuSansMono.ttf", "truetype/dejavu/DejaVuSansMono-Bold.ttf",
    "truetype/liberation/LiberationSans-Regular.ttf", "truetype/liberation/LiberationSans-Bold.ttf",
    "truetype/liberation/LiberationSansNarrow-Regular.ttf", "truetype/liberation/LiberationSansNarrow-Bold.ttf",
    "truetype/liberation/LiberationMono-Regular.ttf", "truetype/liberation/LiberationMono-Bold.ttf",
    "truetype/liberation/LiberationSerif-Regular.ttf", "truetype/dejavu/DejaVuSerif.ttf",
    "opentype/b612/B612-Regular.otf", "opentype/b612/B612-Bold.otf", "opentype/b612/B612Mono-Regular.otf",
    "opentype/b612/B612Mono-Bold.otf", "truetype/roboto/unhinted/RobotoCondensed-Regular.ttf",
    "truetype/roboto/unhinted/RobotoCondensed-Bold.ttf", "truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf",
    "truetype/roboto/unhinted/RobotoTTF/Roboto-Medium.ttf", "opentype/bebas-neue/BebasNeue-Regular.otf",
    "opentype/ocr-b/OCRB.otf",
]]
FONTS_MONO = [F + p for p in [
    "opentype/ocr-b/OCRB.otf", "truetype/dejavu/DejaVuSansMono.ttf", "truetype/dejavu/DejaVuSansMono-Bold.ttf",
    "truetype/liberation/LiberationMono-Regular.ttf", "truetype/liberation/LiberationMono-Bold.ttf",
    "opentype/b612/B612Mono-Regular.otf", "opentype/b612/B612Mono-Bold.otf", "truetype/opendin/OSP-DIN.ttf",
    "truetype/roboto/unhinted/RobotoCondensed-Bold.ttf",
]]
FONTS_PRINT = [f for f in FONTS_PRINT if os.path.exists(f)]
FONTS_MONO = [f for f in FONTS_MONO if os.path.exists(f)]
_font_cache = {}


def font(path, size):
    key = (path, int(size))
    f = _font_cache.get(key)
    if f is None:
        if len(_font_cache) > 3000:
            _font_cache.clear()
        f = _font_cache[key] = ImageFont.truetype(path, max(6, int(size)))
    return f


# ------------------------------------------------------------------ text

WMIS = ["1HG", "1FT", "1G1", "1GC", "2T1", "2HG", "3VW", "3FA", "4T1", "4S3", "5YJ", "5NP", "1C4", "1N4", "2G1",
        "3N1", "5FN", "1FA", "4JG", "5UX", "1FM", "1GN", "1J4", "2C3", "3GN", "JHM", "JTD", "JN1", "KMH", "KNA",
        "LSV", "LFV", "LVS", "LHG", "LGB", "LRW", "WVW", "WBA", "WDB", "WAU", "WP0", "VF1", "VF3", "VSS", "ZFA",
        "SAL", "SJN", "YV1", "TMB", "WF0", "JMZ", "SCC", "VNK", "TRU", "UU1", "NM0", "MAL", "MA3", "9BW", "8AP"]
WEIGHTS = {c: w for c, w in zip("ABCDEFGH", range(1, 9))}
WEIGHTS.update({"J": 1, "K": 2, "L": 3, "M": 4, "N": 5, "P": 7, "R": 9, "S": 2, "T": 3, "U": 4, "V": 5, "W": 6,
                "X": 7, "Y": 8, "Z": 9})
POS_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def translit(c):
    return int(c) if c.isdigit() else WEIGHTS[c]


def random_vin(rng):
    c = list(rng.choice(WMIS) if rng.random() < 0.8 else "".join(rng.choice(VIN_CHARS) for _ in range(3)))
    c += [rng.choice(VIN_CHARS) for _ in range(5)] + ["0"] + [rng.choice(YEAR_CHARS), rng.choice(VIN_CHARS)]
    tail = rng.random()
    c += [rng.choice(string.digits) if tail < 0.7 or i >= 2 else rng.choice(VIN_CHARS) for i in range(6)]
    if c[0] in "12345L" or rng.random() < 0.3:
        s = sum(translit(ch) * w for ch, w in zip(c, POS_W)) % 11
        c[8] = "X" if s == 10 else str(s)
    else:
        c[8] = rng.choice(VIN_CHARS)
    return "".join(c)


PREFIXES = ["VIN", "VIN:", "VIN :", "VIN NO.", "VIN NO:", "V.I.N.", "VIN#", "VIN #", "CHASSIS NO.", "CHASSIS:",
            "FIN", "FIN:", "No.", "Ident-Nr.", "E", "VEH. ID:", "VEHICLE ID NO.", "Fahrgestell-Nr.", "VIN/NIV"]
SUFFIXES = ["MADE IN USA", "MADE IN JAPAN", "PASS CAR", "MPV", "TRUCK", "05/19", "2021", "*", "A1", "3"]
WORDS = ("manufactured by date gvwr gawr front rear with tires rims at cold psi kpa this vehicle conforms to all "
         "applicable federal motor safety bumper and theft prevention standards in effect on the date of "
         "manufacture shown above type paint trim color model year engine transmission axle plant made in usa "
         "honda toyota ford motor company general motors nissan volkswagen bmw daimler hyundai kia subaru mazda "
         "registration certificate owner name address county title number plate expires issued class weight "
         "fuel gas diesel body sedan wagon coupe pickup mpv seats license odometer miles km exempt tax fee "
         "inspection valid until signature lienholder").split()


def distractor_line(rng):
    r = rng.random()
    up = rng.random() < 0.6
    if r < 0.25:
        s = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 7)))
    elif r < 0.5:
        s = rng.choice([
            "GVWR %d KG (%d LB)" % (rng.randint(1500, 4000), rng.randint(3000, 9000)),
            "GAWR FRT %d KG (%d LB)" % (rng.randint(700, 2000), rng.randint(1500, 4400)),
            "%d/%dR%d %d%s" % (rng.choice([185, 195, 205, 215, 225, 235, 245, 265]), rng.choice([45, 50, 55, 60, 65, 70]),
                               rng.randint(14, 20), rng.randint(85, 110), rng.choice("HVTW")),
            "MFD BY %s %02d/%02d" % (rng.choice(WORDS).upper(), rng.randint(1, 12), rng.randint(10, 29)),
            "TYPE: %s  PAINT %s%d" % (rng.choice(["PASS CAR", "MPV", "TRUCK", "BUS"]), rng.choice(string.ascii_uppercase),
                                      rng.randint(10, 999)),
            "DATE %02d/%04d" % (rng.randint(1, 12), rng.randint(1995, 2026)),
            "%d PSI  %d KPA" % (rng.randint(28, 44), rng.randint(190, 300)),
            "MODEL %s%d%s" % (rng.choice(string.ascii_uppercase), rng.randint(10, 9999), rng.choice(["", "-AT", " LX", " EX"])),
            "TEL. %03d-%03d-%04d" % (rng.randint(100, 999), rng.randint(100, 999), rng.randint(0, 9999)),
        ])
    elif r < 0.75:
        n = rng.randint(1, 5)
        s = " ".join(rng.choice(WORDS) if rng.random() < 0.5 else
                     "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(rng.randint(2, 8)))
                     for _ in range(n))
    else:
        s = "%s %s" % (rng.choice(["No.", "REF", "SER", "P/N", "CODE", "ID", "LOT"]),
                       "".join(rng.choice(string.ascii_uppercase + string.digits + "-") for _ in range(rng.randint(5, 14))))
    return s.upper() if up else s


def random_code(rng):
    n = rng.randint(6, 24)
    pool = string.ascii_uppercase + string.digits
    s = "".join(rng.choice(pool) for _ in range(n))
    if rng.random() < 0.3:
        i = rng.randint(1, n - 1)
        s = s[:i] + rng.choice(" -:") + s[i:]
    return s


def spaced_vin(rng, v):
    groups = rng.choice([(3, 6, 8), (3, 5, 1, 8), (4, 4, 4, 5), (3, 6, 2, 6), (8, 1, 8), (11, 6), (3, 14)])
    out, i = [], 0
    for g in groups:
        out.append(v[i:i + g])
        i += g
    return (" " * rng.choice([1, 1, 2])).join(out)


def line_text(rng):
    r = rng.random()
    if r < 0.55:
        v = random_vin(rng)
        s = spaced_vin(rng, v) if rng.random() < 0.15 else v
        if rng.random() < 0.35:
            s = rng.choice(PREFIXES) + rng.choice([" ", " ", "", "  "]) + s
        if rng.random() < 0.08:
            s = s + "  " + rng.choice(SUFFIXES)
        if rng.random() < 0.04:
            s = "*" + s + "*"
        return s
    if r < 0.85:
        return distractor_line(rng)
    return random_code(rng)


def label_of(s):
    up = s.upper()
    up = "".join(c for c in up if c in ALPHABET)
    return " ".join(up.split())  # one space between words, none at the ends


# ------------------------------------------------------------------ surfaces

def _rgb(v):
    return tuple(int(np.clip(x, 0, 255)) for x in v)


def surface_colours(rng, surface):
    """(background rgb, ink rgb) for a surface."""
    if surface in ("sticker", "document"):
        bg = np.array(rng.choice([(245, 245, 240), (235, 235, 235), (250, 248, 225), (215, 220, 225), (250, 240, 200),
                                  (240, 230, 210), (200, 205, 210)])) + rng.randint(-20, 10)
        ink = np.array(rng.choice([(15, 15, 15), (40, 40, 40), (20, 20, 80), (70, 20, 20), (60, 60, 60)])) + rng.randint(0, 40)
    elif surface == "inverse":
        bg = np.array(rng.choice([(20, 20, 20), (30, 30, 60), (60, 60, 60), (10, 40, 20)])) + rng.randint(0, 30)
        ink = np.array(rng.choice([(240, 240, 240), (230, 220, 180), (200, 200, 200)])) - rng.randint(0, 40)
    elif surface == "windshield":
        if rng.random() < 0.5:
            bg = np.full(3, rng.randint(150, 215))
            ink = np.full(3, rng.randint(10, 70))
        else:
            bg = np.full(3, rng.randint(20, 70))
            ink = np.full(3, rng.randint(170, 235))
    else:  # metal
        l = rng.randint(70, 170)
        tint = np.array([rng.uniform(0.9, 1.1), 1.0, rng.uniform(0.9, 1.1)])
        bg = np.full(3, l) * tint
        # faint marks are common on real chassis (shallow dots, paint over them): ~45 % faint
        ink = bg * (rng.uniform(0.3, 0.68) if rng.random() < 0.55 else rng.uniform(0.7, 0.86))
    return _rgb(bg), _rgb(ink)


def texture(rng, img, surface):
    h, w = img.shape[:2]
    out = img.astype(np.float32)
    rs = np.random.RandomState(rng.randrange(1 << 30))
    if surface in ("stamped", "dotpeen"):
        # brushing streaks + low-frequency blotches (rust, grease)
        streak = cv2.GaussianBlur(rs.normal(0, 1, (h, w)).astype(np.float32), (0, 0), sigmaX=rng.uniform(6, 20), sigmaY=0.6)
        out += (streak * rng.uniform(10, 40))[..., None]
        blot = cv2.resize(rs.normal(0, 1, (4, 8)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
        out += (blot * rng.uniform(5, 25))[..., None]
        if rng.random() < 0.3:
            out[..., 0] += blot * rng.uniform(5, 20)
    elif rng.random() < 0.4:
        g = cv2.resize(rs.normal(0, 1, (3, 6)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
        out += (g * rng.uniform(3, 15))[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def metal_overlay(rng, img):
    """Paint / rust spots over the marks, and sensor noise: on real chassis the marks are often
    barely above it."""
    h, w = img.shape[:2]
    out = img.astype(np.float32)
    rs = np.random.RandomState(rng.randrange(1 << 30))
    for _ in range(rng.randint(0, 5)):
        col = np.float32([rng.uniform(60, 230) for _ in range(3)])
        r = int(h * rng.uniform(0.05, 0.35)) + 1
        spot = np.zeros((h, w), np.float32)
        cv2.circle(spot, (rng.randrange(w), rng.randrange(h)), r, 1.0, -1)
        spot = cv2.GaussianBlur(spot, (0, 0), r * 0.3 + 0.5)[..., None] * rng.uniform(0.15, 0.6)
        out = out * (1 - spot) + col * spot
    if rng.random() < 0.6:
        out += rs.normal(0, rng.uniform(3, 16), out.shape).astype(np.float32)
    return out


def text_mask(text, path, size, spacing=0.0):
    """Greyscale mask (0..255) of the text, plus its ink box (x0,y0,x1,y1) and cap height."""
    f = font(path, size)
    asc, desc = f.getmetrics()
    widths = [f.getlength(c) for c in text]
    adv = sum(widths) + spacing * size * (len(text) - 1)
    W = int(adv + size * 2)
    H = int((asc + desc) * 1.6)
    m = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(m)
    x, y = size, int((H - asc - desc) / 2)
    if spacing == 0.0:
        d.text((x, y), text, font=f, fill=255)
    else:
        for c, cw in zip(text, widths):
            d.text((x, y), c, font=f, fill=255)
            x += cw + spacing * size
    a = np.asarray(m)
    ys, xs = np.nonzero(a > 60)
    if len(xs) == 0:
        return a, (0, 0, W, H), size
    cap = f.getbbox("H")
    return a, (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1), cap[3] - cap[1]


def dot_peen(rng, mask, cap):
    """Resample a glyph mask as punched dots: returns a dot mask the same size."""
    step = cap / rng.uniform(5.5, 8.5)
    r = max(0.7, step * rng.uniform(0.28, 0.48))
    h, w = mask.shape
    out = np.zeros((h, w), np.uint8)
    ys = np.arange(step / 2, h, step)
    xs = np.arange(step / 2, w, step)
    hit = mask[ys.astype(int)[:, None], xs.astype(int)[None, :]] > 110
    iy, ix = np.nonzero(hit)
    rs = np.random.RandomState(rng.randrange(1 << 30))
    cy = (ys[iy] + rs.normal(0, step * 0.07, len(iy))) * 4
    cx = (xs[ix] + rs.normal(0, step * 0.07, len(ix))) * 4
    rad = int(round(r * 4))
    for x, y in zip(cx.round().astype(int).tolist(), cy.round().astype(int).tolist()):
        cv2.circle(out, (x, y), rad, 255, -1, lineType=cv2.LINE_AA, shift=2)
    return out


def compose(rng, text, surface, cap_px):
    """Render the line on its surface at a working scale; returns image, ink box, cap height (px)."""
    mono = surface in ("stamped", "dotpeen") or rng.random() < 0.3
    path = rng.choice(FONTS_MONO if mono else FONTS_PRINT)
    work_cap = max(cap_px, 20 if surface == "dotpeen" else 14)  # dots need a few px to be round
    f = font(path, 100)
    hb = f.getbbox("H")
    size = work_cap * 100 / max(1, hb[3] - hb[1])
    spacing = rng.uniform(0.0, 0.12) if surface == "dotpeen" or rng.random() < 0.2 else 0.0
    mask, (x0, y0, x1, y1), cap = text_mask(text, path, size, spacing)
    if surface == "dotpeen":
        mask = dot_peen(rng, mask, cap)
    # the canvas: room around the text for neighbours and margins
    h, w = mask.shape
    bg, ink = surface_colours(rng, {"stamped": "metal", "dotpeen": "metal"}.get(surface, surface))
    img = np.empty((h, w, 3), np.float32)
    img[:] = bg
    img = texture(rng, img.astype(np.uint8), surface).astype(np.float32)
    a = (mask.astype(np.float32) / 255.0)[..., None]
    if surface in ("stamped", "dotpeen"):
        # engraved: dark groove with a light edge below-right (and a soft shadow above-left)
        off = max(1, int(round(cap * rng.uniform(0.03, 0.08))))
        shifted = np.roll(np.roll(a, off, 0), off, 1)
        light = np.clip(np.array(bg, np.float32) * rng.uniform(1.15, 1.5), 0, 255)
        img = img * (1 - shifted * 0.8) + light * shifted * 0.8
        img = img * (1 - a) + np.array(ink, np.float32) * a
        img = metal_overlay(rng, img)
    else:
        if surface == "windshield" and rng.random() < 0.4:  # embossed/raised
            off = max(1, int(round(cap * 0.05)))
            sh = np.roll(np.roll(a, off, 0), off, 1)
            img = img * (1 - sh * 0.5) + np.array(bg, np.float32) * 0.5 * sh
        img = img * (1 - a) + np.array(ink, np.float32) * a
    # neighbouring lines above/below (their edges end up inside loose crops) and barcode bars
    lh = (y1 - y0)
    for sgn in (-1, 1):
        if rng.random() < 0.35:
            yb = int((y0 if sgn < 0 else y1) + sgn * lh * rng.uniform(0.5, 1.0))
            n = rng.randint(2, 10)
            for _ in range(n):
                xa = rng.randint(0, max(1, w - 10))
                xw = rng.randint(int(lh * 0.3) + 1, int(lh * 3) + 2)
                if rng.random() < 0.5:  # barcode bars
                    for bx in range(xa, min(w, xa + xw * 3), rng.randint(2, 4)):
                        if rng.random() < 0.5:
                            ya, yb2 = (yb - lh, yb) if sgn < 0 else (yb, yb + lh)
                            img[max(0, ya):max(0, yb2), bx:bx + rng.randint(1, 3)] = ink
                else:
                    ya, yb2 = (yb - int(lh * 0.7), yb) if sgn < 0 else (yb, yb + int(lh * 0.7))
                    img[max(0, ya):max(0, yb2), xa:xa + xw] = (np.array(img[max(0, ya):max(0, yb2), xa:xa + xw]) * 0.3
                                                                + np.array(ink, np.float32) * 0.7)
    if rng.random() < 0.25:  # a frame/border line along the sticker edge
        yy = int(y1 + lh * rng.uniform(0.4, 0.9)) if rng.random() < 0.5 else int(y0 - lh * rng.uniform(0.4, 0.9))
        if 0 <= yy < h:
            img[yy:yy + max(1, int(cap * 0.08))] = ink
    scale = cap_px / max(1, cap)
    return np.clip(img, 0, 255).astype(np.uint8), (x0, y0, x1, y1), cap, scale


def cut_line(rng, img, box, cap, scale):
    """A DB-detector-like crop of the line: loose margins, slight tilt/perspective, at the scene scale."""
    x0, y0, x1, y1 = box
    th = y1 - y0
    # vertical: the DB box is ≈ text height + unclip offset; horizontal slack ≈ a fraction of a glyph
    mt, mb = th * rng.uniform(0.1, 0.55), th * rng.uniform(0.1, 0.55)
    ml, mr = cap * rng.uniform(-0.05, 0.9), cap * rng.uniform(-0.05, 0.9)
    if rng.random() < 0.05:  # a crop that clips the first/last glyph slightly
        ml = -cap * rng.uniform(0.0, 0.15)
    src = np.float32([[x0 - ml, y0 - mt], [x1 + mr, y0 - mt], [x1 + mr, y1 + mb], [x0 - ml, y1 + mb]])
    a = math.radians(rng.uniform(-2.5, 2.5))
    c = src.mean(0)
    R = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    src = (src - c) @ R.T + c
    bw, bh = x1 + mr - x0 + ml, th + mt + mb
    src += np.float32([[rng.gauss(0, 0.02) * bh, rng.gauss(0, 0.04) * bh] for _ in range(4)])
    if rng.random() < 0.3:  # residual shear/perspective the detector's rotated box leaves
        sh = rng.gauss(0, 0.12) * bh
        src[0, 0] += sh
        src[1, 0] += sh
    out_h = max(6, int(round(bh * scale)))
    out_w = max(12, int(round(bw * scale)))
    dst = np.float32([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]])
    M = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(img, M, (out_w, out_h), flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)


def degrade(rng, img):
    img = img.astype(np.float32)
    h, w = img.shape[:2]
    if rng.random() < 0.4:
        gx = np.linspace(rng.uniform(0.6, 1.2), rng.uniform(0.6, 1.2), w, dtype=np.float32)
        img *= gx[None, :, None]
    c, b = rng.uniform(0.65, 1.2), rng.uniform(-35, 35)
    img = (img - 128) * c + 128 + b
    if rng.random() < 0.4:
        img *= np.float32([rng.uniform(0.8, 1.2) for _ in range(3)])
    img = np.clip(img, 0, 255).astype(np.uint8)
    if rng.random() < 0.45:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 1.2))
    if rng.random() < 0.1:
        k = rng.randint(3, 5)
        ker = np.zeros((k, k), np.float32)
        ker[k // 2, :] = 1.0 / k
        img = cv2.filter2D(img, -1, ker)
    if rng.random() < 0.5:
        n = np.random.RandomState(rng.randrange(1 << 30)).normal(0, rng.uniform(2, 12), img.shape)
        img = np.clip(img.astype(np.float32) + n, 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(25, 92)])
        img = cv2.imdecode(enc, cv2.IMREAD_UNCHANGED)
    return img


SURFACES = [("sticker", 0.27), ("document", 0.13), ("windshield", 0.13), ("stamped", 0.17), ("dotpeen", 0.22),
            ("inverse", 0.08)]


def barcode(rng):
    """A 1-D barcode (or other bar/stripe graphics) cut like a text line: label "" (no text).
    The detector boxes barcodes on door stickers as if they were lines; the reader must
    read nothing there rather than invent characters."""
    h = rng.randint(12, 60)
    w = int(h * rng.uniform(3, 16))
    bg, ink = surface_colours(rng, rng.choice(["sticker", "sticker", "document", "windshield", "inverse"]))
    img = np.empty((h, w, 3), np.uint8)
    img[:] = bg
    unit = max(1, int(round(rng.uniform(0.6, 3.0))))
    x = int(rng.uniform(0, 0.15) * w)
    end = w - int(rng.uniform(0, 0.15) * w)
    y0, y1 = int(rng.uniform(0, 0.15) * h), h - int(rng.uniform(0, 0.15) * h)
    stripes = rng.random() < 0.15
    while x < end:
        bw = unit * (rng.randint(1, 4) if not stripes else rng.randint(2, 6))
        img[y0:y1, x:x + bw] = ink
        x += bw + unit * (rng.randint(1, 4) if not stripes else rng.randint(2, 6))
    if rng.random() < 0.3:  # guard bars / digits strip cut off at the bottom
        img[y1 - max(1, h // 8):y1] = bg
    return img


def render(rng, surface=None, text=None):
    if text is None and surface is None and rng.random() < 0.07:
        return degrade(rng, barcode(rng)), ""
    if surface is None:
        r, acc = rng.random(), 0.0
        for s, p in SURFACES:
            acc += p
            if r < acc:
                surface = s
                break
        else:
            surface = "sticker"
    if text is None:
        text = line_text(rng)
    cap_px = rng.uniform(7, 44) if rng.random() < 0.8 else rng.uniform(7, 14)
    img, box, cap, scale = compose(rng, text, surface, cap_px)
    crop = cut_line(rng, img, box, cap, scale)
    crop = degrade(rng, crop)
    if len(crop.shape) == 2:
        crop = np.repeat(crop[..., None], 3, 2)
    return crop, label_of(text)


if __name__ == "__main__":
    out, n = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    with open(os.path.join(out, "labels.tsv"), "w") as f:
        for i in range(n):
            im, lab = render(rng)
            Image.fromarray(im).save(os.path.join(out, "%05d.png" % i))
            f.write("%05d.png\t%s\n" % (i, lab))
