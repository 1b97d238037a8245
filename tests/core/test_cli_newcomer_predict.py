"""`genoview predict` with the Unix habits of a newcomer: ``--bedgraph -`` / ``--gff-out -`` write to standard
output (a file literally named "-" was written before), ``--fasta -`` and ``--bigwig -`` are refused in one line."""
from __future__ import annotations

import os

import pytest

from genoview.cli import main as cli_main


def test_bedgraph_to_stdout(tmp_path, data_dir, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["predict", "--model", "prodigal", "--fasta", str(data_dir / "eval_tiny.fa"), "--no-cache"]
    assert cli_main(argv + ["--bedgraph", "-"]) == 0
    captured = capsys.readouterr()
    rows = [line.split("\t") for line in captured.out.splitlines()]
    assert rows and all(len(r) == 4 for r in rows) and {r[0] for r in rows} == {"chrA", "chrB"}
    assert "bedGraph to standard output" in captured.err
    assert not os.path.exists("-")
    assert cli_main(argv + ["--bedgraph", str(tmp_path / "t.bedGraph"), "--gff-out", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("##gff-version 3") and (tmp_path / "t.bedGraph").is_file()
    assert sorted(os.listdir(tmp_path)) == ["t.bedGraph"]


def test_stdin_and_binary_stdout_are_refused(tmp_path, data_dir, capsys):
    fasta = str(data_dir / "eval_tiny.fa")
    for argv, words in ((["--fasta", "-", "--bedgraph", "x.bg"], "standard input"),
                        (["--fasta", fasta, "--bigwig", "-"], "binary"),
                        (["--fasta", fasta, "--bedgraph", "-", "--gff-out", "-"], "both ask for standard output")):
        assert cli_main(["predict", "--model", "prodigal", *argv]) == 2
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_threshold_and_min_length_say_when_they_do_nothing():
    from types import SimpleNamespace

    from genoview.cli.predict import unused_call_options

    args = SimpleNamespace(threshold=0.5, min_length=2000)
    assert unused_call_options(args, "genes.gff3", 5_000) == []            # short: genes are runs, it is used
    (note,) = unused_call_options(args, "genes.gff3", 300_000)
    assert "--min-length" in note and "open reading frames" in note
    (note,) = unused_call_options(SimpleNamespace(threshold=0.7, min_length=90), None, 5_000)
    assert "--threshold" in note and "--gff-out" in note
    assert unused_call_options(SimpleNamespace(threshold=0.5, min_length=90), "g.gff3", 300_000) == []


@pytest.mark.filterwarnings("ignore:sequence should be at least")   # pyrodigal on a small genome
def test_proteins_out(tmp_path, data_dir, capsys):
    """--proteins-out writes the gene calls' proteins (Prodigal's -a), put in place with the other outputs."""
    rng = __import__("numpy").random.default_rng(3)
    # a 24 kb genome of random sequence with three long ORFs: enough to decode genes along ORFs (>= 20,000 bases)
    body = "".join(rng.choice(list("ACGT"), 24_000, p=[0.3, 0.2, 0.2, 0.3]))
    orf = "ATG" + "".join(rng.choice(["GCT", "GAA", "AAA", "CTG", "GGC"], 400)) + "TAA"
    seq = body[:2000] + orf + body[2000:9000] + orf + body[9000:16000] + orf + body[16000:]
    fasta = tmp_path / "g.fa"
    fasta.write_text(">chr1\n" + seq + "\n")
    gff, faa = tmp_path / "g.gff3", tmp_path / "g.faa"
    argv = ["predict", "--model", "prodigal", "--fasta", str(fasta), "--no-cache"]
    assert cli_main(argv + ["--gff-out", str(gff), "--proteins-out", str(faa)]) == 0
    assert "their proteins to" in capsys.readouterr().err
    genes = [line for line in gff.read_text().splitlines() if "\tCDS\t" in line]
    proteins = faa.read_text()
    assert genes and proteins.count(">") == len(genes)
    assert not [p for p in tmp_path.iterdir() if "genoview-tmp" in p.name]
    faa.unlink()
    assert cli_main(argv + ["--proteins-out", str(faa)]) == 0   # the proteins alone (it was refused)
    assert f"the proteins of {len(genes):,} predicted genes to {faa}" in capsys.readouterr().err
    assert faa.read_text() == proteins
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".gff3") and p.name != "g.gff3"]
    assert cli_main(argv + ["--gff-out", "-", "--proteins-out", "-"]) == 2
    assert "standard output" in capsys.readouterr().err


def test_coordinates_as_a_browser_shows_them(tmp_path, data_dir, capsys):
    argv = ["predict", "--model", "prodigal", "--fasta", str(data_dir / "eval_tiny.fa"), "--seqid", "chrA",
            "--bedgraph", "-", "--no-cache"]
    assert cli_main(argv + ["--start", "1,01", "--end", "2,00"]) == 0   # commas as in 1,000
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows[0][1] == "100" and rows[-1][2] == "200"
    assert cli_main(argv + ["--start", "0", "--end", "50"]) == 2
    assert "1-based" in capsys.readouterr().err


def test_evaluate_percent_instead_of_fraction(tmp_path, capsys):
    gff = tmp_path / "g.gff3"
    gff.write_text("##gff-version 3\n##sequence-region chr1 1 100\nchr1\t.\tgene\t11\t60\t.\t+\t.\tID=g1\n")
    track = tmp_path / "t.bedGraph"
    track.write_text("chr1\t0\t100\t0.5\n")
    assert cli_main(["evaluate", "--bedgraph", str(track), "--gff", str(gff), "--from", "70"]) == 2
    assert "--from 0.7 is 70%" in capsys.readouterr().err


@pytest.mark.filterwarnings("ignore:sequence should be at least")
def test_gz_names_are_gzip(tmp_path, capsys):
    import gzip

    rng = __import__("numpy").random.default_rng(4)
    fasta = tmp_path / "g.fa"
    fasta.write_text(">chr1\n" + "".join(rng.choice(list("ACGT"), 21_000)) + "\n")
    gff, faa = tmp_path / "g.gff3.gz", tmp_path / "g.faa.gz"
    assert cli_main(["predict", "--model", "prodigal", "--fasta", str(fasta), "--gff-out", str(gff),
                     "--proteins-out", str(faa), "--no-cache"]) == 0
    assert gzip.decompress(gff.read_bytes()).startswith(b"##gff-version 3")
    assert faa.read_bytes()[:2] == b"\x1f\x8b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.fa", "g.faa.gz", "g.gff3.gz"]


def test_bedgraph_to_a_closed_pipe(data_dir):
    """`predict --bedgraph - | head`, head gone before the track is written: no traceback, no "wrote", SIGPIPE's
    status 141 as Unix tools give, and the run not recorded as finished (it said "wrote" and recorded a finished run,
    or printed Python's "Exception ignored ... BrokenPipeError"; H-cli18b)."""
    import subprocess
    import sys

    from genoview.core.store import open_store

    command = [sys.executable, "-c", "import sys; from genoview.cli import main; sys.exit(main())", "predict",
               "--model", "prodigal", "--fasta", str(data_dir / "eval_tiny.fa"), "--bedgraph", "-", "--no-cache"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "OMP_NUM_THREADS": "1"})
    process.stdout.close()   # the reader stops before a line is written
    with process.stderr:
        err = process.stderr.read().decode()
    assert process.wait(timeout=300) == 141, err
    assert "Traceback" not in err and "Exception" not in err and "wrote" not in err
    (run,) = open_store().runs(kind="prediction")
    assert run["status"] == "cancelled" and "standard output was closed" in run["message"]
