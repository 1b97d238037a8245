"""Gene-level evaluation: predicted genes against annotated CDS, as gene finders are compared.

A prediction matches an annotated CDS when it ends at the same stop codon on the same strand (the
3' end is what gene finders agree on; starts are harder); separately, a match "with start" needs the
start as well. Sensitivity = matched annotated CDS / annotated CDS; precision = matched predictions /
predictions. A scope (e.g. the last 30 % of a chromosome) keeps the genes whose stop lies inside it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

import numpy as np

# (seqid, start, end, strand): 0-based half-open on the forward strand, stop codon included
Gene = tuple


@dataclass
class GeneLevelReport:
    """Counts and rates of one set of predictions against the annotation."""

    annotated: int
    predicted: int
    stop_matches: int
    start_matches: int

    @property
    def stop_sensitivity(self) -> float:
        return self.stop_matches / self.annotated if self.annotated else 0.0

    @property
    def stop_precision(self) -> float:
        return self.stop_matches / self.predicted if self.predicted else 0.0

    @property
    def start_sensitivity(self) -> float:
        return self.start_matches / self.annotated if self.annotated else 0.0

    @property
    def start_precision(self) -> float:
        return self.start_matches / self.predicted if self.predicted else 0.0

    def to_json(self) -> dict:
        out = asdict(self)
        out.update(stop_sensitivity=self.stop_sensitivity, stop_precision=self.stop_precision,
                   start_sensitivity=self.start_sensitivity, start_precision=self.start_precision)
        return out


def stop_key(gene: Gene) -> tuple:
    seqid, start, end, strand = gene[:4]
    return (seqid, strand, end if strand > 0 else start)


def start_key(gene: Gene) -> tuple:
    seqid, start, end, strand = gene[:4]
    return (seqid, strand, start if strand > 0 else end)


def annotated_cds(features, types: Iterable[str] = ("CDS",)) -> list[Gene]:
    """(seqid, start, end, strand) of each annotated CDS (a multi-part CDS spans its parts), one per stop."""
    seen = {}
    for feature in features:
        if feature.type not in types or feature.strand not in (1, -1):
            continue
        parts = feature.parts
        start, end = min(p[0] for p in parts), max(p[1] for p in parts)
        if len(parts) > 1:   # across a circular origin or spliced: the stop is in the 3' part
            last = max(parts) if feature.strand > 0 else min(parts)
            start, end = (min(parts)[0], last[1]) if feature.strand > 0 else (last[0], max(parts)[1])
        gene = (feature.seqid, int(start), int(end), int(feature.strand))
        seen.setdefault(stop_key(gene), gene)
    return list(seen.values())


def stop_within(gene: Gene, scope: dict) -> bool:
    """Whether the last base of ``gene``'s stop codon (its 3' end) lies in ``scope`` ({seqid: (start, end)} or
    {seqid: [(start, end), ...]}, 0-based half-open): the one rule for which genes a part of a genome holds, in
    `evaluate --genes`, its disagreements and the window's (a gene counts where it ends, as genes are matched)."""
    bounds = scope.get(gene[0])
    if not bounds:
        return False
    spans = [bounds] if not isinstance(bounds[0], (tuple, list)) else bounds
    base = stop_key(gene)[2] - (1 if gene[3] > 0 else 0)
    return any(start <= base < end for start, end in spans)


def in_scope(genes: Iterable[Gene], scope: dict | None) -> list[Gene]:
    """Genes whose stop position lies inside ``scope`` (:func:`stop_within`; None = everything)."""
    if scope is None:
        return list(genes)
    return [gene for gene in genes if stop_within(gene, scope)]


def compare_genes(predicted: Iterable[Gene], annotated: Iterable[Gene], scope: dict | None = None
                  ) -> GeneLevelReport:
    """Match predictions to annotated CDS by exact stop (strand + position), and by stop and start."""
    predicted = in_scope(predicted, scope)
    annotated = in_scope(annotated, scope)
    ref_stops = {stop_key(g): g for g in annotated}
    pred_stops = {}
    for g in predicted:
        pred_stops.setdefault(stop_key(g), g)
    stop_matches = len(set(ref_stops) & set(pred_stops))
    start_matches = sum(1 for k, g in pred_stops.items() if k in ref_stops and start_key(ref_stops[k]) == start_key(g))
    return GeneLevelReport(len(ref_stops), len(predicted), stop_matches, start_matches)


