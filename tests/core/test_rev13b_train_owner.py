"""Two `genoview train` toward one --out: the second is refused while the first lives (it was told to --resume and
both trained into one .partial folder; --overwrite deleted the live run's folder). Under torchrun, a lost peer is
one line, not gloo's traceback."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from genoview.cli import main
from genoview.core.training import runner

GENOVIEW = [sys.executable, "-c", "import sys; from genoview.cli import main; sys.exit(main())"]


def tiny_args(data_dir, out, *extra):
    return ["train", "--fasta", str(data_dir / "engine_tiny.fa"), "--gff", str(data_dir / "engine_tiny.gff3"),
            "--window", "300", "--context", "90", "--model-option", "hidden_size=8", "--model-option",
            "dilations=[1,3]", "--eval-every", "2", "--eval-windows", "4", "--batch-size", "4", "--seed", "5",
            "--threads", "1", "--test-from", "0.8", "--out", str(out), *extra]


def test_a_live_runs_partial_folder_is_refused_to_resume_and_overwrite(data_dir, tmp_path, capsys):
    out = tmp_path / "same"
    work = runner.work_dir_for(out)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    same = ["--max-steps", "100000", "--epochs", "1000", "--patience", "100000"]
    child = subprocess.Popen([*GENOVIEW, *tiny_args(data_dir, out, *same, "--progress", "json")],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 120
        for line in child.stdout:   # the first evaluation: the child trains in its .partial folder
            if json.loads(line).get("event") == "eval" or time.monotonic() > deadline:
                break
        assert child.poll() is None and (work / runner.OWNER_FILE).is_file()
        stop = tmp_path / "stop"   # a second run that did start would stop at its first step (no hang without the fix)
        stop.touch()
        for extra in (["--resume"], ["--overwrite"], []):
            assert main(tiny_args(data_dir, out, *same, "--stop-file", str(stop), *extra)) == 2, extra
            err = capsys.readouterr().err.strip()
            assert "in progress" in err and f"process {child.pid}" in err and len(err.splitlines()) == 1, (extra, err)
        assert work.is_dir() and not out.exists()   # --overwrite left the live run's folder alone
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        child.stdout.close()
    assert runner.live_owner(work) is None   # killed: its folder is free for --resume


def test_a_finished_model_carries_no_owner_record_and_an_early_failure_leaves_no_folder(data_dir, tmp_path,
                                                                                         monkeypatch, capsys):
    out = tmp_path / "m"
    assert main(tiny_args(data_dir, out, "--max-steps", "2")) == 0
    assert not (out / runner.OWNER_FILE).exists() and not runner.work_dir_for(out).exists()

    def fails(*args, **kwargs):
        raise ValueError("broke before the first checkpoint")

    monkeypatch.setattr(runner, "_train_into", fails)
    other = tmp_path / "other"
    try:
        main(tiny_args(data_dir, other, "--max-steps", "2"))
    except ValueError:
        pass
    assert not runner.work_dir_for(other).exists()   # else the next run was told to --resume a run with nothing


def test_a_lost_torchrun_peer_is_one_line_naming_resume(data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("RANK", "0")
    monkeypatch.delenv("GENOVIEW_DEBUG", raising=False)
    out = tmp_path / "m3"
    checkpoint = runner.work_dir_for(out) / "checkpoint-6"

    def peer_gone(*args, **kwargs):
        checkpoint.mkdir(parents=True)
        (checkpoint / "trainer_state.json").write_text("{}")
        raise RuntimeError("[../third_party/gloo/gloo/transport/tcp/pair.cc:537] Read error [127.0.0.1]:29500: "
                           "Connection reset by peer")

    monkeypatch.setattr(runner, "run_training", peer_gone)
    assert main(tiny_args(data_dir, out, "--max-steps", "20")) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "another process of this torchrun group ended" in err, err
    assert "--resume" in err and str(runner.work_dir_for(out)) in err

    def bug(*args, **kwargs):
        raise RuntimeError("a shape mismatch")

    monkeypatch.setattr(runner, "run_training", bug)
    try:
        main(tiny_args(data_dir, out, "--max-steps", "20"))
        raise AssertionError("another RuntimeError keeps its traceback")
    except RuntimeError as exc:
        assert "shape" in str(exc)


def test_a_lost_torchrun_peer_in_predict_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.delenv("GENOVIEW_DEBUG", raising=False)
    fasta = tmp_path / "g.fa"
    fasta.write_text(">c\n" + "ACGT" * 100 + "\n")

    def peer_gone(*args, **kwargs):
        raise RuntimeError("[gloo/transport/tcp/pair.cc:537] Read error: Connection reset by peer")

    monkeypatch.setattr("genoview.cli.predict._run", peer_gone)
    assert main(["predict", str(fasta), "--bedgraph", str(tmp_path / "t.bedGraph")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "another process of this torchrun group ended" in err, err


def test_another_hosts_owner_is_refused_naming_the_record_to_delete(tmp_path):
    """A GENOVIEW shared by a cluster's nodes: another node's pid cannot be checked here, so its run counts as live,
    and the message says what to delete when that node was lost."""
    out = tmp_path / "m"
    work = runner.work_dir_for(out)
    work.mkdir()
    (work / runner.OWNER_FILE).write_text(json.dumps({"pid": 4242, "host": "node-elsewhere", "proc_start": "1"}))
    try:
        runner.claim_work_dir(work, out, new=False)
        raise AssertionError("claimed another host's live run")
    except runner.GenoViewInputError as exc:
        assert "process 4242 on node-elsewhere" in str(exc) and str(work / runner.OWNER_FILE) in str(exc)
    (work / runner.OWNER_FILE).unlink()
    runner.claim_work_dir(work, out, new=False)   # deleted by hand: this process takes it
    assert json.loads((work / runner.OWNER_FILE).read_text())["pid"] == os.getpid()
    runner.release_work_dir(work)
    assert not work.exists()
