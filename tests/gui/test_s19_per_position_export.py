"""Real vs mutated, Side by side: Export per position… writes the plots' values (H-walk19 under Xvfb: the only way out
was pyqtgraph's right-click Export of one plot, columns x0000,y0000 without the bases or the models' names). One row
per model and alignment column: positions, bases (a deleted base faces an empty mutated side), real, mutated and
mutated - real; the genome position of a region from the genome."""
from __future__ import annotations

import csv

import numpy as np
import pytest

from genoview.core.mutation import apply_edits, parse_edits
from genoview.core.variant_effects import ModelComparison, write_per_position
from genoview.core.lm import GeneScore

from tests.gui.test_mutation_panel import GENES, _run, ngram_dir, panel  # noqa: F401 - fixtures


def _comparison(pair):
    real = -np.arange(1, len(pair.real) + 2, dtype=float) / 10   # a value per base and the end marker
    mutated = -np.arange(1, len(pair.mutated) + 2, dtype=float) / 20
    return ModelComparison("m", real, mutated, GeneScore.from_logprobs(real), GeneScore.from_logprobs(mutated))


def test_rows_follow_the_alignment_and_the_genome(tmp_path):
    pair = apply_edits("ACGTAC", parse_edits("2del, 5A>G", "ACGTAC"), sequential=False)
    out = tmp_path / "p.tsv"
    write_per_position(out, pair, [_comparison(pair)], region=("chr1", 100, 106, -1))
    rows = list(csv.DictReader(out.read_text().splitlines(), delimiter="\t"))
    assert [r["real_base"] + r["mutated_base"] for r in rows] == ["AA", "C", "GG", "TT", "AG", "CC"]
    deleted = rows[1]
    assert deleted["mutated_position"] == "" and deleted["mutated"] == "" and deleted["mutated_minus_real"] == ""
    assert rows[0]["measure"] == "log-probability (nats)" and rows[0]["model"] == "m"
    assert float(rows[0]["mutated_minus_real"]) == pytest.approx(-0.05 - -0.1)
    assert [r["genome_position"] for r in rows] == ["106", "105", "104", "103", "102", "101"]   # - strand
    assert {r["strand"] for r in rows} == {"-"} and rows[4]["real_position"] == "5"


def test_the_panel_exports_what_it_plots(qtbot, panel, tmp_path):  # noqa: F811
    assert not panel.per_position_export.isEnabled()
    panel.pasted.setPlainText(GENES[3])
    panel.mode.setCurrentText("Typed edits")
    panel.typed_edits.setText(f"7{GENES[3][6]}>{'A' if GENES[3][6] != 'A' else 'C'}, 20del")
    _run(qtbot, panel, panel.run_compare)
    assert panel.per_position_export.isEnabled()
    out = tmp_path / "per-position.csv"
    panel.save_per_position(str(out))
    assert panel.status.text() == f"wrote {out}"
    rows = list(csv.DictReader(out.read_text().splitlines()))
    c = panel.comparisons[0]
    real, mutated, difference = c.aligned(*panel.pair.alignment())
    assert len(rows) == len(real) == len(GENES[3]) and rows[0]["model"] == c.model
    assert [float(r["real"]) for r in rows] == pytest.approx(real.tolist(), abs=1e-5)
    assert float(rows[6]["mutated_minus_real"]) == pytest.approx(difference[6], abs=1e-5)
    assert rows[19]["mutated_base"] == "" and "seqid" not in rows[0]   # pasted: no genome position
