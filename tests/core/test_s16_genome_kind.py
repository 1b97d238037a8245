"""One genome-kind guess in core (session 16): a bacterial gene model on a eukaryotic sequence says so once (it gave
96 "genes" on 98.7 kb of human gene sequences silently), never on a bacterium; the language model chosen without
--model follows the same guess in the CLI and the window."""
from __future__ import annotations

import csv
import gzip
import logging
import time

import pytest

from genoview.core import genome_kind as gk
from genoview.core.genome import open_genome


@pytest.fixture(scope="module")
def human_like(human_genes_csv, tmp_path_factory):
    """~100 kb of human gene sequences joined into one unannotated sequence, as H-docs opened it."""
    parts, total = [], 0
    with gzip.open(human_genes_csv, "rt") as handle:
        for row in csv.DictReader(handle):
            seq = row["NucleotideSequence"].strip("<>")
            parts.append(seq)
            total += len(seq)
            if total >= 100_000:
                break
    path = tmp_path_factory.mktemp("human") / "human_like.fa"
    text = "".join(parts)
    path.write_text(">chrH human genes joined\n" + "\n".join(text[i:i + 80] for i in range(0, len(text), 80)) + "\n")
    return path


def test_a_bacterial_model_on_human_sequence_warns_once_naming_what_to_use(human_like, caplog):
    gk._warned.clear()
    with open_genome(human_like) as genome:
        kind, why = gk.genome_kind(genome)
        assert kind == "eukaryote" and "open reading frames" in why
        with caplog.at_level(logging.WARNING, logger="genoview"):
            for name in ("geneorf-bacteria", "prodigal", "genecnn-ecoli"):
                text = gk.warn_if_eukaryote(genome, name)
                assert text and name in text and "bacteria and archaea" in text and "no splicing" in text
                assert "ships no eukaryotic gene model" in text and "language models score" in text
            gk.warn_if_eukaryote(genome, "geneorf-bacteria")   # said once per genome and model
    assert len(caplog.records) == 3


@pytest.mark.parametrize("folder", ["ecoli", "staphylococcus_aureus_COL", "brucella_melitensis_16M"])
def test_no_warning_on_bacteria_low_and_high_gc_and_the_guess_is_cheap(folder, ecoli_fasta):
    fasta = ecoli_fasta if folder == "ecoli" else ecoli_fasta.parent.parent / "bacteria" / folder / "genome.fna.gz"
    if not fasta.exists():   # ../shared/data/bacteria beside E. coli
        pytest.skip(f"real data not present: {fasta}")
    with open_genome(fasta) as genome:   # no annotation: the bases decide
        started = time.perf_counter()
        kind, why = gk.genome_kind(genome)
        seconds = time.perf_counter() - started
        assert kind == "prokaryote", why
        assert gk.eukaryote_warning(genome, "geneorf-bacteria") is None
    assert seconds < 0.5   # ~30 ms (8 pieces of 50 kb), the model's run takes seconds to minutes


def test_which_gene_models_are_for_prokaryotes(tmp_path):
    for name in ("prodigal", "geneorf-bacteria", "genecnn-ecoli"):
        assert gk.for_prokaryotes(name)
    assert not gk.for_prokaryotes("no-such-model")
    own = tmp_path / "my-own"
    own.mkdir()
    (own / "genoview.json").write_text('{"name": "my-own", "architecture": "genecnn", "task": "gene-probability"}')
    assert not gk.for_prokaryotes(own)   # trained from scratch on the user's genome: maybe a eukaryote's
    (own / "genoview.json").write_text('{"name": "my-own", "architecture": "genecnn", "task": "gene-probability", '
                                       '"parent": "genecnn-ecoli"}')
    assert gk.for_prokaryotes(own)


def test_cli_predict_warns_on_stderr(human_like, tmp_path, capsys):
    from genoview.cli import main

    gk._warned.clear()
    assert main(["predict", "--fasta", str(human_like), "--model", "prodigal", "--gff-out", str(tmp_path / "g.gff3")]) == 0
    err = capsys.readouterr().err
    assert err.count("genoview predict: warning: prodigal is a gene model for bacteria and archaea") == 1


def test_one_language_model_rule_for_both_kinds():
    assert gk.language_model_for("prokaryote", "lm-human-genes", "kn-ecoli-genes")[0] == "kn-ecoli-genes"
    assert gk.language_model_for("eukaryote", "lm-human-genes", "kn-ecoli-genes")[0] == "lm-human-genes"
    assert gk.language_model_for(None, "lm-human-genes", "kn-ecoli-genes")[0] == "lm-human-genes"
    assert gk.language_model_for("prokaryote", "lm-human-genes", None)[0] == "lm-human-genes"


class _Chosen(Exception):
    pass


