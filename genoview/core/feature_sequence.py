"""A feature's DNA (5' to 3' on its strand, its parts joined) and, for a coding feature, its protein, as FASTA: what a
user clicking a gene wants next (to BLAST it, or to design primers); the window had no way to get either."""
from __future__ import annotations

import numpy as np

from genoview.core.errors import GenoViewInputError

MAX_BASES = 10_000_000   # a whole-chromosome 'region' feature: the FASTA file, not the clipboard
_COMPLEMENT = bytes.maketrans(b"ACGTURYSWKMBDHVNacgturyswkmbdhvn", b"TGCAAYRSWMKVHDBNtgcaayrswmkvhdbn")


def coding_feature(genome, feature):
    """The CDS a feature stands for: itself when it is a CDS (or a gene call), else the annotation's CDS on the same
    strand ending at the same stop (a gene clicked in the Genes row); None for a non-coding feature."""
    if "CDS" in str(feature.type):
        return feature
    if feature.type not in ("gene", "mRNA", "transcript") or genome is None or feature.strand not in (1, -1):
        return None
    for other in genome.features.query(feature.seqid, feature.start, feature.end, types=("CDS",)):
        if other.strand == feature.strand and (other.end == feature.end if feature.strand > 0
                                               else other.start == feature.start):
            return other
    return None


def _parts(feature) -> list[tuple[int, int]]:
    parts = sorted(getattr(feature, "parts", None) or [(feature.start, feature.end)])
    if len(parts) > 1 and parts[0][0] == 0 and feature.start > 0:   # across a circular origin: the piece from 0
        parts = parts[1:] + parts[:1]                               # follows the one ending at the sequence's end
    return parts


def feature_dna(genome, feature) -> str:
    """The feature's bases 5' to 3' on its strand (reverse complement for '-'), its parts joined, as in the file."""
    record = genome.sequences.get(feature.seqid)
    if record is None:
        raise GenoViewInputError(f"sequence {feature.seqid!r} is not in the genome")
    parts = _parts(feature)
    if sum(end - start for start, end in parts) > MAX_BASES:
        raise GenoViewInputError(f"{feature.seqid}:{feature.start + 1:,}-{feature.end:,} is over {MAX_BASES:,} bases: "
                                 "too long to copy; use the genome file (e.g. samtools faidx) for a region this long")
    bases = b"".join(np.asarray(record.fetch(start, end), dtype=np.uint8).tobytes() for start, end in parts)
    return (bases.translate(_COMPLEMENT)[::-1] if feature.strand == -1 else bases).decode("ascii", errors="replace")


def feature_protein(genome, feature, genetic_code: int | None = None) -> str:
    """The protein of a coding feature (its CDS phase skipped, the code from its transl_table, else 11), without the
    final stop's '*'; an alternative start codon reads M, as Prodigal and NCBI write it."""
    from genoview.core.genecalls import translate
    from genoview.core.io.sequence import encode

    cds = coding_feature(genome, feature)
    if cds is None:
        raise GenoViewInputError(f"{feature.type} is not a coding feature: no protein")
    attributes = getattr(cds, "attributes", {}) or {}
    code = genetic_code or int(attributes.get("transl_table", "11") or 11)
    dna = feature_dna(genome, cds)
    phase = getattr(cds, "phase", None) or 0
    start = phase == 0 and not five_prime_partial(attributes)   # a CDS running off its 5' end has no start codon
    protein = translate(encode(np.frombuffer(dna[phase:].encode(), dtype=np.uint8)), code, first_is_start=start)
    if start and protein and protein[0] != "M" and _annotated_start(attributes, dna[:3], code):
        protein = "M" + protein[1:]   # pcnB's ATT, infC's ATT: NCBI's protein starts with M, the copy said I
    return protein[:-1] if protein.endswith("*") else protein


def five_prime_partial(attributes) -> bool:
    """A CDS without its start: GFF3's start_range (NCBI's 5'-partial mark), or Prodigal's partial "10"/"11" (5' then
    3' end running off the sequence: a gene call at a contig's edge, whose first codon was read M)."""
    return "start_range" in attributes or str(attributes.get("partial", "")) in ("10", "11")


def _annotated_start(attributes, codon: str, code: int) -> bool:
    """The first codon of a complete annotated CDS is its start, read M when the code lists it as one (code 11: ATT,
    ATC, ATA and CTG beside ATG, GTG and TTG, which translate() knows); not for a partial CDS or a pseudogene."""
    if any(key in attributes for key in ("partial", "start_range", "pseudo")):
        return False
    try:
        from Bio.Data.CodonTable import unambiguous_dna_by_id

        return codon.upper() in unambiguous_dna_by_id[code].start_codons
    except (ImportError, KeyError):
        return False


def fasta_text(name: str, description: str, letters: str, width: int = 60) -> str:
    lines = [f">{name} {description}".rstrip()]
    lines += [letters[i:i + width] for i in range(0, len(letters), width)] or [""]
    return "\n".join(lines) + "\n"


def feature_header(feature) -> tuple[str, str]:
    """(name, description) for a FASTA header: the feature's name and its place, 1-based, with strand and type."""
    attributes = getattr(feature, "attributes", {}) or {}
    name = (attributes.get("locus_tag") or getattr(feature, "name", None) or getattr(feature, "id", None)
            or f"{feature.seqid}_{feature.start + 1}_{feature.end}")
    strand = {1: "+", -1: "-"}.get(feature.strand, ".")
    product = attributes.get("product", "")
    description = f"{feature.seqid}:{feature.start + 1}-{feature.end}({strand}) {feature.type}"
    return "_".join(str(name).split()), f"{description} {product}".strip()
