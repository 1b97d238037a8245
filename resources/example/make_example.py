"""Write the bundled example genome: a synthetic 'chromosome' and 'plasmid' with genes on both strands.

Nothing here comes from a real organism: coding sequences are random codons drawn with a codon usage
that favours G/C at the third position (as many bacteria do), each after a Shine-Dalgarno-like motif and
between a start and a stop codon; intergenic DNA is random and A/T-rich. The chromosome is 100 kb, the length
Prodigal wants to train on a sequence (it warns below that). Prodigal and the shipped gene
models find most of these genes, which makes the example useful to try Predict and Evaluate in seconds.
Deterministic (fixed seed): `python resources/example/make_example.py` rewrites the same two files.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 13
SEQUENCES = (("chrEx", 100_000, "synthetic example chromosome"), ("plasmidEx", 8_000, "synthetic example plasmid"))
STOPS = ("TAA", "TGA", "TAG")
COMPLEMENT = str.maketrans("ACGT", "TGCA")
PREFIXES = ("abc", "dna", "lac", "rpo", "thr", "yfg")


def codon_weights() -> tuple[list[str], np.ndarray]:
    codons = [a + b + c for a in "ACGT" for b in "ACGT" for c in "ACGT" if a + b + c not in STOPS]
    weights = np.array([(2.2 if c[2] in "GC" else 1.0) * (1.3 if c[0] in "AG" else 1.0) for c in codons])
    return codons, weights / weights.sum()


def reverse_complement(text: str) -> str:
    return text.translate(COMPLEMENT)[::-1]


def build(rng: np.random.Generator, seqid: str, length: int, first_number: int, names: list[str]):
    codons, weights = codon_weights()
    parts, genes, position = [], [], 0

    def intergenic(n: int) -> str:
        return "".join(rng.choice(list("ACGT"), size=n, p=[0.32, 0.18, 0.18, 0.32]))

    while True:
        gap = int(rng.integers(60, 400))
        n_codons = int(rng.integers(100, 450))
        body = "".join(rng.choice(codons, size=n_codons, p=weights))
        cds = rng.choice(["ATG", "ATG", "ATG", "GTG"]) + body + rng.choice(STOPS)
        rbs = "AGGAGG" + intergenic(7)
        if position + gap + len(rbs) + len(cds) + 100 > length:
            break
        strand = 1 if rng.random() < 0.55 else -1
        parts.append(intergenic(gap))
        position += gap
        if strand > 0:
            parts.append(rbs + cds)
            start = position + len(rbs)
        else:
            parts.append(reverse_complement(rbs + cds))
            start = position
        position += len(rbs) + len(cds)
        genes.append((start, start + len(cds), strand, names[len(genes) % len(names)], first_number + len(genes)))
    parts.append(intergenic(length - position))
    return "".join(parts), genes


def main() -> None:
    rng = np.random.default_rng(SEED)
    names = [f"{prefix}{letter}" for prefix in PREFIXES for letter in "ABCDEFGH"]
    fasta, gff = [], ["##gff-version 3"]
    number = 1
    for seqid, length, description in SEQUENCES:
        sequence, genes = build(rng, seqid, length, number, names[number - 1:] + names[:number - 1])
        number += len(genes)
        fasta.append(f">{seqid} {description}")
        fasta.extend(sequence[i:i + 70] for i in range(0, len(sequence), 70))
        gff.append(f"##sequence-region {seqid} 1 {length}")
        gff.append(f"{seqid}\tsynthetic\tregion\t1\t{length}\t.\t+\t.\tID={seqid}")
        for start, end, strand, name, n in genes:
            tag = f"EX_{n:04d}"
            sign = "+" if strand > 0 else "-"
            gff.append(f"{seqid}\tsynthetic\tgene\t{start + 1}\t{end}\t.\t{sign}\t.\tID=gene-{tag};Name={name};locus_tag={tag}")
            gff.append(f"{seqid}\tsynthetic\tCDS\t{start + 1}\t{end}\t.\t{sign}\t0\t"
                       f"ID=cds-{tag};Parent=gene-{tag};Name={name};locus_tag={tag};product=synthetic protein {name}")
    (HERE / "example.fa").write_text("\n".join(fasta) + "\n", encoding="ascii")
    (HERE / "example.gff3").write_text("\n".join(gff) + "\n", encoding="ascii")


if __name__ == "__main__":
    main()
