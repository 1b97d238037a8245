"""Predicting the visible region with GeneORF: the status bar's last stage said the whole genome's gene count ("4,504
genes" for 19 kb of E. coli), as `predict --start/--end` did; a partial region now reads "genes called on the whole
genome". Whole sequences keep the count."""
from __future__ import annotations

from types import SimpleNamespace

from genoview.gui.predict_controller import SequenceTarget


def test_a_partial_region_does_not_show_the_genomes_gene_count(qtbot, open_example_window):
    window = open_example_window()
    controller = window.predict_controller
    seqid = window.session.seqid
    length = window.session.genome.sequences[seqid].length
    said = []
    controller.progress.connect(lambda fraction, message: said.append(message))
    for job_id, (start, end) in enumerate(((100, 900), (0, length)), start=10_000):
        job = SimpleNamespace(id=job_id, context=SimpleNamespace(targets=[SequenceTarget(seqid, start, end, "k")]))
        controller._jobs[job.id] = job
        controller._on_progress(job, 1.0, "4,504 genes")
        controller._jobs.pop(job.id)
    assert said == ["genes called on the whole genome", "4,504 genes"]
