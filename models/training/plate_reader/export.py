"""Export the plate reader to ONNX (opset 17) and write weight-compressed variants.

  /usr/bin/python3 export.py --ckpt checkpoint.pt --out runs/export
writes  runs/export/fp32.onnx   (BatchNorm folded into Conv by the exporter; softmax inside)
        runs/export/fp16w.onnx  (fp16 initializers + Cast to float; compute stays fp32)
        runs/export/int8w.onnx  (int8 per-output-channel weights + DequantizeLinear; compute fp32)
        runs/export/check.bin + check.json  (preprocessed held-out crops + PyTorch probs, for verify.mjs)
Then:   cd /work/main && node models/training/plate_reader/verify.mjs models/training/plate_reader/runs/export
"""
import argparse
import json
import os

import numpy as np
import onnx
import torch

import data
import eval as ev
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from onnx_weights import to_fp16_weights, to_int8_weights  # noqa: E402
from model import ALPHABET, H, W


def export_fp32(model, path):
    x = torch.from_numpy(np.zeros((2, 3, H, W), np.float32))
    torch.onnx.export(model, x, path, input_names=["x"], output_names=["probs"],
                      dynamic_axes={"x": {0: "N"}, "probs": {0: "N"}}, opset_version=17,
                      do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL)
    m = onnx.load(path)
    m.producer_name = "platelens-plate-reader"
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default="checkpoint.pt")
    ap.add_argument("--out", default="runs/export")
    a = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(a.out, exist_ok=True)
    model = ev.load_model(a.ckpt)
    m32 = export_fp32(model, os.path.join(a.out, "fp32.onnx"))
    onnx.save(to_fp16_weights(m32), os.path.join(a.out, "fp16w.onnx"))
    onnx.save(to_int8_weights(m32), os.path.join(a.out, "int8w.onnx"))
    # check data: held-out US + BR crops, preprocessed exactly per contract, + PyTorch probs
    sets, xs, texts, names = [], [], [], []
    for name in ("us", "br"):
        for path, img, text in data.split(name, "val"):
            xs.append(data.preprocess(data.read_rgb(path)))
            texts.append(text)
            names.append(img)
            sets.append(name)
    x = np.stack(xs).astype(np.float32)
    with torch.no_grad():
        probs = torch.cat([model(torch.from_numpy(x[i:i + 64])) for i in range(0, len(x), 64)]).numpy()
    x.tofile(os.path.join(a.out, "check_x.bin"))
    probs.astype(np.float32).tofile(os.path.join(a.out, "check_probs.bin"))
    torch_preds = data.greedy_decode(probs)
    json.dump({"shape": list(x.shape), "probs_shape": list(probs.shape), "texts": texts, "sets": sets,
               "names": names, "torch_preds": torch_preds, "alphabet": ALPHABET},
              open(os.path.join(a.out, "check.json"), "w"))
    for s in ("us", "br"):
        idx = [i for i, v in enumerate(sets) if v == s]
        print(s, "torch exact", sum(torch_preds[i] == texts[i] for i in idx) / len(idx), len(idx))
    for f in ("fp32.onnx", "fp16w.onnx", "int8w.onnx"):
        print(f, os.path.getsize(os.path.join(a.out, f)), "bytes")


if __name__ == "__main__":
    main()
