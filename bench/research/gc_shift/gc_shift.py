"""GC-shifted copies of annotated genomes (domain augmentation for GeneORF's scorers).

Inside each single-part annotated CDS: synonymous third-codon-position substitutions A/T -> G/C under the CDS's
genetic code (the protein never changes, no stop is created), skipping the start codon, the stop codon, the 20 bases
upstream of the start (RBS), bases covered by CDS in another frame or strand, and RNA genes. Outside CDS and RNA
genes: A/T -> G/C at a rate. Coordinates are unchanged, so the original annotation labels the copy. Seeded.

python bench/research/gc_shift/gc_shift.py --out DATA --genomes NAME,... [--gc3 0.92 --noncoding 0.64 --seed 1, the defaults]
(--shared defaults to ../shared/data beside the repository). DATA then holds the copies (bacteria/NAME_gc/) and
links to the 8 design genomes (never the held-out ones), so it serves as fit.py's --shared and as the scripts' --data.
Session 14 (H-gc) used --gc3 0.92 --noncoding 0.64 --seed 1 on all 8 design genomes.
"""
from __future__ import annotations

import gzip
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from genoview.core import genecalls as gc  # noqa: E402
from genoview.core.models.geneorf import fit  # noqa: E402

UPSTREAM = 20
AA11 = gc._AA
AA4 = AA11[:56] + "W" + AA11[57:]
COMP = np.array([3, 2, 1, 0, 4], dtype=np.uint8)


def _alternatives(aa: str) -> list:
    """Per codon index (16*b0+4*b1+b2, A=0 C=1 G=2 T=3) whose third base is A/T: the synonymous codons with C/G there."""
    out = []
    for c in range(64):
        b2 = c % 4
        alts = []
        if b2 in (0, 3) and aa[c] != "*":
            for x in (1, 2):
                d = c - b2 + x
                if aa[d] == aa[c]:
                    alts.append(x)
        out.append(alts)
    return out


def _code_of(feature) -> int:
    try:
        return int(feature.attributes.get("transl_table", 11))
    except Exception:
        return 11


def shift(sequences: dict, features, gc3_target: float = 0.90, noncoding_target: float = 0.62, seed: int = 1,
          limit: dict | None = None):
    """({seqid: shifted codes}, report dict). ``limit`` {seqid: end}: only bases below end are read (E. coli 70 %)."""
    rng = np.random.default_rng(seed)
    out, report = {}, {"codons_changed": 0, "noncoding_changed": 0}
    third_all, codon_all, alt_all, seqid_all = [], [], [], []
    per_seq = {}
    for sid, codes in sequences.items():
        n = len(codes)
        codes = np.array(codes, dtype=np.uint8)
        frame_key = np.zeros(n, dtype=np.int8)     # 0 none, 1..6 strand/phase of the covering CDS
        conflict = np.zeros(n, dtype=bool)
        protect = np.zeros(n, dtype=bool)
        rna = np.zeros(n, dtype=bool)
        cds_list = []
        for f in features.on(sid):
            if f.type.endswith("RNA") or f.type in ("rRNA", "tRNA", "ncRNA", "tmRNA"):
                for a, b in f.parts:
                    rna[max(a, 0):min(b, n)] = True
                continue
            if f.type != "CDS" or f.strand not in (1, -1):
                continue
            if len(f.parts) > 1 or f.start < 0 or f.end > n:
                for a, b in f.parts:
                    protect[max(a, 0):min(b, n)] = True
                continue
            a, b = f.start, f.end
            pos = np.arange(a, b)
            phase = ((pos - a) % 3) if f.strand > 0 else ((b - 1 - pos) % 3)
            key = (phase + (1 if f.strand > 0 else 4)).astype(np.int8)
            cur = frame_key[a:b]
            conflict[a:b] |= (cur != 0) & (cur != key)
            frame_key[a:b] = np.where(cur == 0, key, cur)
            if f.strand > 0:
                protect[max(a - UPSTREAM, 0):a + 3] = True
                protect[b - 3:b] = True
            else:
                protect[b - 3:min(b + UPSTREAM, n)] = True
                protect[a:a + 3] = True
            cds_list.append((a, b, f.strand, _code_of(f)))
        changeable = ~(conflict | protect | rna)
        for a, b, strand, code in cds_list:
            ncod = (b - a) // 3
            if ncod < 3:
                continue
            k = np.arange(1, ncod - 1)
            if strand > 0:
                p0 = a + 3 * k
                third = p0 + 2
                c = 16 * codes[p0].astype(int) + 4 * codes[p0 + 1] + codes[p0 + 2]
            else:
                p0 = b - 1 - 3 * k          # first base of codon (genome coordinate, minus strand)
                third = p0 - 2
                c = 16 * COMP[codes[p0]].astype(int) + 4 * COMP[codes[p0 - 1]] + COMP[codes[p0 - 2]]
            ok = (codes[p0] < 4) & (codes[third] < 4) & (codes[(p0 + 1) if strand > 0 else (p0 - 1)] < 4)
            third_all.append(third[ok])
            codon_all.append(np.where(ok, c, 0)[ok])
            seqid_all.append(np.full(int(ok.sum()), len(per_seq), dtype=np.int32))
            alt_all.append(np.full(int(ok.sum()), 11 if code != 4 else 4, dtype=np.int8))
        per_seq[sid] = dict(codes=codes, changeable=changeable, rna=rna, coding=frame_key != 0, cds=cds_list)
    sids = list(per_seq)
    third = np.concatenate(third_all)
    codon = np.concatenate(codon_all)
    which = np.concatenate(seqid_all)
    codeof = np.concatenate(alt_all)
    alt11, alt4 = _alternatives(AA11), _alternatives(AA4)
    b3 = codon % 4
    gc3_now = float(np.isin(b3, (1, 2)).mean())
    has_alt = np.array([bool((alt4 if k == 4 else alt11)[c]) for c, k in zip(codon.tolist(), codeof.tolist())])
    can = has_alt & np.array([per_seq[sids[w]]["changeable"][t] for w, t in zip(which.tolist(), third.tolist())])
    need = max(gc3_target - gc3_now, 0.0) * len(codon)
    p = min(1.0, need / max(int(can.sum()), 1))
    pick = can & (rng.random(len(codon)) < p)
    # strand of each third position: minus-strand thirds are those where the codon was read from the complement
    report["gc3_before"] = gc3_now
    report["codon_rate"] = p
    # non-coding bases
    nc_total = nc_gc = 0
    for sid in sids:
        s = per_seq[sid]
        nc = ~s["coding"] & ~s["rna"]
        nc_total += int(nc.sum())
        nc_gc += int(np.isin(s["codes"][nc], (1, 2)).sum())
    nc_now = nc_gc / max(nc_total, 1)
    nc_at_free = sum(int((~per_seq[sid]["coding"] & per_seq[sid]["changeable"] & np.isin(per_seq[sid]["codes"], (0, 3))).sum())
                     for sid in sids)
    p_nc = min(1.0, max(noncoding_target - nc_now, 0.0) * nc_total / max(nc_at_free, 1))
    report.update(noncoding_gc_before=nc_now, noncoding_rate=p_nc)
    return per_seq, sids, (third, codon, which, codeof, pick), p_nc, report, rng


