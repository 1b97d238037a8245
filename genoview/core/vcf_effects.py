"""Each variant of a VCF scored on its own by a language model: log P(sequence with the ALT) - log P(reference).

`genoview variant-effects`. Real vs mutated's VCF mode applies every variant of a region at once (one mutated copy);
a geneticist with a VCF of candidate variants wants one number per variant, every ALT of a multi-allelic line
included, and the lines that could not be scored listed with their line number and why (another sequence, outside
the region, REF not the genome's, a symbolic or N allele, a malformed line), never dropped silently.

A variant is scored by splicing its ALT into the region's reference and reading both whole sequences with the
model (``token_logprobs``; any edit length, exact). On a ``-`` strand gene the region is read as the gene, i.e.
reverse-complemented, and each allele with it, so the model reads the gene in its own 5' to 3' order.
"""
from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from genoview.core.errors import GenoViewInputError, require_input_file
from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, ensure_progress

_COMPLEMENT = str.maketrans("ACGT", "TGCA")


def reverse_complement(bases: str) -> str:
    return bases.translate(_COMPLEMENT)[::-1]


@dataclass(frozen=True)
class VcfAllele:
    """One ALT of one VCF line (a multi-allelic line gives one per ALT)."""

    line: int
    seqid: str
    position: int          # 0-based start of REF on the genome
    id: str
    ref: str
    alt: str
    alt_index: int = 1     # 1-based among the line's ALTs


@dataclass(frozen=True)
class SkippedLine:
    line: int
    text: str              # the line's first columns, for the report
    reason: str
    seqid: str | None = None       # where the line lies, when its CHROM and POS could be read
    position: int | None = None    # 0-based


@dataclass
class VcfReading:
    path: Path
    alleles: list[VcfAllele] = field(default_factory=list)
    skipped: list[SkippedLine] = field(default_factory=list)
    # with a region: lines away from it beyond the first LIST_ELSEWHERE, counted and not kept (a genome-wide VCF's
    # million lines read whole took 850 MB for one gene's region)
    dropped: int = 0
    dropped_on_sequence: int = 0
    dropped_chroms: set[str] = field(default_factory=set)


def _shown(cols: Sequence[str]) -> str:
    text = " ".join(cols[:5])
    return text if len(text) <= 60 else text[:57] + "..."


def _bare(name: str) -> str:
    return name[3:] if name.lower().startswith("chr") else name


def read_vcf_alleles(path: str | Path, region: tuple[str, int, int] | None = None) -> VcfReading:
    """Every ALT of every variant line of a VCF (plain or gzip, by content); a line that gives no scorable allele is
    kept in ``skipped`` with its line number and the reason, never raised: one bad line does not lose the others.
    ``region`` (seqid, 0-based start, end): past the first LIST_ELSEWHERE lines away from it (another sequence, 'chr'
    aside, or not touching it), lines are only counted (``dropped``)."""
    path = Path(path)
    away = 0
    require_input_file(path, "a VCF", "check the VCF's path")
    with open(path, "rb") as raw:
        first = raw.read(200)
    opener = gzip.open if first[:2] == b"\x1f\x8b" else open
    from genoview.core.io import starts_as_binary

    if opener is open and (b"\x00" in first or starts_as_binary(first)):
        raise GenoViewInputError("this is no text VCF (it starts with binary data: a picture, an archive or a "
                                 "BCF?); give the VCF as text, plain or gzip (bcftools view FILE.bcf -Ov -o "
                                 "FILE.vcf)", path)
    reading = VcfReading(path)
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for line_no, line in enumerate(handle, 1):
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\r\n").split("\t")
                if len(cols) < 5:
                    cols = line.split()
                if len(cols) < 5:
                    reading.skipped.append(SkippedLine(line_no, _shown(cols), "fewer than 5 columns (CHROM POS ID "
                                                                            "REF ALT, tab-separated)"))
                    continue
                chrom, pos, vid, ref, alts = cols[:5]
                if not pos.isdigit() or int(pos) < 1:
                    reading.skipped.append(SkippedLine(line_no, _shown(cols), f"POS {pos!r} is not a positive integer"))
                    continue
                if region is not None:
                    same = chrom == region[0] or _bare(chrom) == _bare(region[0])
                    if not (same and int(pos) - 1 < region[2] and int(pos) - 1 + len(ref) > region[1]):
                        away += 1
                        if away > LIST_ELSEWHERE:   # more than are listed: counted only
                            reading.dropped += 1
                            reading.dropped_on_sequence += same
                            if not same and len(reading.dropped_chroms) < 10:
                                reading.dropped_chroms.add(chrom)
                            continue
                ref = ref.upper()
                if not re.fullmatch(r"[ACGT]+", ref):
                    reading.skipped.append(SkippedLine(line_no, _shown(cols), f"REF {ref!r} holds letters other than "
                                                                            "A, C, G, T", chrom, int(pos) - 1))
                    continue
                for k, alt in enumerate(alts.upper().split(","), 1):
                    if alt == ref:
                        why = "equals REF"
                    elif alt in (".", "*") or alt.startswith("<") or "[" in alt or "]" in alt:
                        why = "is symbolic, missing or a breakend (only sequence alleles can be scored)"
                    elif not re.fullmatch(r"[ACGT]+", alt):
                        why = "holds letters other than A, C, G, T (language models read A, C, G and T only)"
                    else:
                        reading.alleles.append(VcfAllele(line_no, chrom, int(pos) - 1, vid, ref, alt, k))
                        continue
                    reading.skipped.append(SkippedLine(line_no, _shown(cols), f"ALT {alt!r}"
                                                       + (f" (ALT {k} of the line)" if "," in alts else "") + f" {why}",
                                                       chrom, int(pos) - 1))
    except (UnicodeDecodeError, EOFError, OSError, gzip.BadGzipFile) as exc:
        raise GenoViewInputError(f"cannot be read as a VCF ({exc})", path) from exc
    _refuse_no_vcf(reading)
    return reading


