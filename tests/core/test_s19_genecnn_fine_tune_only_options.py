"""H-cli19: GeneCNN's options of a fine-tune (codon_table, rna_memory) given to a run from scratch, and its shape
options given to a fine-tune, are refused as GeneORF's are (eaecc7e): before the genome is read, in one line naming
the option and the fix, and `--list-options` marks them. They were refused only once the run had read the genome and
its annotation and made the split, in words of their own, and the wizard offered them from scratch. An option at its
default passes (rna_memory=relearn without --init: what a run from scratch does, accepted before)."""
from __future__ import annotations

import pytest

from genoview.cli import main
from genoview.core.errors import GenoViewInputError
from genoview.core.training.options import check_options, describe_options


@pytest.mark.parametrize("option", [{"codon_table": "parent"}, {"rna_memory": "keep"}, {"rna_memory": "merge"}])
def test_a_fine_tune_option_from_scratch_is_refused(option):
    name = next(iter(option))
    with pytest.raises(GenoViewInputError, match=rf"genecnn option {name} applies only to a fine-tune .* this run "
                                                 r"trains from scratch: drop .* or start from a model \(--init\)"):
        check_options("genecnn", option, init=False)
    assert check_options("genecnn", option, init="genecnn-ecoli") == option


@pytest.mark.parametrize("option", [{"hidden_size": 16}, {"dilations": [1, 3]}, {"orf_reach": 90}])
def test_a_shape_option_in_a_fine_tune_is_refused(option):
    name = next(iter(option))
    with pytest.raises(GenoViewInputError, match=f"genecnn option {name} applies only to training from scratch: a "
                                                 "fine-tune keeps the shape of genecnn-ecoli"):
        check_options("genecnn", option, init="genecnn-ecoli")
    assert check_options("genecnn", option, init=False) == option


def test_defaults_pass_and_the_list_marks_them():
    both = {"rna_memory": "relearn", "codon_table": "recount", "train_dicodons": True}
    assert check_options("genecnn", both, init=False) == both
    listed = describe_options("genecnn")
    assert "codon_table (one of" in listed and "fine-tune (--init) only" in listed and "from scratch only" in listed


def test_train_refuses_before_reading_the_genome(data_dir, tmp_path, capsys, monkeypatch):
    from genoview.core import genome as genome_module

    def unread(*args, **kwargs):
        raise AssertionError("the genome was read before the option was refused")
    monkeypatch.setattr(genome_module, "open_genome", unread)
    fasta, gff, out = str(data_dir / "engine_tiny.fa"), str(data_dir / "engine_tiny.gff3"), tmp_path / "m"
    assert main(["train", "--fasta", fasta, "--gff", gff, "--model-option", "rna_memory=keep", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "genecnn option rna_memory applies only to a fine-tune" in err and not out.exists()
    assert main(["train", "--fasta", fasta, "--gff", gff, "--init", "genecnn-ecoli", "--model-option",
                 "hidden_size=16", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "option hidden_size applies only to training from scratch" in err
