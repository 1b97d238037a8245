"""Which architectures take a decision threshold is said in one place, the registry (ModelType.settings_key):
`genoview calibrate` kept its own list ("genecnn", "kmer-bert"), so a new thresholded architecture was refused."""
from __future__ import annotations

from dataclasses import replace

from genoview.cli import main as cli_main
from genoview.core.models.registry import MODEL_TYPES, threshold_architectures
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_the_track_models_read_their_section_from_the_registry():
    from genoview.core.models.genecnn.track import GeneCNNTrackModel
    from genoview.core.models.kmer_bert.modeling import KmerBertTrackModel

    assert threshold_architectures() == {"genecnn": "genecnn", "kmer-bert": "kmer_bert"}
    assert GeneCNNTrackModel.settings_key == MODEL_TYPES["genoview-genecnn"].settings_key == "genecnn"
    assert KmerBertTrackModel.settings_key == MODEL_TYPES["bert"].settings_key == "kmer_bert"


def test_calibrate_follows_the_registry(capsys, monkeypatch):
    args = ["calibrate", str(EXAMPLE_GENOME), "--model", "geneorf-bacteria", "--gff", str(EXAMPLE_ANNOTATION)]
    assert cli_main(args) == 2
    err = capsys.readouterr().err
    assert "no adjustable decision threshold (only genecnn and kmer-bert models have one)" in err
    # a row that says it takes a threshold is no longer refused up front (the shipped copy is, as any shipped model)
    monkeypatch.setitem(MODEL_TYPES, "genoview-geneorf", replace(MODEL_TYPES["genoview-geneorf"], settings_key="x"))
    assert "geneorf" in threshold_architectures()
    assert cli_main(args) == 2
    err = capsys.readouterr().err
    assert "no adjustable decision threshold" not in err and "is shipped with GenoView" in err
