"""The Evaluation panel's default-scope line for a model trained on another genome names that genome and says nothing
about adapted models (H-walk18 under Xvfb: genecnn-example-3, trained on example.fa, on E. coli read 'was not
trained on NC_000913.3's annotation: every base's label is new to it (a model adapted to this genome read its
sequence only, never its genes)': it was not adapted to anything)."""
from __future__ import annotations

from genoview.core.evaluation_scope import ModelParts, default_scope


def test_a_model_of_another_genome_is_said_to_be_so():
    parts = ModelParts.from_data("genecnn-example-3", {
        "fasta": "/work/main/resources/example/example.fa",
        "train": [{"seqid": "chrEx", "start": 0, "end": 63000}],
        "valid": [{"seqid": "chrEx", "start": 63000, "end": 70000}],
        "test": [{"seqid": "chrEx", "start": 70000, "end": 100000}]})
    kind, why = default_scope("NC_000913.3", 4_641_652, parts)
    assert kind == "whole"
    assert why == ("genecnn-example-3 was not trained on NC_000913.3's annotation (it was trained on example.fa): "
                   "every base's label is new to it.")
    assert "adapted" not in why
