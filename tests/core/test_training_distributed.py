"""The same spec trains data-parallel under torchrun (2 CPU processes, gloo): one model, written by rank 0."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

TINY = {"hidden_size": 8, "dilations": [1, 3], "orf_reach": 90, "chunk_size": 600}


def _torchrun() -> str | None:
    found = Path(sys.executable).with_name("torchrun")
    return str(found) if found.exists() else shutil.which("torchrun")


def test_torchrun_two_cpu_processes_train_one_model(data_dir, tmp_path):
    torch_distributed = pytest.importorskip("torch.distributed")
    torchrun = _torchrun()
    genoview = Path(sys.executable).with_name("genoview")
    if torchrun is None or not genoview.exists() or not torch_distributed.is_gloo_available():
        pytest.skip("torchrun, the genoview script or gloo is not available")
    spec = {"data": {"genomes": [{"fasta": str(data_dir / "engine_tiny.fa"),
                                  "annotation": str(data_dir / "engine_tiny.gff3")}], "split": {"test_from": 0.8}},
            "task": {"window": 300}, "model": {"architecture": "genecnn", "options": TINY},
            "hyperparameters": {"windows_per_epoch": 40, "batch_size": 8, "epochs": 2, "eval_windows": 8},
            "seed": 3, "run": {"num_threads": 1, "log_every": 2}}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    out = tmp_path / "ddp-model"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "GENOVIEW_HOME": str(tmp_path / "home")}
    with socket.socket() as probe:   # a free port for the rendezvous
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.run([torchrun, "--nproc_per_node", "2", "--master_addr", "127.0.0.1", "--master_port", str(port),
                           "--no-python", str(genoview),
                           "train", "--spec", str(tmp_path / "spec.json"), "--out", str(out), "--progress", "json"],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert [e["event"] for e in events].count("done") == 1          # rank 1 reports nothing
    meta = json.loads((out / "genoview.json").read_text())
    assert meta["training"]["processes"] == 2 and meta["training"]["steps"] == 10
    assert meta["metrics"]["test"]["mcc"] is not None
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ddp-model")]
