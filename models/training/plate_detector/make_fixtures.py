"""Make the TS decoder reference vectors: two project-made synthetic images (a rendered plate on a
drawn background, no dataset pixels) + the boxes/scores that decode.py gives with the shipped ONNX
model in onnxruntime-node.

  /usr/bin/python3 make_fixtures.py --onnx ../../plate-detector.onnx \
      --dir ../../../packages/core/test/fixtures/plate-detector
"""
import argparse
import json
import os
import sys

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dataset import letterbox  # noqa: E402
from decode import decode  # noqa: E402
from eval import run_ort_node  # noqa: E402

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def plate(text, w, h, bg=(245, 245, 240), fg=(20, 20, 20), band=None):
    im = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, w - 1, h - 1], outline=fg, width=max(1, h // 14))
    x0 = 0
    if band:
        bw = int(h * 0.45)
        d.rectangle([2, 2, bw, h - 3], fill=band)
        x0 = bw
    size = int(h * 0.72)
    font = ImageFont.truetype(FONT, size)
    tb = d.textbbox((0, 0), text, font=font)
    tw, th = tb[2] - tb[0], tb[3] - tb[1]
    scale = min(1.0, (w - x0 - h * 0.3) / tw)
    if scale < 1:
        font = ImageFont.truetype(FONT, int(size * scale))
        tb = d.textbbox((0, 0), text, font=font)
        tw, th = tb[2] - tb[0], tb[3] - tb[1]
    d.text((x0 + (w - x0 - tw) / 2 - tb[0], (h - th) / 2 - tb[1]), text, font=font, fill=fg)
    return np.array(im)


def scene(W, H, plates, seed):
    """Vertical gradient 'sky/road' + a car-like body around each plate; returns image and plate boxes."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, H)[:, None, None]
    top, bot = np.array([150, 170, 200]), np.array([70, 70, 75])
    img = (top * (1 - y) + bot * y).repeat(W, axis=1).astype(np.uint8)
    img = np.ascontiguousarray(img)
    boxes = []
    for (text, x, yy, w, h, col, band) in plates:
        cw, ch = int(w * 3.2), int(h * 4.5)
        cx0, cy0 = x + w // 2 - cw // 2, yy - int(h * 2.6)
        cv2.rectangle(img, (cx0, cy0), (cx0 + cw, cy0 + ch), col, -1)
        cv2.rectangle(img, (cx0 + cw // 8, cy0 - ch // 3), (cx0 + cw * 7 // 8, cy0), tuple(int(c * 0.7) for c in col), -1)
        for lx in (cx0 + cw // 10, cx0 + cw * 9 // 10):
            cv2.circle(img, (lx, cy0 + ch // 3), max(3, h // 3), (230, 60, 50), -1)
        cv2.rectangle(img, (cx0 + cw // 12, cy0 + ch), (cx0 + cw // 12 + cw // 6, cy0 + ch + h), (20, 20, 20), -1)
        cv2.rectangle(img, (cx0 + cw - cw // 12 - cw // 6, cy0 + ch), (cx0 + cw - cw // 12, cy0 + ch + h), (20, 20, 20), -1)
        img[yy:yy + h, x:x + w] = plate(text, w, h, band=band)
        boxes.append([x, yy, x + w, yy + h])
    return img, boxes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", default="../../plate-detector.onnx")
    ap.add_argument("--dir", default="../../../packages/core/test/fixtures/plate-detector")
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--fast-size", type=int, default=320)
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--nms", type=float, default=0.5)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    specs = [
        ("synthetic-1plate-512x384.png", 512, 384, [("AB 123 CD", 196, 250, 120, 27, (40, 60, 140), (0, 50, 160))], 1),
        ("synthetic-2plates-960x540.png", 960, 540, [("LX19 PLN", 150, 330, 150, 34, (140, 140, 150), None),
                                                      ("K 7788 T", 640, 250, 96, 22, (120, 30, 30), None)], 2),
    ]
    out = {"model": os.path.basename(a.onnx), "stride": 4, "letterbox": "top-left", "pad": 114, "scale": 255,
           "resize": "cv2.INTER_AREA when downscaling (r < 1), INTER_LINEAR when upscaling; r = S / max(w, h)",
           "decode": {"peakKernel": 3, "scoreThreshold": a.threshold, "nmsIou": a.nms}, "images": []}
    for fname, W, H, plates, seed in specs:
        img, boxes = scene(W, H, plates, seed)
        path = os.path.join(a.dir, fname)
        Image.fromarray(img).save(path, optimize=True)
        entry = {"file": fname, "width": W, "height": H, "drawnPlates": boxes, "runs": []}
        for S in (a.size, a.fast_size):
            lb, r = letterbox(img, S)
            outs, _ = run_ort_node(a.onnx, lb[None], 1)
            h, l = outs[0]
            b, s = decode(h, l, r, W, H, score_threshold=a.threshold, nms_iou=a.nms)
            i, j = np.unravel_index(np.argmax(h), h.shape)
            entry["runs"].append({"size": S, "r": r, "heatMax": float(h.max()), "heatArgmax": [int(i), int(j)],
                                  "ltrbAtArgmax": [float(v) for v in l[:, i, j]],
                                  "detections": [{"box": [round(float(v), 3) for v in bb], "score": round(float(sc), 5)}
                                                 for bb, sc in zip(b, s)]})
        out["images"].append(entry)
        print(fname, os.path.getsize(path), "bytes", json.dumps(entry["runs"]))
    json.dump(out, open(os.path.join(a.dir, "expected.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
