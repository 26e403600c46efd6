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
from onnx import TensorProto, helper, numpy_helper

import data
import eval as ev
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


def _big_float_inits(m, min_size=64):
    return [t for t in m.graph.initializer if t.data_type == TensorProto.FLOAT and np.prod(t.dims) >= min_size]


def to_fp16_weights(m):
    m = onnx.ModelProto.FromString(m.SerializeToString())
    g = m.graph
    new_inits, nodes = [], []
    for t in _big_float_inits(m):
        arr = numpy_helper.to_array(t)
        name = t.name
        h = numpy_helper.from_array(arr.astype(np.float16), name + "_fp16")
        new_inits.append((t, h))
        nodes.append(helper.make_node("Cast", [name + "_fp16"], [name], to=TensorProto.FLOAT, name="cast_" + name))
    return _replace_initializers(m, [(t, [h]) for t, h in new_inits], nodes)


def _replace_initializers(m, repl, nodes):
    """Swap each float initializer for its compressed form(s); prepend the decoding nodes."""
    g = m.graph
    for t, news in repl:
        g.initializer.remove(t)
        g.initializer.extend(news)
    for n in reversed(nodes):
        g.node.insert(0, n)
    onnx.checker.check_model(m)
    return m


def to_int8_weights(m):
    """Symmetric int8 per-channel (axis 0, or axis 1 for LSTM W/R [dirs,4h,in]) weights + DequantizeLinear.
    Biases and small tensors stay fp32 (fp16 for biases would also do)."""
    m = onnx.ModelProto.FromString(m.SerializeToString())
    g = m.graph
    lstm_inputs = set()
    for n in g.node:
        if n.op_type == "LSTM":
            lstm_inputs.update(n.input[1:3])  # W, R
    repl, nodes = [], []
    for t in _big_float_inits(m, min_size=256):
        arr = numpy_helper.to_array(t)
        if arr.ndim < 2:
            continue
        axis = 1 if t.name in lstm_inputs else 0
        if t.name in lstm_inputs:
            # per (direction, row): flatten dirs*4h into channels by quantizing each direction separately
            # DequantizeLinear supports one axis only -> use axis=1 and share scale across the 2 directions
            red = tuple(i for i in range(arr.ndim) if i != 1)
        else:
            red = tuple(i for i in range(arr.ndim) if i != 0)
        scale = np.abs(arr).max(axis=red) / 127.0
        scale = np.where(scale == 0, 1e-8, scale).astype(np.float32)
        shp = [1] * arr.ndim
        shp[axis] = -1
        q = np.clip(np.round(arr / scale.reshape(shp)), -127, 127).astype(np.int8)
        qi = numpy_helper.from_array(q, t.name + "_q")
        si = numpy_helper.from_array(scale, t.name + "_scale")
        zi = numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), t.name + "_zp")
        repl.append((t, [qi, si, zi]))
        nodes.append(helper.make_node("DequantizeLinear", [qi.name, si.name, zi.name], [t.name], axis=axis,
                                      name="dq_" + t.name))
    return _replace_initializers(m, repl, nodes)


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
