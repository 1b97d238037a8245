"""`genoview evaluate --genes` says which genetic code its gene rows were read with and whether it was detected or
given (on a Mycoplasma genome a newcomer could not tell whether TGA had been read as a stop), and its finished
progress bar is printed once (the run's stages and the run itself both said 100%: two identical lines)."""
from __future__ import annotations

import io
import json
from types import SimpleNamespace

from genoview.cli import main as cli_main
from genoview.cli.evaluate import decoding_genetic_code
from genoview.core.jobs import TextProgressBar
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_the_finished_bar_is_written_once():
    stream = io.StringIO()
    bar = TextProgressBar("predict", stream=stream)
    bar(0.0)
    bar(1.0)
    bar(1.0)
    assert stream.getvalue().count("100.0%") == 1
    bar(0.0)   # a bar used again for a second stage still finishes it
    bar(1.0)
    assert stream.getvalue().count("100.0%") == 2


def test_predict_writes_one_finished_line_to_a_log():
    """`genoview predict ... 2>log` wrote "100.0%", "100.0% writing the outputs" and "100.0%" (NEWS 10:16)."""
    stream = io.StringIO()
    bar = TextProgressBar("predict", stream=stream)
    bar(0.5)
    bar(1.0)   # the last tile
    bar(1.0, "writing the outputs")
    bar(1.0)   # the run's end
    assert stream.getvalue().count("100.0%") == 1


def test_a_terminal_still_shows_a_finished_step_by_name():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = TextProgressBar("predict", stream=stream)
    bar(1.0)
    bar(1.0, "writing the outputs")
    bar(1.0)
    lines = [line for line in stream.getvalue().splitlines() if "100.0%" in line]
    assert len(lines) == 2 and lines[1].rstrip().endswith("writing the outputs")


def test_genes_name_the_genetic_code_and_how_it_was_chosen(capsys):
    args = ["evaluate", "--fasta", str(EXAMPLE_GENOME), "--gff", str(EXAMPLE_ANNOTATION), "--genes"]
    assert cli_main(args) == 0
    captured = capsys.readouterr()
    assert "genes read with genetic code 11 (the bacterial and archaeal code; detected from the genome's " \
           "sequence)" in captured.out
    assert captured.err.count("100.0%") <= 1
    assert cli_main(args + ["--json"]) == 0
    said = json.loads(capsys.readouterr().out)["genetic_code"]
    assert said == {"code": 11, "how": "detected from the genome's sequence"}


def test_a_model_that_fixes_its_code_says_given():
    fixed = SimpleNamespace(model=SimpleNamespace(config=SimpleNamespace(genetic_code=4, adapted_to=None)))
    # the words predict --gff-out prints for the same model
    assert decoding_genetic_code(fixed, "unused.fa", {}) == (4, "given by the model, which was adapted with it")
    stats = SimpleNamespace(genetic_code=4)
    adapted = SimpleNamespace(model=SimpleNamespace(config=SimpleNamespace(genetic_code=None, adapted_to="myco.fa"),
                                                    stored_statistics=lambda: stats))
    assert decoding_genetic_code(adapted, "unused.fa", {}) == (4, "the model's own, from its adaptation to myco.fa")
