"""Evaluation scope in core: the model's held-out part from its record, scopes in users' words, the
training-overlap warning, scoring predicted bases only; `genoview evaluate`'s seqid and origin checks."""
from __future__ import annotations

import json

import numpy as np
import pytest

from genoview.cli import main
from genoview.core.evaluation import evaluate, split_slice
from genoview.core.evaluation_scope import (
    ModelParts,
    Region,
    coverage_sentence,
    default_scope,
    describe_part,
    evaluate_scope,
    make_scope,
    model_parts,
    scope_choices,
    training_warning,
)
from genoview.core.genome import split_bounds

LENGTH = 1000
DATA = {"fasta": "g.fa", "train": [{"seqid": "chrA", "start": 0, "end": 630}],
        "valid": [{"seqid": "chrA", "start": 630, "end": 700}], "test": [{"seqid": "chrA", "start": 700, "end": 1000}]}


@pytest.fixture
def parts():
    return ModelParts.from_data("toy", DATA)


def test_split_bounds_are_computed_in_one_place():
    for length, a, b in ((4_641_652, 0.7, 1.0), (999, 0.25, 0.8), (7, 0.0, 0.5)):
        assert split_slice(length, a, b) == slice(*split_bounds(length, a, b)) == slice(int(length * a), int(length * b))
    with pytest.raises(ValueError):
        split_bounds(10, 0.8, 0.2)


def test_held_out_part_comes_from_the_record(parts):
    assert parts.held_out("chrA", LENGTH) == Region("chrA", 700, 1000)
    assert parts.held_out("chrA", 900) is None          # same name, shorter: another assembly
    assert parts.held_out("chrB", LENGTH) is None       # not trained on it
    assert ModelParts.from_data("x", {}) is None and ModelParts.from_data("x", None) is None
    assert ModelParts.from_data("x", {"train": [{"seqid": "a"}]}) is None   # a malformed record is no record


def test_model_parts_reads_the_metadata_of_a_model_folder(tmp_path):
    (tmp_path / "genoview.json").write_text(json.dumps({"name": "toy", "data": DATA}))
    assert model_parts(str(tmp_path)).held_out("chrA", LENGTH) == Region("chrA", 700, 1000)
    assert model_parts("prodigal") is None and model_parts("") is None
    assert model_parts(str(tmp_path / "missing")) is None     # never raises: evaluation falls back to whole


def test_default_scope_in_words(parts):
    kind, why = default_scope("chrA", LENGTH, parts)
    assert kind == "held-out" and "toy was trained on the first 63% of chrA" in why and "last 30%" in why
    kind, why = default_scope("chrB", LENGTH, parts)
    assert kind == "whole" and "not trained on chrB" in why
    assert default_scope("chrA", LENGTH, None, "prodigal") == (
        "whole", "prodigal records no training split on this genome, so the whole sequence is scored.")
    assert describe_part(700, 1000, 1000) == "last 30%" and describe_part(0, 630, 1000) == "first 63%"


def test_choices_and_the_training_warning(parts):
    choices = scope_choices("chrA", LENGTH, parts, visible=Region("chrA", 100, 200))
    assert [c.kind for c in choices] == ["held-out", "whole", "visible", "selection"]
    assert choices[0].name == "Held-out part of toy (last 30%)"
    assert choices[3].region is None and "nothing selected" in choices[3].unavailable
    assert training_warning(parts, "chrA", 700, 1000, LENGTH) == ""
    warning = training_warning(parts, "chrA", 0, 1000, LENGTH)
    assert "trained on 63% of these bases" in warning and "threshold on 7%" in warning and "flatter" in warning
    assert training_warning(parts, "chrB", 0, 1000, LENGTH) == ""
    # only the bases scored count: a whole-sequence scope predicted on the held-out part only is fair
    assert training_warning(parts, "chrA", 0, 1000, LENGTH, runs=[(700, 1000)]) == ""
    assert "trained on 50% of these bases" in training_warning(parts, "chrA", 0, 1000, LENGTH, runs=[(500, 600), (900, 1000)])
    scope = make_scope("t", choices[1], ("gene",), LENGTH, parts)
    assert scope.kind == "whole" and scope.warning == warning and scope.description == "whole sequence chrA (1-1,000)"


