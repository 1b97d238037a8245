"""bench/research/gc_shift/gc_shift.py (session 14's GC-shifted training copies) keeps what it promises: every
protein unchanged, start and stop codons, the 20 bases upstream of a start, bases two CDS share in different frames
and RNA genes untouched, only A/T -> G/C, GC3 raised, the same seed the same copy. A 4 kb synthetic genome, ~1 s."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from genoview.core import genecalls as gc
from genoview.core.genome import encode, open_genome

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "research" / "gc_shift" / "gc_shift.py"
LETTERS = "ACGT"


@pytest.fixture(scope="module")
def gc_shift():
    spec = importlib.util.spec_from_file_location("gc_shift_research", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _orf(rng, codons: int) -> str:
    sense = [c for c in range(64) if c not in gc.STOPS[11]]
    body = "".join(LETTERS[c // 16] + LETTERS[c // 4 % 4] + LETTERS[c % 4] for c in rng.choice(sense, codons))
    return "ATG" + body + "TAA"


def _revcomp(s: str) -> str:
    return s[::-1].translate(str.maketrans("ACGT", "TGCA"))


@pytest.fixture(scope="module")
def genome(tmp_path_factory):
    rng = np.random.default_rng(7)
    seq = list("".join(rng.choice(list("AATTGC"), 4000)))
    a = _orf(rng, 200)                       # plus strand, 100..706
    seq[100:100 + len(a)] = a
    b = _orf(rng, 250)                       # minus strand, 1500..2256
    seq[1500:1500 + len(b)] = _revcomp(b)
    seq = "".join(seq)
    tmp = tmp_path_factory.mktemp("gcshift")
    # C: another frame of the plus strand over A's last 55 bases (its codons need not make a protein)
    lines = ["##gff-version 3",
             f"chr\tt\tCDS\t101\t{100 + len(a)}\t.\t+\t0\tID=a",
             "chr\tt\tCDS\t652\t951\t.\t+\t0\tID=c",
             f"chr\tt\tCDS\t1501\t{1500 + len(b)}\t.\t-\t0\tID=b",
             "chr\tt\ttRNA\t3001\t3080\t.\t+\t.\tID=r"]
    (tmp / "g.fa").write_text(">chr\n" + seq + "\n")
    (tmp / "g.gff3").write_text("\n".join(lines) + "\n")
    g = open_genome(tmp / "g.fa", tmp / "g.gff3")
    return g, {"chr": encode(np.frombuffer(seq.encode(), dtype=np.uint8))}, (651, 100 + len(a))


def _cds(features):
    return [f for f in features.on("chr") if f.type == "CDS"]


def test_proteins_and_protected_bases_unchanged(gc_shift, genome):
    g, seqs, overlap = genome
    new, report = gc_shift.apply(seqs, g.features, 0.92, 0.64, seed=1)
    old, nw = seqs["chr"], new["chr"]
    assert report["codons_changed"] > 50 and report["noncoding_changed"] > 50
    changed = np.nonzero(old != nw)[0]
    assert np.isin(old[changed], (0, 3)).all() and np.isin(nw[changed], (1, 2)).all()    # only A/T -> G/C
    for f in _cds(g.features):
        o, n = old[f.start:f.end], nw[f.start:f.end]
        if f.strand < 0:
            o, n = gc.reverse_complement(o), gc.reverse_complement(n)
        assert gc.translate(o, 11) == gc.translate(n, 11)
        assert (o[:3] == n[:3]).all() and (o[-3:] == n[-3:]).all()                      # start and stop codons
        up = slice(f.start - 20, f.start) if f.strand > 0 else slice(f.end, f.end + 20)
        assert (old[up] == nw[up]).all()                                                 # the RBS region
    assert (old[3000:3080] == nw[3000:3080]).all()                                       # the RNA gene
    assert (old[overlap[0]:overlap[1]] == nw[overlap[0]:overlap[1]]).all()              # two frames share them
    assert (old[710:948] != nw[710:948]).any()                                          # C alone changes
    coding = next(f for f in _cds(g.features) if f.start == 1500)
    third = lambda s: np.isin(gc.reverse_complement(s[coding.start:coding.end]).reshape(-1, 3)[1:-1, 2], (1, 2)).mean()
    assert third(nw) > third(old) + 0.2


def test_seeded(gc_shift, genome):
    g, seqs, _ = genome
    one, _ = gc_shift.apply(seqs, g.features, 0.92, 0.64, seed=1)
    again, _ = gc_shift.apply(seqs, g.features, 0.92, 0.64, seed=1)
    other, _ = gc_shift.apply(seqs, g.features, 0.92, 0.64, seed=2)
    assert (one["chr"] == again["chr"]).all()
    assert (one["chr"] != other["chr"]).any()
