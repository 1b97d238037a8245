"""The wizard on a split by held-out genomes, as a biologist met it (S. aureus trains, H. influenzae tests): the Review
page read "The model genomes held out whole (train: ...; test: ...)" and "train ... on staph, hflu" (the test genome
named as a training one); the validation fraction the split uses was set only on another split's page; the finished
line said "Test MCC 0.59" without saying where; the library's first evaluation said the model had been trained on "a
sequence of another length (another assembly)" for the very file it trained on; the curves' legend sat on the newest
MCC point."""
from __future__ import annotations

from genoview.core.evaluation_scope import ModelParts, Region, default_scope
from genoview.core.training.spec import TrainingSpec
from genoview.gui.wizard import TrainingWizard
from genoview.gui.wizard.pages import plain_summary
from genoview.gui.wizard.run_page import where_tested


def genome_split(valid_genome: bool = False) -> TrainingSpec:
    spec = TrainingSpec()
    spec.genomes = [{"fasta": "/d/staph250k.fa", "annotation": "s.gff3", "role": "train"},
                    {"fasta": "/d/hflu250k.fa", "annotation": "h.gff3", "role": "test"}]
    if valid_genome:
        spec.genomes.insert(1, {"fasta": "/d/nmen.fa", "annotation": "n.gff3", "role": "validation"})
    spec.split = "genomes"
    return spec


def test_review_words_name_each_genome_by_its_role():
    text = plain_summary(genome_split())
    assert "from scratch on <b>staph250k.fa</b>, with" in text
    assert ("The model learns on staph250k.fa, checks itself on the last 10% of each training genome (validation), and "
            "is tested on <b>hflu250k.fa</b>, held out whole: it never sees it.") in text
    assert "checks itself on nmen.fa (validation)" in plain_summary(genome_split(valid_genome=True))


def test_the_finished_line_says_where_the_test_figures_come_from():
    assert where_tested(genome_split()) == " on hflu250k.fa (held out whole)"
    spec = TrainingSpec()
    assert where_tested(spec) == " on the last 30% of each sequence (never trained on)"


def test_the_genome_split_shows_its_validation_fraction(qtbot):
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    page = wizard.data_page
    page.split_combo.setCurrentIndex(page.split_combo.findData("genomes"))
    assert page.split_stack.currentWidget().isAncestorOf(page.genome_valid_fraction)
    page.genome_valid_fraction.setValue(0.2)
    assert page.valid_fraction.value() == 0.2 and page.values()["valid_fraction"] == 0.2
    page.valid_fraction.setValue(0.15)
    assert page.genome_valid_fraction.value() == 0.15


def test_a_model_tested_on_another_genome_is_not_called_another_assembly():
    parts = ModelParts("cnn", train=(Region("NC_002951.2", 0, 225000),), valid=(Region("NC_002951.2", 225000, 250000),),
                       test=(Region("NC_000907", 0, 250000),))
    kind, why = default_scope("NC_002951.2", 250000, parts)
    assert kind == "whole" and "another" not in why
    assert why == ("cnn held out no part of NC_002951.2: it was trained and validated on it; it was tested on "
                   "NC_000907. The whole sequence is scored.")
    assert "another length" in default_scope("NC_002951.2", 100000, parts)[1]   # a shorter assembly still is
    by_genome = ModelParts("cnn", train=(Region("NC_002951.2", 0, 250000),), valid=(Region("NC_007795.1", 0, 9000),),
                           test=(Region("NC_000907", 0, 250000),))   # a validation genome: this one only trained it
    assert default_scope("NC_002951.2", 250000, by_genome)[1].startswith(
        "cnn held out no part of NC_002951.2: it was trained on it; it was tested on NC_000907.")
    assert default_scope("NC_000907", 250000, parts)[1] == ("cnn was tested on NC_000907, held out whole from its "
                                                           "training: every base's label is new to it.")


def test_the_metric_keys_sit_above_the_plot(qtbot):
    from genoview.gui.wizard.curves import TrainingCurves

    curves = TrainingCurves()
    qtbot.addWidget(curves)
    item = curves.metric_plot.getPlotItem()
    assert item.legend is None
    assert "validation MCC" in item.titleLabel.text and "ROC AUC" in item.titleLabel.text


def test_the_library_says_where_test_figures_come_from():
    """Test MCC 0.59 on a held-out genome sat under E. coli models' 0.93 on E. coli's last 30 %, alike; the cell's
    tooltip says where each was measured, and the Metrics tab's rows read "ROC AUC", not "roc_auc"."""
    from genoview.core.library import tested_on
    from genoview.core.models.metadata import ModelMetadata
    from genoview.gui.library import metric_label

    held = ModelMetadata(data={"split": "genomes", "test_genomes": ["hflu250k"],
                               "test": [{"seqid": "NC_000907", "start": 0, "end": 250000}]})
    assert tested_on(held) == "the held-out genome hflu250k (never trained on)"
    part = ModelMetadata(data={"fasta": "ecoli.fna.gz", "test": [{"seqid": "NC_000913.3", "start": 3249156,
                                                                  "end": 4641652}]})
    assert tested_on(part) == "NC_000913.3:3,249,157-4,641,652 of ecoli.fna.gz (never trained on)"
    assert tested_on(ModelMetadata(data={})) == ""
    assert metric_label("roc_auc") == "ROC AUC" and metric_label("stop_precision") == "stop precision"
    # the evaluation panel's row names, not a second table of them ("bases scored" beside the panel's "Bases scored")
    from genoview.gui.panels.evaluation import METRIC_ROWS

    assert all(metric_label(key) == label for key, label in METRIC_ROWS)
