"""Synthetic licence-plate crop renderer (project-owned; fonts from Debian packages).

render(rng) -> (RGB uint8 HxWx3 crop, text) where text is upper-case alnum (the label).
Styles: US one-line (state name on top, slogan bottom, stickers, vanity, stacked small
characters), EU (blue strip + country letters), BR old (LLL-NNNN grey/red), BR Mercosul
(LLLNLNN), two-line plates. The plate is put on a random background, warped in
perspective and cropped like a detector crop (margins +-10 %, rotation +-8 deg), then
degraded (blur, noise, low resolution, JPEG).

python3 synth.py OUT_DIR N  -> writes N samples as PNG + labels.tsv (for looking at them)
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

L = string.ascii_uppercase
D = string.digits

_FONT_FILES = {
    "din": ["/usr/share/fonts/truetype/opendin/OSP-DIN.ttf"],
    "ocrb": sorted(glob.glob("/usr/share/fonts/opentype/ocr-b/OCRB*.otf")),
    "sans": [
        "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationMono-Bold.ttf",
        "/usr/share/fonts/opentype/bebas-neue/BebasNeue-Bold.otf",
        "/usr/share/fonts/opentype/bebas-neue/BebasNeue-Regular.otf",
        "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Bold.ttf",
        "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Regular.ttf",
        "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Bold.ttf",
        "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Medium.ttf",
    ] + sorted(glob.glob("/usr/share/fonts/opentype/b612/B612Mono-Regular.otf")),
    "deco": [
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-BoldItalic.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Italic.ttf",
    ],
}
_FONT_FILES = {k: [f for f in v if os.path.exists(f)] for k, v in _FONT_FILES.items()}
_font_cache = {}


def font(path, size):
    key = (path, int(size))
    f = _font_cache.get(key)
    if f is None:
        f = ImageFont.truetype(path, int(size))
        if len(_font_cache) > 2000:
            _font_cache.clear()
        _font_cache[key] = f
    return f


STATES = ["ALASKA", "ARIZONA", "CALIFORNIA", "Connecticut", "DELAWARE", "FLORIDA", "Georgia", "HAWAII", "IDAHO",
          "ILLINOIS", "Indiana", "IOWA", "KANSAS", "KENTUCKY", "Louisiana", "MAINE", "MARYLAND", "Massachusetts",
          "MICHIGAN", "Minnesota", "MISSOURI", "MONTANA", "NEBRASKA", "NEVADA", "New Hampshire", "NEW JERSEY",
          "NEW MEXICO", "NEW YORK", "North Carolina", "OHIO", "OKLAHOMA", "OREGON", "Pennsylvania", "Rhode Island",
          "TEXAS", "UTAH", "VERMONT", "VIRGINIA", "WASHINGTON", "Wisconsin", "WYOMING", "COLORADO", "ALABAMA",
          "Tennessee", "South Dakota", "WEST VIRGINIA", "ARKANSAS", "MISSISSIPPI", "DISTRICT OF COLUMBIA"]
SLOGANS = ["SHOW-ME STATE", "Land of Lincoln", "FAMOUS POTATOES", "ALOHA STATE", "GRAND CANYON STATE",
           "Constitution State", "THE FIRST STATE", "Sunshine State", "We Support Our Troops", "EMPIRE STATE",
           "Live Free or Die", "Great Lakes", "Lone Star State", "America's Dairyland", "explore minnesota",
           "Garden State", "Green Mountains", "Invest in Youth Hockey", "Wild Wonderful", "Celebrating Statehood",
           "SPORTSMAN'S PARADISE", "Greatest Snow on Earth", "First in Flight", "Keep Kids Safe", "In God We Trust",
           "LAND OF ENCHANTMENT", "The Silver State", "Ocean State", "Virginia is for lovers", "Evergreen State",
           "Heart of Dixie", "THE NATURAL STATE", "Big Sky Country", "MOUNT RUSHMORE", "Peach State"]
EU_COUNTRIES = ["D", "RO", "F", "I", "NL", "PL", "B", "E", "A", "CZ", "H", "S", "SK", "BG", "P", "GR", "IRL", "L",
                "LT", "LV", "EST", "FIN", "DK", "HR", "SLO", "GB", "UK", "CH", "MD", "UA"]
BR_CITIES = ["SP-SAO PAULO", "RJ-RIO DE JANEIRO", "PR-CURITIBA", "MG-BELO HORIZONTE", "SC-JOINVILLE",
             "RS-PORTO ALEGRE", "SP-CAMPINAS", "PR-LONDRINA", "SP-SANTOS", "BA-SALVADOR", "GO-GOIANIA"]


def rc(rng, s):
    return "".join(rng.choice(s) for _ in range(len(s) if False else 1))


def pat(rng, p):
    """L = letter, N = digit, anything else literal."""
    return "".join(rng.choice(L) if c == "L" else rng.choice(D) if c == "N" else c for c in p)


def jitter_color(rng, c, a=25):
    return tuple(int(np.clip(v + rng.randint(-a, a), 0, 255)) for v in c)


def light_color(rng):
    base = rng.choice([(245, 245, 245), (250, 250, 235), (235, 242, 250), (250, 245, 220), (240, 240, 240),
                       (255, 250, 200), (230, 240, 230), (250, 235, 235), (220, 220, 220)])
    return jitter_color(rng, base, 15)


def dark_color(rng):
    base = rng.choice([(20, 20, 20), (30, 40, 110), (10, 30, 80), (110, 20, 20), (20, 70, 30), (40, 40, 60),
                       (0, 0, 0), (60, 20, 80)])
    return jitter_color(rng, base, 20)


def text_color_for(rng, bg):
    lum = 0.299 * bg[0] + 0.587 * bg[1] + 0.114 * bg[2]
    if lum > 128:
        base = rng.choice([(15, 15, 15), (20, 30, 120), (20, 40, 100), (150, 20, 20), (20, 90, 40), (60, 20, 90),
                           (10, 10, 60)])
    else:
        base = rng.choice([(250, 250, 250), (250, 210, 40), (240, 240, 200), (255, 255, 255)])
    return jitter_color(rng, base, 20)


def text_size(draw, s, f):
    b = draw.textbbox((0, 0), s, font=f)
    return b[2] - b[0], b[3] - b[1], b[0], b[1]


def draw_fit(draw, s, f_path, box, color, rng, spacing=0.0, stretch_ok=True, img=None, sep_chars=()):
    """Draw string s (may contain ' ', '-', '.', '*' separators) fitting box=(x0,y0,x1,y1), char by char
    with letter spacing. Returns nothing. '*' draws a small emblem (circle) instead of a character."""
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    size = bh * 1.25
    for _ in range(12):
        f = font(f_path, max(6, size))
        # measure height using a reference glyph
        _, gh, _, gy = text_size(draw, "H8", f)
        widths = []
        for ch in s:
            if ch == "*":
                widths.append(gh * 0.6)
            elif ch == " ":
                widths.append(gh * rng.uniform(0.25, 0.5) if not widths or True else 0)
            else:
                widths.append(text_size(draw, ch, f)[0])
        sp = spacing * gh
        total = sum(widths) + sp * (len(s) - 1)
        scale = min(bw / max(total, 1), bh / max(gh, 1))
        if 0.97 <= scale <= 1.03:
            break
        size *= scale
        if scale > 1.0 and gh >= bh * 0.97:
            break
    # centre
    x = x0 + (bw - total) / 2
    y = y0 + (bh - gh) / 2 - gy
    for ch, wch in zip(s, widths):
        if ch == "*":
            r = gh * 0.25
            cx, cy = x + wch / 2, y + gy + gh / 2
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=jitter_color(rng, color, 60))
        elif ch != " ":
            bx = text_size(draw, ch, f)[2]
            draw.text((x - bx, y), ch, font=f, fill=color)
        x += wch + sp


def add_bolts(draw, W, H, rng):
    if rng.random() < 0.6:
        r = max(2, int(H * rng.uniform(0.03, 0.05)))
        col = jitter_color(rng, rng.choice([(180, 180, 180), (120, 120, 120), (200, 190, 150)]), 30)
        ys = [int(H * rng.uniform(0.08, 0.2))] if rng.random() < 0.6 else [int(H * 0.12), int(H * 0.88)]
        for yy in ys:
            for xx in (int(W * rng.uniform(0.15, 0.3)), int(W * rng.uniform(0.7, 0.85))):
                draw.ellipse([xx - r, yy - r, xx + r, yy + r], fill=col, outline=(60, 60, 60))


def frame(draw, W, H, rng, color=None):
    if rng.random() < 0.7:
        t = max(1, int(H * rng.uniform(0.01, 0.05)))
        col = color or jitter_color(rng, rng.choice([(20, 20, 20), (200, 200, 200), (40, 40, 120), (150, 150, 150)]), 30)
        draw.rectangle([0, 0, W - 1, H - 1], outline=col, width=t)


def plate_number_us(rng):
    r = rng.random()
    if r < 0.12:  # vanity letters only (sometimes with digits)
        n = rng.randint(4, 8)
        t = "".join(rng.choice(L) for _ in range(n))
        if rng.random() < 0.3:
            i = rng.randrange(n)
            t = t[:i] + rng.choice(D) + t[i + 1:]
        return t, t if rng.random() < 0.7 else t[: n // 2] + " " + t[n // 2:]
    p = rng.choice(["LLL NNN", "NNN LLL", "LLL NNNN", "NLLL NNN", "NNN NNN", "LL NNNN", "NNNNNN", "NNN LLNN",
                    "LLL-NNNN", "NNN-LLL", "LLN NNNN", "NNNNNNN", "NLL NNNN", "NN LLL NN", "LLLNNNN", "NLLLNNN",
                    "NNNN LL", "LL NNN L", "LLL*NNN", "NNN*LLL", "NNN*NNN", "LNN LLL", "NNNNN", "NLNNNN", "LNNNNN"])
    s = pat(rng, p)
    if rng.random() < 0.3:
        s = s.replace(" ", rng.choice(["-", "*", "", " "]))
    if rng.random() < 0.15:
        s = s.replace("-", " ").replace("*", " ")
    return "".join(c for c in s if c.isalnum()), s


def render_us(rng, stacked_ok=True):
    W, H = 300, 150
    bg = light_color(rng) if rng.random() < 0.8 else dark_color(rng)
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    # background decoration: gradient bands / hills / faint circles
    if rng.random() < 0.6:
        for _ in range(rng.randint(1, 4)):
            col = jitter_color(rng, bg, 70)
            kind = rng.random()
            if kind < 0.4:
                y = rng.randint(H // 2, H)
                d.polygon([(0, H), (0, y), (rng.randint(0, W), y - rng.randint(0, 40)), (W, y), (W, H)], fill=col)
            elif kind < 0.7:
                cx, cy, r = rng.randint(0, W), rng.randint(0, H), rng.randint(10, 80)
                d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=col, width=rng.randint(2, 10))
            else:
                y = rng.randint(0, H)
                d.rectangle([0, y, W, y + rng.randint(5, 30)], fill=col)
    tc = text_color_for(rng, bg)
    # state name top
    top_h = int(H * rng.uniform(0.13, 0.22))
    if rng.random() < 0.92:
        stc = jitter_color(rng, rng.choice([tc, (20, 40, 140), (150, 20, 20), (20, 20, 20), (30, 120, 60)]), 40)
        f = rng.choice(_FONT_FILES["deco"] + _FONT_FILES["sans"])
        name = rng.choice(STATES)
        sw = int(W * rng.uniform(0.35, 0.8))
        draw_fit(d, name, f, ((W - sw) // 2, int(H * 0.04), (W + sw) // 2, int(H * 0.04) + top_h), stc, rng,
                 spacing=rng.uniform(0, 0.15))
    # slogan bottom
    bot_h = int(H * rng.uniform(0.08, 0.15))
    if rng.random() < 0.8:
        stc = jitter_color(rng, rng.choice([tc, (20, 40, 140), (150, 20, 20), (20, 20, 20)]), 40)
        f = rng.choice(_FONT_FILES["deco"] + _FONT_FILES["sans"])
        sw = int(W * rng.uniform(0.4, 0.85))
        draw_fit(d, rng.choice(SLOGANS), f, ((W - sw) // 2, H - int(H * 0.05) - bot_h, (W + sw) // 2,
                                              H - int(H * 0.05)), stc, rng)
    # stickers (month / year tags with small digits: distractors)
    for corner in range(rng.choice([0, 1, 1, 2])):
        sx = rng.choice([int(W * 0.03), int(W * 0.82)])
        sy = rng.choice([int(H * 0.04), int(H * 0.72)])
        scol = jitter_color(rng, rng.choice([(240, 80, 30), (40, 160, 60), (250, 210, 30), (30, 80, 200),
                                             (200, 30, 30), (255, 255, 255)]), 30)
        sw_, sh_ = int(W * rng.uniform(0.1, 0.16)), int(H * rng.uniform(0.14, 0.24))
        d.rectangle([sx, sy, sx + sw_, sy + sh_], fill=scol)
        txt = rng.choice([pat(rng, "NN"), rng.choice(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
                                                      "SEPT", "OCT", "NOV", "DEC"]), pat(rng, "NNNN")])
        draw_fit(d, txt, rng.choice(_FONT_FILES["sans"]), (sx + 2, sy + 2, sx + sw_ - 2, sy + sh_ - 2),
                 (20, 20, 20), rng)
    label, shown = plate_number_us(rng)
    # main text box
    mx0 = int(W * rng.uniform(0.04, 0.12))
    mx1 = W - int(W * rng.uniform(0.04, 0.12))
    my0 = int(H * 0.04) + top_h + int(H * rng.uniform(0.0, 0.06))
    my1 = H - int(H * 0.05) - bot_h - int(H * rng.uniform(0.0, 0.05))
    fpath = rng.choice(_FONT_FILES["din"] * 3 + _FONT_FILES["sans"] + _FONT_FILES["ocrb"])
    stacked = ""
    if stacked_ok and rng.random() < 0.12:  # stacked small characters at the left (e.g. Idaho '1B', MA 'BR')
        stacked = rng.choice([pat(rng, "LL"), pat(rng, "NL"), pat(rng, "LN"), pat(rng, "NN")])
        sw_ = int((mx1 - mx0) * 0.1)
        hh = (my1 - my0) // 2
        draw_fit(d, stacked[0], fpath, (mx0, my0, mx0 + sw_, my0 + hh - 1), tc, rng)
        draw_fit(d, stacked[1], fpath, (mx0, my0 + hh + 1, mx0 + sw_, my1), tc, rng)
        mx0 += sw_ + int(W * 0.02)
        label = stacked + label
        shown = shown[:6] if len(label) > 8 else shown
        label = stacked + "".join(c for c in shown if c.isalnum())
    draw_fit(d, shown, fpath, (mx0, my0, mx1, my1), tc, rng, spacing=rng.uniform(-0.02, 0.12))
    add_bolts(d, W, H, rng)
    frame(d, W, H, rng)
    return img, label


def render_eu(rng, cc=None, band=None):
    """cc / band: force the band's country code / the band (plate_region's band training); by default drawn."""
    H = 110
    cc = cc or rng.choice(EU_COUNTRIES)
    p = rng.choice(["L NNN LLL", "LL NN LLL", "LLNN LLL", "LL NNN LL", "L LL NNNN", "LLL LL NNN", "NNN LLL",
                    "LL NNNNN", "LL NNNN L", "NLLL NNN", "LL-NNN-LL", "LLL NNNN", "NN LLL NN", "LLL NNN",
                    "LL LLNNN", "L NN LLL"])
    shown = pat(rng, p)
    label = "".join(c for c in shown if c.isalnum())
    W = int(H * rng.uniform(4.0, 4.8))
    bg = (250, 250, 250) if rng.random() < 0.8 else (250, 210, 40)
    bg = jitter_color(rng, bg, 15)
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    sw = int(H * rng.uniform(0.36, 0.45))
    if (rng.random() < 0.9) if band is None else band:
        blue = jitter_color(rng, (20, 50, 160), 25)
        d.rectangle([0, 0, sw, H], fill=blue)
        # circle of stars
        cx, cy, r = sw / 2, H * 0.3, sw * 0.3
        for k in range(12):
            a = 2 * math.pi * k / 12
            sx, sy = cx + r * math.cos(a), cy + r * math.sin(a)
            d.ellipse([sx - 1.5, sy - 1.5, sx + 1.5, sy + 1.5], fill=(250, 210, 40))
        draw_fit(d, cc, rng.choice(_FONT_FILES["sans"]), (3, int(H * 0.58), sw - 3, int(H * 0.88)),
                 (250, 250, 250), rng)
        x0 = sw + int(H * 0.1)
    else:
        x0 = int(H * 0.15)
    fpath = rng.choice(_FONT_FILES["din"] * 4 + _FONT_FILES["sans"] + _FONT_FILES["ocrb"])
    if rng.random() < 0.25:  # RO/D style seal between groups
        shown = shown.replace(" ", rng.choice([" ", "*", " "]), 1)
    draw_fit(d, shown, fpath, (x0, int(H * 0.12), W - int(H * 0.12), int(H * 0.88)), (15, 15, 15), rng,
             spacing=rng.uniform(0.0, 0.1))
    frame(d, W, H, rng, color=(15, 15, 15))
    add_bolts(d, W, H, rng)
    return img, label


def render_br_old(rng):
    W, H = 400, 130
    shown = pat(rng, "LLL-NNNN")
    if rng.random() < 0.3:
        shown = shown.replace("-", rng.choice(["·", " ", "•"]))
    label = "".join(c for c in shown if c.isalnum())
    kind = rng.random()
    if kind < 0.6:
        bg, tc = jitter_color(rng, (190, 190, 190), 30), jitter_color(rng, (25, 25, 25), 20)
    elif kind < 0.9:
        bg, tc = jitter_color(rng, (160, 30, 30), 30), jitter_color(rng, (235, 235, 235), 20)
    else:
        bg, tc = jitter_color(rng, (30, 30, 30), 20), jitter_color(rng, (230, 230, 230), 20)
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    d.rectangle([4, 4, W - 5, H - 5], outline=tc, width=rng.randint(2, 5))
    draw_fit(d, rng.choice(BR_CITIES), rng.choice(_FONT_FILES["sans"]), (int(W * 0.25), 10, int(W * 0.75), 28), tc,
             rng)
    fpath = rng.choice(_FONT_FILES["din"] * 4 + _FONT_FILES["sans"] + _FONT_FILES["ocrb"])
    draw_fit(d, shown.replace("·", "-").replace("•", "-"), fpath, (14, 34, W - 14, H - 12), tc, rng,
             spacing=rng.uniform(0.0, 0.08))
    add_bolts(d, W, H, rng)
    return img, label


def render_mercosul(rng):
    W, H = 400, 130
    label = pat(rng, rng.choice(["LLLNLNN", "LLLNLNN", "LLLNNNN"]))
    img = Image.new("RGB", (W, H), jitter_color(rng, (245, 245, 245), 10))
    d = ImageDraw.Draw(img)
    bh = int(H * 0.24)
    d.rectangle([0, 0, W, bh], fill=jitter_color(rng, (20, 60, 170), 20))
    draw_fit(d, "BRASIL" if rng.random() < 0.8 else rng.choice(["ARGENTINA", "URUGUAY", "PARAGUAY"]),
             rng.choice(_FONT_FILES["sans"]), (int(W * 0.35), 3, int(W * 0.65), bh - 3), (250, 250, 250), rng)
    d.rectangle([2, 2, W - 3, H - 3], outline=(15, 15, 15), width=3)
    tc = (15, 15, 15) if rng.random() < 0.85 else rng.choice([(180, 20, 20), (20, 100, 40), (20, 40, 160)])
    fpath = rng.choice(_FONT_FILES["din"] * 3 + _FONT_FILES["sans"] + _FONT_FILES["ocrb"])
    draw_fit(d, label, fpath, (int(W * 0.07), bh + 10, W - int(W * 0.07), H - 10), tc, rng,
             spacing=rng.uniform(0.0, 0.08))
    return img, label


def render_two_line(rng):
    kind = rng.random()
    if kind < 0.4:  # motorcycle / square: letters over digits
        top, bot = pat(rng, rng.choice(["LLL", "LL", "NLL", "LLLL", "LL N", "NNN"])), pat(rng, rng.choice(
            ["NNNN", "NNN", "NNNNN", "NLNN", "NN LL", "NNN L"]))
        W, H = rng.choice([(220, 160), (200, 180), (260, 150), (240, 200)])
    elif kind < 0.7:  # BR moto old
        top, bot = pat(rng, "LLL"), pat(rng, "NNNN")
        W, H = 200, 170
    else:  # square EU / generic
        top, bot = pat(rng, rng.choice(["LL NN", "NN LL", "LLNN", "LLL"])), pat(rng, rng.choice(
            ["LLL", "NNN", "NNNN", "LLNN", "NNN LL"]))
        W, H = rng.choice([(280, 200), (300, 160), (240, 180)])
    label = "".join(c for c in top + bot if c.isalnum())
    bg = light_color(rng) if rng.random() < 0.8 else dark_color(rng)
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    tc = text_color_for(rng, bg)
    fpath = rng.choice(_FONT_FILES["din"] * 3 + _FONT_FILES["sans"] + _FONT_FILES["ocrb"])
    y0 = int(H * rng.uniform(0.04, 0.15))
    if rng.random() < 0.4:  # small header text
        draw_fit(d, rng.choice(STATES + ["BRASIL"] + BR_CITIES), rng.choice(_FONT_FILES["sans"]),
                 (int(W * 0.2), y0, int(W * 0.8), y0 + int(H * 0.1)), tc, rng)
        y0 += int(H * 0.12)
    y1 = H - int(H * rng.uniform(0.04, 0.1))
    mid = (y0 + y1) // 2
    gap = int(H * 0.03)
    wt = rng.uniform(0.5, 0.8) if len(top.replace(" ", "")) < len(bot.replace(" ", "")) else rng.uniform(0.7, 0.9)
    draw_fit(d, top, fpath, (int(W * (1 - wt) / 2), y0, int(W * (1 + wt) / 2), mid - gap), tc, rng)
    draw_fit(d, bot, fpath, (int(W * 0.06), mid + gap, int(W * 0.94), y1), tc, rng, spacing=rng.uniform(0, 0.1))
    if rng.random() < 0.5:
        frame(d, W, H, rng)
    add_bolts(d, W, H, rng)
    return img, label


STYLES = [(render_us, 0.36), (render_eu, 0.2), (render_br_old, 0.16), (render_mercosul, 0.14),
          (render_two_line, 0.14)]


def random_background(rng, w, h):
    kind = rng.random()
    if kind < 0.4:
        bg = np.full((h, w, 3), jitter_color(rng, rng.choice([(30, 30, 30), (200, 200, 200), (120, 20, 20),
                                                                  (20, 40, 100), (240, 240, 240), (90, 90, 90)]), 40),
                     np.uint8)
    elif kind < 0.8:
        small = np.random.RandomState(rng.randrange(1 << 30)).randint(0, 255, (4, 4, 3)).astype(np.uint8)
        bg = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    else:
        bg = np.random.RandomState(rng.randrange(1 << 30)).randint(0, 255, (h, w, 3)).astype(np.uint8)
        bg = cv2.GaussianBlur(bg, (0, 0), 3)
    return bg


def place_and_crop(rng, plate, out_h, out_w, margin=(-0.08, 0.12), rot=8.0, persp=0.06):
    """Put plate on a background, warp it, and cut a detector-like crop (stretched to out_h x out_w)."""
    ph, pw = plate.shape[:2]
    pad = int(max(ph, pw) * 0.4)
    canvas = random_background(rng, pw + 2 * pad, ph + 2 * pad)
    canvas[pad:pad + ph, pad:pad + pw] = plate
    # plate corners in canvas
    src = np.float32([[pad, pad], [pad + pw, pad], [pad + pw, pad + ph], [pad, pad + ph]])
    # perspective: move corners
    dst = src.copy()
    dst += np.float32([[rng.uniform(-persp, persp) * pw, rng.uniform(-persp, persp) * ph] for _ in range(4)])
    # rotation about centre
    a = math.radians(rng.uniform(-rot, rot))
    c = dst.mean(0)
    R = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = (dst - c) @ R.T + c
    # detector-style axis-aligned box around the warped plate, with margin jitter per side
    x0, y0 = dst.min(0)
    x1, y1 = dst.max(0)
    bw, bh = x1 - x0, y1 - y0
    mx0, mx1 = rng.uniform(*margin) * bw, rng.uniform(*margin) * bw
    my0, my1 = rng.uniform(*margin) * bh, rng.uniform(*margin) * bh
    box = np.float32([[x0 - mx0, y0 - my0], [x1 + mx1, y0 - my0], [x1 + mx1, y1 + my1], [x0 - mx0, y1 + my1]])
    # map: canvas->dst warp (M1), then crop box->output (M2); compose
    M1 = cv2.getPerspectiveTransform(src, dst)
    # working resolution: keep some detail but random low-res
    work_h = int(rng.choice([out_h, out_h, out_h * 1.5, out_h * 2]) * rng.uniform(0.55, 1.0))
    work_h = max(12, work_h)
    work_w = max(24, int(work_h * (bw + mx0 + mx1) / max(bh + my0 + my1, 1)))
    M2 = cv2.getPerspectiveTransform(box, np.float32([[0, 0], [work_w, 0], [work_w, work_h], [0, work_h]]))
    M = M2 @ M1
    # canvas is in the pre-warp space; compose with the inverse so we warp canvas directly
    out = cv2.warpPerspective(canvas, M, (work_w, work_h), flags=cv2.INTER_AREA if work_h < ph else cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_REPLICATE)
    return out


def degrade(rng, img, light=False):
    """Photometric degradation of an RGB uint8 crop (any size)."""
    img = img.astype(np.float32)
    # illumination gradient / shadow
    if rng.random() < 0.4:
        h, w = img.shape[:2]
        gx = np.linspace(rng.uniform(0.5, 1.2), rng.uniform(0.5, 1.2), w, dtype=np.float32)
        gy = np.linspace(rng.uniform(0.7, 1.1), rng.uniform(0.7, 1.1), h, dtype=np.float32)
        img *= (gy[:, None] * gx[None, :])[..., None]
    # contrast / brightness / colour cast
    c = rng.uniform(0.75, 1.2) if light else rng.uniform(0.6, 1.3)
    b = rng.uniform(-25, 25) if light else rng.uniform(-40, 40)
    img = (img - 128) * c + 128 + b
    if rng.random() < 0.5:
        img *= np.float32([rng.uniform(0.75, 1.25) for _ in range(3)])
    if rng.random() < 0.15:  # grey / IR-like
        g = img.mean(2, keepdims=True)
        img = np.repeat(g, 3, 2)
        if rng.random() < 0.5:
            img *= np.float32([rng.uniform(0.6, 0.9), 1.0, rng.uniform(0.6, 0.9)])
    img = np.clip(img, 0, 255).astype(np.uint8)
    if rng.random() < (0.3 if light else 0.5):
        k = rng.choice([3, 5])
        img = cv2.GaussianBlur(img, (k, k), rng.uniform(0.3, 1.0 if light else 1.5))
    if rng.random() < (0.05 if light else 0.15):  # motion blur
        k = rng.randint(3, 7)
        ker = np.zeros((k, k), np.float32)
        ker[k // 2, :] = 1.0 / k
        if rng.random() < 0.5:
            ker = ker.T
        img = cv2.filter2D(img, -1, ker)
    if rng.random() < 0.5:
        n = np.random.RandomState(rng.randrange(1 << 30)).normal(0, rng.uniform(2, 8 if light else 14), img.shape)
        img = np.clip(img.astype(np.float32) + n, 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        q = rng.randint(30 if light else 15, 90)
        ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
        img = cv2.imdecode(enc, cv2.IMREAD_UNCHANGED)
    return img


def render(rng, out_h=48, out_w=160, style=None):
    if style is None:
        r, acc = rng.random(), 0.0
        for fn, p in STYLES:
            acc += p
            if r < acc:
                style = fn
                break
        else:
            style = STYLES[0][0]
    plate, label = style(rng)
    plate = np.asarray(plate)
    crop = place_and_crop(rng, plate, out_h, out_w)
    crop = degrade(rng, crop)
    crop = cv2.resize(crop, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
    return crop, label


if __name__ == "__main__":
    out, n = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    with open(os.path.join(out, "labels.tsv"), "w") as f:
        for i in range(n):
            im, lab = render(rng)
            Image.fromarray(im).save(os.path.join(out, "%05d.png" % i))
            f.write("%05d.png\t%s\n" % (i, lab))
