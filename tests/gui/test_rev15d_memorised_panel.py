"""Real vs mutated says when the scored sequence is one of the language model's training genes (its effects are
memorised): the heat map's caption and status line, the Variants tab's note (rev15d review of H-lm's session 15)."""
from __future__ import annotations

import csv
import gzip
import json

import numpy as np
import pytest

from genoview.core.lm_data import read_genes, split_genes
from genoview.core.lm_models import write_metadata
from genoview.core.models.ngram import fit_ngram
from genoview.gui.panels.mutation import MutationPanel
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

RNG = np.random.default_rng(5)
GENES = ["".join(RNG.choice(list("ACGT"), 120)) for _ in range(20)]


@pytest.fixture
def panel_and_split(qtbot, tmp_path):
    table = tmp_path / "genes.csv.gz"
    with gzip.open(table, "wt", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["NCBIGeneID", "NucleotideSequence"])
        w.writerows([k, g] for k, g in enumerate(GENES))
    split = split_genes(read_genes(table), 0.2, 0.2, seed=0)
    out = tmp_path / "kn"
    fit_ngram([g.sequence for g in split.train], [g.sequence for g in split.valid], out, contexts=[0, 1, 2],
              sweeps=1, log=lambda text: None)
    write_metadata(out, name="kn", architecture="ngram-lm", task="language-model")
    card = json.loads((out / "genoview.json").read_text())
    card["data"] = {"genes": str(table), "split_seed": 0, "test_fraction": 0.2, "valid_fraction": 0.2}
    (out / "genoview.json").write_text(json.dumps(card))
    runner = JobRunner()
    widget = MutationPanel(Session(), runner, default_lm=str(out), default_gene_model="")
    widget.quiet = True
    qtbot.addWidget(widget)
    widget.show()
    yield widget, split
    runner.cancel_all()
    runner.wait()


def _saturate(qtbot, panel, sequence):
    panel.pasted.setPlainText(sequence)
    panel.window_start.setValue(1)
    panel.window_length.setValue(10)
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_saturation()
    qtbot.waitUntil(lambda: panel._job is None)


def test_heat_map_of_a_training_gene_warns_and_of_a_held_out_gene_does_not(qtbot, panel_and_split):
    panel, split = panel_and_split
    _saturate(qtbot, panel, split.train[0].sequence)
    caption = panel.heat_caption.text()
    assert "WARNING: 100% of this sequence's 32-mers are in kn's training genes" in caption
    assert "its effects are memorised" in caption and "WARNING" in panel.status.text()
    _saturate(qtbot, panel, split.test[0].sequence)
    assert "WARNING" not in panel.heat_caption.text() and "WARNING" not in panel.status.text()


def test_variants_tab_warns_when_the_gene_is_a_training_gene(qtbot, open_example_window, tmp_path):
    from genoview.paths import RESOURCES_DIR

    window = open_example_window(size=(1600, 1000))
    window.show_mutation_panel()
    panel = window.mutation_panel
    panel.quiet = True
    qtbot.waitUntil(lambda: panel.names_loaded, timeout=20000)
    text = "".join(line.strip() for line in (RESOURCES_DIR / "example" / "example.fa").read_text()
                   .split(">")[1].splitlines()[1:])
    abc_a = text[377:1589]                             # abcA, chrEx:378-1,589 +
    table = tmp_path / "genes.csv.gz"
    with gzip.open(table, "wt", newline="") as handle:
        csv.writer(handle).writerows([["NCBIGeneID", "NucleotideSequence"], [1, abc_a], *([k, g] for k, g in
                                                                                         enumerate(GENES, 2))])
    out = tmp_path / "kn"
    fit_ngram(GENES[:15] + [abc_a], GENES[15:], out, contexts=[0, 1, 2], sweeps=1, log=lambda text: None)
    write_metadata(out, name="kn", architecture="ngram-lm", task="language-model")
    card = json.loads((out / "genoview.json").read_text())
    card["data"] = {"genes": str(table), "split_seed": 0, "test_fraction": 0.0, "valid_fraction": 0.0}
    (out / "genoview.json").write_text(json.dumps(card))
    vcf = tmp_path / "mine.vcf"
    vcf.write_text(f"#CHROM\tPOS\tID\tREF\tALT\nchrEx\t400\t.\t{text[399]}\t{'A' if text[399] != 'A' else 'C'}\n")
    panel.source.setCurrentText("Gene by name")
    panel.gene_name.setText("abcA")
    panel.mode.setCurrentText("VCF")
    panel.vcf_path.setText(str(vcf))
    panel.lm_names.setText(str(out))
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_vcf_each()
    qtbot.waitUntil(lambda: panel._job is None)
    note = panel.variants_note.text()
    assert "1 variant(s) of mine.vcf scored" in note and "100% of this sequence's 32-mers are in kn's training" in note


def test_a_masked_models_heat_cell_says_nats():
    from genoview.core.variant_effects import SaturationResult
    from genoview.gui.panels.mutation import heat_cell_text

    effects = np.full((2, 5), np.nan)
    effects[0, 1] = -1.25
    result = SaturationResult("AC", 0, 2, effects, "masked-marginal log-ratio", "mlm", 0.1)
    assert heat_cell_text(result, 0, 1) == "position 1, A>C: -1.25 nats (masked-marginal log-ratio)"