def prodigal_genes(sequences: dict, genetic_code: int = 11, progress=None, mask: bool = False) -> list[Gene]:
    """Prodigal's genes (pyrodigal), trained on all sequences together as the prodigal command does
    (metagenomic mode when they hold under 20 kb): the built-in prodigal model's finder (models/prodigal.py);
    ``mask``: no gene across a run of N (prodigal -m; off by default, as the benchmark's Prodigal runs)."""
    from genoview.core.models.prodigal import ascii_sequence, gene_finder

    seqs = {seqid: ascii_sequence(codes) for seqid, codes in sequences.items()}
    finder = gene_finder(seqs, genetic_code, mask)
    out = []
    for seqid, seq in seqs.items():
        for gene in finder.find_genes(seq):
            out.append((seqid, gene.begin - 1, gene.end, gene.strand, gene.confidence() / 100.0))
    return out


def genome_prodigal_genes(genome, seqids=None, genetic_code: int = 11, scope: dict | None = None) -> list[Gene]:
    """THE Prodigal column (`evaluate --genes` and its disagreements, the window's gene calls and disagreements):
    Prodigal's genes on the whole of each of ``seqids`` (default: every sequence) of ``genome``, trained on every
    sequence of the genome's file together as the `prodigal`/`pyrodigal` command trains (metagenomic under 20 kb), no
    N mask (the command's default, as the benchmark's Prodigal rows), with ``genetic_code`` (the one the compared
    calls were read with). The built-in prodigal model's finder and genes, kept per process, so a second call (the
    window's next track, the prodigal model's own calls) trains and searches nothing again. A part of a genome takes
    these genes :func:`in_scope`. A genome over prodigal.MAX_GENOME (no bacterium: a eukaryote's chromosomes) with
    a ``scope`` is not trained on whole chromosomes (minutes and gigabytes for a 250 Mb one): Prodigal's genes of the
    scope's parts, each with prodigal.FLANK bases on both sides, trained on them together."""
    from genoview.core.models.prodigal import FLANK, MAX_GENOME, genome_genes

    wanted = list(genome.sequences) if seqids is None else list(seqids)
    if scope is not None and genome.total_length > MAX_GENOME:
        from genoview.core.genome import encode

        pieces = {}
        for seqid in wanted:
            bounds = scope.get(seqid) or []
            for start, end in ([bounds] if bounds and not isinstance(bounds[0], (tuple, list)) else bounds):
                lo, hi = max(0, int(start) - FLANK), min(genome.sequences[seqid].length, int(end) + FLANK)
                if hi > lo:
                    pieces[(seqid, lo)] = encode(genome.sequences[seqid].fetch(lo, hi))
        found: dict = {}
        names = {f"{i}": key for i, key in enumerate(pieces)}
        for gene in prodigal_genes({name: pieces[key] for name, key in names.items()}, genetic_code):
            seqid, lo = names[gene[0]]
            shifted = (seqid, gene[1] + lo, gene[2] + lo, gene[3], gene[4])
            found.setdefault(stop_key(shifted), shifted)   # (a gene in two overlapping parts' flanks: once)
        order = {seqid: k for k, seqid in enumerate(wanted)}
        return sorted(found.values(), key=lambda g: (order[g[0]], g[1], g[2]))
    found = genome_genes(genome, wanted, genetic_code)
    if found is None:   # a genome in memory with no file: its sequences, trained together here
        from genoview.core.genome import encode

        sequences = {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}
        keep = set(wanted)
        found = [g for g in prodigal_genes(sequences, genetic_code) if g[0] in keep]
    return found


def genes_of_calls(calls) -> list[Gene]:
    """GeneCall objects (genecalls.py) -> plain (seqid, start, end, strand) tuples of their CDS."""
    return [(c.seqid, c.start, c.end, c.strand) for c in calls if getattr(c, "kind", "CDS") == "CDS"]


def read_gff_genes(path: str, types: Iterable[str] = ("CDS",)) -> list[Gene]:
    """CDS of a GFF3 file (e.g. a gene finder's output) as genes, one per stop."""
    from genoview.core.io import read_annotation

    features, _ = read_annotation(path)
    return annotated_cds(features, types)


