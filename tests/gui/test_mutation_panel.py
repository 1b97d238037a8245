"""The Real vs mutated panel: pasted sequence, random and typed mutations, verdicts, heat map, batch mode."""
from __future__ import annotations

import re

import numpy as np
import pytest

from genoview.core.lm_models import write_metadata
from genoview.core.models.ngram import fit_ngram
from genoview.gui.panels.mutation import MutationPanel, symmetric_levels
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

RNG = np.random.default_rng(0)
MOTIFS = ["ATGGCCAAGT", "TTAGGCTACG", "CCGATAGCAT"]
GENES = ["".join(MOTIFS[i] for i in RNG.integers(0, 3, 8)) for _ in range(30)]


@pytest.fixture(scope="module")
def ngram_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("lm") / "kn"
    fit_ngram(GENES[:25], GENES[25:], out, contexts=[0, 1, 2, 3, 4, 5], sweeps=1, log=lambda text: None)
    write_metadata(out, name="kn", architecture="ngram-lm", task="language-model")
    return out


@pytest.fixture
def panel(qtbot, ngram_dir):
    session = Session()
    runner = JobRunner()
    widget = MutationPanel(session, runner, default_lm=str(ngram_dir), default_gene_model="")
    widget.quiet = True
    qtbot.addWidget(widget)
    yield widget
    runner.cancel_all()
    runner.wait()


def _run(qtbot, panel, start):
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        start()
    qtbot.waitUntil(lambda: panel._job is None)


def test_random_mutation_shows_verdicts_and_aligned_tracks(qtbot, panel):
    panel.pasted.setPlainText("<" + GENES[0] + ">")
    panel.seed.setValue(3)
    panel.max_edits.setValue(4)
    _run(qtbot, panel, panel.run_compare)
    assert panel.pair is not None and panel.pair.real == GENES[0] and panel.pair.mutated != GENES[0]
    assert panel.verdicts.rowCount() == 1
    assert panel.verdicts.item(0, 5).text() in ("real", "mutated")
    first = panel.pair.mutated
    _run(qtbot, panel, panel.run_compare)          # same seed: the same mutated copy
    assert panel.pair.mutated == first
    assert "real" in panel.alignment_text.toPlainText()


def test_typed_edits_and_a_bad_edit_is_reported(qtbot, panel):
    panel.pasted.setPlainText(GENES[1])
    panel.mode.setCurrentText("Typed edits")
    panel.typed_edits.setText(f"3{GENES[1][2]}>{'A' if GENES[1][2] != 'A' else 'C'}, 10del")
    _run(qtbot, panel, panel.run_compare)
    assert len(panel.pair.mutated) == len(GENES[1]) - 1 and len(panel.pair.edits) == 2
    panel.typed_edits.setText("3Q>A")
    panel.run_compare()
    assert "cannot read" in panel.status.text() and panel._job is None


def test_heat_map_is_symmetric_around_zero_and_batch_mode_fills_the_table(qtbot, panel, tmp_path):
    panel.pasted.setPlainText(GENES[2])
    panel.window_start.setValue(5)
    panel.window_length.setValue(12)
    _run(qtbot, panel, panel.run_saturation)
    low, high = panel.heat_levels
    assert low == -high and high > 0
    assert panel.saturation.effects.shape == (12, 5) and panel.export_button.isEnabled()
    assert panel.saturation.extra.get("fast")        # the worker runs the fast exact path (lm_mutagenesis)
    # the status line summarises the run instead of staying at the last progress line ("36/36 variants")
    status = panel.status.text()
    assert status.startswith("3 x 12 substitutions scored in ") and "largest effect" in status, status
    assert re.search(r"largest effect [-+][0-9.]+ nats \(", status), status   # its unit (H-walk19: none)
    assert "/" not in status.split(";")[0]
    assert symmetric_levels(np.array([-1.0, 3.0, np.nan])) == (-3.0, 3.0)
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("NCBIGeneID,RealNucleotideSequence,MutatedNucleotideSequence\n"
                     + "\n".join(f"g{i},<{g}>,<{g[:5] + g[6:]}>" for i, g in enumerate(GENES[25:])) + "\n")
    panel.pairs_path.setText(str(pairs))
    _run(qtbot, panel, panel.run_batch)
    assert panel.batch_table.rowCount() == 1 and panel.batch_table.item(0, 1).text() == "5"
    assert 0.0 <= float(panel.batch_table.item(0, 2).text()) <= 1.0
    from genoview.core.store import open_store

    (run,) = open_store().runs(kind="score-pairs")   # recorded as `genoview score-pairs` records it
    assert run["status"] == "finished" and run["metrics"]["n"] == 5 and run["params"]["from"] == "window"


def test_cancel_stops_a_long_job(qtbot, panel):
    # 20,000 variants x 3 models: seconds even on the fast path (an n-gram re-reads ~7 tokens per variant)
    panel.pasted.setPlainText(GENES[3] * 63)
    panel.window_start.setValue(1)
    panel.window_length.setValue(5000)
    panel.deletions.setChecked(True)
    panel.lm_names.setText(",".join([panel.lm_names.text()] * 3))
    with qtbot.waitSignal(panel.runner.cancelled, timeout=60000):
        panel.run_saturation()
        qtbot.waitUntil(lambda: panel._job is not None and panel._job.state == "running", timeout=20000)
        panel.cancel()
    assert panel.status.text() == "cancelled" and panel._job is None


