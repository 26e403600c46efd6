"""Which layout to trust for squarish boxes: read every held-out plate whose box is squarer than
--aspect both as one row and as two rows and report how often the likelier reading is right."""
import argparse, sys, os
import numpy as np, torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data, train

ap = argparse.ArgumentParser()
ap.add_argument("--ckpt", required=True)
ap.add_argument("--aspect", type=float, default=2.6)
a = ap.parse_args()
torch.set_num_threads(1)
_, net = train.load_net(a.ckpt)
net.eval()
_, va = data.crops("val")
items = va + data.scenes_openlpr("plates-openlpr-val")
stats = {}
for it in items:
    x, y, w, h = it.box
    if w / h >= a.aspect:
        continue
    c = data.pipeline_crop(it.img, it.box, 1)
    ims = [data.to_line(c, 1), data.to_line(c, 2)]
    with torch.no_grad():
        p = torch.softmax(train.logits(net, torch.from_numpy(data.to_batch(ims))), -1)
    txt = train.greedy(p)
    conf = p.max(-1).values
    # geometric mean of per-frame max over emitted frames (close to the TS readingScore)
    sc = []
    for i in range(2):
        k = p[i].argmax(-1)
        m = conf[i][k != 0]
        sc.append(float(torch.exp(torch.log(m.clamp_min(1e-9)).mean())) if len(m) else 0.0)
    rules = {
        "likelier": 0 if sc[0] >= sc[1] else 1,
        **{f"two+{m}": 1 if sc[1] + m > sc[0] else 0 for m in (0.02, 0.05, 0.1, 0.2)},
    }
    key = f"{it.src}:rows{it.rows}"
    s = stats.setdefault(key, {"n": 0, "one": 0, "two": 0, **{r: 0 for r in rules}})
    s["n"] += 1; s["one"] += txt[0] == it.text; s["two"] += txt[1] == it.text
    for r, pick in rules.items():
        s[r] += txt[pick] == it.text
tot = {}
for k, s in sorted(stats.items()):
    print(f"{k:26s} n={s['n']:4d} " + " ".join(f"{r} {v / s['n']:.3f}" for r, v in s.items() if r != "n"))
    for r, v in s.items():
        tot[r] = tot.get(r, 0) + v
print("all", " ".join(f"{r} {v}" for r, v in tot.items()))
