"""The training wizard in words: the Review page says what the run will do before the JSON spec, and the greyed-out
'From my library' choice says why it is greyed out and how it becomes available."""
from __future__ import annotations

from genoview.core.training.spec import TrainingSpec
from genoview.gui.wizard import TrainingWizard
from genoview.gui.wizard.pages import plain_summary


def test_review_summary_says_what_is_learnt_from_what_and_how_long():
    spec = TrainingSpec()
    spec.genomes = [{"fasta": "/data/haemophilus_influenzae_RdKW20/genome.fna.gz", "annotation": "a.gff3",
                     "role": "train"}]
    spec.init_from, spec.max_steps, spec.patience, spec.epochs = "genecnn-ecoli", 600, 8, None
    text = plain_summary(spec)
    assert "fine-tune <b>genecnn-ecoli</b>" in text
    assert "haemophilus_influenzae_RdKW20/genome.fna.gz" in text   # a generic file name with its folder
    assert "0%–63%" in text and "63%–70% (validation)" in text and "70%–100%" in text and "never sees" in text
    assert "at most 600 steps" in text and "8 checks" in text and "seed 1" in text
    spec = TrainingSpec()
    spec.genomes = [{"fasta": "a.fa", "annotation": "a.gff3", "role": "train"},
                    {"fasta": "b.fa", "annotation": "b.gff3", "role": "test"}]
    spec.split, spec.epochs, spec.max_minutes = "genomes", 2.0, 10
    text = plain_summary(spec)
    assert "from scratch on <b>a.fa</b>" in text and "learns on a.fa" in text and "tested on <b>b.fa</b>" in text
    assert "2 passes" in text and "10 minutes" in text


def test_review_page_shows_the_words_above_the_spec_and_library_choice_says_why_it_is_off(qtbot):
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    layout = wizard.review_page.layout()
    widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
    assert widgets.index(wizard.review_page.plain) < widgets.index(wizard.review_page.summary)
    page = wizard.model_page
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)   # the library is read on a worker
    assert not page.library_radio.isEnabled()   # a fresh library holds no model of the user's
    assert "Adapt" in page.library_radio.toolTip() and "Library" in page.library_combo.toolTip()
    assert page.library_combo.placeholderText()


def test_data_page_header_is_whole_and_greyed_button_says_why(qtbot):
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    wizard.resize(1000, 750)
    wizard.show()
    page = wizard.data_page
    table = page.genomes_table
    header = table.horizontalHeader()
    text = table.horizontalHeaderItem(2).text()
    assert header.sectionSize(2) >= table.fontMetrics().horizontalAdvance(text)   # "eld-out genome" before
    assert not page.session_button.isEnabled() and "No genome is open" in page.session_button.toolTip()


def test_the_chosen_preset_says_what_it_is_for(qtbot):
    from genoview.core.training_plan import PRESETS

    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    page = wizard.hyper_page
    assert "Fast CPU" in page.preset_help.text()
    page.apply_preset("Fast CPU")
    assert page.preset_help.text().startswith("Fast CPU: ") and PRESETS["Fast CPU"]["help"] in page.preset_help.text()
    page.apply_preset(None)
    assert page.preset_help.text().startswith("Architecture defaults")


def test_genomes_named_genome_fna_are_told_apart_by_their_folder(qtbot):
    from genoview.gui.dialogs.files import display_name

    assert display_name("/d/haemophilus/genome.fna.gz") == "haemophilus/genome.fna.gz"
    assert display_name("/d/haemophilus/annotation.gff3.gz") == "haemophilus/annotation.gff3.gz"
    assert display_name("/d/x/NC_000913.fa") == "NC_000913.fa"
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    page = wizard.data_page
    page.add_genome("/d/staph/genome.fna.gz", "/d/staph/annotation.gff3.gz")
    page.add_genome("/d/hflu/genome.fna.gz", "/d/hflu/annotation.gff3.gz")
    table = page.genomes_table
    assert [table.item(r, 0).text() for r in range(2)] == ["staph/genome.fna.gz", "hflu/genome.fna.gz"]


def test_geneorf_run_curves_say_what_a_point_is_and_read_plain_mcc(qtbot):
    """A GeneORF fine-tune drew an empty loss plot, "step" on the x axis and "850 (x0.001)" for MCC 0.85; points
    without a validation loss warned "All-NaN slice" at every redraw."""
    from genoview.gui.wizard.curves import TrainingCurves

    curves = TrainingCurves()
    qtbot.addWidget(curves)
    curves.explain_candidates()
    assert "no training loss" in curves.empty_note.text() and not curves.empty_note.isHidden()
    assert curves.metric_plot.getAxis("bottom").labelText == "candidate"
    assert not curves.metric_plot.getAxis("left").autoSIPrefix
    for step, mcc in enumerate((0.8462, 0.8495, 0.8409), start=1):
        curves.add_eval(step, {"mcc": mcc, "loss": None, "roc_auc": None})
    curves.redraw()   # no RuntimeWarning (warnings are errors in the tests)
    assert list(curves.mcc_curve.getData()[1]) == [0.8462, 0.8495, 0.8409]
    assert curves.valid_loss_curve.getData()[0] is None or len(curves.valid_loss_curve.getData()[0]) == 0