def test_not_predicted_bases_are_left_out_not_zero(parts):
    rng = np.random.default_rng(1)
    labels = rng.random(LENGTH) < 0.6
    probs = np.clip(labels * 0.4 + rng.random(LENGTH) * 0.6, 0, 1).astype(np.float32)
    scope = make_scope("t", scope_choices("chrA", LENGTH, parts)[0], ("gene",), LENGTH, parts)
    values = probs[700:1000].copy()
    values[150:] = np.nan
    result = evaluate_scope(labels, values, scope, 0.5)
    expected = evaluate(labels[700:850], probs[700:850], 0.5)
    assert (result.report.tp, result.report.fn, result.report.fp, result.report.tn) == \
        (expected.tp, expected.fn, expected.fp, expected.tn)
    assert result.not_predicted == 150 and result.report.uncovered == 0
    assert coverage_sentence(scope, result.n_predicted) == (
        "Predicted 50% of the held-out part (150 of 300 bases): the numbers cover those bases only; "
        "predict the rest to score it all.")
    # error stretches never include bases without a prediction
    for kind in ("fp", "fn"):
        assert all(end <= 850 for _, end in result.error_intervals(0.5, kind))
    assert evaluate_scope(labels, np.full(300, np.nan, np.float32), scope, 0.5) is None
    assert coverage_sentence(scope, 0, "toy").startswith("Not predicted: toy has no predictions in the held-out part")


# --- genoview evaluate: seqids and the origin ----------------------------------------------------------

GFF_HEAD = "##gff-version 3\n##sequence-region chrA 1 600\n##sequence-region chrB 1 300\n"


def _bedgraph(path, rows):
    path.write_text("".join(f"{s}\t{a}\t{b}\t{v}\n" for s, a, b, v in rows))
    return path


def test_evaluate_refuses_track_seqids_the_genome_lacks(tmp_path, data_dir, capsys):
    track = _bedgraph(tmp_path / "t.bedGraph", [("chrA", 0, 600, 0.5), ("chr1", 0, 100, 0.9)])
    assert main(["evaluate", "--bedgraph", str(track), "--gff", str(data_dir / "eval_tiny.gff3")]) == 2
    err = capsys.readouterr().err
    assert "sequence 'chr1', which the annotation does not have (it has: chrA, chrB)" in err
    assert "another genome" in err


def test_evaluate_refuses_annotation_seqids_the_genome_lacks(tmp_path, data_dir, capsys):
    gff = tmp_path / "a.gff3"
    gff.write_text(GFF_HEAD + "chrA\tt\tgene\t11\t150\t.\t+\t.\tID=a\nchrZ\tt\tgene\t1\t90\t.\t+\t.\tID=z\n")
    track = _bedgraph(tmp_path / "t.bedGraph", [("chrA", 0, 600, 0.5)])
    assert main(["evaluate", "--bedgraph", str(track), "--gff", str(gff),
                 "--fasta", str(data_dir / "eval_tiny.fa")]) == 2
    err = capsys.readouterr().err
    assert "line 5" in err and "sequence 'chrZ' is not in the genome" in err
    # --seqid chrA does not hide it: the annotation is checked against the whole genome
    assert main(["evaluate", "--bedgraph", str(track), "--gff", str(gff), "--seqid", "chrA"]) == 2
    assert "'chrZ' is not in the annotation's ##sequence-region lines" in capsys.readouterr().err


def test_evaluate_refuses_features_past_the_end_of_a_linear_sequence(tmp_path, data_dir, capsys):
    """Never clipped silently: past a ##sequence-region the reader reports the line; past the FASTA's end, an error."""
    gff = tmp_path / "a.gff3"
    gff.write_text("##gff-version 3\nchrB\tt\tgene\t250\t320\t.\t+\t.\tID=b\n")
    track = _bedgraph(tmp_path / "t.bedGraph", [("chrB", 0, 300, 0.5)])
    assert main(["evaluate", "--bedgraph", str(track), "--gff", str(gff), "--fasta", str(data_dir / "eval_tiny.fa")]) == 2
    err = capsys.readouterr().err
    assert "line 2: feature ends at 320, past the end of chrB (300 bases)" in err and "Is_circular=true" in err


