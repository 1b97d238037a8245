"""Real vs mutated's model fields say which names they take (tooltip) and complete them: a newcomer knew none."""
from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtWidgets import QLineEdit

from genoview.gui.panels.model_names import attach_model_names, attach_mutation_model_names


def test_fields_list_and_complete_installed_models(qtbot):
    infos = [SimpleNamespace(name="kn-ecoli-genes", task="language-model", architecture="ngram-lm", broken=""),
             SimpleNamespace(name="lstm-human-genes", task="language-model", architecture="lstm-lm", broken=""),
             SimpleNamespace(name="geneorf-bacteria", task="gene-probability", architecture="geneorf", broken=""),
             SimpleNamespace(name="kmer-bert-ecoli", task="gene-probability", architecture="kmer-bert", broken=""),
             SimpleNamespace(name="broken-one", task="language-model", architecture="lstm-lm", broken="no weights")]
    panel = SimpleNamespace(lm_names=QLineEdit(), gene_model=QLineEdit(), attention_model=QLineEdit())
    for edit in vars(panel).values():
        qtbot.addWidget(edit)
    attach_mutation_model_names(panel, infos)
    lm_tip = panel.lm_names.toolTip()
    assert "kn-ecoli-genes, lstm-human-genes" in lm_tip and "broken-one" not in lm_tip and "a+b" in lm_tip
    assert panel.lm_names.completer() is None   # comma-separated: the tooltip lists the names
    assert "geneorf-bacteria, kmer-bert-ecoli" in panel.gene_model.toolTip()
    completer = panel.gene_model.completer()
    assert completer is not None and completer.model().rowCount() == 2
    assert "kmer-bert-ecoli" in panel.attention_model.toolTip() and "geneorf" not in panel.attention_model.toolTip()


def test_none_installed_says_so(qtbot):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    attach_model_names(edit, [], "gene models")
    assert "none installed" in edit.toolTip() and "Library" in edit.toolTip()


def test_the_real_window_panel_has_them(qtbot):
    from genoview.app import create_main_window
    from genoview.settings import Settings

    window = create_main_window(Settings())
    window.remember_layout = False
    qtbot.addWidget(window)
    panel = window.mutation_panel
    qtbot.waitUntil(lambda: panel.names_loaded, timeout=20000)   # read on a worker
    assert "Installed language models" in panel.lm_names.toolTip()
    assert panel.gene_model.completer() is not None