def _refuse_no_vcf(reading: VcfReading) -> None:
    """A file none of whose lines has a VCF's columns (a FASTA, a BED, a table given as the VCF) is refused with its
    first line's reason: listing each of its thousands of lines as 'skipped' said nothing useful."""
    if reading.alleles or not reading.skipped or any(s.seqid is not None for s in reading.skipped):
        return
    first = reading.skipped[0]
    what = "a FASTA file, not a VCF" if first.text.startswith(">") else "no VCF"
    raise GenoViewInputError(f"this is {what} (no line has a VCF's columns; this one: {first.reason}); a VCF line "
                             "reads CHROM POS ID REF ALT, tab-separated, POS 1-based (e.g. "
                             "'chr7<TAB>117559590<TAB>.<TAB>ATCT<TAB>A')", reading.path, first.line)


@dataclass
class VariantEffect:
    allele: VcfAllele
    kind: str              # SNV, MNV, insertion, deletion, indel
    llr: float             # log P(alt) - log P(ref), natural log, whole region
    ref_perplexity: float
    alt_perplexity: float
    scored: tuple[int, int] = (0, 0)   # the genome bases (1-based, inclusive) the scores read

    @property
    def label(self) -> str:
        a = self.allele
        return f"{a.seqid}:{a.position + 1} {a.ref}>{a.alt}"


@dataclass
class VariantEffects:
    model: str
    region: str            # SEQ:START-END, 1-based
    strand: int
    effects: list[VariantEffect]
    skipped: list[SkippedLine]
    notes: list[str]
    vcf: Path

    def write_table(self, path: str | Path) -> None:
        """TSV (CSV when the name ends .csv), written atomically; skipped lines follow with the reason."""
        write_effects_table([self], path)


def write_effects_table(results: Sequence[VariantEffects], path: str | Path) -> None:
    """One row per variant and model (several models' results of one VCF and region, as the window shows them), then
    the skipped lines with the reason; TSV, or CSV when the name ends .csv; written atomically."""
    from genoview.core.io.atomic import write_atomically

    path = Path(path)
    delimiter = "," if path.name.lower().endswith(".csv") else "\t"

    def rows(w) -> None:
        w.writerow(["vcf_line", "chrom", "pos", "id", "ref", "alt", "kind", "model", "region", "strand",
                    "llr_alt_minus_ref", "ref_perplexity", "alt_perplexity", "scored_bases", "status"])   # < 0: ALT less likely
        for result in results:
            for e in result.effects:
                a = e.allele
                w.writerow([a.line, a.seqid, a.position + 1, a.id, a.ref, a.alt, e.kind, result.model, result.region,
                            "+" if result.strand >= 0 else "-", f"{e.llr:.6f}", f"{e.ref_perplexity:.6f}",
                            f"{e.alt_perplexity:.6f}", f"{e.scored[0]}-{e.scored[1]}", "scored"])
        for s in results[0].skipped if results else []:
            shown = (s.text.split() + [""] * 5)[:5]
            w.writerow([s.line, *shown, "", "", results[0].region, "", "", "", "", "", f"skipped: {s.reason}"])

    def write_to(tmp) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            rows(csv.writer(handle, delimiter=delimiter, lineterminator="\n"))

    write_atomically(path, write_to)


