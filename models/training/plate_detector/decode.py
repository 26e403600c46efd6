"""Reference decoder (numpy) for models/plate-detector.onnx. The TypeScript decoder mirrors this.

Contract
  preprocess: r = S / max(w, h); resize the RGB image to (round(w*r), round(h*r)); paste it at the
              TOP-LEFT of an SxS canvas filled with 114; x = value / 255 (no mean/std), NCHW float32.
              S must be a multiple of 32 (default 512, fast 320).
  outputs:    heat [1,1,S/4,S/4] (sigmoid), ltrb [1,4,S/4,S/4] (input pixels, >= 0). stride = 4.
  decode:     peaks = cells where heat == max of its 3x3 neighbourhood (borders: only existing cells)
              and heat >= score_threshold; cell (i, j) has centre cx = (j+0.5)*4, cy = (i+0.5)*4;
              box = (cx - l, cy - t, cx + r, cy + b) in input pixels; score = heat at the peak.
              Sort by score (descending), greedy NMS: drop a box whose IoU with an already kept box
              is > nms_iou. Map back: X = x / r, Y = y / r, clip to [0, w] x [0, h]. Keep at most max_det.
"""
import numpy as np

STRIDE = 4
SCORE_THRESHOLD = 0.3
NMS_IOU = 0.5


def peaks3x3(heat):
    """Boolean mask: heat equals the max of its 3x3 neighbourhood (out-of-image cells ignored)."""
    H, W = heat.shape
    p = np.full((H + 2, W + 2), -np.inf, np.float32)
    p[1:-1, 1:-1] = heat
    m = heat.copy()
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            m = np.maximum(m, p[dy:dy + H, dx:dx + W])
    return heat >= m


def iou_one(b, bs):
    ix1 = np.maximum(b[0], bs[:, 0]); iy1 = np.maximum(b[1], bs[:, 1])
    ix2 = np.minimum(b[2], bs[:, 2]); iy2 = np.minimum(b[3], bs[:, 3])
    inter = np.maximum(0, ix2 - ix1) * np.maximum(0, iy2 - iy1)
    a = (b[2] - b[0]) * (b[3] - b[1])
    ab = (bs[:, 2] - bs[:, 0]) * (bs[:, 3] - bs[:, 1])
    return inter / np.maximum(a + ab - inter, 1e-9)


def nms(boxes, scores, iou_thr):
    order = np.argsort(-scores, kind="stable")
    keep = []
    for k in order:
        if keep and np.any(iou_one(boxes[k], boxes[keep]) > iou_thr):
            continue
        keep.append(k)
    return np.array(keep, np.int64)


def decode(heat, ltrb, r=1.0, img_w=None, img_h=None, score_threshold=SCORE_THRESHOLD,
           nms_iou=NMS_IOU, stride=STRIDE, max_det=100):
    """heat: [H,W] or [1,1,H,W]; ltrb: [4,H,W] or [1,4,H,W]; r: letterbox scale (S / max(w,h)).
    Returns (boxes [n,4] x1,y1,x2,y2 in original-image pixels, scores [n]) sorted by score."""
    heat = np.asarray(heat, np.float32).reshape(np.shape(heat)[-2:])
    ltrb = np.asarray(ltrb, np.float32).reshape((4,) + heat.shape)
    mask = peaks3x3(heat) & (heat >= score_threshold)
    ii, jj = np.nonzero(mask)
    scores = heat[ii, jj]
    cx = (jj + 0.5) * stride
    cy = (ii + 0.5) * stride
    boxes = np.stack([cx - ltrb[0, ii, jj], cy - ltrb[1, ii, jj], cx + ltrb[2, ii, jj], cy + ltrb[3, ii, jj]], 1).astype(np.float32)
    if len(scores) == 0:
        return np.zeros((0, 4), np.float32), np.zeros((0,), np.float32)
    keep = nms(boxes, scores, nms_iou)[:max_det]
    boxes, scores = boxes[keep] / r, scores[keep]
    if img_w is not None:
        boxes[:, [0, 2]] = np.clip(boxes[:, [0, 2]], 0, img_w)
    if img_h is not None:
        boxes[:, [1, 3]] = np.clip(boxes[:, [1, 3]], 0, img_h)
    return boxes, scores
