"""`genoview train-lm`, `score-pairs` and `adapt` are recorded in the runs table as `train` and `predict` are (kind,
parameters, state, host, metrics), and beat their heartbeat as they show progress, so `genoview runs` on another
node of a shared GENOVIEW_HOME shows them running, not lost; a failed one is recorded failed."""
from __future__ import annotations

import pytest

from genoview.cli import main as cli_main
from genoview.core import store as store_module
from genoview.core.store import open_store
from tests.core.test_cli_predict_evaluate import gc_model  # noqa: F401 (a fixture)
from tests.core.test_lm import VALID


@pytest.fixture
def beats(monkeypatch):
    """Run ids whose heartbeat was written (every call writes: HEARTBEAT_EVERY_S 0)."""
    seen: list[int] = []
    original = store_module.Store.heartbeat
    monkeypatch.setattr(store_module, "HEARTBEAT_EVERY_S", 0.0)

    def heartbeat(self, run_id, force=False):
        seen.append(run_id)
        return original(self, run_id, force)
    monkeypatch.setattr(store_module.Store, "heartbeat", heartbeat)
    return seen


def _genes(tmp_path):
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n" + "\n".join(f"g{i},<{g}>" for i, g in enumerate(VALID * 4)),
                     encoding="utf-8")
    return genes


def _pairs(tmp_path):
    pairs = tmp_path / "pairs.csv"
    rows = [f"{i},<{g}>,<{g[:3]}{'A' if g[3] != 'A' else 'C'}{g[4:]}>" for i, g in enumerate(VALID)]
    pairs.write_text("NCBIGeneID,RealNucleotideSequence,MutatedNucleotideSequence\n" + "\n".join(rows) + "\n",
                     encoding="utf-8")
    return pairs


def test_train_lm_and_score_pairs_are_recorded_with_heartbeats(tmp_path, beats, capsys):
    out = tmp_path / "my-lm"
    assert cli_main(["train-lm", "--architecture", "ngram", "--genes", str(_genes(tmp_path)), "--out", str(out)]) == 0
    (train,) = open_store().runs(kind="train-lm")
    assert train["status"] == "finished" and train["model"] == "my-lm" and train["host"] == store_module.HOST
    assert train["params"]["architecture"] == "ngram" and train["params"]["output"] == str(out.absolute())
    assert train["metrics"]["validation_perplexity"] > 1 and "validation perplexity" in train["message"]
    assert train["id"] in beats   # its log lines beat

    assert cli_main(["score-pairs", "--model", "my-lm", "--pairs", str(_pairs(tmp_path)), "--json"]) == 0
    (scored,) = open_store().runs(kind="score-pairs")
    assert scored["status"] == "finished" and scored["model"] == "my-lm" and scored["finished"]
    assert scored["metrics"]["n"] == len(VALID) and 0 <= scored["metrics"]["accuracy"] <= 1
    assert scored["params"]["rule"] == "perplexity" and scored["id"] in beats
    capsys.readouterr()


def test_a_failed_score_pairs_run_is_recorded_failed(tmp_path, monkeypatch):
    from genoview.core import lm_scoring

    out = tmp_path / "lm"
    assert cli_main(["train-lm", "--architecture", "ngram", "--genes", str(_genes(tmp_path)), "--out", str(out)]) == 0

    def broken(*args, **kwargs):
        raise RuntimeError("scorer broke")
    monkeypatch.setattr(lm_scoring, "score_pairs", broken)
    with pytest.raises(RuntimeError):
        from genoview.cli import score_pairs
        score_pairs.run(type("Args", (), {"model": [str(out)], "pairs": str(_pairs(tmp_path)), "rule": "perplexity",
                                           "json": True, "out": None, "device": None})())
    (failed,) = open_store().runs(kind="score-pairs")
    assert failed["status"] == "failed" and failed["message"] == "scorer broke"


def test_adapt_is_recorded_with_heartbeats(tmp_path, beats):
    from genoview.cli.adapt import adapt_model
    from tests.core.test_adapt import _tiny_geneorf
    from tests.core.test_genecalls import _synthetic_genome

    codes, _ = _synthetic_genome(seed=5, genes=12)
    fasta = tmp_path / "genome.fa"
    fasta.write_text(">chr\n" + "".join("ACGTN"[c] for c in codes) + "\n")
    adapt_model(str(_tiny_geneorf(tmp_path / "parent")), str(fasta), tmp_path / "adapted", name="tiny-adapted",
                command="genoview adapt ...")
    (run,) = open_store().runs(kind="adapt")
    assert run["status"] == "finished" and run["model"] == "tiny-adapted" and run["params"]["parent"] == "tiny-geneorf"
    assert run["metrics"]["genetic_code"] in (4, 11) and "adapted to genome.fa" in run["message"]
    assert run["id"] in beats


def test_evaluate_is_recorded_from_its_start_with_heartbeats(data_dir, gc_model, beats, monkeypatch, capsys):
    from genoview.core import evaluation

    gff, fasta = data_dir / "eval_tiny.gff3", data_dir / "eval_tiny.fa"
    assert cli_main(["evaluate", "--model", "gc-model", "--fasta", str(fasta), "--gff", str(gff), "--json",
                     "--no-cache"]) == 0
    (run,) = open_store().runs(kind="evaluation")
    assert run["status"] == "finished" and "mcc" in run["metrics"] and run["id"] in beats   # the prediction beat it

    def broken(*args, **kwargs):
        raise RuntimeError("evaluation broke")
    monkeypatch.setattr(evaluation, "evaluate_sequences", broken)
    with pytest.raises(RuntimeError):
        cli_main(["evaluate", "--model", "gc-model", "--fasta", str(fasta), "--gff", str(gff)])
    newest = open_store().runs(kind="evaluation")[0]
    assert newest["status"] == "failed" and newest["message"] == "evaluation broke"   # was never recorded
    capsys.readouterr()
