"""Export the plate detector to ONNX (opset 17, dynamic H/W, BatchNorm folded) and check it against
PyTorch in onnxruntime-node.

  /usr/bin/python3 export.py --ckpt checkpoint.pt --out ../../plate-detector.onnx --fp16

--fp16 stores the weights as float16 initializers followed by Cast-to-float32 nodes (onnxruntime folds
the casts at session creation, compute stays float32). --int8 stores conv weights as int8 with a
per-output-channel scale and a DequantizeLinear node (axis 0).
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper, TensorProto

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import PlateDetector, count_params  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))


def load_model(ckpt):
    sd = torch.load(ckpt, map_location="cpu")
    if "ema" in sd:
        sd = sd["ema"]
    m = PlateDetector()
    m.load_state_dict({k: (v.float() if v.dtype == torch.float16 else v) for k, v in sd.items()})
    return m.eval()


def compress(model_proto, mode):
    g = model_proto.graph
    new_inits, new_nodes = [], []
    for init in g.initializer:
        w = numpy_helper.to_array(init)
        big = w.dtype == np.float32 and w.size >= 64
        if mode == "fp16" and big:
            h = numpy_helper.from_array(w.astype(np.float16), init.name + "_fp16")
            new_inits.append(h)
            new_nodes.append(helper.make_node("Cast", [h.name], [init.name], to=TensorProto.FLOAT, name=init.name + "_cast"))
        elif mode == "int8" and big and w.ndim == 4:
            amax = np.abs(w).reshape(w.shape[0], -1).max(1)
            scale = np.maximum(amax, 1e-8) / 127.0
            q = np.clip(np.round(w / scale[:, None, None, None]), -127, 127).astype(np.int8)
            qi = numpy_helper.from_array(q, init.name + "_q")
            si = numpy_helper.from_array(scale.astype(np.float32), init.name + "_scale")
            zi = numpy_helper.from_array(np.zeros(w.shape[0], np.int8), init.name + "_zp")
            new_inits += [qi, si, zi]
            new_nodes.append(helper.make_node("DequantizeLinear", [qi.name, si.name, zi.name], [init.name], axis=0,
                                              name=init.name + "_dq"))
        else:
            new_inits.append(init)
    del g.initializer[:]
    g.initializer.extend(new_inits)
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(new_nodes + nodes)
    return model_proto


NODE_CHECK = r"""
import ort from 'onnxruntime-node';
import fs from 'node:fs';
const [model, inFile, S, outFile] = process.argv.slice(2);
const s = +S;
const sess = await ort.InferenceSession.create(model, {intraOpNumThreads: 1});
const x = new Float32Array(fs.readFileSync(inFile).buffer.slice(0));
const out = await sess.run({x: new ort.Tensor('float32', x, [1, 3, s, s])});
fs.writeFileSync(outFile, Buffer.concat([Buffer.from(out.heat.data.buffer), Buffer.from(out.ltrb.data.buffer)]));
console.log(JSON.stringify({heat: out.heat.dims, ltrb: out.ltrb.dims}));
"""


def ort_node_run(onnx_path, x):
    S = x.shape[-1]
    tmp = f"/tmp/pd_export_{os.getpid()}"
    x.astype(np.float32).tofile(tmp + ".in")
    script = os.path.join(REPO, f".plate_export_{os.getpid()}.mjs")
    open(script, "w").write(NODE_CHECK)
    try:
        r = subprocess.run(["node", script, os.path.abspath(onnx_path), tmp + ".in", str(S), tmp + ".out"], cwd=REPO,
                           capture_output=True, text=True, check=True)
    finally:
        os.remove(script)
    raw = np.fromfile(tmp + ".out", np.float32)
    os.remove(tmp + ".in"); os.remove(tmp + ".out")
    G = S // 4
    return raw[:G * G].reshape(1, 1, G, G), raw[G * G:].reshape(1, 4, G, G), r.stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default="checkpoint.pt")
    ap.add_argument("--out", default="../../plate-detector.onnx")
    ap.add_argument("--fp16", action="store_true")
    ap.add_argument("--int8", action="store_true")
    ap.add_argument("--size", type=int, default=512)
    a = ap.parse_args()
    m = load_model(a.ckpt)
    tmp = a.out + ".fp32.tmp"
    torch.onnx.export(m, torch.zeros(1, 3, a.size, a.size), tmp, input_names=["x"], output_names=["heat", "ltrb"],
                      opset_version=17, do_constant_folding=True,
                      dynamic_axes={"x": {2: "H", 3: "W"}, "heat": {2: "h", 3: "w"}, "ltrb": {2: "h", 3: "w"}})
    mp = onnx.load(tmp)
    if a.fp16 or a.int8:
        mp = compress(mp, "int8" if a.int8 else "fp16")
    mp.producer_name = "platelens-plate-detector"
    onnx.checker.check_model(mp)
    onnx.save(mp, a.out)
    ops = sorted({n.op_type for n in mp.graph.node})
    info = {"params": count_params(m), "bytes": os.path.getsize(a.out), "ops": ops}
    rng = np.random.default_rng(0)
    diffs = {}
    for S in (a.size, 320):
      x = rng.random((1, 3, S, S), dtype=np.float32)
      with torch.no_grad():
          th, tl = m(torch.from_numpy(x))
      for tag, path in (("fp32", tmp), ("shipped", a.out)):
        oh, ol, dims = ort_node_run(path, x)
        diffs[f"{tag}@{S}"] = {"heat_max_abs": float(np.abs(oh - th.numpy()).max()), "ltrb_max_abs": float(np.abs(ol - tl.numpy()).max()),
                    "ltrb_max_rel": float((np.abs(ol - tl.numpy()) / (np.abs(tl.numpy()) + 1)).max()), "dims": dims}
    os.remove(tmp)
    info["ort_node_vs_torch"] = diffs
    print(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
