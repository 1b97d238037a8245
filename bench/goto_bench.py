"""Go-to look-ups on a synthetic human-sized annotation (1.5 M features): ms per look-up, the GoToBox.go path
without Qt (ambiguous_names, _is_locus, _names_start, described_matches, resolve_locus), typo included.
    OMP_NUM_THREADS=1 QT_QPA_PLATFORM=offscreen python bench/goto_bench.py [N]
"""
import sys
import time
import types

from genoview.core.errors import GenoViewInputError
from genoview.core.io.features import Feature, FeatureTable
from genoview.core.locus import resolve_locus
from genoview.gui.genome_view import navigation as nav

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_500_000
features, i, g = [], 0, 0
products = ["ribosomal protein L%d", "zinc finger protein %d", "keratin associated protein %d-1",
            "olfactory receptor family %d", "solute carrier family %d member 2", "uncharacterized protein LOC%d"]
while len(features) < N:
    seqid = f"chr{g % 22 + 1}"
    start = (g // 22) * 30_000
    name = f"GENE{g}" if g % 7 else f"KRTAP{g % 50}-{g}"
    gid = f"gene-{name}"
    features.append(Feature(seqid, start, start + 20_000, 1, "gene", id=gid, name=name,
                            attributes=f"ID={gid};Name={name};gene_biotype=protein_coding"))
    for t in range(2):
        rid = f"rna-NM_{g}.{t}"
        features.append(Feature(seqid, start, start + 20_000, 1, "mRNA", id=rid, name=f"NM_{g}.{t}", parent=gid,
                                attributes=f"ID={rid};Parent={gid};Name=NM_{g}.{t};product={products[g % 6] % (g % 900)}"))
        for e in range(5):
            features.append(Feature(seqid, start + e * 4000, start + e * 4000 + 300, 1, "exon", id=f"exon-{rid}-{e}",
                                    parent=rid, attributes=f"ID=exon-{rid}-{e};Parent={rid}"))
            features.append(Feature(seqid, start + e * 4000, start + e * 4000 + 300, 1, "CDS", id=f"cds-{rid}", parent=rid,
                                    attributes=f"ID=cds-{rid};Parent={rid};product={products[g % 6] % (g % 900)}"))
    g += 1
features.append(Feature("chr1", 5, 80, 1, "tRNA", id="trna-x", name="TRNA-ALA", attributes="ID=trna-x;Name=TRNA-ALA;product=tRNA-Ala"))
t0 = time.perf_counter(); table = FeatureTable(features)
print(f"{len(table):,} features, {g:,} genes; table {time.perf_counter() - t0:.1f} s")
t0 = time.perf_counter(); table.prepare_search(); print(f"prepare_search (load worker): {time.perf_counter() - t0:.1f} s")
rec = types.SimpleNamespace(length=250_000_000)
genome = types.SimpleNamespace(features=table, sequences={f"chr{k}": rec for k in range(1, 23)})

def go(text):
    """GoToBox.go's look-ups, in its order; returns what the box would do."""
    if nav.ambiguous_names(text, genome):
        return "ambiguous"
    if not nav._is_locus(text, genome, "chr1") and not nav._names_start(text, genome):
        found, words = nav.described_matches(text, genome)
        if len(found) > 1:
            return words
    try:
        locus = resolve_locus(text, genome, "chr1")
        return f"{locus.seqid}:{locus.start}"
    except GenoViewInputError as exc:
        return str(exc)

for text in ["GENE12345", "gene12345", "GENE1234", "KRTAP21-3", "GENE12345x", "GENE1234S", "GNE12345", "BRCA1", "xyzzy",
             "ribosomal", "ribosomall", "keratin", "tRNA", "exon", "chr3:1,000-2,000", "NM_4711.1"]:
    times = []
    for _ in range(3):
        t0 = time.perf_counter(); out = go(text); times.append(time.perf_counter() - t0)
    print(f"{text!r:22} {min(times) * 1000:8.1f} ms  -> {out[:110]}")
