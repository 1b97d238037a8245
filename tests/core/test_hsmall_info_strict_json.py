"""`genoview info --strict --json`: a refusal was a line on standard error only, and a script reading standard output
got nothing. It now also prints the JSON: "refused" true, the refusal (message, file, line), and every line a
lenient read reports; the exit status stays 2. An accepted file's JSON says "refused": false."""
from __future__ import annotations

import json

from genoview.cli import main

BAD = ("##gff-version 3\n##sequence-region chr 1 1000\nchr\t.\tgene\t10\t100\t.\t+\t.\tID=g1\n"
       "chr\t.\tgene\t300\t200\t.\t+\t.\tID=g2\nchr\t.\tgene\t400\t500\t.\tx\t.\tID=g3\n")


def test_a_strict_refusal_prints_its_json_with_every_problem_and_exits_2(tmp_path, capsys):
    gff = tmp_path / "bad.gff3"
    gff.write_text(BAD)
    assert main(["info", "--gff", str(gff), "--strict", "--json"]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["refused"] is True
    assert report["error"]["line"] == 4 and report["error"]["file"] == str(gff)
    assert "end (200) is before start (300)" in report["error"]["message"]
    assert [line["line"] for line in report["annotation_report"]["lines"]] == [4, 5]   # both, not only the first
    assert report["features"] == {"gene": 1}
    assert "line 4: end (200) is before start (300)" in captured.err   # still said for people


def test_strict_json_of_a_sound_file_says_not_refused_and_other_errors_stay_plain(data_dir, tmp_path, capsys):
    fasta, gff = data_dir / "eval_tiny.fa", data_dir / "eval_tiny.gff3"
    assert main(["info", str(fasta), "--gff", str(gff), "--strict", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["refused"] is False and report["sequences"]
    assert main(["info", "--gff", str(tmp_path / "missing.gff3"), "--strict", "--json"]) == 2
    captured = capsys.readouterr()   # a missing file is not a matter of --strict: the message alone, as without it
    assert captured.out == "" and "file not found" in captured.err
    gff_bad = tmp_path / "bad.gff3"
    gff_bad.write_text(BAD)
    assert main(["info", "--gff", str(gff_bad), "--json"]) == 0   # lenient --json: unchanged, no "refused" key
    assert "refused" not in json.loads(capsys.readouterr().out)
