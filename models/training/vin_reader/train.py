"""Train the VIN line reader (CTC) on synthetic line crops.

  OMP_WAIT_POLICY=PASSIVE nice -n 5 /usr/bin/python3 train.py --run runs/main --minutes 70 [--resume]

AdamW, warm-up then cosine decay over --minutes of training wall time (kept in the
checkpoint, so --resume continues the schedule). Saves runs/<run>/checkpoint.pt every
--save-min minutes and runs/<run>/best.pt by exact-line accuracy on a fixed synthetic
validation set (seed 999, never trained on: training streams use other seeds).
--init starts a new schedule from given weights (e.g. the committed checkpoint.pt).
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn as nn

import data
from model import VinReader, n_params

ap = argparse.ArgumentParser()
ap.add_argument("--run", default="runs/main")
ap.add_argument("--minutes", type=float, default=70)
ap.add_argument("--batch", type=int, default=32)
ap.add_argument("--lr", type=float, default=2e-3)
ap.add_argument("--resume", action="store_true")
ap.add_argument("--init", default="")
ap.add_argument("--save-min", type=float, default=3)
ap.add_argument("--eval-min", type=float, default=8)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--workers", type=int, default=1)
ap.add_argument("--seed", type=int, default=0)
a = ap.parse_args()

torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
os.makedirs(a.run, exist_ok=True)
ck_path = os.path.join(a.run, "checkpoint.pt")
log = open(os.path.join(a.run, "log.txt"), "a")


def P(*s):
    msg = time.strftime("%H:%M:%S ") + " ".join(str(x) for x in s)
    print(msg, flush=True)
    log.write(msg + "\n")
    log.flush()


def evaluate(model, vs):
    model.eval()
    ok = vin_ok = vin_n = 0
    by_len = sorted(vs, key=lambda s: s[0].shape[1])
    with torch.no_grad():
        for i in range(0, len(by_len), 32):
            chunk = by_len[i:i + 32]
            x, _, _, texts = data.batch_from(chunk)
            preds = data.greedy_decode(model(x))
            for p, t in zip(preds, texts):
                ok += p == t
                if sum(ch.isalnum() for ch in t) >= 17 and any(ch.isdigit() for ch in t[-6:]):
                    vin_n += 1
                    vin_ok += p == t
    model.train()
    return {"exact": ok / len(vs), "vin_lines": vin_ok / max(1, vin_n), "n": len(vs)}


model = VinReader()
opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-4)
state = {"step": 0, "train_sec": 0.0, "samples": 0, "best": -1.0}
if a.resume and os.path.exists(ck_path):
    ck = torch.load(ck_path, map_location="cpu")
    model.load_state_dict(ck["model"])
    opt.load_state_dict(ck["opt"])
    state = ck["state"]
    P("resumed", ck_path, state)
elif a.init:
    ck = torch.load(a.init, map_location="cpu")
    sd = ck["model"] if "model" in ck else ck
    model.load_state_dict({k: v.float() for k, v in sd.items()})
    P("init from", a.init)
P("params", n_params(model), "args", vars(a))

vs = data.fixed_set(600, seed=999)
ds = data.Stream(batch=a.batch, seed=a.seed * 7919 + state["step"] + 1)
dl = torch.utils.data.DataLoader(ds, batch_size=None, num_workers=a.workers, prefetch_factor=8 if a.workers else None)
ctc = nn.CTCLoss(blank=0, zero_infinity=True)
total = a.minutes * 60
warm = 90.0


def lr_at(t):
    if t < warm:
        return a.lr * (0.1 + 0.9 * t / warm)
    f = min(1.0, (t - warm) / max(1.0, total - warm))
    return a.lr * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * f)))


def save(path, full=True):
    obj = {"model": model.state_dict(), "state": state}
    if full:
        obj["opt"] = opt.state_dict()
    torch.save(obj, path + ".tmp")
    os.replace(path + ".tmp", path)


last_save = last_eval = time.time()
t_prev = time.time()
run_loss, run_n = 0.0, 0
model.train()
for x, tg, ln, texts in dl:
    if state["train_sec"] >= total:
        break
    for g in opt.param_groups:
        g["lr"] = lr_at(state["train_sec"])
    logits = model.logits(x)
    lp = logits.log_softmax(-1).permute(1, 0, 2)
    loss = ctc(lp, tg, torch.full((x.shape[0],), lp.shape[0], dtype=torch.long), ln)
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()
    now = time.time()
    state["train_sec"] += now - t_prev
    t_prev = now
    state["step"] += 1
    state["samples"] += x.shape[0]
    run_loss += loss.item()
    run_n += 1
    if state["step"] % 50 == 0:
        preds = data.greedy_decode(logits.detach())
        acc = sum(p == t for p, t in zip(preds, texts)) / len(texts)
        P("step %d  min %.1f  lr %.2e  loss %.3f  batch_exact %.2f  samples/s %.0f" % (
            state["step"], state["train_sec"] / 60, opt.param_groups[0]["lr"], run_loss / run_n, acc,
            state["samples"] / max(1, state["train_sec"])))
        run_loss, run_n = 0.0, 0
    if now - last_save > a.save_min * 60:
        save(ck_path)
        last_save = time.time()
    if now - last_eval > a.eval_min * 60:
        r = evaluate(model, vs)
        P("EVAL step %d" % state["step"], json.dumps(r))
        if r["exact"] >= state["best"]:
            state["best"] = r["exact"]
            save(os.path.join(a.run, "best.pt"), full=False)
        last_eval = time.time()
        t_prev = time.time()
save(ck_path)
r = evaluate(model, vs)
P("FINAL step %d" % state["step"], json.dumps(r))
save(os.path.join(a.run, "final.pt"), full=False)
P("done")
