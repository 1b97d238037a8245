"""An annotation whose sequence names do not match the FASTA ('chr1' or 'NC_002951' for 'NC_002951.2'): the refusal
said only "use the annotation made for this genome"; it now names the sequence meant and a command that renames it."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from genoview.cli import main as cli_main
from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome

ANNOTATION = "##gff-version 3\n{0}\tx\tgene\t11\t40\t.\t+\t.\tID=g1\n{0}\tx\tCDS\t11\t40\t.\t+\t0\tParent=g1\n"


def write(tmp_path, names, annotation_name):
    fasta = tmp_path / "g.fa"
    fasta.write_text("".join(f">{name}\n{'ACGT' * 25}\n" for name in names))
    gff = tmp_path / "genes.gff3"
    gff.write_text(ANNOTATION.format(annotation_name))
    return fasta, gff


@pytest.mark.parametrize("names, wrong, words", [
    (["NC_002951.2"], "NC_002951", "differ only in the version suffix"),
    (["NC_002951.2"], "chr1", "the genome has one sequence"),
    (["chr1", "chr2"], "Chr2", "differ only in spelling"),
    (["chr7", "chr8"], "8", "differ only in a 'chr' prefix"),
])
def test_the_refusal_names_the_sequence_meant_and_the_fix(tmp_path, capsys, names, wrong, words):
    fasta, gff = write(tmp_path, names, wrong)
    assert cli_main(["info", str(fasta), "--gff", str(gff)]) == 2
    err = capsys.readouterr().err
    target = names[-1] if wrong in ("Chr2", "8") else names[0]
    assert "genes.gff3, line 2:" in err and words in err
    # the command it gives works as written, in a shell, and on macOS too: BSD sed reads '\t' in a pattern as 't'
    # (the sed command it gave left the file unchanged there), so it is awk with an exact name match
    command = err.split("e.g. ", 1)[1].strip()
    assert command.startswith("awk ") and "sed" not in command and command.endswith("genes.gff3 > renamed.gff3")
    subprocess.run(command, shell=True, check=True, cwd=tmp_path)
    with open_genome(fasta, tmp_path / "renamed.gff3") as genome:
        assert len(genome.features) == 2 and {f.seqid for f in genome.features} == {target}


def test_a_name_with_regex_letters_is_renamed_exactly(tmp_path, capsys):
    # old NCBI headers: 'gi|49175990|ref|NC_002951.2|' ('|' and '.' mean something in a pattern)
    fasta, gff = write(tmp_path, ["NC_002951.2"], "gi|49175990|ref|NC_002951.2|")
    assert cli_main(["info", str(fasta), "--gff", str(gff)]) == 2
    command = capsys.readouterr().err.split("e.g. ", 1)[1].strip()
    subprocess.run(command, shell=True, check=True, cwd=tmp_path)
    with open_genome(fasta, tmp_path / "renamed.gff3") as genome:
        assert len(genome.features) == 2


def test_unrelated_names_keep_the_plain_advice(tmp_path):
    fasta, gff = write(tmp_path, ["contig_1", "contig_2"], "scaffold9")
    with pytest.raises(GenoViewInputError, match=r"names 1 sequence\(s\) the genome lacks \('scaffold9'\): use the "
                                                 "annotation made for this genome"):
        open_genome(fasta, gff)


def test_a_gzip_annotation_gets_a_command_that_unpacks_it(tmp_path, capsys):
    # `awk ... genes.gff3.gz > renamed.gz` read the compressed bytes: the copy was garbage (walk of session 15)
    import gzip

    fasta, gff = write(tmp_path, ["NC_000907.1"], "NC_000907")
    packed = tmp_path / "genes.gff3.gz"
    packed.write_bytes(gzip.compress(gff.read_bytes()))
    assert cli_main(["info", str(fasta), "--gff", str(packed)]) == 2
    command = capsys.readouterr().err.split("e.g. ", 1)[1].strip()
    assert command.startswith("gzip -dc genes.gff3.gz | awk ") and command.endswith(" > renamed.gff3")
    subprocess.run(command, shell=True, check=True, cwd=tmp_path)
    with open_genome(fasta, tmp_path / "renamed.gff3") as genome:
        assert len(genome.features) == 2 and {f.seqid for f in genome.features} == {"NC_000907.1"}


def test_a_sequence_missing_from_the_fasta_is_not_renamed_onto_another(tmp_path, capsys):
    # a two-chromosome annotation with a FASTA of chromosome 1 only: "the genome has one sequence and the annotation
    # names one other: if 'chr2' is 'chr1', rename it" (and the window's renamed copy) put chr2's genes on chr1
    from genoview.core.genome import sequence_renaming

    fasta = tmp_path / "g.fa"
    fasta.write_text(">chr1\n" + "ACGT" * 25 + "\n")
    gff = tmp_path / "genes.gff3"
    gff.write_text("##gff-version 3\n##sequence-region chr1 1 100\n##sequence-region chr2 1 100\n"
                   + ANNOTATION.format("chr1").split("\n", 1)[1]
                   + "chr2\tx\tgene\t11\t40\t.\t+\t.\tID=g2\nchr2\tx\tCDS\t11\t40\t.\t+\t0\tParent=g2\n")
    assert cli_main(["info", str(fasta), "--gff", str(gff)]) == 2
    err = capsys.readouterr().err
    assert "'chr2' (2 features)" in err and "missing from the FASTA" in err and "rename it" not in err
    command = err.split("e.g. ", 1)[1].strip()
    subprocess.run(command, shell=True, check=True, cwd=tmp_path)
    with open_genome(fasta, tmp_path / "kept.gff3") as genome:
        assert {f.seqid for f in genome.features} == {"chr1"} and len(genome.features) == 2
    from genoview.core.io import read_annotation

    features, _ = read_annotation(gff)
    assert sequence_renaming({"chr1": 100}, features) == {}   # no renamed copy offered
    assert "add --write-renamed for a copy without their features (NAME.kept.gff3)" in err
    assert cli_main(["info", str(fasta), "--gff", str(gff), "--write-renamed", "--json"]) == 0
    assert "genes.kept.gff3: genes.gff3 with chr2's features left out" in capsys.readouterr().err
    with open_genome(fasta, tmp_path / "genes.kept.gff3") as genome:
        assert {f.seqid for f in genome.features} == {"chr1"} and len(genome.features) == 2


def test_the_keep_command_keeps_a_fasta_section_and_never_writes_over_its_input(tmp_path, capsys):
    # an annotation with its sequences after ##FASTA: the filter dropped them (the copy ended at '##FASTA' and did
    # not open: "the FASTA file is empty"); an annotation named kept.gff3 got 'awk ... kept.gff3 > kept.gff3', which
    # the shell empties before awk reads it
    from genoview.core.genome import write_renamed_annotation

    fasta = tmp_path / "g.fa"
    fasta.write_text(">chr1\n" + "ACGT" * 25 + "\n")
    gff = tmp_path / "kept.gff3"
    gff.write_text("##gff-version 3\n##sequence-region chr1 1 100\n##sequence-region chr2 1 100\n"
                   + ANNOTATION.format("chr1").split("\n", 1)[1]
                   + "chr2\tx\tgene\t11\t40\t.\t+\t.\tID=g2\nchr2\tx\tCDS\t11\t40\t.\t+\t0\tParent=g2\n"
                   + "##FASTA\n>chr1\n" + "ACGT" * 25 + "\n>chr2\n" + "TTGA" * 25 + "\n")
    original = gff.read_bytes()
    assert cli_main(["info", str(fasta), "--gff", str(gff)]) == 2
    command = capsys.readouterr().err.split("e.g. ", 1)[1].strip()
    assert command.endswith("kept.gff3 > kept-features.gff3")
    subprocess.run(command, shell=True, check=True, cwd=tmp_path)
    assert gff.read_bytes() == original
    copy = write_renamed_annotation(gff, {"chr2": None}, tmp_path / "data")
    assert (tmp_path / "kept-features.gff3").read_bytes() == Path(copy).read_bytes()   # the window's copy, byte for byte
    with open_genome(tmp_path / "kept-features.gff3") as genome:   # its own sequences: it opens as a genome too
        assert {f.seqid for f in genome.features} == {"chr1"} and len(genome.features) == 2
