"""RNA genes (tRNA, rRNA) found by a small CNN learnt across many genomes.

RNA genes have no reading frame, so the ORF scorer cannot see them. A dilated 1-D CNN over one-hot bases
(about 130 bases of receptive field) labels each base as outside RNA genes, tRNA (+/-) or rRNA (+/-).
It learns what tRNAs and rRNAs share across bacteria and archaea (conserved rRNA stretches, the tRNA
cloverleaf's T- and D-loop motifs and CCA ends), from the RNA genes of several training genomes with
reverse-complement augmentation; it keeps no copy of any genome's genes.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

RNA_CLASSES = ("none", "tRNA+", "tRNA-", "rRNA+", "rRNA-")
RNA_REVERSE = torch.tensor([0, 2, 1, 4, 3])
LABEL_TYPES = {"tRNA": 1, "tmRNA": 1, "rRNA": 3}
IGNORE_TYPES = ("ncRNA", "RNase_P_RNA", "SRP_RNA", "antisense_RNA", "misc_RNA")


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


def rna_labels(features, seqid: str, length: int) -> np.ndarray:
    """int64 per-base class (RNA_CLASSES; -100 = ignored: other RNA genes)."""
    labels = np.zeros(length, dtype=np.int64)
    for f in features.on(seqid, IGNORE_TYPES):
        for a, b in f.parts:
            labels[a:b] = -100
    for f in features.on(seqid, tuple(LABEL_TYPES)):
        cls = LABEL_TYPES[f.type] + (0 if f.strand >= 0 else 1)
        for a, b in f.parts:
            labels[a:b] = cls
    return labels


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


def rna_probabilities(head: RNAHead, codes: np.ndarray, tile: int = 200_000) -> np.ndarray:
    """(5, length) float32 class probabilities of a whole sequence, tiled with enough flank."""
    n = len(codes)
    out = np.zeros((len(RNA_CLASSES), n), dtype=np.float32)
    r = head.radius + 8
    with torch.inference_mode():
        for a in range(0, n, tile):
            b = min(n, a + tile)
            lo, hi = max(0, a - r), min(n, b + r)
            window = torch.from_numpy(np.asarray(codes[lo:hi], dtype=np.int64))[None]
            probs = torch.softmax(head(window)[0], dim=0)
            out[:, a:b] = probs[:, a - lo:a - lo + b - a].numpy()
    return out


def rna_calls(probs: np.ndarray, seqid: str, min_length: int = 50, threshold: float = 0.5):
    """RNA gene calls (genecalls.GeneCall, kind tRNA/rRNA) from runs where P(RNA) >= threshold."""
    from genoview.core.genecalls import GeneCall
    from genoview.core.inference import runs_above

    rna = 1.0 - probs[0]
    starts, ends = runs_above(rna, threshold)
    calls = []
    for a, b in zip(starts.tolist(), ends.tolist()):
        if b - a < min_length:
            continue
        mass = probs[1:, a:b].sum(axis=1)
        cls = int(np.argmax(mass)) + 1
        kind = "tRNA" if cls in (1, 2) else "rRNA"
        if b - a < (60 if kind == "tRNA" else 100):   # shorter than any tRNA / the 5S rRNA
            continue
        strand = 1 if cls in (1, 3) else -1
        p = float(np.clip(rna[a:b].mean(), 1e-6, 1 - 1e-6))
        calls.append(GeneCall(seqid, a, b, strand, float(np.log(p / (1 - p))), "", "00", kind=kind))
    return calls


def rna_probabilities_outside(head: RNAHead, codes: np.ndarray, covered: np.ndarray, margin: int = 30,
                              min_gap: int = 60) -> np.ndarray:
    """:func:`rna_probabilities` only where ``covered`` (bool per base: inside a confident protein gene)
    is False over at least ``min_gap`` bases, ``margin`` bases around; elsewhere P(none) = 1. RNA genes lie between protein genes, so
    this reads about a tenth of a bacterial genome. Pieces are read with their flanks, joined end to end."""
    n = len(codes)
    out = np.zeros((len(RNA_CLASSES), n), dtype=np.float32)
    out[0] = 1.0
    from genoview.core.inference import runs_above

    free = (~covered).astype(np.float32)
    starts, ends = runs_above(free, 0.5)
    wide = ends - starts >= min_gap   # room for at least a tRNA
    starts, ends = starts[wide], ends[wide]
    if not len(starts):
        return out
    starts = np.maximum(starts - margin, 0)
    ends = np.minimum(ends + margin, n)
    # merge pieces that now touch
    keep_s, keep_e = [int(starts[0])], [int(ends[0])]
    for a, b in zip(starts[1:].tolist(), ends[1:].tolist()):
        if a <= keep_e[-1]:
            keep_e[-1] = max(keep_e[-1], b)
        else:
            keep_s.append(a)
            keep_e.append(b)
    r = head.radius + 8
    pieces, spans = [], []
    pos = 0
    for a, b in zip(keep_s, keep_e):
        lo, hi = max(0, a - r), min(n, b + r)
        pieces.append(np.asarray(codes[lo:hi]))
        spans.append((a, b, pos + a - lo))
        pos += hi - lo
    joined = np.concatenate(pieces)
    probs = rna_probabilities(head, joined)
    for a, b, at in spans:
        out[:, a:b] = probs[:, at:at + b - a]
    return out
