"""One-row CRNN VIN line reader.

Input  x:     float32 [N,3,32,W] RGB, (v/255-0.5)/0.5, the line crop resized to height 32
              with its aspect kept (W dynamic, multiple of 8; right padding = 0 after
              normalisation, i.e. mid-grey).
Output probs: float32 [N,W/4,C] softmax; class 0 = CTC blank, class i+1 = ALPHABET[i].

The CNN pools height 32 → 1 and width by 4 (one step per 4 px ≈ three steps per glyph at
32 px line height); a BiLSTM reads the steps left to right and back.
"""
import torch
import torch.nn as nn

from synth import ALPHABET

NUM_CLASSES = len(ALPHABET) + 1
H = 32


def cbr(i, o):
    return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]


class VinReader(nn.Module):
    def __init__(self, c=(16, 32, 48, 64, 96, 128), hidden=128):
        super().__init__()
        c1, c2, c3, c4, c5, c6 = c
        self.features = nn.Sequential(
            *cbr(3, c1), nn.MaxPool2d(2, 2),            # 16 x W/2
            *cbr(c1, c2), nn.MaxPool2d(2, 2),           # 8 x W/4
            *cbr(c2, c3), *cbr(c3, c4), nn.MaxPool2d((2, 1), (2, 1)),  # 4
            *cbr(c4, c5), *cbr(c5, c6), nn.MaxPool2d((4, 1), (4, 1)),  # 1
        )
        self.rnn = nn.LSTM(c6, hidden, num_layers=1, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(2 * hidden, NUM_CLASSES)

    def logits(self, x):
        f = self.features(x)                              # [N,C,1,W/4]
        f = f.squeeze(2).permute(0, 2, 1)                 # [N,T,C]
        y, _ = self.rnn(f)
        return self.fc(y)

    def forward(self, x):
        return torch.softmax(self.logits(x), dim=-1)


def n_params(m):
    return sum(p.numel() for p in m.parameters())
