"""The genes the gene finders disagree on, as a table a spreadsheet reads (TSV or CSV): one row per gene (one stop
codon on one strand) that some of the systems compared have and others lack, with the annotation's name for it.

The window's View ▸ Gene disagreements list had no way out (a user checking 110 genes by hand copied them one by
one), and the command line had only the sensitivity/precision rows; both write this file
(`genoview evaluate --genes --disagreements FILE`, the dock's Export…).
"""
from __future__ import annotations

import csv
import os
from typing import Iterable

from genoview.core.gene_level import stop_key


def disagreements(genes_by_system: dict) -> list[tuple]:
    """[(seqid, start, end, strand, systems)] for each stop (same strand and stop codon) not every system has, sorted
    along the genome; ``genes_by_system`` {name: [(seqid, start, end, strand), ...]} in column order. A gene's extent
    is the first system's that has it (GenoView's call, else Prodigal's, else the annotation's)."""
    by_system = {}
    for name, genes in genes_by_system.items():
        stops: dict = {}
        for gene in genes:
            stops.setdefault(stop_key(gene), tuple(gene[:4]))
        by_system[name] = stops
    every = set().union(*(stops.keys() for stops in by_system.values())) if by_system else set()
    rows = []
    for key in sorted(every, key=lambda k: (k[0], k[2], k[1])):
        systems = tuple(name for name, stops in by_system.items() if key in stops)
        if len(systems) == len(by_system):
            continue
        seqid, start, end, strand = by_system[systems[0]][key]
        rows.append((seqid, int(start), int(end), int(strand), systems))
    return rows


def annotated_names(features, rows: Iterable[tuple]) -> dict:
    """{(seqid, strand, stop): (locus_tag, name, product)} of the annotated CDS (or gene) ending at each row's stop,
    read from the CDS and its parent gene (RefSeq puts Name on the gene, product on the CDS)."""
    found = {}
    if features is None:
        return found
    by_id = {}
    for seqid, start, end, strand, _systems in rows:
        key = stop_key((seqid, start, end, strand))
        for feature in features.query(seqid, start, end, types=("CDS", "gene")):
            if feature.strand != strand or stop_key((seqid, feature.start, feature.end, strand)) != key:
                continue
            attrs = dict(feature.attributes)
            parent = feature.parent if feature.type == "CDS" else None
            if parent:
                if parent not in by_id:
                    by_id[parent] = next((f for f in features.query(seqid, start, end, types=("gene",))
                                          if f.id == parent), None)
                gene = by_id[parent]
                if gene is not None:
                    attrs = {**gene.attributes, **{k: v for k, v in attrs.items() if v}}
            locus = attrs.get("locus_tag", "")
            name = attrs.get("gene") or attrs.get("Name") or feature.name or ""
            product = attrs.get("product", "")
            old = found.get(key)
            if old is None or (feature.type == "CDS" and not old[2]):
                found[key] = (locus, "" if name == locus else name, product)
    return found


def write_disagreements(path: str | os.PathLike, rows: list, systems: Iterable[str], features=None,
                        genetic_code: int | None = None, names: dict | None = None) -> int:
    """Write ``rows`` (from :func:`disagreements`, or the window's) to ``path``: comma-separated for ``.csv``, else
    tab-separated; ``.gz`` compresses. 1-based inclusive coordinates, as a genome browser shows them; one yes/no
    column per system; the annotation's locus tag, name and product where it has the gene. Written beside the file
    and renamed into place (an earlier file is left whole on failure). Returns the number of rows. ``names``: the
    annotation's names already worked out (:func:`annotated_names`; the window's worker did), else read here."""
    from genoview.core.io.atomic import write_atomically

    path = os.fspath(path)
    systems = list(systems)
    plain = path[:-3] if path.lower().endswith(".gz") else path
    delimiter = "," if plain.lower().endswith(".csv") else "\t"
    names = annotated_names(features, rows) if names is None else names
    header = ["seqid", "start", "end", "strand", "length_bp", *systems, "annotation_locus_tag", "annotation_name",
              "annotation_product", "genetic_code"]

    def write_to(tmp) -> None:
        from genoview.core.io.gz import text_out

        with text_out(tmp, path) as handle:   # gzip for a .gz name, its header naming the output
            writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
            writer.writerow(header)
            for seqid, start, end, strand, have in rows:
                locus, name, product = names.get(stop_key((seqid, start, end, strand)), ("", "", ""))
                writer.writerow([seqid, start + 1, end, "+" if strand > 0 else "-", end - start,
                                 *("yes" if s in have else "no" for s in systems), locus, name, product,
                                 "" if genetic_code is None else genetic_code])

    write_atomically(path, write_to)
    return len(rows)
