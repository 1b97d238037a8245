"""Real vs mutated on a human gene: the verdict columns say what they count, the plots' legends sit on a white
ground (bare, they covered the curves), the heat map's empty deletion row says deletions were off, and the heat map
exports as a figure (PNG, SVG) as well as CSV scores."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.core.lm_models import write_metadata
from genoview.core.models.ngram import fit_ngram
from genoview.gui.panels.mutation import MutationPanel
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

RNG = np.random.default_rng(1)
GENES = ["".join("ACGT"[i] for i in RNG.integers(0, 4, 90)) for _ in range(20)]


@pytest.fixture
def panel(qtbot, tmp_path):
    out = tmp_path / "kn"
    fit_ngram(GENES[:16], GENES[16:], out, contexts=[0, 1, 2, 3], sweeps=1, log=lambda text: None)
    write_metadata(out, name="kn", architecture="ngram-lm", task="language-model")
    widget = MutationPanel(Session(), JobRunner(), default_lm=str(out), default_gene_model="")
    widget.quiet = True
    qtbot.addWidget(widget)
    yield widget
    widget.runner.cancel_all()
    widget.runner.wait()


def test_verdict_columns_explain_themselves_and_legends_have_a_ground(panel):
    tips = [panel.verdicts.horizontalHeaderItem(c).toolTip() for c in range(panel.verdicts.columnCount())]
    assert all(tips) and "nats" in tips[1] and "lower perplexity" in tips[5]
    legend = panel.lm_plot.legend
    assert legend.brush().color().alpha() > 128 and legend.columnCount == 2
    assert "dashed: mutated" in panel.lm_plot.titleLabel.text   # line styles in the title, not a box on the curves


def test_one_model_draws_no_legend_box_over_the_curves(qtbot, panel):
    panel.pasted.setPlainText(GENES[1])
    panel.seed.setValue(7)
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_compare()
    qtbot.waitUntil(lambda: panel._job is None)
    assert panel.verdicts.rowCount() == 1 and not panel.lm_plot.legend.items and not panel.lm_plot.legend.isVisible()


def test_heat_map_exports_a_figure_and_says_deletions_were_off(qtbot, panel, tmp_path):
    panel.pasted.setPlainText(GENES[0])
    panel.window_length.setValue(10)
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_saturation()
    qtbot.waitUntil(lambda: panel._job is None)
    labels = [text for _, text in panel.heat_plot.getAxis("left")._tickLevels[0]]
    assert labels[-1] == "del: off"
    for name in ("heat.png", "heat.svg", "heat.csv"):
        panel.save_saturation(str(tmp_path / name))
        assert (tmp_path / name).stat().st_size > 100, name
    assert (tmp_path / "heat.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "heat.svg").read_bytes()[:2000]
    panel.save_saturation(str(tmp_path / "figure"), "PNG figure (*.png)")   # no suffix typed: the type chosen
    assert (tmp_path / "figure.png").is_file()
    panel.quiet = True
    panel._fail("mismatch.vcf, line 3: REF C does not match the genome")   # a refused run's red ...
    panel.save_saturation(str(tmp_path / "again.csv"))
    assert panel.status.text().startswith("wrote ") and panel.status.styleSheet() == ""   # ... not on a saved file


def test_a_single_gene_opened_as_a_genome_keeps_the_default_language_model(qtbot, tmp_path):
    """A 253-base human gene opened as a FASTA switched the field to the E. coli gene model ("looks like a
    prokaryote")."""
    from genoview.core.genome import Genome
    from genoview.core.io.features import FeatureTable
    from genoview.core.io.sequence import SequenceRecord
    from genoview.gui.panels.mutation import genome_kind

    gene = Genome(None, {"KRTAP21-3": SequenceRecord("KRTAP21-3", "", 253)}, FeatureTable([]))
    assert genome_kind(gene)[0] is None
    session = Session()
    widget = MutationPanel(session, JobRunner(), default_lm="lm-human-genes", default_gene_model="",
                           prokaryote_lm="kn-ecoli-genes")
    qtbot.addWidget(widget)
    session.set_genome(gene)
    assert widget.lm_names.text() == "lm-human-genes" and "too short" in widget.lm_hint.text()
    widget.runner.wait()
