"""`genoview predict`, `genoview evaluate` and `genoview models` end to end, checked against score_track.py."""
from __future__ import annotations

import json
import subprocess
import sys
import types

import numpy as np
import pytest

from genoview import paths
from genoview.cli import main
from genoview.core.inference import read_bedgraph, write_bedgraph
from genoview.core.models.base import TrackModel
from genoview.core.store import open_store

SCORED_KEYS = ("n", "tp", "tn", "fp", "fn", "accuracy", "precision", "recall", "f1", "mcc", "roc_auc",
               "genic_fraction", "uncovered")


class GCModel(TrackModel):
    """A chunked fake: probability 0.9 at G/C, 0.2 at A/T, 0.5 at N; it checks the context it is given."""

    context, chunk_size, default_batch_size = 8, 64, 3

    def __init__(self, path):
        self.path, self.name, self.info, self.device = path, path.name, {}, "cpu"

    def predict_chunk(self, codes):
        assert codes.shape[1] == self.chunk_size + 2 * self.context
        centre = codes[:, self.context:self.context + self.chunk_size]
        return np.select([(centre == 1) | (centre == 2), centre == 4], [0.9, 0.5], 0.2).astype(np.float32)


@pytest.fixture
def gc_model(tmp_path, monkeypatch):
    """A model directory 'gc-model' in the user's library, loaded as GCModel through a fake genecnn module."""
    directory = paths.model_library_dir() / "gc-model"
    directory.mkdir()
    (directory / "config.json").write_text(json.dumps({"model_type": "genoview-genecnn"}))
    header = b'{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'
    (directory / "model.safetensors").write_bytes(len(header).to_bytes(8, "little") + header + bytes(4))
    fake = types.ModuleType("genoview.core.models.genecnn")   # the registry's load hook of "genoview-genecnn"
    fake.load = lambda path, *, device, task: GCModel(path)
    monkeypatch.setitem(sys.modules, "genoview.core.models.genecnn", fake)
    return directory