def apply(sequences, features, gc3_target=0.90, noncoding_target=0.62, seed=1):
    per_seq, sids, (third, codon, which, codeof, pick), p_nc, report, rng = shift(
        sequences, features, gc3_target, noncoding_target, seed)
    alt11, alt4 = _alternatives(AA11), _alternatives(AA4)
    new = {sid: per_seq[sid]["codes"].copy() for sid in sids}
    # minus-strand codons: the third base of the codon (CDS orientation) is the complement of the genome base
    minus_third = {sid: np.zeros(len(new[sid]), dtype=bool) for sid in sids}
    for sid in sids:
        for a, b, strand, _ in per_seq[sid]["cds"]:
            if strand < 0:
                minus_third[sid][a:b] = True   # used only at picked third positions (covered by one CDS frame)
    changed = 0
    for j in np.nonzero(pick)[0].tolist():
        sid = sids[which[j]]
        alts = (alt4 if codeof[j] == 4 else alt11)[codon[j]]
        x = alts[int(rng.integers(len(alts)))]
        t = int(third[j])
        new[sid][t] = COMP[x] if minus_third[sid][t] else x
        changed += 1
    nc_changed = 0
    for sid in sids:
        s = per_seq[sid]
        at = ~s["coding"] & s["changeable"] & np.isin(s["codes"], (0, 3))
        hit = at & (rng.random(len(at)) < p_nc)
        new[sid][hit] = np.where(rng.random(int(hit.sum())) < 0.5, 1, 2).astype(np.uint8)
        nc_changed += int(hit.sum())
    report.update(codons_changed=changed, noncoding_changed=nc_changed)
    # checks: every single-part CDS translates to the same protein
    for sid in sids:
        for a, b, strand, code in per_seq[sid]["cds"]:
            old = per_seq[sid]["codes"][a:b]
            nw = new[sid][a:b]
            if strand < 0:
                old, nw = gc.reverse_complement(old), gc.reverse_complement(nw)
            if (old > 3).any():
                continue
            assert gc.translate(old, code) == gc.translate(nw, code), (sid, a, b, strand)
    return new, report


