"""Real vs mutated (session 15, H-lm): a heat-map cell says its variant and score under the pointer and on a click
(reading one variant's number took exporting the CSV), and the batch tab gives each accuracy's 95 % interval and a
paired test between models (0.62 / 0.80 / 0.90 on 40 pairs were shown bare)."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from genoview.core.lm_models import write_metadata
from genoview.core.lm_scoring import PairScores
from genoview.core.models.ngram import fit_ngram
from genoview.gui.panels.mutation import MutationPanel, batch_comparison_text
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

RNG = np.random.default_rng(1)
MOTIFS = ["ATGGCCAAGT", "TTAGGCTACG", "CCGATAGCAT"]
GENES = ["".join(MOTIFS[i] for i in RNG.integers(0, 3, 8)) for _ in range(30)]


@pytest.fixture
def panel(qtbot, tmp_path):
    out = tmp_path / "kn"
    fit_ngram(GENES[:25], GENES[25:], out, contexts=[0, 1, 2, 3], sweeps=1, log=lambda text: None)
    write_metadata(out, name="kn", architecture="ngram-lm", task="language-model")
    runner = JobRunner()
    widget = MutationPanel(Session(), runner, default_lm=str(out), default_gene_model="")
    widget.quiet = True
    qtbot.addWidget(widget)
    widget.resize(700, 900)
    widget.show()
    yield widget
    runner.cancel_all()
    runner.wait()


def _run(qtbot, panel, start):
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        start()
    qtbot.waitUntil(lambda: panel._job is None)


def test_a_heat_map_cell_says_its_variant_and_score(qtbot, panel):
    panel.pasted.setPlainText(GENES[2])
    panel.window_start.setValue(5)
    panel.window_length.setValue(12)
    _run(qtbot, panel, panel.run_saturation)
    result = panel.saturation
    box = panel.heat_plot.getViewBox()
    qtbot.waitUntil(lambda: box.viewRange()[0][1] >= result.end and box.sceneBoundingRect().width() > 50)
    i = 3                                            # the 4th column: position 8 of the sequence
    ref = GENES[2][result.start + i]
    row = next(r for r, b in enumerate("ACGT") if b != ref)
    centre = box.mapViewToScene(QPointF(result.start + i + 1.0, row + 0.5))
    text = panel.heat_cell_at(centre)
    assert text.startswith(f"position {result.start + i + 1}, {ref}>{'ACGT'[row]}: ")
    assert f"{result.effects[i, 'ACGT'.index('ACGT'[row])]:+.4g} nats (log-likelihood ratio)" in text
    reference = panel.heat_cell_at(box.mapViewToScene(QPointF(result.start + i + 1.0, "ACGT".index(ref) + 0.5)))
    assert reference.endswith(f"{ref} is the reference base (no change to score)")
    assert "not scored (deletions were not asked for)" in panel.heat_cell_at(
        box.mapViewToScene(QPointF(result.start + i + 1.0, 4.5)))
    assert panel.heat_cell_at(box.mapViewToScene(QPointF(result.end + 5.0, 0.5))) is None   # off the map
    panel._hover_heat_cell(centre)
    assert panel.heat_plots.toolTip() == text


def test_batch_tab_gives_intervals_and_a_paired_test(qtbot, panel, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("NCBIGeneID,RealNucleotideSequence,MutatedNucleotideSequence\n"
                     + "\n".join(f"g{i},<{g}>,<{g[:5] + g[6:]}>" for i, g in enumerate(GENES[20:])) + "\n")
    panel.pairs_path.setText(str(pairs))
    _run(qtbot, panel, panel.run_batch)
    low, high = (float(x) for x in panel.batch_table.item(0, 3).text().split("-"))   # beside the accuracy
    assert low <= float(panel.batch_table.item(0, 2).text()) <= high
    assert "Wilson" in panel.batch_table.horizontalHeaderItem(3).toolTip()
    items = [i for i in panel.histogram.getPlotItem().listDataItems()]
    assert items and "nats" in panel.histogram.getPlotItem().getAxis("bottom").labelText   # one set of bins, units said
    item = panel.histogram.getPlotItem()   # rev15d: the models named in the title row, no legend box over the bars
    assert item.legend is None and "kn" in item.titleLabel.text and "real wins" in item.titleLabel.text

    def scores(name, right):
        right = np.array(right, dtype=bool)
        return PairScores(name, [str(k) for k in range(len(right))], np.where(right, -1.0, -2.0),
                          np.ones(len(right)), np.full(len(right), -1.5), np.ones(len(right)))

    text = batch_comparison_text([scores("a", [1] * 9 + [0]), scores("b", [0] * 9 + [1])])
    assert text.startswith("Paired test on the same pairs") and "right only by a 9, only by b 1" in text


def test_a_200_kb_gene_locus_without_annotation_keeps_the_default_language_model(qtbot):
    """A 200 kb human gene (introns and all) opened as a FASTA got the E. coli gene model ("looks like a prokaryote");
    one unannotated sequence under 0.6 Mb is not told apart from a small genome: the default stays, the bacterial
    model is named."""
    from genoview.core.genome import Genome
    from genoview.core.io.features import FeatureTable
    from genoview.core.io.sequence import SequenceRecord
    from genoview.gui.panels.mutation import genome_kind

    locus = Genome(None, {"DMD-part": SequenceRecord("DMD-part", "", 200_000)}, FeatureTable([]))
    kind, why = genome_kind(locus)
    assert kind is None and "gene locus or a small genome" in why
    widget = MutationPanel(Session(), JobRunner(), default_lm="lm-human-genes", default_gene_model="",
                           prokaryote_lm="kn-ecoli-genes")
    qtbot.addWidget(widget)
    widget.session.set_genome(locus)
    assert widget.lm_names.text() == "lm-human-genes" and "for bacterial DNA type kn-ecoli-genes" in widget.lm_hint.text()
    bacterium = Genome(None, {"chr": SequenceRecord("chr", "", 1_000_000)}, FeatureTable([]))
    assert genome_kind(bacterium)[0] == "prokaryote"          # a Mb-sized one still is
    widget.runner.wait()


def test_vcf_score_each_lists_every_variant_and_every_skipped_line(qtbot, open_example_window, tmp_path):
    """VCF mode's Score each: one row per ALT (a multi-allelic line gives two), a column per model, the lines it
    could not score with their line and why, and the table exported; Mutate & compare applies them all at once."""
    from genoview.core.lm_models import write_metadata as write_lm_metadata
    from genoview.paths import RESOURCES_DIR

    window = open_example_window(size=(1600, 1000))
    window.show_mutation_panel()
    panel = window.mutation_panel
    panel.quiet = True
    qtbot.waitUntil(lambda: panel.names_loaded, timeout=20000)
    out = tmp_path / "kn"
    fit_ngram(GENES[:25], GENES[25:], out, contexts=[0, 1, 2, 3], sweeps=1, log=lambda text: None)
    write_lm_metadata(out, name="kn", architecture="ngram-lm", task="language-model")
    text = "".join(line.strip() for line in (RESOURCES_DIR / "example" / "example.fa").read_text()
                   .split(">")[1].splitlines()[1:])
    b = text[399]
    vcf = tmp_path / "mine.vcf"
    vcf.write_text("#CHROM\tPOS\tID\tREF\tALT\n"
                   f"chrEx\t400\trs1\t{b}\t{','.join(x for x in 'ACG' if x != b)[:3]}\n"    # line 2: two ALTs
                   f"chrEx\t5000\tfar\t{text[4999]}\t{'T' if text[4999] != 'T' else 'G'}\n"   # line 3: outside abcA
                   f"chrEx\t410\tbad\t{'A' if text[409] != 'A' else 'C'}\tG\n")              # line 4: REF mismatch
    panel.source.setCurrentText("Gene by name")
    panel.gene_name.setText("abcA")
    panel.mode.setCurrentText("VCF")
    panel.vcf_path.setText(str(vcf))
    panel.lm_names.setText(str(out))
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_vcf_each()
    qtbot.waitUntil(lambda: panel._job is None)
    table = panel.variants_table
    assert panel.tabs.currentIndex() == 3 and table.rowCount() == 4
    statuses = [table.item(r, table.columnCount() - 1).text() for r in range(4)]
    assert statuses[:2] == ["scored", "scored"] and "outside the region" in statuses[2] and "REF" in statuses[3]
    assert "2 variant(s) of mine.vcf scored" in panel.variants_note.text()
    saved = tmp_path / "effects.tsv"
    panel.save_variant_effects(str(saved))
    assert len(saved.read_text().splitlines()) == 5 and panel.status.text() == f"wrote {saved}"


def test_nothing_pasted_beside_an_open_genome_takes_the_visible_region(qtbot, open_example_window, tmp_path):
    """A gene opened as a FASTA and Mutate & compare said "paste a sequence first": the visible region is taken and
    the status line says so."""
    window = open_example_window(size=(1600, 1000))
    window.show_mutation_panel()
    panel = window.mutation_panel
    panel.quiet = True
    qtbot.waitUntil(lambda: panel.names_loaded, timeout=20000)
    window.session.set_region(100, 400)
    out = tmp_path / "kn"
    fit_ngram(GENES[:25], GENES[25:], out, contexts=[0, 1, 2, 3], sweeps=1, log=lambda text: None)
    write_metadata(out, name="kn", architecture="ngram-lm", task="language-model")
    panel.lm_names.setText(str(out))
    panel.gene_model.setText("")
    assert panel.source.currentText() == "Visible region"   # the open genome's view by default (session 17)
    panel.source.setCurrentText("Pasted sequence")   # the user's choice, nothing pasted
    assert not panel.pasted.toPlainText()
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_compare()
    qtbot.waitUntil(lambda: panel._job is None)
    assert panel.source.currentText() == "Visible region" and len(panel.pair.real) == 300
    assert "nothing pasted: the visible region was used" in panel.status.text()
