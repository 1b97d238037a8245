"""RNA genes (tRNA, rRNA) found by a small CNN learnt across many genomes.

RNA genes have no reading frame, so the ORF scorer cannot see them. A dilated 1-D CNN over one-hot bases
(about 130 bases of receptive field) labels each base as outside RNA genes, tRNA (+/-) or rRNA (+/-).
It learns what tRNAs and rRNAs share across bacteria and archaea (conserved rRNA stretches, the tRNA
cloverleaf's T- and D-loop motifs and CCA ends), from the RNA genes of several training genomes with
reverse-complement augmentation; it keeps no copy of any genome's genes.
"""
from __future__ import annotations

import numpy as np

RNA_CLASSES = ("none", "tRNA+", "tRNA-", "rRNA+", "rRNA-")
LABEL_TYPES = {"tRNA": 1, "tmRNA": 1, "rRNA": 3}
IGNORE_TYPES = ("ncRNA", "RNase_P_RNA", "SRP_RNA", "antisense_RNA", "misc_RNA")


def __getattr__(name: str):
    """The torch parts (RNAHead, train_rna_head, RNA_REVERSE) live in rna_head.py, imported only when asked
    for: prediction reads this module without importing torch until the head runs."""
    if name in ("RNAHead", "train_rna_head", "RNA_REVERSE"):
        from genoview.core.models.geneorf import rna_head

        return getattr(rna_head, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def rna_probabilities(head: RNAHead, codes: np.ndarray, tile: int = 200_000) -> np.ndarray:
    """(5, length) float32 class probabilities of a whole sequence, tiled with enough flank."""
    n = len(codes)
    out = np.zeros((len(RNA_CLASSES), n), dtype=np.float32)
    r = head.radius + 8
    import torch

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
    probs = rna_probabilities(head, joined, tile=50_000)   # 50 kb tiles: ~25 MB of activations
    for a, b, at in spans:
        out[:, a:b] = probs[:, at:at + b - a]
    return out
