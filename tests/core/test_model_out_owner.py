"""`genoview train-lm` and `genoview adapt` write their model as `genoview train` does: in a hidden `.NAME.partial`
folder holding an owner record (pid, host, start time). A second process toward the same --out is refused naming
the first; a crashed writer's leftover is named with how to clear it; a finished model is replaced only with
--overwrite, also when another process finished one there meanwhile."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from genoview.cli import main as cli_main
from genoview.core import store as store_module
from genoview.core.errors import GenoViewInputError
from genoview.core.training import runner

RNG = np.random.default_rng(4)
GENES = ["".join(RNG.choice(list("ACGT"), 60, p=[0.4, 0.1, 0.1, 0.4])) for _ in range(60)]


def _train_lm(tmp_path, out, *extra):
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n" + "\n".join(f"g{i},<{g}>" for i, g in enumerate(GENES)))
    return cli_main(["train-lm", "--architecture", "ngram", "--genes", str(genes), "--out", str(out), *extra])


def _adapt(tmp_path, out, *extra):
    fasta = tmp_path / "genome.fa"
    fasta.write_text(">chr\n" + "".join(RNG.choice(list("ACGT"), 3000)) + "\n")
    return cli_main(["adapt", "--fasta", str(fasta), "--out", str(out), *extra])


def _owner(work, pid, host=None, started="2026-11-30T12:00:00+00:00"):
    work.mkdir(parents=True, exist_ok=True)
    (work / runner.OWNER_FILE).write_text(json.dumps({
        "pid": pid, "host": host or store_module.HOST, "proc_start": store_module._proc_start(pid),
        "started": started}))


@pytest.fixture
def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("command", [_train_lm, _adapt])
def test_a_second_writer_is_refused_naming_the_first(tmp_path, capsys, live_pid, command):
    out = tmp_path / "model"
    work = runner.work_dir_for(out)
    _owner(work, live_pid)
    assert command(tmp_path, out) == 2
    err = capsys.readouterr().err
    assert "is writing a model toward this folder" in err and f"process {live_pid}, started 2026-11-30" in err
    assert str(work) in err and len(err.strip().splitlines()) == 1
    assert command(tmp_path, out, "--overwrite") == 2   # --overwrite never deletes a live writer's folder
    assert (work / runner.OWNER_FILE).is_file() and not out.exists()

    _owner(work, 4242, host="node-elsewhere")   # another host's writer cannot be checked: it counts as live
    assert command(tmp_path, out) == 2
    err = capsys.readouterr().err
    assert "process 4242 on node-elsewhere, started" in err and f"delete {work / runner.OWNER_FILE} first" in err


@pytest.mark.parametrize("command", [_train_lm, _adapt])
def test_a_crashed_writers_leftover_is_named_with_how_to_clear_it(tmp_path, capsys, dead_pid, command):
    out = tmp_path / "model"
    work = runner.work_dir_for(out)
    _owner(work, dead_pid)
    (work / "half-written.bin").write_bytes(b"x")
    assert command(tmp_path, out) == 2
    err = capsys.readouterr().err
    assert f"ended before it finished (process {dead_pid}, started 2026-11-30T12:00:00+00:00)" in err
    assert f"rm -r '{work}'" in err and "--overwrite" in err and (work / "half-written.bin").is_file()
    assert command(tmp_path, out, "--overwrite") == 0   # cleared and written afresh
    assert (out / "genoview.json").is_file() and not (out / "half-written.bin").exists()
    assert not (out / runner.OWNER_FILE).exists() and not work.exists()


def test_a_finished_model_is_replaced_only_with_overwrite(tmp_path, capsys):
    out = tmp_path / "model"
    assert _train_lm(tmp_path, out) == 0
    before = (out / "genoview.json").read_bytes()
    assert _train_lm(tmp_path, out, "--seed", "3") == 2 and "--overwrite" in capsys.readouterr().err
    assert (out / "genoview.json").read_bytes() == before
    assert _adapt(tmp_path, out) == 2 and "--overwrite" in capsys.readouterr().err
    assert (out / "genoview.json").read_bytes() == before

    # another process finished a model in --out while this one worked: its model stays in .partial, named
    target = tmp_path / "raced"
    work = runner.claim_model_out(target, "train-lm", overwrite=False)
    (work / "config.json").write_text("{}")
    target.mkdir()
    (target / "config.json").write_text('{"theirs": 1}')
    with pytest.raises(GenoViewInputError, match="another process saved files in this folder") as exc:
        runner.finish_model_out(work, target, overwrite=False)
    assert str(work) in str(exc.value) and (work / "config.json").is_file()
    assert (target / "config.json").read_text() == '{"theirs": 1}'


def test_the_refusal_names_the_command_that_owns_the_folder(tmp_path, capsys, live_pid):
    """A train-lm refused over an adaptation's folder was told "another `genoview train-lm` is writing" (its own
    command): the owner record keeps the command, and the message names it."""
    out = tmp_path / "model"
    work = runner.work_dir_for(out)
    _owner(work, live_pid)
    record = json.loads((work / runner.OWNER_FILE).read_text())
    (work / runner.OWNER_FILE).write_text(json.dumps({**record, "command": "adapt"}))
    assert _train_lm(tmp_path, out) == 2
    err = capsys.readouterr().err
    assert f"another run is writing a model toward this folder (process {live_pid} of `genoview adapt`, started" in err
    (work / runner.OWNER_FILE).unlink()
    work.rmdir()
    claimed = runner.claim_model_out(out, "train-lm", overwrite=False)   # the record written names its command
    assert json.loads((claimed / runner.OWNER_FILE).read_text())["command"] == "train-lm"
