"""A reopened session predicts its tracks one by one (from the cache): each finished prediction called its genes, so
the last contig's calls replaced the shown contig's and the gene-calls row vanished while the disagreements dock spoke
of a contig not shown. The shown sequence's calls now stay when another sequence of the same model finishes."""
from __future__ import annotations

from genoview.gui.session import ProbabilityTrack


def test_the_shown_sequences_calls_stay(qtbot, open_example_window):
    window = open_example_window()
    session = window.session
    shown, other = list(session.genome.sequences)[:2]
    session.navigate_to(shown, 0, 5000)
    for seqid in (shown, other):
        values = session.genome.label_mask(seqid).astype("float32") * 0.9 + 0.05
        session.add_track(ProbabilityTrack(f"toy @ {seqid}", "toy", seqid, values, model_name=""))
    controller = window.predict_controller
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        controller.finished.emit(f"toy @ {shown}")
    qtbot.waitUntil(lambda: window.view.gene_calls.result is not None, timeout=10000)
    with qtbot.waitSignal(window.runner.finished, timeout=3000, raising=False):   # a job, if any, has ended
        controller.finished.emit(f"toy @ {other}")   # a later track of the same model on another sequence
    assert window.view.gene_calls.result.seqid == shown


def test_another_models_track_elsewhere_is_still_called(qtbot, open_example_window):
    window = open_example_window()
    session = window.session
    shown, other = list(session.genome.sequences)[:2]
    values = session.genome.label_mask(other).astype("float32") * 0.9 + 0.05
    session.add_track(ProbabilityTrack(f"solo @ {other}", "solo", other, values, model_name=""))
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.predict_controller.finished.emit(f"solo @ {other}")   # nothing of it on the shown sequence: called
    qtbot.waitUntil(lambda: window.view.gene_calls.result is not None, timeout=10000)
    assert window.view.gene_calls.result.seqid == other
