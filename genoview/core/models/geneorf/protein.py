"""Protein-likeness of a call: the mean per-codon log-likelihood ratio of its translation under an amino-acid
k-peptide table (k = 2 or 3) learnt ACROSS genomes: annotated CDS proteins against the translations of everything
else (the other five frames over genes, intergenic and antisense open reading frames), the stretches false short
calls come from (Balrog's lesson: protein-level statistics shared across genomes tell a real short protein from a
translated non-coding stretch, which a genome's own codon statistics do not).

Scores are made once per strand (O(length), numpy only): each base p gets the table's value for the peptide whose
last residue is the codon at p; a per-frame running sum (``frame_cumsum``) then gives any call's total by two look-ups.
The table lives in the model folder as ``protein_table.json`` (``{"k": 2, "table": [[...]]}``), never a pickle."""
from __future__ import annotations

import json
import os

import numpy as np

from genoview.core import genecalls as gc

FILE_NAME = "protein_table.json"
N_AA = 22            # 20 amino acids, 20 = stop, 21 = unknown (N)
STOP_AA, UNKNOWN_AA = 20, 21
_LETTERS = "ACDEFGHIKLMNPQRSTVWY"


def aa_map(genetic_code: int = 11) -> np.ndarray:
    """(65,) amino-acid index of each codon index 0..63 (64 = has an N -> UNKNOWN_AA)."""
    out = np.full(65, UNKNOWN_AA, dtype=np.int16)
    for i, letter in enumerate(gc._AA):
        out[i] = STOP_AA if letter == "*" else _LETTERS.index(letter)
    if genetic_code == 4:
        out[56] = _LETTERS.index("W")   # TGA reads W
    return out


def aa_indices(codes: np.ndarray, genetic_code: int = 11) -> np.ndarray:
    """(len,) amino-acid index of the codon starting at each base (UNKNOWN_AA for the last two bases)."""
    return aa_map(genetic_code)[gc.codon_indices(np.asarray(codes, dtype=np.uint8))]


def position_scores(codes: np.ndarray, table: np.ndarray, genetic_code: int = 11) -> np.ndarray:
    """(len,) float64: at base p, ``table``'s value of the peptide (aa[p - 3(k-1)], ..., aa[p]) of the codons in p's
    frame; 0 where the peptide would start before base 0. ``table`` is (22,)*k, zero on stop/unknown rows."""
    aa = aa_indices(codes, genetic_code)
    k = table.ndim
    n = len(aa)
    s = np.zeros(n, dtype=np.float64)
    span = 3 * (k - 1)
    if n > span:
        idx = tuple(aa[3 * i:n - span + 3 * i] for i in range(k))
        s[span:] = table[idx]
    return s


def frame_cumsum(scores: np.ndarray) -> np.ndarray:
    """C with C[p] = scores[p] + C[p - 3] (a running sum within each of the three frames)."""
    out = np.empty(len(scores), dtype=np.float64)
    for r in range(3):
        out[r::3] = np.cumsum(scores[r::3])
    return out


def call_sums(cum: np.ndarray, a: np.ndarray, b: np.ndarray, k: int) -> tuple:
    """(sum, peptides) per call [a, b) (strand coordinates, a codon multiple, stop codon included in b): the
    table's values of every peptide inside the call that does not reach its last codon (the stop)."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    first = a + 3 * (k - 1)          # last residue of the first peptide
    last = b - 6                     # the codon before the stop
    n = (last - first) // 3 + 1
    ok = (n > 0) & (len(cum) > 0)
    lo = np.clip(first - 3, 0, max(len(cum) - 1, 0))
    hi = np.clip(last, 0, max(len(cum) - 1, 0))
    if not len(cum):
        return np.zeros(len(a)), np.zeros(len(a), dtype=np.int64)
    total = np.where(ok, cum[hi] - np.where(first - 3 >= 0, cum[lo], 0.0), 0.0)
    return total, np.where(ok, n, 0)


def call_means(codes: np.ndarray, table: np.ndarray, a, b, genetic_code: int = 11) -> np.ndarray:
    """Mean per-peptide log-likelihood ratio of each call [a, b) on the strand ``codes`` (0 for calls too short)."""
    cum = frame_cumsum(position_scores(codes, table, genetic_code))
    total, n = call_sums(cum, a, b, table.ndim)
    return total / np.maximum(n, 1)


# --------------------------------------------------------------------------- learning the table

def count_peptides(codes: np.ndarray, coding_starts: np.ndarray, coding_ends: np.ndarray, k: int = 2,
                   genetic_code: int = 11) -> tuple:
    """(positive, negative) peptide counts, each (22,)*k, of one strand (``codes`` in its orientation):
    positive = peptides inside an annotated CDS [start, end) of this strand in its frame (stop excluded);
    negative = every other peptide of the strand without a stop or N in it (other frames, intergenic,
    antisense)."""
    aa = aa_indices(codes, genetic_code)
    n = len(aa)
    span = 3 * (k - 1)
    pos = np.zeros((N_AA,) * k)
    neg = np.zeros((N_AA,) * k)
    if n <= span:
        return pos, neg
    idx = tuple(aa[3 * i:n - span + 3 * i] for i in range(k))     # peptide ending at base p = j + span
    good = np.ones(n - span, dtype=bool)
    for part in idx:
        good &= part < STOP_AA
    coding = np.zeros(n, dtype=bool)     # base p is the last residue's codon of an in-frame CDS peptide
    for s, e in zip(np.asarray(coding_starts).tolist(), np.asarray(coding_ends).tolist()):
        lo, hi = s + span, e - 6      # peptides inside [s, e - 3)
        if hi >= lo:
            coding[lo:hi + 1:3] = True
    is_pos = coding[span:] & good
    is_neg = ~coding[span:] & good
    flat = np.ravel_multi_index(tuple(part.astype(np.intp) for part in idx), (N_AA,) * k)
    pos += np.bincount(flat[is_pos], minlength=N_AA ** k).reshape((N_AA,) * k)
    neg += np.bincount(flat[is_neg], minlength=N_AA ** k).reshape((N_AA,) * k)
    # a CDS's other-strand / other-frame positions are negatives already; nothing is counted twice
    return pos, neg


def table_from_counts(pos: np.ndarray, neg: np.ndarray, pseudo: float = 1.0) -> np.ndarray:
    """log(P(peptide | CDS) / P(peptide | other)) with ``pseudo`` added to every cell of the 20-letter block;
    rows/columns of stop and unknown stay 0."""
    k = pos.ndim
    block = (slice(0, 20),) * k
    p = pos[block] + pseudo
    q = neg[block] + pseudo
    out = np.zeros((N_AA,) * k)
    out[block] = np.log(p / p.sum()) - np.log(q / q.sum())
    return out


def save_table(directory, table: np.ndarray, meta: dict | None = None) -> str:
    path = os.path.join(str(directory), FILE_NAME)
    doc = dict(meta or {}, k=int(table.ndim), table=np.round(table, 5).tolist())
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(doc, fh)
    os.replace(tmp, path)
    return path


def load_table(directory) -> np.ndarray | None:
    """The folder's table, or None when it has none (the feature is then 0 and folders made before keep working)."""
    path = os.path.join(str(directory), FILE_NAME)
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        doc = json.load(fh)
    table = np.asarray(doc["table"], dtype=np.float64)
    if table.ndim != int(doc.get("k", table.ndim)) or table.shape != (N_AA,) * table.ndim:
        raise ValueError(f"{path}: table shape {table.shape} is not ({N_AA},)*k")
    return table
