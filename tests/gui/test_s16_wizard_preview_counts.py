"""The Data page's preview counts windows as the run does (session 16): GeneCNN reads 2 x 2,143 bases of context
around each 4 kb window, so the shipped example genome's 7 kb validation stretch holds none; the page said "1 window
of 4,000" and only the Review page's probe refused. It now says so on the Data page with what would fit, in the
words of the probe and `genoview train`, and counts one window, in the singular, once the fraction is raised."""
from __future__ import annotations

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
from genoview.gui.wizard import TrainingWizard
from tests.gui.waits import PREVIEW_MS


def test_the_preview_counts_with_the_models_context_and_says_what_fits(qtbot):
    w = TrainingWizard()
    w.ask_before_closing = False
    qtbot.addWidget(w)
    w.show()
    page = w.data_page
    # a window of 4,000 the user set (Task page) is kept and the refusal said; the default window is fitted instead
    # (test_s16_wizard_example_defaults.py)
    w.task_page.window_chosen = True
    page.fasta_edit.setText(str(EXAMPLE_GENOME))
    page.annotation_edit.setText(str(EXAMPLE_ANNOTATION))
    page.refresh_preview()
    qtbot.waitUntil(lambda: page.preview is not None, timeout=PREVIEW_MS)
    preview, text = page.preview, page.preview_label.text()
    assert (preview["window"], preview["context"], preview["window_bases"]) == (4000, 2143, 8286)
    assert preview["valid"]["windows"] == 0 and "0 windows of 4,000" in text
    assert "2,143 bases of context on each side" in text
    assert "needs 8,286" in text and "a window of 2,700 bases or less" in text
    assert "validation fraction to 0.12 or more" in text

    from genoview.core.genome import open_genome
    from genoview.core.training.architectures import get_architecture
    from genoview.core.training.datasets import load_tracks, split_regions
    from genoview.core.training.spec import TrainingSpec

    spec = TrainingSpec(fasta=str(EXAMPLE_GENOME), annotation=str(EXAMPLE_ANNOTATION), valid_fraction=0.12,
                        train_to=page.train_to.value(), test_from=page.test_from.value())
    page.valid_fraction.setValue(0.12)
    page.refresh_preview()
    qtbot.waitUntil(lambda: page.preview is not None and page.preview["valid"]["windows"] == 1, timeout=PREVIEW_MS)
    text = page.preview_label.text()
    assert "1 window of 4,000" in text and "1 windows" not in text and "no checkpoint" not in text
    genome = open_genome(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)   # the run's own validation windows: the same count
    lengths = {s: r.length for s, r in genome.sequences.items()}
    split = split_regions(lengths, spec, None)
    tracks = load_tracks(genome, [r.seqid for r in split.train + split.valid + split.test], spec.feature_types)
    prepared = get_architecture("genecnn").prepare(spec, genome, tracks, split)
    assert len(prepared.eval_dataset) == page.preview["valid"]["windows"] == 1
