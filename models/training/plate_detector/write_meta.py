"""Write models/meta/plate-detector.json from the eval / bench JSON files (see README).

  /usr/bin/python3 write_meta.py --size 512 --fast-size 320 --threshold 0.3 \
     --eval runs/eval_512.json --eval-fast runs/eval_320.json --bench runs/bench.json --epochs 12 --wall-minutes 75
"""
import argparse
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "../../.."))
COMMAND = ("cd models/training/plate_detector && OMP_WAIT_POLICY=PASSIVE nice -n 5 /usr/bin/python3 train.py "
           "--out runs/main --epochs 12 --crop 256 --eval-every 3 && cp runs/main/ema_fp16.pt runs/phase1_ema_fp16.pt && "
           "OMP_WAIT_POLICY=PASSIVE nice -n 5 /usr/bin/python3 train.py --out runs/phase2 --init runs/phase1_ema_fp16.pt "
           "--epochs 8 --crop 320 --lr 1.5e-3 --warmup 100 --eval-every 2 && "
           "cp runs/phase2/ema_fp16.pt checkpoint.pt && "
           "/usr/bin/python3 export.py --ckpt checkpoint.pt --out ../../plate-detector.onnx --fp16")


def row(ev, name, thr):
    return next(r for r in ev[name]["table"] if abs(r["threshold"] - thr) < 1e-6)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--fast-size", type=int, required=True)
    ap.add_argument("--threshold", type=float, required=True)
    ap.add_argument("--nms", type=float, default=0.5)
    ap.add_argument("--eval", required=True)
    ap.add_argument("--eval-fast")
    ap.add_argument("--bench")
    ap.add_argument("--epochs", type=float)
    ap.add_argument("--wall-minutes", type=float)
    ap.add_argument("--params", type=int, required=True)
    ap.add_argument("--command", default=COMMAND)
    ap.add_argument("--note", default="")
    a = ap.parse_args()
    ev = json.load(open(a.eval))
    o = row(ev, "openlpr", a.threshold)
    metrics = {
        "openlpr_val_recall": o["recall"], "openlpr_val_precision": o["precision"], "threshold": a.threshold,
        "iou": 0.5, "openlpr_val_recall_by_height_px_at_size": o["recall_by_height"],
        "evaluated_with": ev["backend"] + " (shipped file)",
    }
    if "romanian" in ev:
        rr = row(ev, "romanian", a.threshold)
        metrics.update({"romanian_valid_recall": rr["recall"], "romanian_valid_precision": rr["precision"]})
    if a.eval_fast:
        ef = json.load(open(a.eval_fast))
        of = row(ef, "openlpr", a.threshold)
        metrics.update({"fast_openlpr_val_recall": of["recall"], "fast_openlpr_val_precision": of["precision"]})
        if "romanian" in ef:
            rf = row(ef, "romanian", a.threshold)
            metrics.update({"fast_romanian_valid_recall": rf["recall"], "fast_romanian_valid_precision": rf["precision"]})
    if a.bench:
        b = json.load(open(a.bench))
        for r in b["results"]:
            tag = "" if r["size"] == a.size else f"_{r['size']}"
            metrics[f"ms_node_{r['threads']}t{tag}"] = r["wall_min_ms"]
            metrics[f"cpu_ms_node_{r['threads']}t{tag}"] = r["cpu_median_ms"]
        metrics["ms_note"] = ("onnxruntime-node 1.30 session.run, fixed SxS input; ms_* = best-of-40 wall clock "
                              "(build machine's 2 cores were shared with other training jobs, loadavg %.1f), "
                              "cpu_ms_* = median process CPU time per run" % b["loadavg_1min"])
    meta = {
        "name": "plate-detector", "file": "plate-detector.onnx", "task": "plate-detection",
        "source": {"kind": "recipe", "path": "models/training/plate_detector", "command": a.command},
        "licence": "MIT (PlateLens); trained on openlpr (Apache-2.0 repo, images of unclear copyright, not redistributed) + plates-romanian (MIT)",
        "input": {"name": "x", "layout": "NCHW", "colorOrder": "RGB", "size": a.size, "fastSize": a.fast_size,
                  "sizeMultiple": 32, "letterbox": "top-left", "pad": 114, "scale": 255, "mean": None, "std": None},
        "output": {"heat": "heat", "ltrb": "ltrb", "stride": 4, "units": "input-pixels",
                   "cellCentre": "((j+0.5)*stride, (i+0.5)*stride)"},
        "decode": {"peakKernel": 3, "scoreThreshold": a.threshold, "nmsIou": a.nms, "maxDetections": 100},
        "params": a.params,
        "bytes": os.path.getsize(os.path.join(REPO, "models", "plate-detector.onnx")),
        "weights": "float16 initializers + Cast (compute in float32)",
        "metrics": metrics,
        "training": {"epochs": a.epochs, "wall_minutes": a.wall_minutes, "samples_per_epoch": 3200, "crop": "256 (phase 1, 12 epochs), 320 (phase 2, 8 epochs)",
                     "from_scratch": True, "device": "CPU (shared 2 cores)"},
    }
    if a.note:
        meta["note"] = a.note
    os.makedirs(os.path.join(REPO, "models", "meta"), exist_ok=True)
    p = os.path.join(REPO, "models", "meta", "plate-detector.json")
    json.dump(meta, open(p, "w"), indent=2)
    print(open(p).read())


if __name__ == "__main__":
    main()