def test_evaluate_labels_an_origin_crossing_feature_on_both_sides(tmp_path, capsys):
    gff = tmp_path / "a.gff3"
    gff.write_text(GFF_HEAD + "chrB\tt\tregion\t1\t300\t.\t+\t.\tID=r;Is_circular=true\n"
                              "chrB\tt\tgene\t281\t320\t.\t+\t.\tID=ori\n")   # 280..300 and 0..20
    values = np.zeros(300)
    values[280:] = values[:20] = 1.0
    track = _bedgraph(tmp_path / "t.bedGraph", [("chrB", i, i + 1, v) for i, v in enumerate(values)])
    capsys.readouterr()
    assert main(["evaluate", "--bedgraph", str(track), "--gff", str(gff), "--seqid", "chrB", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["tp"], report["fp"], report["fn"]) == (40, 0, 0) and report["mcc"] == pytest.approx(1.0)


def test_scored_parts_default_to_the_models_held_out_part(parts):
    from types import SimpleNamespace

    from genoview.cli.evaluate import scored_parts

    args = SimpleNamespace(frac_from=None, frac_to=None)
    chosen, notes = scored_parts(args, {"chrA": LENGTH, "chrB": 500}, parts)
    assert chosen == {"chrA": (700, 1000), "chrB": (0, 500)}
    assert len(notes) == 1 and "held-out part of toy on chrA (last 30%, bases 701-1,000)" in notes[0]
    args = SimpleNamespace(frac_from=0.0, frac_to=None)     # an explicit split wins
    assert scored_parts(args, {"chrA": LENGTH}, parts) == ({"chrA": (0, 1000)}, [])


@pytest.fixture
def recorded_model(monkeypatch):
    """A library model 'held-model' (a fake GeneCNN: 0.9 on G/C) whose genoview.json records training on chrA
    [0, 360), validation [360, 420) and test [420, 600) of eval_tiny.fa."""
    import sys
    import types

    from genoview import paths
    from genoview.core.models.base import TrackModel

    class GCModel(TrackModel):
        context, chunk_size, default_batch_size = 8, 64, 3

        def __init__(self, path):
            self.path, self.name, self.info, self.device = path, path.name, {}, "cpu"

        def predict_chunk(self, codes):
            centre = codes[:, self.context:self.context + self.chunk_size]
            return np.where((centre == 1) | (centre == 2), 0.9, 0.2).astype(np.float32)

    directory = paths.model_library_dir() / "held-model"
    directory.mkdir(parents=True)
    (directory / "config.json").write_text(json.dumps({"model_type": "genoview-genecnn"}))
    header = b'{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'
    (directory / "model.safetensors").write_bytes(len(header).to_bytes(8, "little") + header + bytes(4))
    region = lambda a, b: [{"seqid": "chrA", "start": a, "end": b}]
    (directory / "genoview.json").write_text(json.dumps({
        "name": "held-model", "architecture": "genecnn", "task": "gene-probability",
        "data": {"train": region(0, 360), "valid": region(360, 420), "test": region(420, 600)}}))
    fake = types.ModuleType("genoview.core.models.genecnn")
    fake.load = lambda path, *, device, task: GCModel(path)
    monkeypatch.setitem(sys.modules, "genoview.core.models.genecnn", fake)
    return directory


def test_evaluate_a_model_on_its_held_out_part_by_default_and_warn_on_its_training_part(
        recorded_model, data_dir, capsys):
    fasta, gff = data_dir / "eval_tiny.fa", data_dir / "eval_tiny.gff3"
    capsys.readouterr()
    assert main(["evaluate", "--model", "held-model", "--fasta", str(fasta), "--gff", str(gff), "--json"]) == 0
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert report["n"] == 180 + 300     # chrA's held-out part; chrB (not trained on) whole
    assert "held-out part of held-model on chrA (last 30%, bases 421-600)" in out.err
    assert "warning" not in out.err
    assert main(["evaluate", "--model", "held-model", "--fasta", str(fasta), "--gff", str(gff),
                 "--from", "0", "--to", "1", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["n"] == 900
    assert "warning: held-model was trained on 60% of these bases and chose its threshold on 10% of them" in out.err
