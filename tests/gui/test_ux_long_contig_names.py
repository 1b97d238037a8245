"""An assembler's contig names (117 characters, one word): the evaluation dock grew past the window's right edge (its
labels are never narrower than their longest word; the track combo fitted its longest item), hiding the confusion
matrix's second column. Long names now break after _ . | - in the labels; the combo elides (full name in its tooltip)."""
from __future__ import annotations

from genoview.gui.name_wrap import breakable

LONG = "contig_1_length_80000_cov_37.412_assembled_with_SPAdes_v3.15.5_from_sample_HI-2024-07-lab-isolate-0042_flye_polished"


def test_long_names_break_and_paths_stay_whole():
    text = f"Scored the whole sequence {LONG} (1-80,000) in /tmp/some_long_folder_name_of_a_user_here/x.gff3"
    out = breakable(text)
    assert out.replace("\u200b", "") == text and "\u200b" in out.split(" (1-")[0]
    assert "/tmp/some_long_folder_name_of_a_user_here/x.gff3" in out   # a path is copied whole
    assert breakable("chrA: 1-100") == "chrA: 1-100"


def test_the_evaluation_dock_stays_narrow_with_a_long_contig_name(qtbot, tmp_path, open_example_window):
    fasta = tmp_path / "contigs.fa"
    fasta.write_text(f">{LONG}\n" + "ACGT" * 500 + "\n>contig_2\n" + "ACGT" * 200 + "\n")
    window = open_example_window(fasta, size=(1400, 900))
    panel = window.evaluation_panel
    message = f"Scored the whole sequence {LONG} (1-2,000): 2,000 bases against gene."
    panel.status.setText(message)
    panel.scope_note.setText(f"Default: whole sequence. cnn was not trained on {LONG}'s annotation.")
    panel.gene_scores.note.setText(f"Genes of the whole sequence {LONG}: call them from the track.")
    panel.track_combo.addItem(f"geneorf-bacteria @ {LONG}", "k")
    panel.track_combo.setCurrentIndex(panel.track_combo.count() - 1)
    assert panel.status.text() == message   # what was set, for anyone reading it back
    for widget in (panel.status, panel.scope_note, panel.gene_scores.note, panel.track_combo):
        assert widget.minimumSizeHint().width() < 360, widget
    assert LONG in panel.track_combo.toolTip()


def test_disagreement_rows_cut_a_long_name_in_the_middle():
    from genoview.gui.panels.disagreements import short_locus

    text = short_locus(f"{LONG}:1,030-1,143", LONG)
    assert text.endswith("_polished:1,030-1,143") and text.startswith("contig_1_len") and len(text) < 45
    assert short_locus("contig_2:3-245", "contig_2") == "contig_2:3-245"


def test_markup_is_left_whole():
    text = f"<b>model-with-a-rather-long-name_v2 on all 3 sequences</b> {LONG}"
    out = breakable(text)
    assert out.startswith("<b>model-with-a-rather-long-name_v2 ") and "\u200b" in out.split("</b>")[1]


def test_the_status_bar_locus_cuts_a_long_name_and_leaves_room_for_messages(qtbot, tmp_path, open_example_window):
    # the status bar's locus read the whole 117-character name (~750 px): the status messages ("15 genes where the
    # gene finders disagree") were cut to a few words beside it
    fasta = tmp_path / "contigs.fa"
    fasta.write_text(f">{LONG}\n" + "ACGT" * 500 + "\n")
    window = open_example_window(fasta, size=(1400, 900))
    window.go_to(f"{LONG}:101-300")
    qtbot.waitUntil(lambda: "101-300" in window.locus_label.text(), timeout=5000)
    assert window.locus_label.text().endswith("_polished:101-300 (200 bp)") and len(window.locus_label.text()) < 50
    assert LONG in window.locus_label.toolTip() and window.locus_label.sizeHint().width() < 360
