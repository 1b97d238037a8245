"""A newcomer's mistakes with `genoview train-lm`: a misspelt --option is refused (it was silently ignored) and a
bad --option value is one clear line, exit 2, no traceback, and no folder left behind."""
from __future__ import annotations

import numpy as np

from genoview.cli import main as cli_main

RNG = np.random.default_rng(5)
GENES = ["".join(RNG.choice(list("ACGT"), 50)) for _ in range(40)]


def _common(tmp_path, architecture):
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n" + "\n".join(f"g{i},<{g}>" for i, g in enumerate(GENES)))
    return ["train-lm", "--architecture", architecture, "--genes", str(genes), "--out", str(tmp_path / "lm")]


def test_misspelt_option_is_refused(tmp_path, capsys):
    assert cli_main(_common(tmp_path, "gpt") + ["--option", "hiden=3", "--max-steps", "1"]) == 2
    err = capsys.readouterr().err
    assert "hiden" in err and "n_embd" in err and "Traceback" not in err
    assert not (tmp_path / "lm").exists() and not list(tmp_path.glob(".lm*"))


def test_bad_ngram_contexts_is_one_line(tmp_path, capsys):
    assert cli_main(_common(tmp_path, "ngram") + ["--option", "contexts=[2,4]"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) <= 2 and "increasing from 0" in err[-1] and "--option contexts=[2,4]" in err[-1]
    assert not (tmp_path / "lm").exists() and not list(tmp_path.glob(".lm*"))


def test_bad_option_values_are_refused_before_the_data_and_not_recorded(tmp_path, capsys):
    """`--option contexts=4` failed with "'int' object is not iterable" after the genes were read, and was
    recorded as a failed run: each option's type and range is checked first (here the genes file does not even
    exist), and nothing is recorded."""
    from genoview.cli.train_lm import _options
    from genoview.core.store import open_store

    missing = ["train-lm", "--genes", str(tmp_path / "no-such.csv"), "--out", str(tmp_path / "lm")]
    for architecture, option, words in (
            ("ngram", "contexts=4", "contexts takes a comma-separated list such as 0,1,2,3,4"),
            ("ngram", "contexts=0,1,30", "from 0 to 22"),
            ("ngram", "sweeps=two", "sweeps takes a whole number >= 0"),
            ("ngram", "groups=[[0,1],[40]]", "positions go from 0 to"),
            ("lstm", "dropout=abc", "dropout takes a number from 0 to 1"),
            ("lstm", "hidden_size=0", "hidden_size takes a whole number >= 1"),
            ("gpt", "n_embd=30", "n_embd must be a multiple of n_head")):
        assert cli_main(missing + ["--architecture", architecture, "--option", option]) == 2
        err = capsys.readouterr().err
        assert words in err and option.split("=")[0] in err and "no-such" not in err and "Traceback" not in err
    assert open_store().runs(kind="train-lm") == []
    assert not (tmp_path / "lm").exists() and not list(tmp_path.glob(".lm*"))
    # comma-separated or JSON lists, JSON numbers typed
    assert _options(["contexts=0,1,2,5", "sweeps=1"], "ngram") == {"contexts": [0, 1, 2, 5], "sweeps": 1}
    assert _options(["contexts=[0,2]", "groups=[[0],[1]]"], "ngram") == {"contexts": [0, 2], "groups": [[0], [1]]}
    assert _options(["dropout=0", "n_embd=64.0", "activation_function=relu"], "gpt") == {
        "dropout": 0.0, "n_embd": 64, "activation_function": "relu"}


def test_train_lm_help_gives_defaults(capsys):
    import pytest

    with pytest.raises(SystemExit):
        cli_main(["train-lm", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for text in ("(default 60)", "(default 200)", "(default 0.002)", "(default 12000)", "(default 0.1)"):
        assert text in out


def test_no_hugging_face_progress_bars(tmp_path, capsys):
    assert cli_main(_common(tmp_path, "lstm") + ["--max-steps", "1", "--batch-tokens", "300", "--option",
                                                 "hidden_size=8", "--option", "num_layers=1"]) == 0
    err = capsys.readouterr().err
    assert "Writing model shards" not in err and "Loading weights" not in err


def test_mutate_and_score_pairs_help_every_option(capsys):
    import pytest

    for command, options in (("mutate", ("--max-changes", "--seed", "--out")),
                             ("score-pairs", ("--model", "--pairs", "--rule", "--device"))):
        with pytest.raises(SystemExit):
            cli_main([command, "--help"])
        out = capsys.readouterr().out
        options_part = out.split("options:", 1)[1]
        for option in options:   # each option's line is followed by its help text, not straight by the next option
            block = options_part.split(option, 1)[1].split("\n  -", 1)[0]
            assert len(block.split()) > 2, (command, option, block)


def test_genome_fasta_given_as_genes_is_one_line(tmp_path, capsys):
    genome = tmp_path / "genome.fa"
    genome.write_text(">chr1 a whole genome\n" + "ACGT" * 500 + "\n")
    argv = ["train-lm", "--architecture", "ngram", "--genes", str(genome), "--out", str(tmp_path / "lm")]
    assert cli_main(argv) == 2
    err = capsys.readouterr().err
    assert "genome.fa" in err and "--genome" in err and "Traceback" not in err
    assert not (tmp_path / "lm").exists()


def test_adapt_out_is_a_file(tmp_path, capsys):
    genome = tmp_path / "genome.fa"
    genome.write_text(">chr1\n" + "ACGT" * 500 + "\n")
    assert cli_main(["adapt", "--fasta", str(genome), "--out", str(genome)]) == 2
    err = capsys.readouterr().err
    assert "is a file, not a folder" in err and genome.read_text().startswith(">chr1")


def test_mutate_gz_is_gzip_and_score_pairs_reads_by_content(tmp_path):
    import gzip

    from genoview.core.mutation import read_pairs

    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n" + "\n".join(f"g{i},<{g}>" for i, g in enumerate(GENES)))
    out = tmp_path / "pairs.csv.gz"
    assert cli_main(["mutate", "--genes", str(genes), "--max-changes", "2", "--n", "5", "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"\x1f\x8b" and len(read_pairs(out)) == 5
    plain = tmp_path / "old.csv.gz"   # what mutate wrote before: plain text under a .gz name
    plain.write_bytes(gzip.decompress(out.read_bytes()))
    assert len(read_pairs(plain)) == 5
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_gene_tables_gzip_by_content(tmp_path, capsys):
    import gzip

    from genoview.core.lm_data import read_genes

    text = "NCBIGeneID,NucleotideSequence\n" + "\n".join(f"g{i},<{g}>" for i, g in enumerate(GENES[:5]))
    plain_named_gz = tmp_path / "genes.csv.gz"
    plain_named_gz.write_text(text)
    gz_named_csv = tmp_path / "genes.csv"
    gz_named_csv.write_bytes(gzip.compress(text.encode()))
    assert len(read_genes(plain_named_gz)) == len(read_genes(gz_named_csv)) == 5
    binary = tmp_path / "track.bw"
    binary.write_bytes(bytes(range(128, 256)) * 8)
    assert cli_main(["mutate", "--genes", str(binary), "--max-changes", "1", "--out", str(tmp_path / "p.csv")]) == 2
    err = capsys.readouterr().err
    assert "track.bw" in err and "Traceback" not in err


def test_vcf_gzip_by_content(tmp_path):
    import gzip

    from genoview.core.mutation import read_vcf

    text = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\nchr1\t5\t.\tA\tG\n"
    (tmp_path / "a.vcf.gz").write_text(text)                       # plain text under a .gz name
    (tmp_path / "b.vcf").write_bytes(gzip.compress(text.encode()))  # gzip under a plain name
    assert len(read_vcf(tmp_path / "a.vcf.gz")) == len(read_vcf(tmp_path / "b.vcf")) == 1
