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
    pick = 0 if sc[0] >= sc[1] else 1
    key = f"{it.src}:rows{it.rows}"
    s = stats.setdefault(key, [0, 0, 0, 0])
    s[0] += 1; s[1] += txt[0] == it.text; s[2] += txt[1] == it.text; s[3] += txt[pick] == it.text
for k, (n, r1, r2, rp) in sorted(stats.items()):
    print(f"{k:28s} n={n:4d} one-row {r1/n:.3f} two-row {r2/n:.3f} picked {rp/n:.3f}")
