"""Two-row CRNN plate reader.

Input  x:     float32 [N,3,H,W] RGB, (v/255-0.5)/0.5, crop stretched to HxW.
Output probs: float32 [N,T,37] softmax; class 0 = CTC blank, class i+1 = ALPHABET[i].

The CNN reduces height to exactly 2 rows of features; the two rows are flattened
row 0 (top half) then row 1 (bottom half) into one sequence of T = 2*W/4 steps, so
CTC can read two-line (stacked) plates top line first. A BiLSTM runs over that
sequence (it sees both rows) and a linear layer gives per-step class scores.
"""
import torch
import torch.nn as nn

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
NUM_CLASSES = len(ALPHABET) + 1  # + blank at 0

import os

# fixed input size (see README for the measurement); PLATE_HW="32,128" only for the size ablation
H, W = (int(v) for v in os.environ.get("PLATE_HW", "48,160").split(","))


def cbr(i, o):
    return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]


class PlateReader(nn.Module):
    def __init__(self, c=(16, 32, 64, 64, 128, 128), hidden=128, h=H, w=W):
        super().__init__()
        assert h in (32, 48, 64)
        c1, c2, c3, c4, c5, c6 = c
        # after the first two pools: h/4; then pool rows down to exactly 2
        r = h // 4  # 8, 12 or 16
        p5 = {8: (2, 1), 12: (2, 1), 16: (2, 1)}[r]
        p6 = {8: (2, 1), 12: (3, 1), 16: (4, 1)}[r]
        self.features = nn.Sequential(
            *cbr(3, c1), nn.MaxPool2d(2, 2),
            *cbr(c1, c2), nn.MaxPool2d(2, 2),
            *cbr(c2, c3), *cbr(c3, c4), nn.MaxPool2d(p5, p5),
            *cbr(c4, c5), *cbr(c5, c6), nn.MaxPool2d(p6, p6),
        )
        self.rnn = nn.LSTM(c6, hidden, num_layers=1, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(2 * hidden, NUM_CLASSES)

    def logits(self, x):
        f = self.features(x)                      # [N,C,2,W/4]
        n, c, hh, ww = f.shape
        f = f.permute(0, 2, 3, 1).reshape(n, hh * ww, c)  # row 0 then row 1
        y, _ = self.rnn(f)
        return self.fc(y)                         # [N,T,37]

    def forward(self, x):
        return torch.softmax(self.logits(x), dim=-1)


def n_params(m):
    return sum(p.numel() for p in m.parameters())


if __name__ == "__main__":
    import time, sys
    torch.set_num_threads(1)
    for h, w, c, hid in [(32, 128, (16, 32, 64, 64, 128, 128), 128), (48, 160, (16, 32, 64, 64, 128, 128), 128),
                         (48, 160, (32, 64, 96, 96, 160, 160), 128), (64, 192, (16, 32, 64, 64, 128, 128), 128)]:
        m = PlateReader(c, hid, h, w)
        opt = torch.optim.AdamW(m.parameters(), 1e-3)
        x = torch.randn(64, 3, h, w)
        ctc = nn.CTCLoss(zero_infinity=True)
        for i in range(4):
            if i == 1:
                t = time.time()
            lp = m.logits(x).log_softmax(-1).permute(1, 0, 2)
            tg = torch.randint(1, 37, (64, 7))
            loss = ctc(lp, tg, torch.full((64,), lp.shape[0], dtype=torch.long), torch.full((64,), 7, dtype=torch.long))
            opt.zero_grad(); loss.backward(); opt.step()
        dt = (time.time() - t) / 3
        print(h, w, c, hid, "params", n_params(m), "T", lp.shape[0], "samples/s %.0f" % (64 / dt), flush=True)
