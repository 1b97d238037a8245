"""An annotation whose sequence names do not match the FASTA ('chr1' or 'NC_002951' for 'NC_002951.2'): the refusal
said only "use the annotation made for this genome"; it now names the sequence meant and a command that renames it."""
from __future__ import annotations

import subprocess

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
])
def test_the_refusal_names_the_sequence_meant_and_the_fix(tmp_path, capsys, names, wrong, words):
    fasta, gff = write(tmp_path, names, wrong)
    assert cli_main(["info", str(fasta), "--gff", str(gff)]) == 2
    err = capsys.readouterr().err
    target = names[-1] if wrong == "Chr2" else names[0]
    assert "genes.gff3, line 2:" in err and words in err
    assert f"sed 's/^{wrong}\\t/{target}\\t/' genes.gff3 > renamed.gff3" in err
    # the command it gives works
    renamed = subprocess.run(["sed", f"s/^{wrong}\\t/{target}\\t/", str(gff)], check=True, capture_output=True)
    (tmp_path / "renamed.gff3").write_bytes(renamed.stdout)
    with open_genome(fasta, tmp_path / "renamed.gff3") as genome:
        assert len(genome.features) == 2


def test_unrelated_names_keep_the_plain_advice(tmp_path):
    fasta, gff = write(tmp_path, ["contig_1", "contig_2"], "scaffold9")
    with pytest.raises(GenoViewInputError, match=r"names 1 sequence\(s\) the genome lacks \('scaffold9'\): use the "
                                                 "annotation made for this genome"):
        open_genome(fasta, gff)