def measures(sequences: dict, features) -> dict:
    """Overall GC, GC3 of single-part CDS (codons 2..n-1), mean stop-free stretch (bases) in the two shadow frames
    of the same strand inside CDS."""
    gcn = tot = 0
    g3 = n3 = 0
    shadow_codons = shadow_runs = 0
    stops = set(gc.STOPS[11])
    for sid, codes in sequences.items():
        codes = np.asarray(codes)
        known = codes < 4
        gcn += int(np.isin(codes, (1, 2)).sum())
        tot += int(known.sum())
        for f in features.on(sid, ("CDS",)):
            if len(f.parts) > 1 or f.end > len(codes) or f.strand not in (1, -1):
                continue
            seg = codes[f.start:f.end]
            if f.strand < 0:
                seg = gc.reverse_complement(seg)
            m = len(seg) // 3
            if m < 3:
                continue
            cod = seg[:3 * m].reshape(-1, 3)[1:-1]
            g3 += int(np.isin(cod[:, 2], (1, 2)).sum())
            n3 += len(cod)
            for shift_ in (1, 2):
                s2 = seg[shift_:]
                m2 = len(s2) // 3
                c2 = s2[:3 * m2].reshape(-1, 3).astype(int)
                idx = 16 * c2[:, 0] + 4 * c2[:, 1] + c2[:, 2]
                nstop = int(np.isin(idx, list(stops)).sum())
                shadow_codons += m2
                shadow_runs += nstop + 1
    return {"gc": gcn / max(tot, 1), "gc3": g3 / max(n3, 1), "shadow_orf_bases": 3 * shadow_codons / max(shadow_runs, 1)}


_LETTERS = np.frombuffer(b"ACGTN", dtype=np.uint8)


def write_fasta_gz(path, sequences: dict):
    with gzip.open(path, "wt", compresslevel=1) as h:
        for sid, codes in sequences.items():
            text = _LETTERS[np.asarray(codes)].tobytes().decode()
            h.write(f">{sid} GC-shifted copy\n")
            for i in range(0, len(text), 80):
                h.write(text[i:i + 80] + "\n")


def link_design_genomes(shared, out):
    """Link the 8 design genomes' folders (E. coli's and the 7 others under bacteria/) into ``out``, never the
    held-out ones, so ``out`` can stand for ../shared/data in fit.py --shared and in these scripts."""
    shared, out = Path(shared).resolve(), Path(out)
    (out / "bacteria").mkdir(parents=True, exist_ok=True)
    pairs = [(shared / "ecoli-k12-mg1655", out / "ecoli-k12-mg1655")]
    pairs += [(shared / "bacteria" / n, out / "bacteria" / n) for n in fit.TRAIN_GENOMES + fit.TUNE_GENOMES if n != "ecoli"]
    for src, dst in pairs:
        assert dst.name not in fit.HELD_OUT_GENOMES
        if not dst.exists() and not dst.is_symlink():
            dst.symlink_to(src)


def main(argv=None):
    import argparse
    import json

    p = argparse.ArgumentParser()
    p.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--out", required=True)
    p.add_argument("--genomes", required=True)
    p.add_argument("--gc3", type=float, default=0.92)
    p.add_argument("--noncoding", type=float, default=0.64)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--suffix", default="_gc")
    a = p.parse_args(argv)
    link_design_genomes(a.shared, a.out)
    for name in a.genomes.split(","):
        assert name not in fit.HELD_OUT_GENOMES
        genome, seqs = fit._load(a.shared, name)
        fasta, gff = fit._genome_files(a.shared, name)
        cut = None
        if name == "ecoli":    # the copy holds E. coli's first 70 % only: its test part is never a training label
            cut = int(fit.ECOLI_TRAIN_TO * fit.ECOLI_LENGTH)
            seqs = {sid: c[:cut] for sid, c in seqs.items()}
        before = measures(seqs, genome.features)
        new, rep = apply(seqs, genome.features, a.gc3, a.noncoding, a.seed)
        after = measures(new, genome.features)
        d = Path(a.out) / "bacteria" / (name + a.suffix)
        d.mkdir(parents=True, exist_ok=True)
        write_fasta_gz(d / "genome.fna.gz", new)
        ann = d / "annotation.gff3.gz"
        if ann.exists() or ann.is_symlink():
            ann.unlink()
        if cut is None:
            ann.symlink_to(gff)
        else:
            with gzip.open(gff, "rt") as src, gzip.open(ann, "wt") as dst:
                for line in src:
                    if line.startswith("#"):
                        if line.startswith("##sequence-region"):
                            parts = line.split()
                            line = f"{parts[0]} {parts[1]} 1 {cut}\n"
                        dst.write(line)
                        continue
                    cols = line.split("\t")
                    if len(cols) >= 5 and int(cols[4]) <= cut:
                        dst.write(line)
        print(json.dumps({"genome": name + a.suffix, "before": before, "after": after, **rep}), flush=True)


if __name__ == "__main__":
    main()
