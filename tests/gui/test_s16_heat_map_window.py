"""The heat map scores a long sequence in windows, as `genoview saturation --window` (default 20,000; session 15's
command) does: it called saturation_lm on the whole sequence, so a long region gave other numbers (and more memory and
time) in the window than on the command line. Same numbers on a small region with a small window; the caption says
it (session 16)."""
from __future__ import annotations

import csv

import numpy as np
import pytest

import genoview.gui.panels.mutation as mutation
from genoview.cli import main as cli_main
from genoview.core.lm_models import write_metadata
from genoview.core.models.ngram import fit_ngram
from genoview.core.variant_effects import ALTERNATIVES, saturation_windows
from genoview.core.vcf_effects import SCORING_WINDOW
from genoview.gui.panels.mutation import MutationPanel
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

RNG = np.random.default_rng(3)
MOTIFS = ["ATGGCCAAGT", "TTAGGCTACG", "CCGATAGCAT", "GGATCCTTAA"]
GENES = ["".join(MOTIFS[i] for i in RNG.integers(0, 4, 10)) for _ in range(30)]
SEQUENCE = "".join(RNG.choice(list("ACGT"), 1200))


def test_the_panel_uses_the_commands_default_window():
    assert mutation.SATURATION_WINDOW == SCORING_WINDOW == 20_000
    from genoview.cli import build_parser

    args = build_parser().parse_args(["saturation", "--genome", "g.fa", "--region", "s:1-10", "--out", "x.csv"])
    assert args.window == SCORING_WINDOW


def test_heat_map_and_command_give_the_same_numbers_in_windows(qtbot, tmp_path, monkeypatch, capsys):
    model = tmp_path / "kn"
    fit_ngram(GENES[:25], GENES[25:], model, contexts=[0, 1, 2, 3], sweeps=1, log=lambda text: None)
    write_metadata(model, name="kn", architecture="ngram-lm", task="language-model")
    fasta = tmp_path / "g.fa"
    fasta.write_text(">s\n" + SEQUENCE + "\n")
    out = tmp_path / "map.csv"
    assert cli_main(["saturation", "--genome", str(fasta), "--region", "s:1-1200", "--from", "141", "--length", "40",
                     "--window", "200", "--model", str(model), "--out", str(out)]) == 0
    assert "200-base window around it" in capsys.readouterr().err
    command = {(int(r["position"]), r["alt"]): float(r["effect_alt_minus_ref"])
               for r in csv.DictReader(out.read_text(encoding="utf-8").splitlines())}

    monkeypatch.setattr(mutation, "SATURATION_WINDOW", 200)
    runner = JobRunner()
    panel = MutationPanel(Session(), runner, default_lm=str(model), default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.pasted.setPlainText(SEQUENCE)
    panel.window_start.setValue(141)
    panel.window_length.setValue(40)
    with qtbot.waitSignal(runner.finished, timeout=60000):
        panel.run_saturation()
    qtbot.waitUntil(lambda: panel._job is None)
    result = panel.saturation
    pieces = saturation_windows(1200, 140, 180, 200)
    assert len(pieces) > 1 and result.extra["windows"] == [(lo, hi) for lo, hi, _, _ in pieces]
    window = {(result.start + i + 1, alt): result.effects[i, j] for i in range(result.end - result.start)
              for j, alt in enumerate(ALTERNATIVES) if not np.isnan(result.effects[i, j])}
    assert window.keys() == command.keys() and len(command) == 40 * 3
    for key, value in window.items():
        assert value == pytest.approx(command[key], rel=1e-5, abs=1e-6)
    assert "scored in 200-base windows" in panel.heat_caption.text()
    runner.cancel_all()
    runner.wait()
