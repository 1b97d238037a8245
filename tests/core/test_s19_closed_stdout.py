"""H-cli19: a closed standard output. Under torchrun (2 CPU processes, gloo), `predict --bedgraph -` whose reader
stopped left rank 0 before the group's last barrier: rank 1 failed saying another process of the group ended and
torchrun killed it. Rank 0 now meets the barrier, says why it ends, and exits 141; rank 1 ends cleanly. A program
started with standard output closed (`>&-`) printed an AttributeError traceback at its first print ('NoneType'
object has no attribute 'write'): one line now, and predict refuses an output to `-` before any work."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from tests.core.test_prediction import FAKE_MODEL_SCRIPT


@pytest.fixture
def fake(tmp_path):
    script = tmp_path / "fake_genoview.py"
    script.write_text(FAKE_MODEL_SCRIPT)
    rng = np.random.default_rng(3)
    fasta = tmp_path / "genome.fa"
    fasta.write_text(">chr1\n" + "".join(rng.choice(list("ACGT"), size=23_456)) + "\n")
    return script, fasta


def test_torchrun_rank_zero_meets_the_barrier_on_a_closed_pipe(fake):
    dist = pytest.importorskip("torch.distributed")
    if not dist.is_available() or not dist.is_gloo_available():
        pytest.skip("torch.distributed with gloo is not available")
    script, fasta = fake
    process = subprocess.Popen([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                                str(script), "predict", "--model", "slow", "--fasta", str(fasta), "--bedgraph", "-",
                                "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "OMP_NUM_THREADS": "1"})
    process.stdout.close()   # the reader stops before a line is written
    with process.stderr:
        err = process.stderr.read().decode()
    assert process.wait(timeout=300) != 0, err   # torchrun reports rank 0's 141
    assert "another process of this torchrun group ended" not in err and "SIGTERM" not in err, err[-3000:]
    assert "exitcode  : 141" in err and "standard output was closed before all of the output" in err
    assert "wrote" not in err and "[rank0]" not in err   # no traceback of a rank
    from genoview.core.store import open_store

    (run,) = open_store().runs(kind="prediction")
    assert run["status"] == "cancelled" and run["params"]["world_size"] == 2


def _closed_stdout(*argv) -> subprocess.CompletedProcess:
    """``argv`` run with its standard output closed, as `COMMAND >&-` in a shell."""
    return subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-c",
                           "import sys; from genoview.cli import main; sys.exit(main())", *argv],
                          stderr=subprocess.PIPE, text=True, timeout=300, env={**os.environ, "OMP_NUM_THREADS": "1"})


def test_a_closed_standard_output_is_one_line(fake):
    script, fasta = fake
    done = _closed_stdout("models")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr == ("genoview models: error: standard output: closed (the command was started with >&-); "
                           "redirect it to a file or /dev/null\n")
    done = _closed_stdout("predict", "--model", "prodigal", "--fasta", str(fasta), "--bedgraph", "-")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "standard output is closed (the command was started with >&-)" in done.stderr
    assert "predict [" not in done.stderr   # refused before any work


def test_the_window_keeps_no_standard_output_as_python_gives_it(monkeypatch):
    """A windowed bundle (pythonw, PyInstaller --windowed) starts with sys.stdout None, where print() is a no-op;
    the one-line error for a closed standard output is for commands, not for the window, where a print of a
    library would otherwise end in an error."""
    import genoview.cli.gui as gui_command
    from genoview.cli import main

    seen = {}

    def fake_gui(args):
        seen["stdout"] = sys.stdout
        print("a library's print in the window")   # a no-op, as Python makes it with no standard output
        return 0

    monkeypatch.setattr(gui_command, "run", fake_gui)
    monkeypatch.setattr(sys, "stdout", None)
    assert main(["gui"]) == 0
    assert seen["stdout"] is None