def score_track(script, track, gff, *args) -> dict:
    done = subprocess.run([sys.executable, str(script), str(track), str(gff), *map(str, args)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout[: done.stdout.rindex("}") + 1])


def run_json(capsys, *argv) -> dict:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_predict_whole_genome_writes_bedgraph_genes_and_uses_the_cache(tmp_path, data_dir, gc_model, monkeypatch, capsys):
    fasta = data_dir / "eval_tiny.fa"
    out, genes = tmp_path / "gc.bedGraph", tmp_path / "gc.gff3"
    argv = ["predict", "--model", "gc-model", "--fasta", str(fasta), "--bedgraph", str(out),
            "--gff-out", str(genes), "--threshold", "0.8", "--min-length", "3", "--batch-size", "2"]
    assert main(argv) == 0
    tracks = read_bedgraph(out)
    assert set(tracks) == {"chrA", "chrB"}
    assert tracks["chrA"][0] == 0 and len(tracks["chrA"][1]) == 600 and len(tracks["chrB"][1]) == 300
    text = fasta.read_text().split(">chrA tiny test sequence\n")[1].split(">")[0].replace("\n", "")
    expected = np.where(np.isin(list(text), ["G", "C"]), 0.9, 0.2).astype(np.float32)
    assert np.array_equal(tracks["chrA"][1], expected)
    gff_lines = genes.read_text().splitlines()
    assert gff_lines[0] == "##gff-version 3" and gff_lines.count("##gff-version 3") == 1
    assert {line.split("\t")[0] for line in gff_lines[1:]} == {"chrA", "chrB"}
    assert "wrote" in capsys.readouterr().err

    store = open_store()
    assert [(r["kind"], r["status"]) for r in store.runs()] == [("prediction", "finished")]
    # a second run comes from the cache: the model is not run again
    monkeypatch.setattr(GCModel, "predict_chunk", lambda self, codes: pytest.fail("cache not used"))
    assert main(argv) == 0
    assert np.array_equal(read_bedgraph(out)["chrA"][1], expected)


def test_predict_region_uses_1_based_inclusive_coordinates(tmp_path, data_dir, gc_model):
    out = tmp_path / "region.bedGraph.gz"
    assert main(["predict", "--model", str(gc_model), "--fasta", str(data_dir / "eval_tiny.fa"), "--seqid", "chrA",
                 "--start", "11", "--end", "150", "--bedgraph", str(out), "--no-cache"]) == 0
    start, values = read_bedgraph(out)["chrA"]
    assert (start, len(values)) == (10, 140)
    assert not list(tmp_path.glob(".part-*"))


@pytest.mark.parametrize("extra, message", [
    (["--start", "5"], "--start/--end need --seqid"),
    (["--seqid", "chrB", "--start", "0", "--end", "10"], "is not within chrB"),
    (["--seqid", "chrB", "--end", "301"], "is not within chrB"),
    (["--seqid", "chrZ"], "no sequence 'chrZ'"),
    (["--model", "no-such-model"], "available models: prodigal"),
])
def test_predict_input_errors(tmp_path, data_dir, capsys, extra, message):
    argv = ["predict", "--fasta", str(data_dir / "eval_tiny.fa"), "--bedgraph", str(tmp_path / "x.bg"), *extra]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.bg").exists()


def test_evaluate_bedgraph_agrees_with_score_track(tmp_path, data_dir, score_track_script, capsys):
    gff, fasta = data_dir / "eval_tiny.gff3", data_dir / "eval_tiny.fa"
    rng = np.random.default_rng(11)
    track = tmp_path / "noisy.bedGraph"
    with open(track, "w") as fh:
        a = np.round(rng.random(600), 2)
        a[200:230] = np.nan
        write_bedgraph(fh, "chrA", 0, a)
        write_bedgraph(fh, "chrB", 40, np.round(rng.random(200), 2))   # chrB 0-40 and 240-300 uncovered
    for extra in ([], ["--from", "0.7", "--to", "1.0", "--threshold", "0.45"], ["--fasta", str(fasta)],
                  ["--seqid", "chrB", "--feature-types", "gene"]):
        mine = run_json(capsys, "evaluate", "--bedgraph", str(track), "--gff", str(gff), "--json", *extra)
        reference = score_track(score_track_script, track, gff, *extra)
        for key in SCORED_KEYS:
            assert mine[key] == pytest.approx(reference[key], abs=1e-4), (extra, key)
        assert 0 <= mine["pr_auc"] <= 1
    assert main(["evaluate", "--bedgraph", str(track), "--gff", str(gff)]) == 0
    table = capsys.readouterr().out
    assert "MCC" in table and "ROC AUC" in table and "uncovered" in table


def test_evaluate_with_a_model_predicts_only_the_split(data_dir, gc_model, capsys):
    gff, fasta = data_dir / "eval_tiny.gff3", data_dir / "eval_tiny.fa"
    report = run_json(capsys, "evaluate", "--model", "gc-model", "--fasta", str(fasta), "--gff", str(gff),
                      "--from", "0.5", "--json")
    assert report["n"] == 300 + 150 and report["uncovered"] == 0
    [run] = open_store().runs("evaluation")
    assert run["model"] == "gc-model" and run["metrics"]["mcc"] == pytest.approx(report["mcc"])
    assert main(["evaluate", "--model", "prodigal", "--gff", str(gff)]) == 2
    assert "--model needs --fasta" in capsys.readouterr().err


def test_evaluate_input_errors(tmp_path, data_dir, capsys):
    gff = data_dir / "eval_tiny.gff3"
    track = tmp_path / "t.bedGraph"
    track.write_text("chrA\t0\t10\t0.5\n")
    assert main(["evaluate", "--bedgraph", str(track), "--gff", str(gff), "--feature-types", "mRNA"]) == 2
    assert "the annotation has: gene (4), CDS (2), pseudogene (1)" in capsys.readouterr().err
    no_regions = tmp_path / "plain.gff3"
    no_regions.write_text("".join(line for line in gff.read_text().splitlines(True) if not line.startswith("##seq")))
    assert main(["evaluate", "--bedgraph", str(track), "--gff", str(no_regions)]) == 2
    assert "pass --fasta" in capsys.readouterr().err
    track.write_text("chrB\t250\t400\t0.5\n")
    assert main(["evaluate", "--bedgraph", str(track), "--gff", str(gff)]) == 2
    assert "past its end" in capsys.readouterr().err
    assert main(["evaluate", "--gff", str(gff)]) == 2   # a track or a genome to predict (--fasta: the default model)
    assert "--bedgraph TRACK" in capsys.readouterr().err
    with pytest.raises(SystemExit):   # at most one of --bedgraph and --model
        main(["evaluate", "--gff", str(gff), "--bedgraph", str(track), "--model", "prodigal"])


def test_models_command_lists_builtin_and_library(gc_model, capsys):
    listed = run_json(capsys, "models", "--json")
    names = [m["name"] for m in listed]
    assert "gc-model" in names and "prodigal" in names
    assert sum(m["default"] for m in listed) == 1
    assert set(listed[0]) == {"name", "path", "architecture", "task", "default", "metrics", "description", "broken"}
    assert main(["models"]) == 0
    assert "* = default model" in capsys.readouterr().out


@pytest.mark.realdata
def test_evaluate_ecoli_slice_agrees_with_score_track(tmp_path, ecoli_gff, score_track_script, capsys):
    """The full CLI path (GFF reader labels, bedGraph reader) on E. coli's annotation against the referee."""
    length = 4_641_652
    lo, hi = int(length * 0.7), int(length * 0.765)
    rng = np.random.default_rng(12)
    values = np.repeat(rng.random((hi - lo) // 25 + 1), 25)[: hi - lo]   # 25-base steps: a short bedGraph
    track = tmp_path / "ecoli.bedGraph"
    write_bedgraph(track, "NC_000913.3", lo, values, precision=3)
    args = ["--from", "0.7", "--to", "0.765"]
    mine = run_json(capsys, "evaluate", "--bedgraph", str(track), "--gff", str(ecoli_gff), "--json", *args)
    reference = score_track(score_track_script, track, ecoli_gff, *args)
    for key in SCORED_KEYS:
        assert mine[key] == pytest.approx(reference[key], abs=1e-4), key
    assert mine["n"] == hi - lo


def test_no_cache_predicts_again_and_still_refreshes_the_cache(tmp_path, data_dir, gc_model, monkeypatch):
    # --no-cache recomputes but stores the fresh values (PredictionRequest.use_cache): session 16's read-only-home
    # change made it skip the cache writer, so the run after a --no-cache run predicted again (predict_bench's
    # "cache hit" 0.38 s -> 2.75 s)
    fasta, out = data_dir / "eval_tiny.fa", tmp_path / "gc.bedGraph"
    argv = ["predict", "--model", "gc-model", "--fasta", str(fasta), "--bedgraph", str(out)]
    assert main([*argv, "--no-cache"]) == 0
    expected = read_bedgraph(out)["chrA"][1]
    monkeypatch.setattr(GCModel, "predict_chunk", lambda self, codes: pytest.fail("cache not used"))
    assert main(argv) == 0
    assert np.array_equal(read_bedgraph(out)["chrA"][1], expected)