def _kind(ref: str, alt: str) -> str:
    """SNV, MNV, insertion, deletion or indel, after the shared first/last bases (VCF's anchor) are set aside."""
    while ref and alt and ref[0] == alt[0]:
        ref, alt = ref[1:], alt[1:]
    while ref and alt and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    if len(ref) == len(alt):
        return "SNV" if len(ref) == 1 else "MNV"
    return "insertion" if not ref else "deletion" if not alt else "indel"


def chrom_alias(names: set[str], seqid: str) -> str | None:
    """The VCF's CHROM for ``seqid`` when it differs only by a 'chr' prefix (as :func:`mutation.vcf_chrom_alias`)."""
    if seqid in names:
        return None
    bare = seqid[3:] if seqid.lower().startswith("chr") else seqid
    found = {n for n in names if (n[3:] if n.lower().startswith("chr") else n) == bare}
    return found.pop() if len(found) == 1 else None


LIST_ELSEWHERE = 100   # lines outside the region listed one by one up to this many; more are counted in a note
SCORING_WINDOW = 20_000   # bases read around each variant of a longer region: variant-effects' and saturation's
# --window default, the Variants tab and the heat map (one number: the window and the command give the same scores)


def _window_of(i: int, j: int, n: int, window: int) -> tuple[int, int]:
    """The window (reading order) a variant at [i, j) is scored in: on a grid of half-window steps, the one whose
    middle half holds the variant's centre (windows are shared by nearby variants: one reference score each)."""
    half = window // 2
    centre = (i + j) // 2
    lo = max(0, min(n - window, ((centre - half // 2) // half) * half))
    lo, hi = min(lo, i), max(lo + window, j)          # a long REF is never cut
    return lo, min(hi, n)


def _scores_substitutions_exactly(model) -> bool:
    """Whether ``lm_mutagenesis.prepare_variants`` gives this model's per-token arrays of a substitution bit for bit
    as ``model.token_logprobs`` of the mutated sequence: a plain n-gram (its predictions read only the tokens
    before them, recomputed by the same vectorised code). Networks and ensembles agree only to ~2e-5 per token,
    which would move variant-effects' 6-decimal table: they are scored in full."""
    from genoview.core.models.ngram import NgramLM

    return type(model) is NgramLM


def score_vcf_variants(model, reading: VcfReading, reference: str, seqid: str, start: int, strand: int = 1,
                       window: int | None = SCORING_WINDOW, progress: ProgressCallback | None = None,
                       cancel: CancelToken | None = None) -> VariantEffects:
    """Score each allele of ``reading`` lying wholly in the region ``reference`` (the genome's forward bases of
    ``seqid`` from 0-based ``start``); ``strand`` -1 reads the region (and every allele) reverse-complemented. A region
    longer than ``window`` bases is scored in a window around each variant (None or 0: the whole region)."""
    progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
    reference = reference.upper()
    end = start + len(reference)
    region = f"{seqid}:{start + 1:,}-{end:,}".replace(",", "")
    notes: list[str] = []
    names = {a.seqid for a in reading.alleles}
    chrom = chrom_alias(names, seqid) or seqid
    if chrom != seqid:
        notes.append(f"the VCF's CHROM {chrom} read as {seqid} (this sequence's name)")
    # lines elsewhere in the genome are listed one by one only when they are few: a genome-wide VCF (millions of
    # lines) with one gene's region listed every other line as 'skipped' (stderr, the table, the window's rows)
    skipped: list[SkippedLine] = []
    elsewhere: list[SkippedLine] = []
    for s in reading.skipped:
        away = s.seqid is not None and (s.seqid != chrom or not start <= s.position < end)
        (elsewhere if away else skipped).append(s)
    others: dict[str, int] = {}
    todo: list[tuple[VcfAllele, int, int, str]] = []   # allele, its REF span [i, j) in reading order, ALT read so
    read = reference if strand >= 0 else reverse_complement(reference)
    n = len(reference)
    for a in reading.alleles:
        text = f"{a.seqid} {a.position + 1} {a.id} {a.ref} {a.alt}"
        if a.seqid != chrom:
            others[a.seqid] = others.get(a.seqid, 0) + 1
            elsewhere.append(SkippedLine(a.line, text, f"CHROM {a.seqid} is not the region's sequence {seqid}",
                                         a.seqid, a.position))
            continue
        if a.position < start or a.position + len(a.ref) > end:
            elsewhere.append(SkippedLine(a.line, text, f"position {a.position + 1} (REF {len(a.ref)} base"
                                                       f"{'s' if len(a.ref) > 1 else ''}) is outside the region "
                                                       f"{region}", a.seqid, a.position))
            continue
        here = reference[a.position - start:a.position - start + len(a.ref)]
        if here != a.ref:
            skipped.append(SkippedLine(a.line, text, f"REF {a.ref} does not match the genome there ({here}); is the "
                                                     "VCF for this genome and assembly?"))
            continue
        i, j = a.position - start, a.position - start + len(a.ref)
        if strand >= 0:
            todo.append((a, i, j, a.alt))
        else:   # the gene's order: positions mirrored, alleles complemented
            todo.append((a, n - j, n - i, reverse_complement(a.alt)))
    for name in reading.dropped_chroms:
        others[name] = others.get(name, 0) + 1
    if len(elsewhere) <= LIST_ELSEWHERE and not reading.dropped:
        skipped += elsewhere
    else:
        lines = {s.line for s in elsewhere}
        on_chrom = {s.line for s in elsewhere if s.seqid == chrom}
        total, on = len(lines) + reading.dropped, len(on_chrom) + reading.dropped_on_sequence
        notes.append(f"{total:,} VCF line(s) lie outside {region} and were not scored ({on:,} on {chrom}, "
                     f"{total - on:,} on other sequences); they are counted, not listed (more than {LIST_ELSEWHERE})")
    skipped.sort(key=lambda s: s.line)
    if others and not todo:
        notes.append(f"no variant on {seqid}: the VCF's CHROM names are {', '.join(sorted(others)[:5])}")
    windowed = bool(window) and n > window
    if windowed:
        notes.append(f"the region is {n:,} bases: each variant is scored in the {window:,}-base window around it "
                     "(the shipped language models were trained on genes of at most 1,000 bases; a whole long region "
                     "re-read for every variant took ~40 s a variant under lm-human-genes)")
    # variants grouped by the window they are read in: each window's reference read once; with an n-gram model
    # (whose incremental scorer gives the full re-scoring's per-token arrays bit for bit, tested) a substitution
    # costs only the predictions it changes, not its window's 20 kb again; anything else is scored in full
    by_window: dict[tuple[int, int], list[int]] = {}
    for k, (_, i, j, _) in enumerate(todo):
        by_window.setdefault(_window_of(i, j, n, window) if windowed else (0, n), []).append(k)
    incremental = _scores_substitutions_exactly(model)
    found: dict[int, VariantEffect] = {}
    for (lo, hi), members in by_window.items():
        cancel.check()
        scorer = None
        substitutions = [k for k in members if len(todo[k][0].ref) == len(todo[k][0].alt) == 1] if incremental else []
        if substitutions:
            from genoview.core.lm_mutagenesis import prepare_variants

            scorer = prepare_variants(model, read[lo:hi])
            ref_lp = scorer.reference
            fast = dict(zip(substitutions, scorer([(todo[k][1] - lo, "ACGT".index(todo[k][3]) + 1)
                                                   for k in substitutions])))
        else:
            ref_lp, fast = model.token_logprobs([read[lo:hi]], cancel=cancel)[0], {}
        span = (start + lo + 1, start + hi) if strand >= 0 else (start + n - hi + 1, start + n - lo)
        ref_total, ref_ppl = np.sum(ref_lp), float(np.exp(-np.mean(ref_lp)))   # once per window, not per variant
        for k in members:
            cancel.check()
            a, i, j, alt = todo[k]
            lp = fast[k] if k in fast else model.token_logprobs([read[lo:i] + alt + read[j:hi]], cancel=cancel)[0]
            found[k] = VariantEffect(a, _kind(a.ref, a.alt), float(np.sum(lp) - ref_total), ref_ppl,
                                     float(np.exp(-np.mean(lp))), span)
            progress(len(found) / len(todo), f"{len(found)}/{len(todo)} variants")
    effects = [found[k] for k in range(len(todo))]   # the VCF's order
    progress(1.0, None)
    indels = [e for e in effects if len(e.allele.ref) != len(e.allele.alt)]
    if indels:   # a deletion scored +3.1 nats under kn-human-genes (TGG>T): read as 'more likely', it is the length
        per_base = float(np.log(indels[0].ref_perplexity))
        notes.append(f"{len(indels)} insertion(s)/deletion(s) change the sequence's length: their log-likelihood ratio "
                     f"includes the added or removed bases' own cost (about {per_base:.2f} nats a base here, the "
                     f"reference's log-perplexity), so a neutral 1-base deletion scores about +{per_base:.2f}; compare "
                     "indels with indels of the same length, not with substitutions")
    return VariantEffects(getattr(model, "name", str(model)), region, strand, effects, skipped, notes, reading.path)
