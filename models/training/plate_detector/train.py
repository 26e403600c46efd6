"""Train the PlateLens plate detector from scratch (CPU).

  cd models/training/plate_detector
  OMP_WAIT_POLICY=PASSIVE nohup nice -n 5 /usr/bin/python3 train.py --out runs/main > runs/main.log 2>&1 &

Resumable: full state (model, EMA, optimiser, step) goes to <out>/last.pt every --save-min minutes and
at the end of every epoch; re-running the same command continues from it. The EMA weights are also
written (fp16, weights only) to <out>/ema_fp16.pt; copy that to ./checkpoint.pt to ship.
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dataset import TrainSet, read_fr, train_records, worker_init  # noqa: E402
from model import STRIDE, PlateDetector, count_params  # noqa: E402


def focal_loss(logits, target, ignore):
    """CenterNet penalty-reduced focal loss (alpha=2, beta=4), normalised by the number of peaks."""
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = target.eq(1).float()
    neg = (1 - pos) * (1 - ignore)
    pos_l = torch.log(p) * (1 - p) ** 2 * pos
    neg_l = torch.log(1 - p) * p ** 2 * (1 - target) ** 4 * neg
    n = pos.sum().clamp(min=1)
    return -(pos_l.sum() + neg_l.sum()) / n


def giou_loss(raw, reg_w, reg_box):
    """GIoU between predicted (exp(raw)*stride around cell centres) and target boxes, Gaussian-weighted."""
    m = reg_w > 0
    if m.sum() == 0:
        return raw.sum() * 0
    N, _, G, _ = raw.shape
    ys, xs = torch.meshgrid(torch.arange(G, dtype=torch.float32), torch.arange(G, dtype=torch.float32), indexing="ij")
    cx = ((xs + 0.5) * STRIDE)[None].expand(N, G, G)[m]
    cy = ((ys + 0.5) * STRIDE)[None].expand(N, G, G)[m]
    d = torch.exp(raw.clamp(max=8)).mul(STRIDE).permute(0, 2, 3, 1)[m]  # [k,4]
    px1, py1, px2, py2 = cx - d[:, 0], cy - d[:, 1], cx + d[:, 2], cy + d[:, 3]
    t = reg_box.permute(0, 2, 3, 1)[m]
    tx1, ty1, tx2, ty2 = t[:, 0], t[:, 1], t[:, 2], t[:, 3]
    iw = (torch.min(px2, tx2) - torch.max(px1, tx1)).clamp(min=0)
    ih = (torch.min(py2, ty2) - torch.max(py1, ty1)).clamp(min=0)
    inter = iw * ih
    ap = (px2 - px1) * (py2 - py1)
    at = (tx2 - tx1) * (ty2 - ty1)
    union = ap + at - inter
    iou = inter / union.clamp(min=1e-6)
    ew = torch.max(px2, tx2) - torch.min(px1, tx1)
    eh = torch.max(py2, ty2) - torch.min(py1, ty1)
    enc = (ew * eh).clamp(min=1e-6)
    giou = iou - (enc - union) / enc
    w = reg_w[m]
    return ((1 - giou) * w).sum() / w.sum().clamp(min=1e-6)


class EMA:
    def __init__(self, model, decay=0.9995, tau=1500):
        import copy
        self.m = copy.deepcopy(model).eval()
        for p in self.m.parameters():
            p.requires_grad_(False)
        self.decay, self.tau, self.updates = decay, tau, 0

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = self.decay * (1 - math.exp(-self.updates / self.tau))
        msd = model.state_dict()
        for k, v in self.m.state_dict().items():
            if v.dtype.is_floating_point:
                v.mul_(d).add_(msd[k].detach(), alpha=1 - d)
            else:
                v.copy_(msd[k])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="runs/main")
    ap.add_argument("--epochs", type=int, default=80)
    ap.add_argument("--epoch-size", type=int, default=3200, help="samples per epoch")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--crop", type=int, default=320)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--wd", type=float, default=5e-4)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--romanian-weight", type=float, default=2.0, help="sampling weight of a Romanian image vs an openlpr one")
    ap.add_argument("--fr-weight", type=float, default=0.0,
                    help="sampling weight of a plates-fr-qanastek train scene (one plate boxed: close-up views only); 0 = unused")
    ap.add_argument("--zoom", type=float, default=0.0, help="share of close-up views (a plate 25-75 %% of the crop width)")
    ap.add_argument("--giou-weight", type=float, default=5.0)
    ap.add_argument("--save-min", type=float, default=3.0)
    ap.add_argument("--eval-every", type=int, default=5)
    ap.add_argument("--eval-size", type=int, default=512)
    ap.add_argument("--max-steps", type=int, default=0, help="debug: stop after N steps")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init", help="start from these weights (weights-only or full checkpoint; EMA taken if present)")
    ap.add_argument("--warmup", type=int, default=500)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    random.seed(a.seed); np.random.seed(a.seed); torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    logf = open(os.path.join(a.out, "log.txt"), "a")

    def log(*s):
        line = time.strftime("%H:%M:%S ") + " ".join(str(x) for x in s)
        print(line, flush=True)
        logf.write(line + "\n"); logf.flush()

    op, ro = train_records()
    fr = read_fr("train") if a.fr_weight > 0 else []
    recs = op + ro + fr
    weights = [1.0] * len(op) + [a.romanian_weight] * len(ro) + [a.fr_weight] * len(fr)
    focus = [False] * (len(op) + len(ro)) + [True] * len(fr)
    t0 = time.time()
    ds = TrainSet(recs, crop=a.crop, length=a.epoch_size, weights=weights, p_zoom=a.zoom, focus=focus).cache()
    log(f"cached {len(recs)} images ({len(op)} openlpr + {len(ro)} romanian + {len(fr)} fr) in {time.time() - t0:.0f}s")
    dl = torch.utils.data.DataLoader(ds, batch_size=a.batch, shuffle=False, num_workers=a.workers, drop_last=True,
                                     worker_init_fn=worker_init, persistent_workers=a.workers > 0,
                                     prefetch_factor=4 if a.workers > 0 else 2)

    model = PlateDetector().to(memory_format=torch.channels_last)
    log("params", count_params(model))
    decay, no_decay = [], []
    for n_, p in model.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.wd}, {"params": no_decay, "weight_decay": 0}], lr=a.lr)
    if a.init:
        sd = torch.load(a.init, map_location="cpu")
        sd = sd.get("ema", sd)
        model.load_state_dict({k: (v.float() if v.dtype == torch.float16 else v) for k, v in sd.items()})
        log(f"initialised from {a.init}")
    ema = EMA(model)
    steps_per_epoch = a.epoch_size // a.batch
    total = a.epochs * steps_per_epoch
    warm = min(a.warmup, total // 10)
    step, epoch0, best = 0, 0, {}
    last = os.path.join(a.out, "last.pt")
    if os.path.exists(last):
        st = torch.load(last, map_location="cpu")
        model.load_state_dict(st["model"]); ema.m.load_state_dict(st["ema"]); ema.updates = st["ema_updates"]
        opt.load_state_dict(st["opt"]); step = st["step"]; epoch0 = st["epoch"]; best = st.get("best", {})
        log(f"resumed from {last}: epoch {epoch0} step {step}")

    def save(epoch):
        st = {"model": model.state_dict(), "ema": ema.m.state_dict(), "ema_updates": ema.updates, "opt": opt.state_dict(),
              "step": step, "epoch": epoch, "best": best, "args": vars(a)}
        torch.save(st, last + ".tmp"); os.replace(last + ".tmp", last)
        torch.save({k: v.half() if v.dtype == torch.float32 else v for k, v in ema.m.state_dict().items()},
                   os.path.join(a.out, "ema_fp16.pt"))

    def lr_at(s):
        if s < warm:
            return a.lr * (0.1 + 0.9 * s / warm)
        return a.lr * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(1.0, (s - warm) / max(1, total - warm)))))

    val = None
    if a.eval_every:
        from eval import evaluate, prepare, run_torch, best_row
        val = prepare("openlpr", a.eval_size)

    last_save = time.time()
    for epoch in range(epoch0, a.epochs):
        model.train()
        te, n_img, agg = time.time(), 0, np.zeros(3)
        for i, (x, heat, ign, reg_w, reg_box) in enumerate(dl):
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            x = x.float().div_(255.0).contiguous(memory_format=torch.channels_last)
            hl, raw = model.forward_raw(x)
            lh = focal_loss(hl.float(), heat, ign)
            lb = giou_loss(raw.float(), reg_w, reg_box)
            loss = lh + a.giou_weight * lb
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
            opt.step()
            ema.update(model)
            step += 1; n_img += len(x)
            agg += [loss.item(), lh.item(), lb.item()]
            if step % 50 == 0:
                k = (i % 50) + 1 if (i + 1) % 50 else 50
                log(f"ep {epoch} step {step}/{total} loss {agg[0] / k:.3f} heat {agg[1] / k:.3f} giou {agg[2] / k:.3f} "
                    f"lr {lr_at(step):.2e} {n_img / (time.time() - te):.1f} img/s")
                agg[:] = 0
            if time.time() - last_save > a.save_min * 60:
                save(epoch); last_save = time.time()
            if a.max_steps and step >= a.max_steps:
                break
        save(epoch + 1); last_save = time.time()
        log(f"epoch {epoch} done in {time.time() - te:.0f}s")
        if a.max_steps and step >= a.max_steps:
            break
        if val is not None and ((epoch + 1) % a.eval_every == 0 or epoch + 1 == a.epochs):
            X, R, WH, GT, _ = val
            tv = time.time()
            table = evaluate(run_torch(ema.m, X), R, WH, GT, a.eval_size)
            b = best_row(table)
            r3 = next(r for r in table if abs(r["threshold"] - 0.3) < 1e-6)
            log(f"EVAL ep {epoch} openlpr S={a.eval_size}: best thr {b['threshold']} R {b['recall']} P {b['precision']} | "
                f"thr0.3 R {r3['recall']} P {r3['precision']} ({time.time() - tv:.0f}s)")
            with open(os.path.join(a.out, "evals.jsonl"), "a") as f:
                f.write(json.dumps({"epoch": epoch, "step": step, "best": b}) + "\n")
    log("done")


if __name__ == "__main__":
    main()
