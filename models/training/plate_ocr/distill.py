"""Distil the plate reader (fine-tuned PP-OCRv4 rec, 1.9 M params, 7.5 ms per crop in Node) into a
small CNN + BiLSTM student with the same contract: BGR 48×200 crop in, [N,25,37] CTC probabilities
out, so it can replace models/plate-reader.onnx without a pipeline change (two-row plates arrive
as the same top | bottom line).

Loss per batch = CTC(student, label) + λ · T² · KL(teacher_T ‖ student_T) over the 25 frames: the
teacher's frame posteriors carry its alignment and its confusions (O/0, B/8), which the labels
alone do not. Same data stream as train.py (pipeline-shaped real crops + synthetic plates), same
held-out splits; time-based cosine LR; resumable.

  OMP_WAIT_POLICY=PASSIVE nohup nice -n 5 /usr/bin/python3 distill.py --run runs/student --minutes 60 > runs_student.out 2>&1 &
  #   later sessions: the same command + --resume (continues its checkpoint and LR schedule) or
  #   --init student.pt --minutes N for a fresh schedule from the committed weights
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data  # noqa: E402
import train  # noqa: E402

NUM_CLASSES = len(data.ALPHABET) + 1
# The PP-OCR reader's ONNX, from `release.py --ckpt checkpoint.pt --keep-shipped` (models/plate-reader.onnx
# may be the student itself); without it, its checkpoint in PyTorch.
_TEACHER_ONNX = os.path.join(HERE, "runs", "export", "plate-reader-ppocr-fp16.onnx")
DEFAULT_TEACHER = _TEACHER_ONNX if os.path.exists(_TEACHER_ONNX) else os.path.join(HERE, "checkpoint.pt")


def cbr(i, o, s=1):
    return [nn.Conv2d(i, o, 3, stride=s, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]


class Student(nn.Module):
    """48×200 → 6×25 feature map (stride 8) → column features → BiLSTM → 25 frames × 37 classes (~120 M MACs)."""

    def __init__(self, c=(24, 48, 80, 80, 128, 128), col=160, hidden=96):
        super().__init__()
        c1, c2, c3, c4, c5, c6 = c
        self.features = nn.Sequential(
            *cbr(3, c1, 2),                      # 24×100
            *cbr(c1, c2), nn.MaxPool2d(2, 2),    # 12×50
            *cbr(c2, c3), *cbr(c3, c4), nn.MaxPool2d(2, 2),  # 6×25
            *cbr(c4, c5), *cbr(c5, c6),
        )
        self.column = nn.Sequential(nn.Conv2d(c6, col, (6, 1), bias=False), nn.BatchNorm2d(col), nn.ReLU(inplace=True))
        self.rnn = nn.LSTM(col, hidden, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(2 * hidden, NUM_CLASSES)

    def logits(self, x):
        f = self.column(self.features(x)).squeeze(2).permute(0, 2, 1)  # [N,25,col]
        y, _ = self.rnn(f)
        return self.fc(y)

    def forward(self, x):
        return torch.softmax(self.logits(x), -1)


class OrtTeacher:
    """The teacher's probabilities from onnxruntime (teacher_ort.mjs, one persistent node process)."""

    def __init__(self, model, width, steps=25):
        self.p = subprocess.Popen(["node", os.path.join(HERE, "teacher_ort.mjs"), model, str(width)], cwd=train.ROOT,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.steps = steps

    def probs(self, x):
        a = np.ascontiguousarray(x.numpy(), np.float32)
        self.p.stdin.write(np.int32(a.shape[0]).tobytes() + a.tobytes())
        self.p.stdin.flush()
        n = a.shape[0] * self.steps * NUM_CLASSES * 4
        raw = b""
        while len(raw) < n:
            raw += self.p.stdout.read(n - len(raw))
        return torch.from_numpy(np.frombuffer(raw, np.float32).reshape(a.shape[0], self.steps, NUM_CLASSES).copy())


def save(net, opt, step, elapsed, path, args):
    torch.save({"student": {k: v.half() if v.is_floating_point() else v for k, v in net.state_dict().items()},
                "step": step, "elapsed": elapsed, "args": vars(args)}, path + ".tmp")
    os.replace(path + ".tmp", path)
    torch.save({"opt": opt.state_dict(), "step": step, "elapsed": elapsed}, path + ".opt")


def load_student(path):
    net = Student()
    if path:
        net.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in torch.load(path, map_location="cpu")["student"].items()})
    return net


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="runs/student")
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch", type=int, default=48)
    ap.add_argument("--teacher", default=DEFAULT_TEACHER,
                    help="the teacher: an ONNX reader (run in onnxruntime) or a train.py checkpoint (PyTorch, 5× slower)")
    ap.add_argument("--init", default=None)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--kd", type=float, default=1.0, help="weight λ of the teacher term")
    ap.add_argument("--temp", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-min", type=float, default=20)
    ap.add_argument("--mix", default="scene:0.4,crop:0.45,synth:0.15")
    ap.add_argument("--width", type=int, default=200, help="crop width (the teacher's; 25 CTC frames at 200)")
    args = ap.parse_args()
    data.W = args.width
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.run, exist_ok=True)
    ck = os.path.join(args.run, "checkpoint.pt")
    if args.teacher.endswith(".onnx"):
        ort_teacher = OrtTeacher(args.teacher, data.W)
        teacher_probs = ort_teacher.probs
    else:
        _, teacher = train.load_net(args.teacher)
        teacher.eval()
        teacher_probs = lambda x: F.softmax(train.logits(teacher, x), -1)  # noqa: E731
    net = load_student(ck if args.resume else args.init)
    print("student params", sum(p.numel() for p in net.parameters()), flush=True)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    step, elapsed0 = 0, 0.0
    if args.resume:
        st = torch.load(ck + ".opt")
        opt.load_state_dict(st["opt"])
        step, elapsed0 = st["step"], st["elapsed"]
    val = data.validation_sets()
    mix = {k: float(v) for k, v in (p.split(":") for p in args.mix.split(","))}
    dl = torch.utils.data.DataLoader(train.Stream(args.batch, args.seed + step, mix), batch_size=None, num_workers=1,
                                     prefetch_factor=4)
    budget = args.minutes * 60
    t0 = time.time() - elapsed0
    last_ck = last_ev = time.time()
    losses = []
    T = args.temp
    for x, texts in dl:
        el = time.time() - t0
        frac = min(1.0, el / budget)
        lr = args.lr * min(1.0, step / 100) * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        with torch.no_grad():  # softmax(log p / T): the teacher's distribution at temperature T
            soft = F.softmax(torch.log(teacher_probs(x).clamp_min(1e-8)) / T, -1)
        z = net.logits(x)
        ctc = train.ctc_loss(z, texts)
        kd = F.kl_div(F.log_softmax(z / T, -1), soft, reduction="batchmean") / z.shape[1] * T * T
        loss = ctc + args.kd * kd
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        opt.step()
        step += 1
        losses.append((ctc.item(), kd.item()))
        if step % 20 == 0:
            c, k = np.mean(losses[-20:], 0)
            print(f"step {step} {el / 60:.1f} min lr {lr:.2e} ctc {c:.3f} kd {k:.3f} "
                  f"{step * args.batch / max(1, el):.1f} samples/s", flush=True)
        now = time.time()
        if now - last_ck > 240 or frac >= 1:
            save(net, opt, step, el, ck, args)
            last_ck = now
        if now - last_ev > args.eval_min * 60 or frac >= 1:
            print(f"eval step {step}", json.dumps(train.evaluate(net, val, fwd=net.logits)), flush=True)
            last_ev = time.time()
        if frac >= 1:
            break
    save(net, opt, step, time.time() - t0, os.path.join(args.run, "final.pt"), args)
    print("done", step, flush=True)


if __name__ == "__main__":
    main()
