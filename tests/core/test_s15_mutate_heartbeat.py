"""`genoview mutate` beats its run's heartbeat while it draws and writes the pairs, as train-lm and score-pairs do:
without it `genoview runs` on another node of a shared GENOVIEW_HOME called a run longer than
GENOVIEW_LOST_AFTER_MIN "lost"; Ctrl+C records it cancelled (it was "failed") (session 15)."""
from __future__ import annotations

import random

import pytest

from genoview.cli import main as cli_main
from genoview.core import store as store_module
from genoview.core.store import open_store
from tests.core.test_hsmall_runs_recorded import beats  # noqa: F401 - fixture


def _genes(tmp_path):
    rng = random.Random(0)
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n" + "\n".join(
        f"{i},<{''.join(rng.choice('ACGT') for _ in range(60))}>" for i in range(20)) + "\n")
    return genes


def test_mutate_beats_while_it_draws_and_writes(tmp_path, beats):  # noqa: F811
    assert cli_main(["mutate", "--genes", str(_genes(tmp_path)), "--max-changes", "2", "--n", "2500", "--seed", "1",
                     "--out", str(tmp_path / "p.csv")]) == 0
    (run,) = open_store().runs("mutate")
    assert run["status"] == "finished" and run["metrics"]["pairs"] == 2500 and "2500 pairs from 20 genes" in run["message"]
    # make_pairs reports every 100 rows (25) and write_pairs every 1,000 (3): each beats (HEARTBEAT_EVERY_S 0)
    assert beats.count(run["id"]) >= 28


def test_a_long_mutate_is_not_lost_on_another_node(tmp_path, monkeypatch):
    """Its heartbeat moves on while it works, so another host's `genoview runs` sees it running, not lost."""
    monkeypatch.setattr(store_module, "HEARTBEAT_EVERY_S", 0.0)
    from genoview.core import mutation

    seen = {}
    real = mutation.make_pairs

    def slow(*args, progress=None, **kwargs):
        store = open_store()
        (run,) = store.runs("mutate")
        with store.connect() as db, db.conn:   # as if it had started an hour ago on another node
            db.execute("UPDATE runs SET started = '2000-01-01T00:00:00+00:00', heartbeat = '2000-01-01T00:00:00+00:00', "
                       "host = 'other-node' WHERE id = ?", [run["id"]])
        assert store.runs("mutate")[0]["status"] == "lost"
        result = real(*args, progress=progress, **kwargs)
        seen["status"] = store.runs("mutate")[0]["status"]
        return result
    monkeypatch.setattr(mutation, "make_pairs", slow)
    assert cli_main(["mutate", "--genes", str(_genes(tmp_path)), "--max-changes", "2", "--n", "50",
                     "--out", str(tmp_path / "p.csv")]) == 0
    assert seen["status"] == "running"


def test_an_interrupted_mutate_is_recorded_cancelled(tmp_path, monkeypatch):
    from genoview.core import mutation

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(mutation, "make_pairs", interrupted)
    with pytest.raises(KeyboardInterrupt):
        from genoview.cli import build_parser, mutate

        mutate.run(build_parser().parse_args(["mutate", "--genes", str(_genes(tmp_path)), "--max-changes", "2",
                                              "--out", str(tmp_path / "p.csv")]))
    (run,) = open_store().runs("mutate")
    assert run["status"] == "cancelled" and not (tmp_path / "p.csv").exists()
