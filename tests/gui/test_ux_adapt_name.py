"""Models ▸ Adapt to this genome suggests a name that says which genome, is free, and shows whole: genomes named
genome.fna.gz (every folder of NCBI-style downloads) all became "geneorf-bacteria-genome", the second refused."""
from __future__ import annotations

from genoview.gui.dialogs.adapt import AdaptDialog, suggested_name
from genoview.paths import model_library_dir


def test_generic_file_names_use_the_folder_and_taken_names_get_a_number(tmp_path):
    path = "/data/bacteria/haemophilus_influenzae_RdKW20/genome.fna.gz"
    assert suggested_name("geneorf-bacteria", path) == "geneorf-bacteria-haemophilus_influenzae_RdKW20"
    assert suggested_name("geneorf-bacteria", "/x/My genome.fna.gz") == "geneorf-bacteria-My-genome"
    taken = {"geneorf-bacteria-haemophilus_influenzae_RdKW20", "geneorf-bacteria-haemophilus_influenzae_RdKW20-2"}
    assert suggested_name("geneorf-bacteria", path, taken.__contains__) == \
        "geneorf-bacteria-haemophilus_influenzae_RdKW20-3"


def test_the_dialog_suggests_a_free_name_shown_whole_and_says_where_it_goes(qtbot, tmp_path):
    folder = tmp_path / "staph_COL"
    folder.mkdir()
    fasta = folder / "genome.fna.gz"
    (model_library_dir() / "geneorf-bacteria-staph_COL").mkdir()   # adapted once already
    dialog = AdaptDialog(str(fasta), ["geneorf-bacteria"], None)
    qtbot.addWidget(dialog)
    dialog.show()
    name = dialog.name_edit.text()
    assert name == "geneorf-bacteria-staph_COL-2"
    assert dialog.name_edit.width() >= dialog.name_edit.fontMetrics().horizontalAdvance(name)
    intro = dialog.layout().itemAt(0).widget().text()
    assert "Library" in intro
    assert "staph_COL/genome.fna.gz" in intro   # which genome: every download is called genome.fna.gz


def test_the_progress_dialog_is_busy_until_the_first_stage(qtbot, open_example_window):
    """Reading the genome and the model takes seconds before adapt reports a stage: the bar sat empty."""
    from genoview.gui.dialogs.adapt import start_adaptation

    window = open_example_window()
    window.interactive = True
    with qtbot.waitSignal(window.runner.cancelled, timeout=60000):
        job = start_adaptation(window, "geneorf-bacteria", "geneorf-busy", offer_prediction=lambda n: False)
        dialog = window.adapt_progress_dialog
        assert dialog is not None and dialog.maximum() == 0   # an animated busy bar
        window.runner.cancel(job)
