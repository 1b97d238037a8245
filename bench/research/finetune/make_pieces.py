"""Write ~1 Mb pieces of design genomes as genomes of their own (fine-tune design bed, issue 11, session 15).

Each piece is one sequence range of a genome in ../shared/data/bacteria: its FASTA and the GFF3 features whose
whole span lies inside (coordinates shifted to the piece; a feature whose Parent was dropped is dropped too).
Both cuts are moved to the first base at or after the nominal cut that no feature covers, so no annotated gene is
cut in two. Usage (repository root): python bench/research/finetune/make_pieces.py --data ../shared/data
--out /tmp/H-ft/data   (writes OUT/bacteria/<piece>/genome.fna.gz and annotation.gff3.gz, prints one line per piece).
"""
import argparse
import gzip
from pathlib import Path

# name: (genome folder, seqid, nominal start, nominal end or None = the sequence's end); session 11's cuts
PIECES = {
    "mma1": ("methanosarcina_mazei_S-6", "NZ_CP009512.1", 0, 1_050_000),
    "mma2": ("methanosarcina_mazei_S-6", "NZ_CP009512.1", 1_050_000, 2_100_000),
    "mma3": ("methanosarcina_mazei_S-6", "NZ_CP009512.1", 2_100_000, 3_150_000),
    "mma4": ("methanosarcina_mazei_S-6", "NZ_CP009512.1", 3_150_000, None),
    "bru1": ("brucella_melitensis_16M", "NC_003317", 0, 1_050_000),
    "bru2": ("brucella_melitensis_16M", "NC_003317", 1_050_000, None),
    "bruc2": ("brucella_melitensis_16M", "NC_003318", 0, None),
}


def read_fasta(path):
    seqs, name, parts = {}, None, []
    with gzip.open(path, "rt") as fh:
        for line in fh:
            if line.startswith(">"):
                if name is not None:
                    seqs[name] = "".join(parts)
                name, parts = line[1:].split()[0], []
            else:
                parts.append(line.strip())
    if name is not None:
        seqs[name] = "".join(parts)
    return seqs


def free_at_or_after(pos, spans, length):
    """The first 0-based position >= pos that no span (0-based, end exclusive) covers (length if none)."""
    moved = True
    while moved and pos < length:
        moved = False
        for a, b in spans:
            if a <= pos < b:
                pos, moved = b, True
    return min(pos, length)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="/tmp/H-ft/data")
    args = ap.parse_args()
    cache = {}
    for name, (folder, seqid, lo, hi) in PIECES.items():
        src = Path(args.data) / "bacteria" / folder
        if folder not in cache:
            lines = gzip.open(src / "annotation.gff3.gz", "rt").read().splitlines()
            cache[folder] = (read_fasta(src / "genome.fna.gz"), lines)
        seqs, lines = cache[folder]
        seq = seqs[seqid]
        rows = [l.split("\t") for l in lines if l and not l.startswith("#")]
        rows = [r for r in rows if len(r) == 9 and r[0] == seqid]
        spans = sorted((int(r[3]) - 1, int(r[4])) for r in rows)
        start = free_at_or_after(lo, spans, len(seq)) if lo else 0
        end = len(seq) if hi is None else free_at_or_after(hi, spans, len(seq))
        kept, ids = [], set()
        for r in rows:
            a, b = int(r[3]) - 1, int(r[4])
            if a < start or b > end:
                continue
            attrs = dict(kv.split("=", 1) for kv in r[8].split(";") if "=" in kv)
            if "Parent" in attrs and not all(p in ids for p in attrs["Parent"].split(",")):
                continue
            if "ID" in attrs:
                ids.add(attrs["ID"])
            kept.append([r[0], r[1], r[2], str(a - start + 1), str(b - start)] + r[5:])
        out = Path(args.out) / "bacteria" / name
        out.mkdir(parents=True, exist_ok=True)
        piece = seq[start:end]
        with gzip.open(out / "genome.fna.gz", "wt") as fh:
            fh.write(f">{seqid} {folder} {start + 1}-{end}\n")
            for i in range(0, len(piece), 80):
                fh.write(piece[i:i + 80] + "\n")
        with gzip.open(out / "annotation.gff3.gz", "wt") as fh:
            fh.write(f"##gff-version 3\n##sequence-region {seqid} 1 {len(piece)}\n")
            fh.writelines("\t".join(r) + "\n" for r in kept)
        cds70 = sum(1 for r in kept if r[2] == "CDS" and int(r[4]) <= int(0.7 * len(piece)))
        print(f"{name}\t{folder}\t{seqid}\t{start}-{end}\t{len(piece)} nt\t{sum(r[2] == 'gene' for r in kept)} genes"
              f"\t{cds70} CDS in the first 70 %")


if __name__ == "__main__":
    main()