def gene_level_table(genome, predicted: dict, scope: dict | None = None, with_prodigal: bool = True,
                     genetic_code: int = 11, genes_out: dict | None = None) -> dict:
    """{system: GeneLevelReport.to_json()} for each set of predicted genes ({name: genes}) and, side by side,
    Prodigal trained on the genome (``with_prodigal``), against the genome's annotated CDS within ``scope``.
    ``genes_out`` (a dict) receives each system's genes within ``scope`` ({name, "Prodigal", "Annotation"}), the
    sets `evaluate --genes --disagreements` compares."""
    reference = annotated_cds(genome.features)
    rows = {name: compare_genes(genes, reference, scope).to_json() for name, genes in predicted.items()}
    found = dict(predicted)
    if with_prodigal:
        seqids = [sid for sid in genome.sequences if scope is None or sid in scope]
        found["Prodigal"] = [g[:4] for g in genome_prodigal_genes(genome, seqids, genetic_code, scope)]
        rows["prodigal"] = compare_genes(found["Prodigal"], reference, scope).to_json()
    if genes_out is not None:
        genes_out.update({name: in_scope(genes, scope) for name, genes in {**found, "Annotation": reference}.items()})
    return rows


def whole_genome_calls(genome, wanted) -> bool:
    """Whether the gene calls for ``wanted`` parts [(seqid, start, end)] come from their whole sequences: yes up to
    the size GeneORF self-trains and calls at once (chunked.WHOLE_GENOME_MAX, every bacterium and archaeon)."""
    from genoview.core.models.geneorf.chunked import WHOLE_GENOME_MAX

    seqids = dict.fromkeys(seqid for seqid, _, _ in wanted)
    return sum(genome.sequences[seqid].length for seqid in seqids) <= WHOLE_GENOME_MAX


def gene_level_for_tracks(fasta, features, tracks: dict, parts: dict, model=None, name: str = "GenoView",
                          decoded: dict | None = None, genes_out: dict | None = None) -> dict:
    """gene_level_table for `genoview evaluate --genes`: the genes of ``tracks`` ({seqid: full-length values})
    in ``parts`` ({seqid: (start, end)}), decoded by genecalls (or a GeneORF model's own calls), and Prodigal's.
    ``decoded`` (a dict) receives the decode's ``genetic_code``, the one both rows were read with; ``genes_out``
    each system's genes (gene_level_table)."""
    from genoview.core import genecalls as gc
    from genoview.core.genome import open_genome

    with open_genome(fasta) as genome:
        genome.features = features
        wanted = [(seqid, start, end) for seqid, (start, end) in parts.items() if end > start]
        own = getattr(model, "own_gene_calls", None)
        found = own(genome, [(s, 0, genome.sequences[s].length) for s in dict.fromkeys(s for s, _, _ in wanted)]
                    ) if callable(own) else None
        if found is not None:   # a model that calls its own genes (Prodigal; a k-mer BERT's ORF decoder), as
            calls, code = found   # `predict --gff-out` writes them: on the whole sequences, scored within the parts
            if decoded is not None:
                decoded["genetic_code"] = code
            return gene_level_table(genome, {name: genes_of_calls(calls)}, scope=parts, genetic_code=code,
                                    genes_out=genes_out)
        if hasattr(model, "call_genome") and whole_genome_calls(genome, wanted):
            # a model that calls genes itself (GeneORF) reads the whole sequences, as `predict --gff-out` does, and
            # its calls are scored within the parts (read alone, a part would be self-trained and cut on its own)
            wanted = [(seqid, 0, genome.sequences[seqid].length) for seqid in dict.fromkeys(s for s, _, _ in wanted)]
        values = [(seqid, start, np.nan_to_num(np.asarray(tracks[seqid][start:end], dtype=np.float32), nan=0.0))
                  for seqid, start, end in wanted]
        calls, code = gc.calls_for_regions(genome, values, model)
        if decoded is not None:
            decoded["genetic_code"] = code
        return gene_level_table(genome, {name: genes_of_calls(calls)}, scope=parts, genetic_code=code,
                                genes_out=genes_out)


def format_gene_level(rows: dict) -> str:
    """The gene-level rows for a reader: columns wide enough for the names ("GenoView:geneorf-bacteria" pushed its
    row out of line) and a line saying what sensitivity and precision mean here."""
    width = max(len("gene by gene"), *(len(name) for name in rows))
    lines = [f"{'gene by gene':<{width}}  {'stop sens':>9}  {'stop prec':>9}  {'start sens':>10}  {'start prec':>10}"]
    for name, r in rows.items():
        lines.append(f"{name:<{width}}  {r['stop_sensitivity']:>9.4f}  {r['stop_precision']:>9.4f}  "
                     f"{r['start_sensitivity']:>10.4f}  {r['start_precision']:>10.4f}")
    lines.append("against the annotated CDS: sens = share of annotated genes found (same strand and stop codon; start: "
                 "also the same start), prec = share of the calls that are annotated genes")
    return "\n".join(lines)
