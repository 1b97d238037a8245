"""The built-in prodigal model's genes are Prodigal's own (pyrodigal run directly, as the `pyrodigal` command trains
on a genome: every sequence together), not a decoding of its track: predict --gff-out and --proteins-out, evaluate
--genes and its disagreements, and a region's calls."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyrodigal
import pytest

from genoview.cli import main
from genoview.core.genome import open_genome
from genoview.core.models import load_model

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "example"
FASTA, GFF = EXAMPLE / "example.fa", EXAMPLE / "example.gff3"   # a 100 kb chromosome and an 8 kb plasmid


@pytest.fixture(scope="module")
def direct():
    """pyrodigal run directly on the example genome, as `pyrodigal -i example.fa` runs: {seqid: genes}."""
    with open_genome(FASTA) as genome:
        sequences = {sid: r.text(0, r.length).upper() for sid, r in genome.sequences.items()}
    finder = pyrodigal.GeneFinder(meta=False)
    finder.train(*sequences.values())   # both sequences joined by Prodigal's linkers, code 11
    return {sid: finder.find_genes(seq) for sid, seq in sequences.items()}


def gff_cds(path) -> list:
    out = []
    for line in Path(path).read_text().splitlines():
        fields = line.split("\t")
        if not line.startswith("#") and len(fields) == 9 and fields[2] == "CDS":
            attrs = dict(kv.split("=", 1) for kv in fields[8].split(";"))
            out.append((fields[0], int(fields[3]), int(fields[4]), fields[6], attrs))
    return out


def fasta_proteins(path) -> list:
    out = []
    for line in Path(path).read_text().splitlines():
        if line.startswith(">"):
            out.append([line, ""])
        else:
            out[-1][1] += line.strip()
    return out


def test_predict_gff_out_and_proteins_are_pyrodigal_genes(tmp_path, direct, capsys):
    gff, faa = tmp_path / "calls.gff3", tmp_path / "proteins.faa"
    assert main(["predict", str(FASTA), "--model", "prodigal", "--gff-out", str(gff), "--proteins-out", str(faa)]) == 0
    assert "Prodigal's: 11 as the prodigal command without -g" in capsys.readouterr().err
    written = gff_cds(gff)
    expected = [(sid, g.begin, g.end, "+" if g.strand > 0 else "-") for sid, genes in direct.items() for g in genes]
    assert [w[:4] for w in written] == expected   # same genes, coordinates and strands, in order (plasmid included)
    genes = [g for genes in direct.values() for g in genes]
    for (_, _, _, _, attrs), gene in zip(written, genes):
        assert attrs["start_type"] == gene.start_type
        assert attrs["partial"] == f"{int(gene.partial_begin)}{int(gene.partial_end)}"
        assert attrs["conf"] == f"{gene.confidence():.2f}" and attrs["score"] == f"{gene.score:.2f}"
        assert attrs["cscore"] == f"{gene.cscore:.2f}" and attrs["sscore"] == f"{gene.sscore:.2f}"
        assert attrs["transl_table"] == "11"
    proteins = fasta_proteins(faa)
    assert [p[1] for p in proteins] == [g.translate() for g in genes]
    assert proteins[0][0].startswith(f">chrEx_1 # {genes[0].begin} # {genes[0].end} # {genes[0].strand} #")


def test_evaluate_disagreements_model_and_prodigal_columns_agree(tmp_path):
    table = tmp_path / "genes.tsv"
    assert main(["evaluate", str(FASTA), "--gff", str(GFF), "--model", "prodigal", "--disagreements", str(table)]) == 0
    with table.open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert rows and all(row["prodigal"] == row["Prodigal"] for row in rows)   # only the annotation disagrees


def test_track_and_region_calls_follow_the_genes(direct):
    model = load_model("prodigal")
    with open_genome(FASTA) as genome:
        plasmid = genome.sequences["plasmidEx"]
        track = model.predict_record(plasmid)   # under 20 kb alone: trained with the chromosome, as the command does
        expected = np.zeros(plasmid.length, np.float32)
        for gene in direct["plasmidEx"]:
            np.maximum(expected[gene.begin - 1:gene.end], np.float32(gene.confidence() / 100), out=expected[
                gene.begin - 1:gene.end])
        assert np.array_equal(track, expected)
        genes = list(direct["chrEx"])
        lo, hi = genes[10].begin + 50, genes[30].end - 50   # a region that cuts a gene at each end
        calls, code = model.own_gene_calls(genome, [("chrEx", lo, hi)])
        inside = [g for g in genes if g.begin - 1 < hi and g.end > lo]
        assert code == 11 and [(c.start, c.end, c.strand) for c in calls] == [(g.begin - 1, g.end, g.strand)
                                                                            for g in inside]
        assert calls[0].start < lo < calls[0].end and calls[-1].start < hi < calls[-1].end   # kept whole
        assert [c.confidence for c in calls] == pytest.approx([g.confidence() / 100 for g in inside])


def test_short_genome_is_called_in_metagenomic_mode(tmp_path):
    rng = np.random.default_rng(3)
    codons = [a + b + c for a in "ACGT" for b in "ACGT" for c in "ACGT" if a + b + c not in ("TAA", "TAG", "TGA")]
    orf = lambda n: "ATG" + "".join(rng.choice(codons, n)) + "TAA"
    spacer = lambda n: "".join(rng.choice(list("ACGT"), n))
    text = spacer(300) + "AGGAGG" + spacer(7) + orf(400) + spacer(500) + "AGGAGG" + spacer(7) + orf(300) + spacer(300)
    fasta = tmp_path / "tiny.fa"
    fasta.write_text(f">tiny\n{text}\n")
    genes = pyrodigal.GeneFinder(meta=True).find_genes(text)
    gff = tmp_path / "tiny.gff3"
    assert main(["predict", str(fasta), "--model", "prodigal", "--gff-out", str(gff)]) == 0
    assert [w[1:4] for w in gff_cds(gff)] == [(g.begin, g.end, "+" if g.strand > 0 else "-") for g in genes]
    assert len(genes) >= 2
    assert {w[4]["transl_table"] for w in gff_cds(gff)} == {str(genes[0].translation_table)}


def test_a_file_over_the_genome_limit_trains_each_sequence_alone(monkeypatch):
    from genoview.core.models import prodigal

    monkeypatch.setattr(prodigal, "MAX_GENOME", 50_000)   # the example's 108 kb: "a eukaryote"
    monkeypatch.setattr(prodigal, "_TRAINED", {})
    model = load_model("prodigal")
    with open_genome(FASTA) as genome:
        plasmid, chromosome = genome.sequences["plasmidEx"], genome.sequences["chrEx"]
        alone = plasmid.text(0, plasmid.length).upper()
        calls, _ = model.own_gene_calls(genome, [("plasmidEx", 0, plasmid.length)])
        assert [(c.start, c.end, c.strand) for c in calls] == [
            (g.begin - 1, g.end, g.strand) for g in pyrodigal.GeneFinder(meta=True).find_genes(alone)]
        finder = pyrodigal.GeneFinder(meta=False)
        finder.train(chromosome.text(0, chromosome.length).upper())
        calls, _ = model.own_gene_calls(genome, [("chrEx", 0, chromosome.length)])   # the next sequence: its own
        assert [(c.start, c.end, c.strand) for c in calls] == [
            (g.begin - 1, g.end, g.strand) for g in finder.find_genes(chromosome.text(0, chromosome.length).upper())]
