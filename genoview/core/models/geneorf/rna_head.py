"""The RNA-gene CNN as a torch module (training, and prediction with torch); see rna.py."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from genoview.core.models.geneorf.rna import RNA_CLASSES

RNA_REVERSE = torch.tensor([0, 2, 1, 4, 3])


class RNAHead(nn.Module):
    def __init__(self, channels: int = 24, dilations=(1, 2, 4, 8, 16, 32)):
        super().__init__()
        self.inputs = nn.Conv1d(4, channels, 9, padding=4)
        self.blocks = nn.ModuleList(nn.Conv1d(channels, channels, 3, padding=d, dilation=d) for d in dilations)
        self.head = nn.Conv1d(channels, len(RNA_CLASSES), 1)
        self.radius = 4 + sum(dilations)

    def forward(self, codes: torch.Tensor) -> torch.Tensor:
        """(batch, length) base codes -> (batch, 5, length) class logits."""
        x = F.one_hot(codes.long().clamp(max=4), 5)[..., :4].transpose(1, 2).float()
        x = self.inputs(x)
        for block in self.blocks:
            x = x + block(F.gelu(x))
        return self.head(F.gelu(x))


def train_rna_head(genomes, steps: int = 2000, window: int = 1024, batch: int = 16, seed: int = 0,
                   lr: float = 3e-3, log=print) -> RNAHead:
    """``genomes``: list of (codes uint8, labels int64) for the training parts. A quarter of the windows hold RNA."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    head = RNAHead()
    opt = torch.optim.AdamW(head.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.05)
    rna_pos = [np.nonzero(lab > 0)[0] for _, lab in genomes]
    weight = torch.tensor([1.0, 1.0, 1.0, 1.0, 1.0])
    for step in range(steps):
        xs, ys = [], []
        for k in range(batch):
            g = int(rng.integers(len(genomes)))
            codes, labels = genomes[g]
            if k % 4 == 0 and len(rna_pos[g]):
                centre = int(rna_pos[g][rng.integers(len(rna_pos[g]))])
                a = centre - int(rng.integers(window))
            else:
                a = int(rng.integers(len(codes)))
            a = int(np.clip(a, 0, len(codes) - window))
            x = torch.from_numpy(codes[a:a + window].astype(np.int64))
            y = torch.from_numpy(labels[a:a + window])
            if rng.random() < 0.5:   # reverse complement
                x = torch.where(x < 4, 3 - x, x).flip(0)
                y = torch.where(y >= 0, RNA_REVERSE[y.clamp(min=0)], y).flip(0)
            xs.append(x)
            ys.append(y)
        logits = head(torch.stack(xs))
        loss = F.cross_entropy(logits, torch.stack(ys), weight=weight, ignore_index=-100)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0 or step == steps - 1:
            log(f"rna step {step}: loss {float(loss.detach()):.4f}")
    return head.eval()
