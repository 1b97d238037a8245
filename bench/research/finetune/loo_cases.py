"""The six leave-one-out cases of the fine-tune design bed (issue 11, session 17): parents and the E. coli piece.

For each genome G of session 16's leave-one-out bed (bench/research/loo/fits.sh: step-1 scorers `LOO/loo-G` fitted on
the other five real training genomes, call filter `LOO/loo-G_stage.json` fitted on those five + the GC-shifted
copies less G's own), the parent `OUT/parents/G` is assembled as gc_shift/evalv.py's `assemble` does (the scorers,
the stage as `call_filter`, offset 1.25 kept, max_overlap 90, start_background 0.5, rna_threshold 1.01) with the
shipped `rna_references.fasta` less G's own RNA genes (a parent that knew them would leave `own_rna` nothing to add).

E. coli: its last 30 % (from int(0.7 * 4641652) = 3249156) is the shipped models' test part and is never read. The
case is a piece = E. coli's first 70 % as a genome of its own, `OUT/data/bacteria/ecoli70/`: the cut moved BACK to
the last base at or before 3249156 that no annotated feature (the `region` line aside) covers, so no feature is cut
in two and no base of the test part is taken; only GFF lines starting at or before 3249156 are looked at, and the
piece keeps the features whose whole span lies inside (a feature whose Parent was dropped is dropped too). The bed
fine-tunes it on its first 70 % and scores it on its last 30 %, as every case.

Usage (repository root): python bench/research/finetune/loo_cases.py --loo /tmp/H-loo --data /tmp/H-gc/data
--out /tmp/H-ft3   (prints one line per parent and the piece's cut).
"""
import argparse
import gzip
import json
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
GENOMES = ("ecoli", "yersinia_pestis_KIM", "haemophilus_influenzae_RdKW20", "neisseria_meningitidis_MC58",
           "staphylococcus_aureus_COL", "methanococcus_maripaludis_S2")
ECOLI_CUT = int(0.7 * 4641652)  # the shipped models' train/test boundary: nothing at or after it is used


def assemble(loo: Path, genome: str, out: Path) -> None:
    step1, stage = loo / f"loo-{genome}", loo / f"loo-{genome}_stage.json"
    out.mkdir(parents=True, exist_ok=True)
    for f in ("model.safetensors", "genoview.json"):
        shutil.copy(step1 / f, out / f)
    cfg = json.loads((step1 / "config.json").read_text())
    cfg.update(max_overlap=90, start_background=0.5, rna_threshold=1.01, call_filter=json.loads(stage.read_text()))
    (out / "config.json").write_text(json.dumps(cfg, indent=1))
    recs = (REPO / "models" / "geneorf-bacteria" / "rna_references.fasta").read_text().split(">")[1:]
    keep = [r for r in recs if r.split("|", 1)[0] != genome]
    (out / "rna_references.fasta").write_text("".join(">" + r for r in keep))
    print(f"parent {genome}: {out} ({len(keep)} of {len(recs)} RNA references kept)")


def ecoli_piece(data: Path, out: Path) -> None:
    src = data / "ecoli-k12-mg1655"
    seq, parts, total = None, [], 0
    with gzip.open(next(src.glob("*_genomic.fna.gz")), "rt") as fh:
        for line in fh:
            if line.startswith(">"):
                if seq is not None:
                    break  # one record (NC_000913.3)
                seq = line[1:].split()[0]
            else:
                parts.append(line.strip())
                total += len(parts[-1])
                if total >= ECOLI_CUT:
                    break  # nothing past the cut is read
    dna = "".join(parts)[:ECOLI_CUT]
    rows = []
    with gzip.open(next(src.glob("*_genomic.gff.gz")), "rt") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            r = line.rstrip("\n").split("\t")
            if len(r) != 9 or r[0] != seq or int(r[3]) > ECOLI_CUT or r[2] == "region":
                continue
            rows.append(r)
    spans = [(int(r[3]) - 1, int(r[4])) for r in rows]  # 0-based, end exclusive
    cut, moved = ECOLI_CUT, True
    while moved:
        moved = False
        for a, b in spans:
            if a < cut < b:
                cut, moved = a, True
    kept, ids = [], set()
    for r in rows:
        if int(r[4]) > cut:
            continue
        attrs = dict(kv.split("=", 1) for kv in r[8].split(";") if "=" in kv)
        if "Parent" in attrs and not all(p in ids for p in attrs["Parent"].split(",")):
            continue
        if "ID" in attrs:
            ids.add(attrs["ID"])
        kept.append(r)
    piece = dna[:cut]
    dest = out / "data" / "bacteria" / "ecoli70"
    dest.mkdir(parents=True, exist_ok=True)
    with gzip.open(dest / "genome.fna.gz", "wt") as fh:
        fh.write(f">{seq} E. coli K-12 MG1655 1-{cut} (first 70 %, the test part left out)\n")
        for i in range(0, len(piece), 80):
            fh.write(piece[i:i + 80] + "\n")
    with gzip.open(dest / "annotation.gff3.gz", "wt") as fh:
        fh.write(f"##gff-version 3\n##sequence-region {seq} 1 {len(piece)}\n")
        fh.writelines("\t".join(r) + "\n" for r in kept)
    print(f"ecoli70: {dest} 1-{cut} ({len(piece)} nt; cut moved back {ECOLI_CUT - cut} nt from {ECOLI_CUT}), "
          f"{sum(r[2] == 'gene' for r in kept)} genes, {sum(r[2] == 'CDS' for r in kept)} CDS")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loo", default="/tmp/H-loo")
    ap.add_argument("--data", default="/tmp/H-gc/data")
    ap.add_argument("--out", default="/tmp/H-ft3")
    args = ap.parse_args()
    for g in GENOMES:
        assemble(Path(args.loo), g, Path(args.out) / "parents" / g)
    ecoli_piece(Path(args.data), Path(args.out))


if __name__ == "__main__":
    main()
