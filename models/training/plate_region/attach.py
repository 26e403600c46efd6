"""Attach the region head to the shipped plate reader: one graph, one input crop, two outputs
(the reader's CTC probabilities and `region`, the country probabilities). The pipeline builds
the reader's input tensor once per plate and gets both from the same run.

  /usr/bin/python3 attach.py [--ckpt runs/main/model.pt]
    → models/plate-reader.onnx with `region` (fp16 weights), its meta's output.region + metrics,
      checkpoint.pt (fp16 head weights: re-attach after a reader release without retraining)
Idempotent: a previously attached head is removed first.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from onnx_weights import to_fp16_weights  # noqa: E402
import train  # noqa: E402  (RegionNet, the data, one_row)
data = train.data

PREFIX = "region_"
OUTPUT = "region"
READER = os.path.join(ROOT, "models", "plate-reader.onnx")
META = os.path.join(ROOT, "models", "meta", "plate-reader.json")


def detach(m):
    """The reader without a previously attached head."""
    keep = [n for n in m.graph.node if not any(o == OUTPUT or o.startswith(PREFIX) for o in n.output)]
    del m.graph.node[:]
    m.graph.node.extend(keep)
    inits = [t for t in m.graph.initializer if not t.name.startswith(PREFIX)]
    del m.graph.initializer[:]
    m.graph.initializer.extend(inits)
    outs = [o for o in m.graph.output if o.name != OUTPUT]
    del m.graph.output[:]
    m.graph.output.extend(outs)
    return m


# The crop width the head was trained at (train.py cuts crops with plate_ocr's data.W = 160).
HEAD_W = 160


class AtHeadWidth(torch.nn.Module):
    """The head on its training width when the reader takes wider crops (one bilinear Resize)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(torch.nn.functional.interpolate(x, size=(data.H, HEAD_W), mode="bilinear", align_corners=False))


def at_reader_width(net):
    """The head as the reader's crop feeds it (BandRegionNet resizes its look branch itself)."""
    return net if data.W == HEAD_W or isinstance(net, train.BandRegionNet) else AtHeadWidth(net)


def head_graph(net):
    body = at_reader_width(net.eval())
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "head.onnx")
        torch.onnx.export(train.WithSoftmax(body), torch.zeros(1, 3, data.H, data.W), p, input_names=["x"],
                          output_names=[OUTPUT], dynamic_axes={"x": {0: "n"}, OUTPUT: {0: "n"}}, opset_version=13)
        return to_fp16_weights(onnx.load(p))


def attach(reader, head):
    x = reader.graph.input[0].name
    rename = lambda s: x if s == "x" else (s if s == OUTPUT or s == "" else PREFIX + s)
    for n in head.graph.node:
        n.name = PREFIX + n.name
        for i, s in enumerate(n.input):
            n.input[i] = rename(s)
        for i, s in enumerate(n.output):
            n.output[i] = rename(s)
    for t in head.graph.initializer:
        t.name = rename(t.name)
    reader.graph.node.extend(head.graph.node)
    reader.graph.initializer.extend(head.graph.initializer)
    reader.graph.output.extend(head.graph.output)
    onnx.checker.check_model(reader)
    return reader


def ort_outputs(path, x):
    with tempfile.TemporaryDirectory() as d:
        i, o = os.path.join(d, "in.bin"), os.path.join(d, "out.bin")
        x.astype(np.float32).tofile(i)
        subprocess.run(["node", os.path.join(HERE, "ort_outputs.mjs"), path, i, ",".join(map(str, x.shape)), o],
                       check=True, capture_output=True, cwd=ROOT)
        return json.load(open(o))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default=os.path.join(HERE, "runs", "main", "model.pt"))
    args = ap.parse_args()
    torch.set_num_threads(2)
    ck = torch.load(args.ckpt, map_location="cpu")
    classes = ck["classes"]
    band = train.has_band(ck["state"])
    net = train.BandRegionNet(len(classes)) if band else train.RegionNet(len(classes))
    net.load_state_dict({k: v.float() for k, v in ck["state"].items()})
    net.eval()
    before = detach(onnx.load(READER))
    data.W = json.load(open(META))["input"]["width"]  # crops as the pipeline cuts them for this reader
    with tempfile.TemporaryDirectory() as d:
        plain = os.path.join(d, "reader.onnx")
        onnx.save(before, plain)
        merged = attach(onnx.load(plain), head_graph(net))
        net.eval()  # torch.onnx.export hands modules back in training mode
        merged_path = os.path.join(d, "merged.onnx")
        onnx.save(merged, merged_path)
        # held-out look accuracy through onnxruntime, and the reader's output untouched
        _, val, _, _ = train.load()
        metrics, worst_text = {}, 0.0
        for name, items in val.items():
            x = data.to_batch([train.one_row(None, it) for it in items])
            got = ort_outputs(merged_path, x)
            ref = ort_outputs(plain, x)
            reader_out = before.graph.output[0].name
            worst_text = max(worst_text, float(np.abs(np.array(got[reader_out]) - np.array(ref[reader_out])).max()))
            p = np.array(got[OUTPUT]).reshape(len(items), len(classes))
            y = np.array([train.label(classes, it.country) for it in items])
            metrics[f"region_{name}_look_acc"] = round(float((p.argmax(1) == y).mean()), 4)
            metrics[f"region_{name}_n"] = len(items)
            with torch.no_grad():
                tp = train.WithSoftmax(at_reader_width(net))(torch.from_numpy(x)).numpy()
            metrics["region_max_abs_diff_vs_torch"] = round(max(metrics.get("region_max_abs_diff_vs_torch", 0),
                                                                float(np.abs(tp - p).max())), 5)
        assert worst_text == 0.0, f"attaching the head changed the reader's output by {worst_text}"
        onnx.save(merged, READER)
    meta = json.load(open(META))
    meta["output"]["region"] = {"name": OUTPUT, "classes": classes}
    params = int(sum(v.numel() for v in net.state_dict().values() if v.dtype.is_floating_point))
    meta["region_head"] = {
        "recipe": "models/training/plate_region (train.py, then attach.py after every reader release)",
        "what": ("plate country from its look: small CNN on the reader's input crop"
                 + (" plus a band branch on its left quarter at full crop resolution (the EU band's country letters)" if band else "")
                 + ", softmax over the classes"),
        "params": params,
        "training": {"steps": ck["step"], "data": "plates-openlpr-train (every plate with a known country), openalpr "
                     "eu/eu2/us/br, fast-plate-ocr AR, qanastek FR train crops; held-out splits excluded"},
    }
    meta["metrics"] = {k: v for k, v in meta["metrics"].items() if not k.startswith("region_")}
    meta["metrics"].update(metrics)
    with open(META, "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    torch.save({"state": {k: (v.half() if v.dtype.is_floating_point else v) for k, v in net.state_dict().items()},
                "classes": classes, "step": ck["step"]}, os.path.join(HERE, "checkpoint.pt"))
    print("attached", os.path.getsize(READER), "bytes", json.dumps(metrics))


if __name__ == "__main__":
    main()
