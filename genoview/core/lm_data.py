"""Genes for nucleotide language models: reading `<ACGT...>` gene tables and FASTA, token codes, and the
split by gene that keeps near-copies of training genes out of the held-out part.

A gene is a string of bases; as in the study's files it is written ``<ACGT...>`` where ``<`` and ``>``
mark its start and end. Language models see token codes (:data:`TOKENS`): ``<`` is only ever context,
every base and the closing ``>`` is predicted, so a gene of n bases has n + 1 predicted tokens.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from genoview.core.errors import GenoViewInputError, read_as_text, require_input_file

TOKENS = "<ACGT>"          # token codes 0..5; 6 is padding for the neural models
START, END, PAD = 0, 5, 6
BASES = "ACGT"
_CODE = np.full(256, 255, dtype=np.uint8)
for _i, _c in enumerate(TOKENS):
    _CODE[ord(_c)] = _i
    _CODE[ord(_c.lower())] = _i


@dataclass
class Gene:
    """One gene: its id, the bases (upper case, no markers) and the table's other columns."""

    id: str
    sequence: str
    fields: dict[str, str] = field(default_factory=dict)


def strip_markers(text: str) -> str:
    """`<ACGT>` -> `ACGT` (markers optional), upper case, whitespace removed."""
    text = "".join(text.split()).upper()
    if text.startswith("<"):
        text = text[1:]
    if text.endswith(">"):
        text = text[:-1]
    return text


def with_markers(bases: str) -> str:
    return f"<{bases}>"


def encode_gene(bases: str) -> np.ndarray:
    """Token codes of ``<bases>``: uint8, length len(bases) + 2; a base other than ACGT is an input error."""
    codes = _CODE[np.frombuffer(("<" + bases + ">").encode("ascii", "replace"), dtype=np.uint8)]
    inner = codes[1:-1]
    if inner.size and (inner == 255).any() | (inner == START).any() | (inner == END).any():
        bad = int(np.flatnonzero((inner == 255) | (inner == START) | (inner == END))[0])
        raise GenoViewInputError(f"position {bad + 1} holds {bases[bad]!r}; language models read A, C, G and T only")
    return codes


