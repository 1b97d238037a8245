"""FeatureTable.described: features of a type or whose product mentions a text, from columns built once (no walk
over a million-feature table on the GUI thread); the go-to box's list is the same as the old per-feature walk's."""
from __future__ import annotations

import types

from genoview.core.genome import open_genome
from genoview.core.io.features import Feature, FeatureTable, attribute_value, go_to_name
from genoview.gui.genome_view import navigation
from genoview.gui.genome_view.navigation import described_matches

GFF = """##gff-version 3
chr1\t.\tgene\t101\t400\t.\t+\t.\tID=gene-A1;locus_tag=A1;Name=dnaA
chr1\t.\ttRNA\t501\t576\t.\t+\t.\tID=trna-A2;locus_tag=A2;product=tRNA-Ala
chr1\t.\ttRNA\t601\t676\t.\t-\t.\tID=trna-A3;locus_tag=A3;product=tRNA-Gly
chr1\t.\tCDS\t701\t900\t.\t+\t0\tID=cds-A4;locus_tag=A4;product=50S Ribosomal protein L2
chr1\t.\tCDS\t901\t1000\t.\t+\t0\tID=cds-A4b;locus_tag=A4;product=50S ribosomal protein L2
chr1\t.\texon\t1001\t1100\t.\t+\t.\tParent=trna-A3;product=ribosomal leftover
chr1\t.\tCDS\t1101\t1200\t.\t+\t0\tID=cds-A5;product=30S ribosomal protein S1%2C and more
chr1\t.\tCDS\t1201\t1300\t.\t+\t0\tID=cds-A6;Name=rplB;product=protein%3B ribosomal?
chr2\t.\ttRNA\t11\t80\t.\t+\t.\tID=trna-B1;product=tRNA-Ser
chr2\t.\trRNA\t101\t300\t.\t+\t.\tID=rrna-B2;locus_tag=B2;product=16S ribosomal RNA
"""


def old_described_matches(text, genome, limit=navigation.MAX_LISTED):
    """The per-feature walk described_matches made before the columns: the reference for the same results."""
    name = text.strip()
    lowered = name.lower()
    if len(lowered) < 3 or genome is None or not genome.features:
        return [], ""
    kinds = {t.lower(): t for t in genome.features.types}
    kind = kinds.get(lowered) or kinds.get(lowered.rstrip("s"))
    found, seen = [], set()
    for feature in genome.features:
        product = feature.attributes.get("product", "")
        if feature.type != kind and lowered not in product.lower():
            continue
        target = feature.name or feature.attributes.get("locus_tag") or feature.id
        if not target or target in seen:
            continue
        seen.add(target)
        what = " ".join(x for x in (feature.type, product) if x)
        found.append((target, f"{target}  ({what}, {feature.seqid}:{feature.start + 1:,})"))
        if len(found) >= limit:
            break
    if not found:
        return [], ""
    more = "+" if len(found) >= limit else ""
    words = (f"{len(found)}{more} {kind} features" if kind else
             f"{len(found)}{more} features whose product mentions '{name}'")
    return found, words


def genome_in(tmp_path):
    (tmp_path / "g.fa").write_text(">chr1\n" + "ACGT" * 500 + "\n>chr2\n" + "ACGT" * 100 + "\n")
    (tmp_path / "g.gff3").write_text(GFF)
    return open_genome(tmp_path / "g.fa", tmp_path / "g.gff3")


QUERIES = ["tRNA", "trnas", "TRNA", "ribosomal", "RIBOSOMAL protein", "s1, and", "; ribosomal", "cds", "exon",
           "rRNA", "protein", "ribosomall", "nothing here", "dna", "l2\n30s", "\nribosomal"]


def test_same_matches_as_the_walk(tmp_path, monkeypatch):
    for limit in (navigation.MAX_LISTED, 2):
        monkeypatch.setattr(navigation, "MAX_LISTED", limit)
        for text in QUERIES:
            new = described_matches(text, genome_in(tmp_path))   # a fresh genome: no attributes parsed yet
            assert new == old_described_matches(text, genome_in(tmp_path), limit), (text, limit)
    monkeypatch.undo()
    found, words = described_matches("ribosomal", genome_in(tmp_path))
    assert [t for t, _ in found] == ["A4", "cds-A5", "rplB", "B2"]   # A4 once; the exon has no name to go to
    assert "30S ribosomal protein S1, and more" in found[1][1] and "chr2:101" in found[3][1]


def test_columns_leave_raw_attributes_unparsed(tmp_path):
    genome = genome_in(tmp_path)
    genome.features.prepare_search()
    assert all(isinstance(f._attributes, str) for f in genome.features)   # memory: no dict per feature
    cds = [f for f in genome.features if f.id == "cds-A6"][0]
    assert attribute_value(cds, "product") == "protein; ribosomal?" and go_to_name(cds) == "rplB"


def test_many_features():
    n = 200_000
    kinds = ("gene", "mRNA", "exon", "CDS")
    features = []
    for i in range(n):
        kind = kinds[i % 4]
        attributes = f"ID={kind}-{i // 4}" + (f";product=protein {i // 4 % 1000}" if kind == "CDS" else "")
        features.append(Feature("chr1", i, i + 10, 1, kind, id=f"{kind}-{i // 4}", attributes=attributes))
    features.append(Feature("chr1", 5, 80, 1, "tRNA", id="trna-x", attributes={"product": "tRNA-Ala"}))
    table = FeatureTable(features)
    table.prepare_search()
    assert [f.id for f in table.described("zzz-typo", None, 500)] == []
    assert [f.id for f in table.described("trna", "tRNA", 500)] == ["trna-x"]
    exons = table.described("exon", "exon", 500)
    assert [f.id for f in exons] == [f"exon-{i}" for i in range(500)]
    hits = table.described("protein 999", None, 500)   # products "protein 999" only (not "protein 99")
    assert [f.id for f in hits] == [f"CDS-{i}" for i in range(999, n // 4, 1000)]
    assert len(table.described("protein", None, 10_000_000)) == n // 4