@pytest.mark.parametrize("which", ["ecoli", "human"])
def test_saturation_and_variant_effects_without_model_follow_the_genome(which, ecoli_fasta, human_like, tmp_path,
                                                                        capsys, monkeypatch):
    """The window suggested kn-ecoli-genes for a bacterium, the CLI used lm-human-genes: one rule now, said on stderr."""
    from genoview.cli import main
    from genoview.core import lm_models

    def chosen(name, *args, **kwargs):
        raise _Chosen(name)

    monkeypatch.setattr(lm_models, "load_language_model", chosen)
    fasta, region = (ecoli_fasta, "NC_000913.3:1000-1300") if which == "ecoli" else (human_like, "chrH:1000-1300")
    expected = "kn-ecoli-genes" if which == "ecoli" else "lm-human-genes"
    with pytest.raises(_Chosen, match=expected):
        main(["saturation", "--genome", str(fasta), "--region", region, "--length", "3", "--out", str(tmp_path / "s.csv")])
    err = capsys.readouterr().err
    assert f"genoview saturation: no --model: {expected}" in err
    assert ("looks like a prokaryote" if which == "ecoli" else "looks like a eukaryote") in err
    vcf = tmp_path / "v.vcf"
    seqid = region.split(":")[0]
    vcf.write_text(f"##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
    with pytest.raises(_Chosen, match=expected):
        main(["variant-effects", "--genome", str(fasta), "--region", region, "--vcf", str(vcf)])
    assert f"genoview variant-effects: no --model: {expected}" in capsys.readouterr().err
    with pytest.raises(_Chosen, match="kn-human-genes"):   # --model overrides as before, nothing said
        main(["saturation", "--genome", str(fasta), "--region", region, "--length", "3", "--model", "kn-human-genes",
              "--out", str(tmp_path / "s.csv")])
    assert "no --model" not in capsys.readouterr().err


def test_score_pairs_without_a_genome_says_why_it_takes_the_default(capsys):
    from genoview.cli import default_language_model

    assert default_language_model("score-pairs") == "lm-human-genes"
    assert "no genome to tell a bacterium from a eukaryote" in capsys.readouterr().err


def test_a_prokaryote_annotation_with_mrna_under_each_gene_does_not_warn(ecoli_fasta, tmp_path):
    """Ensembl's bacterial GFF3 has gene > mRNA > exon/CDS and any GTF a transcript: not a eukaryote's by that alone;
    the bases decide (review of 86c0779: E. coli with such an annotation got the eukaryote warning)."""
    gff = tmp_path / "ensembl_style.gff3"
    lines = ["##gff-version 3"]
    for i, (start, end) in enumerate([(337, 2799), (2801, 3733), (3734, 5020)]):
        lines += [f"NC_000913.3\tena\tgene\t{start}\t{end}\t.\t+\t.\tID=gene:g{i}",
                  f"NC_000913.3\tena\tmRNA\t{start}\t{end}\t.\t+\t.\tID=transcript:t{i};Parent=gene:g{i}",
                  f"NC_000913.3\tena\texon\t{start}\t{end}\t.\t+\t.\tParent=transcript:t{i}",
                  f"NC_000913.3\tena\tCDS\t{start}\t{end}\t.\t+\t0\tID=CDS:c{i};Parent=transcript:t{i}"]
    gff.write_text("\n".join(lines) + "\n")
    with open_genome(ecoli_fasta, gff) as genome:
        kind, why = gk.genome_kind(genome)
        assert kind == "prokaryote" and "mRNA" in why, why
        assert gk.eukaryote_warning(genome, "geneorf-bacteria") is None
    # bases too few to read: the mRNAs still say eukaryote, as before
    short = tmp_path / "short.fa"
    short.write_text(">NC_000913.3\n" + "ACGT" * 2_000 + "\n")
    with open_genome(short, gff) as genome:
        assert gk.genome_kind(genome)[0] == "eukaryote"


def test_a_short_sequence_is_not_told_by_its_orfs_in_the_cli_nor_the_window(tmp_path):
    """20-50 kb (a phage, a plasmid, a contig): 3.3 % of 20 kb pieces of bacteria fall under the ORF threshold and
    13 % of human-gene pieces over it; the CLI (reads) and the window (the loader's kept share) both say None."""
    import numpy as np

    rng = np.random.default_rng(1)
    bases = "".join(rng.choice(list("ACGT"), size=30_000, p=[0.3, 0.2, 0.2, 0.3]))   # few long ORFs
    fasta = tmp_path / "fragment.fa"
    fasta.write_text(">frag\n" + bases + "\n")
    with open_genome(fasta) as genome:
        assert gk.long_orf_share(genome) < gk.PROKARYOTE_ORF_SHARE   # kept on the genome, as the loader does
        assert gk.genome_kind(genome)[0] is None
        assert gk.genome_kind(genome, read_sequence=False)[0] is None
        assert gk.eukaryote_warning(genome, "geneorf-bacteria") is None


def test_a_metagenome_over_15_mb_is_told_by_its_bases(ecoli_fasta, human_like, monkeypatch, tmp_path):
    """Over 15 Mb of many sequences whose bases are a prokaryote's (a metagenome's contigs: 31.8 Mb of the 12
    bacterial/archaeal genomes joined gave 84 %) is not a eukaryote by its size (the predict warning told a
    metagenome's user to use AUGUSTUS); the limit is lowered here to keep the test fast."""
    brucella = ecoli_fasta.parent.parent / "bacteria" / "brucella_melitensis_16M" / "genome.fna.gz"
    if not brucella.exists():
        pytest.skip(f"real data not present: {brucella}")
    monkeypatch.setattr(gk, "PROKARYOTE_GENOME_MAX", 1_000_000)
    with open_genome(brucella) as genome:   # 2 chromosomes, 3.29 Mb
        kind, why = gk.genome_kind(genome)
        assert kind == "prokaryote" and "assembly of 2 sequences" in why, why
        assert gk.eukaryote_warning(genome, "geneorf-bacteria") is None
    monkeypatch.setattr(gk, "PROKARYOTE_GENOME_MAX", 50_000)
    bases = "".join(human_like.read_text().splitlines()[1:])
    two = tmp_path / "two_human.fa"   # two sequences, the bases of a eukaryote: the size decides as before
    two.write_text(f">h1\n{bases[:50_000]}\n>h2\n{bases[50_000:]}\n")
    with open_genome(two) as genome:
        assert gk.genome_kind(genome)[0] == "eukaryote"