def read_genes(path: str | Path) -> list[Gene]:
    """Genes from a CSV (column ``NucleotideSequence`` or ``sequence``, id from ``NCBIGeneID``/``id``) or a FASTA."""
    path = Path(path)
    require_input_file(path, "a gene table or FASTA")
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"   # by content, not by name (a plain genes.csv.gz was a traceback)
    opener = gzip.open if gzipped else open
    try:
        with read_as_text(path, None), opener(path, "rt", encoding="utf-8", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError:   # (read_as_text says a damaged gzip; this says a binary file)
        raise GenoViewInputError("not a text gene table or FASTA (nor gzip of one); give a CSV with a "
                                 "NucleotideSequence column, or a FASTA of genes", path) from None
    if text.lstrip().startswith(">"):
        return _read_fasta_genes(text, path)
    return _read_csv_genes(text, path)


def _read_fasta_genes(text: str, path: Path) -> list[Gene]:
    genes: list[Gene] = []
    name, parts, line_no = None, [], 0
    for line_no, line in enumerate(text.splitlines(), 1):
        if line.startswith(">"):
            if name is not None:
                genes.append(_checked(name, "".join(parts), path, line_no))
            name, parts = (line[1:].split() or [f"seq{len(genes) + 1}"])[0], []
        elif line.strip():
            parts.append(line.strip())
    if name is not None:
        genes.append(_checked(name, "".join(parts), path, line_no))
    if not genes:
        raise GenoViewInputError("no sequences in this FASTA file", path)
    return genes


def _read_csv_genes(text: str, path: Path) -> list[Gene]:
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    seq_col = next((c for c in ("NucleotideSequence", "sequence", "Sequence", "RealNucleotideSequence")
                    if c in columns), None)
    if seq_col is None:
        raise GenoViewInputError(
            f"no sequence column; expected NucleotideSequence (as in train_genes.csv.gz), found {columns}", path, 1)
    id_col = next((c for c in ("NCBIGeneID", "id", "ID", "name") if c in columns), None)
    genes = []
    for row_no, row in enumerate(reader, 2):
        gene_id = row.get(id_col) if id_col else None
        genes.append(_checked(gene_id or f"row{row_no}", row[seq_col] or "", path, row_no, dict(row)))
    if not genes:
        raise GenoViewInputError("no genes in this table", path)
    return genes


def _checked(name: str, raw: str, path: Path, line: int, fields: dict | None = None) -> Gene:
    bases = strip_markers(raw)
    bad = set(bases) - set(BASES)
    if not bases or bad:
        what = "an empty sequence" if not bases else f"letters other than A, C, G, T ({''.join(sorted(bad))[:10]})"
        raise GenoViewInputError(f"gene {name} has {what}; language models read A, C, G and T only", path, line)
    fields = {k: v for k, v in (fields or {}).items() if k not in ("NucleotideSequence",)}
    return Gene(str(name), bases, fields)


# ---------------------------------------------------------------- split by gene, near-copies kept out

def kmer_codes(bases: str, k: int) -> np.ndarray:
    """Distinct k-mers of a sequence as uint64 (2 bits a base); a sequence shorter than k gives its whole self."""
    codes = (_CODE[np.frombuffer(bases.encode("ascii"), dtype=np.uint8)].astype(np.uint64) - 1) & np.uint64(3)
    k = min(k, codes.size)
    if k == 0:
        return np.zeros(0, dtype=np.uint64)
    windows = np.lib.stride_tricks.sliding_window_view(codes, k)
    weights = (np.uint64(4) ** np.arange(k - 1, -1, -1, dtype=np.uint64))
    values = (windows * weights).sum(axis=1, dtype=np.uint64)
    if k < 32:   # keep short genes' k-mers apart from 32-mers
        values = values | (np.uint64(k) << np.uint64(58)) if k < 29 else values
    return np.unique(values)


def shared_fraction(genes: list[Gene], reference: list[Gene], k: int = 32, memo: dict | None = None) -> np.ndarray:
    """For each gene, the fraction of its distinct k-mers found in any reference gene (``memo``: a dict keeping each
    sequence's k-mers between calls, as split_genes' rounds make; the same figures)."""
    if not reference:
        return np.zeros(len(genes))

    def codes(sequence: str) -> np.ndarray:
        if memo is None:
            return kmer_codes(sequence, k)
        if sequence not in memo:
            memo[sequence] = kmer_codes(sequence, k)
        return memo[sequence]

    ref = np.sort(np.concatenate([codes(g.sequence) for g in reference]))   # membership needs no unique (slow)
    out = np.zeros(len(genes))
    for i, gene in enumerate(genes):
        kmers = codes(gene.sequence)
        if kmers.size:
            pos = np.searchsorted(ref, kmers).clip(0, ref.size - 1)
            out[i] = float((ref[pos] == kmers).mean())
    return out


@dataclass
class GeneSplit:
    """Train / validation / test genes and what the near-copy filter did."""

    train: list[Gene]
    valid: list[Gene]
    test: list[Gene]
    moved_from_valid: int = 0
    moved_from_test: int = 0
    settings: dict = field(default_factory=dict)

    def describe(self) -> dict:
        return {"train_genes": len(self.train), "valid_genes": len(self.valid), "test_genes": len(self.test),
                "near_copies_moved_to_train": {"valid": self.moved_from_valid, "test": self.moved_from_test},
                **self.settings}


def _group_key(gene: Gene) -> str:
    group = (gene.fields.get("GeneGroupIdentifier") or "").strip()
    return f"family:{group}" if group else f"seq:{hashlib.sha1(gene.sequence.encode()).hexdigest()}"


def split_genes(genes: list[Gene], test_fraction: float = 0.1, valid_fraction: float = 0.1, seed: int = 0,
                k: int = 32, max_shared: float = 0.5) -> GeneSplit:
    """Split by gene family (GeneGroupIdentifier where present; identical sequences are one family), then move
    every held-out gene that shares >= ``max_shared`` of its distinct k-mers with any training gene to training.

    Validation is filtered against training the same way, so choices made on it face what the test faces.
    Deterministic for a given gene list and seed.
    """
    groups: dict[str, list[Gene]] = {}
    for gene in genes:
        groups.setdefault(_group_key(gene), []).append(gene)
    keys = sorted(groups)
    order = np.random.default_rng(seed).permutation(len(keys))
    n_test, n_valid = int(round(test_fraction * len(genes))), int(round(valid_fraction * len(genes)))
    test, valid, train = [], [], []
    for index in order:
        members = groups[keys[index]]
        target = test if len(test) < n_test else valid if len(valid) < n_valid else train
        target.extend(members)
    moved = {"valid": 0, "test": 0}
    memo: dict[str, np.ndarray] = {}   # each gene's k-mers once, not once a round (12 s -> a few for the human genes)
    for _ in range(5):   # moving genes to training can make other held-out genes near-copies: repeat until stable
        changed = False
        for name, part, reference in (("valid", valid, train), ("test", test, train + valid)):
            shared = shared_fraction(part, reference, k, memo)
            keep = [g for g, s in zip(part, shared) if s < max_shared]
            out = [g for g, s in zip(part, shared) if s >= max_shared]
            if out:
                changed = True
                moved[name] += len(out)
                train.extend(out)
                part[:] = keep
        if not changed:
            break
    settings = {"split_seed": seed, "test_fraction": test_fraction, "valid_fraction": valid_fraction,
                "near_copy_rule": f"held-out genes sharing >= {max_shared:.0%} of their distinct {k}-mers with "
                                  "any training gene moved to training (validation: against training; "
                                  "test: against training and validation)"}
    return GeneSplit(train, valid, test, moved["valid"], moved["test"], settings)


def reverse_complement(bases: str) -> str:
    return bases.translate(str.maketrans("ACGTacgt", "TGCAtgca"))[::-1]


def genes_from_genome(fasta: str | Path, annotation: str | Path, frac_from: float = 0.0, frac_to: float = 1.0,
                      types: tuple[str, ...] = ("gene",), max_length: int | None = None) -> list[Gene]:
    """The annotated genes lying wholly in [frac_from, frac_to) of each sequence (the score_track split), as
    they read on their own strand; genes with letters other than ACGT or longer than ``max_length`` are left out."""
    from genoview.core.genome import open_genome, split_bounds

    genome = open_genome(fasta, annotation)
    genes: list[Gene] = []
    for seqid, record in genome.sequences.items():
        lo, hi = split_bounds(record.length, frac_from, frac_to)
        for feature in genome.features.query(seqid, lo, hi, types=set(types)):
            if feature.start < lo or feature.end > hi:
                continue
            bases = record.text(feature.start, feature.end).upper()
            if feature.strand < 0:
                bases = reverse_complement(bases)
            if set(bases) - set(BASES) or (max_length and len(bases) > max_length):
                continue
            genes.append(Gene(feature.name or feature.id or f"{seqid}:{feature.start + 1}", bases,
                              {"seqid": seqid, "start": str(feature.start), "end": str(feature.end),
                               "strand": str(feature.strand)}))
    return genes
