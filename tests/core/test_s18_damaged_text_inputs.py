"""H-cli18: a truncated gzip pair file, gene table or VCF, or a binary file given as a pair file or VCF, was a Python
traceback (EOFError, UnicodeDecodeError) from score-pairs, mutate and train-lm; each is now one line naming the
file (exit 2)."""
from __future__ import annotations

import gzip

import pytest

from genoview.cli import main as cli_main

PAIRS = "NCBIGeneID,RealNucleotideSequence,MutatedNucleotideSequence\n" + "".join(
    f"{i},<ACGTACGTAAACCCGGGTTT>,<ACGTACGTAAACCGGGTTT>\n" for i in range(200))
GENES = "NCBIGeneID,NucleotideSequence\n" + "".join(f"{i},<ACGTACGTAAACCCGGGTTTAC>\n" for i in range(200))
VCF = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\n" + "".join(f"g\t{i}\t.\tA\tC\n" for i in range(1, 200))


def _truncated(path, text):
    path.write_bytes(gzip.compress(text.encode())[:60])
    return str(path)


@pytest.fixture
def genome(tmp_path):
    fasta = tmp_path / "g.fa"
    fasta.write_text(">g\n" + "ACGT" * 60 + "\n")
    return str(fasta)


def _one_line(capsys, argv, said):
    code = cli_main(argv)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1, err
    assert said in err


def test_a_truncated_gzip_is_one_line(tmp_path, capsys, genome):
    damaged = "the gzip data is damaged or truncated"
    _one_line(capsys, ["score-pairs", _truncated(tmp_path / "p.csv.gz", PAIRS), "--model", "kn-human-genes"],
              f"p.csv.gz: {damaged}")
    _one_line(capsys, ["mutate", "--genes", _truncated(tmp_path / "g.csv.gz", GENES), "--max-changes", "2",
                       "--out", str(tmp_path / "o.csv")], f"g.csv.gz: {damaged}")
    _one_line(capsys, ["train-lm", "--architecture", "ngram", "--genes", str(tmp_path / "g.csv.gz"),
                       "--out", str(tmp_path / "lm")], f"g.csv.gz: {damaged}")
    _one_line(capsys, ["mutate", "--vcf", _truncated(tmp_path / "v.vcf.gz", VCF), "--genome", genome,
                       "--out", str(tmp_path / "o.csv")], f"v.vcf.gz: {damaged}")
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "lm").exists()


def test_a_binary_file_is_one_line(tmp_path, capsys, genome):
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"NCBIGeneID," + bytes(range(128, 256)) * 8)
    _one_line(capsys, ["score-pairs", str(binary), "--model", "kn-human-genes"],
              "b.csv: not a pair file: it holds bytes that are not text")
    _one_line(capsys, ["mutate", "--vcf", str(binary), "--genome", genome, "--out", str(tmp_path / "o.csv")],
              "b.csv: not a VCF: it holds bytes that are not text")
