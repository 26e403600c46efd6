"""Recall / precision of the plate detector on the validation sets (never trained on).

Backends:
  --onnx FILE   runs the ONNX model in onnxruntime-node (node + repo's node_modules), the shipped path
  --ckpt FILE   runs the PyTorch model (weights-only checkpoint)
Decoding is decode.py (the reference the TS side mirrors). A prediction is a true positive if it
matches an unmatched ground-truth box with IoU >= 0.5 (greedy, by descending score).

  /usr/bin/python3 eval.py --onnx ../../plate-detector.onnx --size 512 --out runs/eval_512.json
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dataset import letterbox, load_rgb, val_records  # noqa: E402
from decode import decode, iou_one  # noqa: E402

CACHE = os.environ.get("PLATE_CACHE", "/tmp/plate_detector_cache")  # outside the repo (images!)
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))
THRESHOLDS = [round(t, 2) for t in np.arange(0.05, 0.96, 0.05)]
SIZE_BUCKETS = [(0, 12), (12, 20), (20, 32), (32, 64), (64, 1e9)]  # plate height in input px at S


def prepare(name, S):
    """Letterboxed uint8 inputs [N,S,S,3], scales r, image sizes and GT boxes (original px)."""
    os.makedirs(CACHE, exist_ok=True)
    f = os.path.join(CACHE, f"{name}_{S}.npz")
    recs = val_records(name)
    if os.path.exists(f):
        z = np.load(f)
        X, R, WH = z["X"], z["R"], z["WH"]
    else:
        X, R, WH = [], [], []
        for p, _ in recs:
            im = load_rgb(p)
            lb, r = letterbox(im, S)
            X.append(lb); R.append(r); WH.append(im.shape[1::-1])
        X, R, WH = np.stack(X), np.array(R, np.float64), np.array(WH)
        np.savez(f, X=X, R=R, WH=WH)
    return X, R, WH, [b for _, b in recs], [os.path.basename(p) for p, _ in recs]


def run_torch(model, X, batch=8):
    import torch
    outs = []
    model.eval()
    with torch.no_grad():
        for i in range(0, len(X), batch):
            x = torch.from_numpy(X[i:i + batch]).permute(0, 3, 1, 2).float().div(255.0).contiguous(memory_format=torch.channels_last)
            h, l = model(x)
            for k in range(len(x)):
                outs.append((h[k, 0].numpy(), l[k].numpy()))
    return outs


NODE_SCRIPT = r"""
import ort from 'onnxruntime-node';
import fs from 'node:fs';
const [model, inFile, n, S, outFile, threads] = process.argv.slice(2);
const N = +n, s = +S;
const sess = await ort.InferenceSession.create(model, {intraOpNumThreads: +threads, interOpNumThreads: 1, graphOptimizationLevel: 'all'});
const buf = fs.readFileSync(inFile);
const fd = fs.openSync(outFile, 'w');
const times = [];
for (let k = 0; k < N; k++) {
  const px = buf.subarray(k * s * s * 3, (k + 1) * s * s * 3);
  const x = new Float32Array(3 * s * s);
  const plane = s * s;
  for (let i = 0; i < plane; i++) { x[i] = px[3*i] / 255; x[plane + i] = px[3*i+1] / 255; x[2*plane + i] = px[3*i+2] / 255; }
  const t0 = performance.now();
  const out = await sess.run({x: new ort.Tensor('float32', x, [1, 3, s, s])});
  times.push(performance.now() - t0);
  fs.writeSync(fd, Buffer.from(out.heat.data.buffer, out.heat.data.byteOffset, out.heat.data.byteLength));
  fs.writeSync(fd, Buffer.from(out.ltrb.data.buffer, out.ltrb.data.byteOffset, out.ltrb.data.byteLength));
}
fs.closeSync(fd);
times.sort((a, b) => a - b);
console.log(JSON.stringify({median_ms: times[Math.floor(times.length / 2)], mean_ms: times.reduce((a, b) => a + b, 0) / times.length}));
"""


def run_ort_node(onnx_path, X, threads=1):
    N, S = X.shape[0], X.shape[1]
    G = S // 4
    os.makedirs(CACHE, exist_ok=True)
    fin, fout = os.path.join(CACHE, f"in_{os.getpid()}.u8"), os.path.join(CACHE, f"out_{os.getpid()}.f32")
    script = os.path.join(REPO, f".plate_eval_{os.getpid()}.mjs")  # must live in the repo to resolve node_modules
    X.tofile(fin)
    with open(script, "w") as f:
        f.write(NODE_SCRIPT)
    try:
        res = subprocess.run(["node", script, os.path.abspath(onnx_path), fin, str(N), str(S), fout, str(threads)],
                             cwd=REPO, capture_output=True, text=True, check=True)
    finally:
        os.remove(script)
    timing = json.loads(res.stdout.strip().splitlines()[-1])
    raw = np.fromfile(fout, np.float32).reshape(N, 5 * G * G)
    os.remove(fin); os.remove(fout)
    outs = [(r[:G * G].reshape(G, G), r[G * G:].reshape(4, G, G)) for r in raw]
    return outs, timing


def match(boxes, scores, gts, thr=0.5):
    """-> (tp flags per prediction, matched flags per gt)."""
    tp = np.zeros(len(boxes), bool)
    used = np.zeros(len(gts), bool)
    for k in np.argsort(-scores, kind="stable"):
        if len(gts) == 0:
            break
        ious = iou_one(boxes[k], gts)
        ious[used] = -1
        g = int(np.argmax(ious))
        if ious[g] >= thr:
            used[g] = True
            tp[k] = True
    return tp, used


def evaluate(outs, R, WH, GT, S, nms_iou=0.5, min_thr=0.05):
    dets = []
    for (h, l), r, (w, hh) in zip(outs, R, WH):
        dets.append(decode(h, l, r, w, hh, score_threshold=min_thr, nms_iou=nms_iou))
    n_gt = sum(len(g) for g in GT)
    table = []
    for t in THRESHOLDS:
        tp_all = fp_all = 0
        bucket_hit = np.zeros(len(SIZE_BUCKETS)); bucket_n = np.zeros(len(SIZE_BUCKETS))
        for (b, s), g, r in zip(dets, GT, R):
            keep = s >= t
            tp, used = match(b[keep], s[keep], g)
            tp_all += tp.sum(); fp_all += (~tp).sum()
            hs = (g[:, 3] - g[:, 1]) * r
            for bi, (lo, hi) in enumerate(SIZE_BUCKETS):
                m = (hs >= lo) & (hs < hi)
                bucket_n[bi] += m.sum(); bucket_hit[bi] += used[m].sum()
        rec = tp_all / max(n_gt, 1)
        prec = tp_all / max(tp_all + fp_all, 1)
        table.append({"threshold": t, "recall": round(float(rec), 4), "precision": round(float(prec), 4),
                      "tp": int(tp_all), "fp": int(fp_all), "n_gt": int(n_gt),
                      "recall_by_height": {f"{lo}-{hi if hi < 1e8 else 'inf'}": (f"{int(bh)}/{int(bn)}" if bn else "0/0")
                                           for (lo, hi), bh, bn in zip(SIZE_BUCKETS, bucket_hit, bucket_n)}})
    return table


def best_row(table, min_prec=0.9):
    ok = [r for r in table if r["precision"] >= min_prec]
    if not ok:
        return max(table, key=lambda r: r["recall"] + r["precision"])
    return max(ok, key=lambda r: (r["recall"], r["precision"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx")
    ap.add_argument("--ckpt")
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--sets", default="openlpr,romanian")
    ap.add_argument("--nms", type=float, default=0.5)
    ap.add_argument("--out")
    a = ap.parse_args()
    result = {"size": a.size, "backend": "onnxruntime-node" if a.onnx else "pytorch", "model": a.onnx or a.ckpt}
    for name in a.sets.split(","):
        X, R, WH, GT, names = prepare(name, a.size)
        t0 = time.time()
        if a.onnx:
            outs, timing = run_ort_node(a.onnx, X, a.threads)
        else:
            import torch
            from model import PlateDetector
            torch.set_num_threads(a.threads)
            m = PlateDetector()
            sd = torch.load(a.ckpt, map_location="cpu")
            m.load_state_dict({k: v.float() for k, v in sd.items()})
            outs = run_torch(m.to(memory_format=torch.channels_last), X)
            timing = {}
        table = evaluate(outs, R, WH, GT, a.size, nms_iou=a.nms)
        best = best_row(table)
        result[name] = {"table": table, "best": best, "timing": timing, "wall_s": round(time.time() - t0, 1)}
        print(f"== {name} S={a.size} ({result['backend']}) timing={timing}")
        for r in table:
            print(f"  thr {r['threshold']:.2f} R {r['recall']:.4f} P {r['precision']:.4f} tp {r['tp']} fp {r['fp']} {r['recall_by_height']}")
        print(f"  best(P>=0.9): {best['threshold']} R {best['recall']} P {best['precision']}")
    if a.out:
        json.dump(result, open(a.out, "w"), indent=1)


if __name__ == "__main__":
    main()