def test_attention_view_draws_per_nucleotide_attention(qtbot, panel, tmp_path):
    torch = pytest.importorskip("torch")
    from genoview.core.models.kmer_bert import KmerVocab, build_config, save_model_dir
    from transformers import BertForMaskedLM

    torch.manual_seed(0)
    vocab = KmerVocab.for_k(3)
    model = BertForMaskedLM(build_config(vocab, hidden_size=16, num_layers=2, num_heads=2, max_tokens=66))
    directory = save_model_dir(model, vocab, tmp_path / "bert", {"name": "bert", "task": "masked-language-model"})
    panel.pasted.setPlainText(GENES[4])
    panel.attention_model.setText(str(directory))
    panel.attention_layer.setValue(1)
    _run(qtbot, panel, panel.run_attention)
    assert panel.attention["real"].shape == (len(GENES[4]),) and np.isfinite(panel.attention["real"]).all()


def test_gene_model_heat_map_with_the_whole_genome_gene_finder(qtbot, panel, tmp_path, monkeypatch):
    """GeneORF (the default gene model) reads a pasted sequence as its genome; reference bases are marked."""
    rng = np.random.default_rng(5)
    codons = [a + b + c for a in "ACGT" for b in "ACGT" for c in "ACGT" if a + b + c not in ("TAA", "TAG", "TGA")]
    gene = "ATG" + "".join(rng.choice(codons, 150)) + "TAA"
    text = "".join(rng.choice(list("ACGT"), 200)) + gene + "".join(rng.choice(list("ACGT"), 200))
    panel.pasted.setPlainText(text)
    panel.gene_model.setText("geneorf-bacteria")
    panel.heat_model.setCurrentText("gene model")
    panel.window_start.setValue(201)
    panel.window_length.setValue(30)
    panel.deletions.setChecked(True)
    _run(qtbot, panel, panel.run_saturation)
    result = panel.saturation
    assert result.effects.shape == (30, 5) and np.isfinite(result.effects[:, :4]).sum() == 90
    assert np.isnan(result.effects[:, 4]).all() and "deletions are not scored" in panel.heat_caption.text()
    assert len(panel.reference_marks.data) == 30
    assert panel.heat_levels[0] == -panel.heat_levels[1]
    monkeypatch.setattr("genoview.gui.panels.mutation.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "sat.csv"), "CSV (*.csv)"))
    panel.export_saturation()                       # one row per scored variant
    assert len((tmp_path / "sat.csv").read_text().splitlines()) == 1 + 90


def test_the_panel_fits_a_dock_of_a_1600_pixel_window(qtbot, panel):
    """At the dock's usual ~500 px the form was wider than the dock (the panel scrolled sideways; the heat-map
    model combo and the export button sat past its edge); the caption wraps and the export sits under the map."""
    body = panel.widget().widget()
    assert body.minimumSizeHint().width() <= 488
    assert panel.export_button.parent() is panel.heat_caption.parent()
    assert panel.heat_caption.wordWrap()
    for widget in (panel.window_start, panel.window_length, panel.deletions, panel.heat_model):
        assert widget.toolTip()


def test_language_model_suggestion_follows_the_genome(qtbot, ngram_dir):
    """A bacterial genome gets the bacterial-gene LM, a eukaryotic one the default; a typed choice is kept."""
    from genoview.core.genome import Genome
    from genoview.core.io.features import Feature, FeatureTable
    from genoview.core.io.sequence import SequenceRecord
    from genoview.gui.panels.mutation import genome_kind

    session = Session()
    runner = JobRunner()
    widget = MutationPanel(session, runner, default_lm="lm-human-genes", default_gene_model="",
                           prokaryote_lm="kn-ecoli-genes")
    qtbot.addWidget(widget)
    assert widget.lm_names.text() == "lm-human-genes" and "kn-ecoli-genes" in widget.lm_hint.text()
    cds = Feature(seqid="chr", start=0, end=90, strand=1, type="CDS", id="g1")
    bacterium = Genome(None, {"chr": SequenceRecord("chr", "", 200_000)}, FeatureTable([cds]))
    session.set_genome(bacterium)
    assert widget.lm_names.text() == "kn-ecoli-genes"
    assert "prokaryote" in widget.lm_hint.text() and "without introns" in widget.lm_hint.text()
    mrna = Feature(seqid="chr", start=0, end=90, strand=1, type="mRNA", id="t1")
    session.set_annotation(FeatureTable([cds, mrna]), "x.gff3")
    assert widget.lm_names.text() == "lm-human-genes" and "mRNA" in widget.lm_hint.text()
    assert genome_kind(None)[0] is None
    widget.lm_names.setText("kn")                    # the user's explicit choice survives a genome change
    widget.lm_names.textEdited.emit("kn")
    session.set_genome(bacterium)
    assert widget.lm_names.text() == "kn" and "your choice" in widget.lm_hint.text()
    runner.cancel_all()
    runner.wait()
