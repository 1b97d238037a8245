"""What README.md and the commands' own messages tell a newcomer to type works as written: the "lines kept" warning's
`genoview info --gff FILE` (it needed a genome too), README's "GENOVIEW_DEBUG=1 shows one" (a traceback, which an
input error never showed), and `genoview gui --help`'s example going to a gene by name (it gave no annotation)."""
from __future__ import annotations

import json
import shlex

from genoview.cli import EXAMPLES
from genoview.cli import main as cli_main
from genoview.core.io import read_annotation

GFF = ("##gff-version 3\n"
       "c1\tx\tgene\t1\t90\t.\t+\t.\tID=a;Name=thrA\n"
       "c1\tx\tgene\t5\t40\t.\t+\n")   # 7 columns: skipped, reported


def _gff(tmp_path):
    path = tmp_path / "genes.gff3"
    path.write_text(GFF, encoding="utf-8")
    return path


def test_the_warnings_advice_info_gff_alone_lists_the_lines(tmp_path, capsys):
    gff = _gff(tmp_path)
    features, _ = read_annotation(gff)
    assert "`genoview info --gff FILE` lists them" in features.report.warning()
    assert cli_main(["info", "--gff", str(gff)]) == 0
    out = capsys.readouterr().out
    assert "genes.gff3: the annotation alone" in out
    assert "gene" in out.split("features by type:")[1]
    assert "genes.gff3: 1 annotation line(s) reported (1 skipped)" in out
    assert "line 3: expected 9 tab-separated columns, found 7" in out
    assert cli_main(["info", "--gff", str(gff), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["sequences"] == [] and summary["features"] == {"gene": 1}
    assert summary["annotation_report"]["count"] == 1
    assert cli_main(["info", "--gff", str(gff), "--strict"]) == 2
    assert "line 3" in capsys.readouterr().err


def test_info_with_nothing_or_a_missing_annotation_is_one_line(tmp_path, capsys):
    assert cli_main(["info"]) == 2
    assert capsys.readouterr().err.strip().startswith("genoview info: error: name a genome (genoview info GENOME")
    assert cli_main(["info", "--gff", str(tmp_path / "nope.gff3")]) == 2
    assert "nope.gff3: file not found" in capsys.readouterr().err


def test_genoview_debug_shows_the_traceback_of_an_input_error(tmp_path, capsys, monkeypatch):
    missing = str(tmp_path / "nonexist.fa")
    assert cli_main(["info", missing]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip() == "genoview info: error: nonexist.fa: file not found; check the path"
    monkeypatch.setenv("GENOVIEW_DEBUG", "1")
    assert cli_main(["info", missing]) == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "GenoViewInputError" in err
    assert err.strip().endswith("genoview info: error: nonexist.fa: file not found; check the path")


def test_examples_going_to_a_gene_by_name_give_the_annotation():
    for command, examples in EXAMPLES.items():
        for line, _what in examples:
            words = shlex.split(line)
            if "--locus" in words:
                locus = words[words.index("--locus") + 1]
                if not any(ch.isdigit() for ch in locus.split(":")[-1]):   # a name, not coordinates
                    assert "--gff" in words, line


def test_models_name_json_prints_that_models_record(capsys):
    """README's `genoview models [NAME] [--task ...] [--json]`: with NAME, --json was ignored (the card's text)."""
    assert cli_main(["models", "prodigal", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["name"] == "prodigal" and record["task"] == "gene-probability" and record["broken"] is None
    assert "Prodigal" in record["summary"]
    assert cli_main(["models", "geneorf-bacteria", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["default"] is True and record["card"].endswith("geneorf-bacteria/README.md")
    assert cli_main(["models", "prodigal"]) == 0
    assert capsys.readouterr().out.startswith("prodigal  (gene-probability")   # the text without --json
