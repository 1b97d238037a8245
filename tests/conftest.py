"""Shared fixtures: tiny files in tests/data, the real E. coli data in ../shared/data (optional unless CI)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"
SHARED_DATA = Path(os.environ.get("GENOVIEW_SHARED_DATA", TESTS_DIR.parent.parent / "shared" / "data"))
REQUIRE_DATA = os.environ.get("GENOVIEW_REQUIRE_DATA") == "1"

ECOLI_FASTA = SHARED_DATA / "ecoli-k12-mg1655" / "GCF_000005845.2_ASM584v2_genomic.fna.gz"
ECOLI_GFF = SHARED_DATA / "ecoli-k12-mg1655" / "GCF_000005845.2_ASM584v2_genomic.gff.gz"
HUMAN_GENES = SHARED_DATA / "human-genes" / "train_genes.csv.gz"
SCORE_TRACK = SHARED_DATA.parent / "tools" / "score_track.py"


def _need(path: Path) -> Path:
    if not path.exists():
        if REQUIRE_DATA:
            pytest.fail(f"GENOVIEW_REQUIRE_DATA=1 but {path} is missing")
        pytest.skip(f"real data not present: {path}")
    return path


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own GenoView home: no test reads or writes the user's real settings or library."""
    home = tmp_path_factory.mktemp("genoview-home")
    monkeypatch.setenv("GENOVIEW_HOME", str(home))
    yield home


@pytest.fixture
def read_only_database(monkeypatch):
    """Call it to make every SQLite database read-only as SQLite sees it (a ``mode=ro`` connection: a GENOVIEW_HOME
    mounted read-only), which holds under root too, where a chmod does not; ``monkeypatch.undo()`` ends it."""
    import sqlite3

    from genoview.core import store as store_module

    real_connect = sqlite3.connect

    def make() -> None:
        monkeypatch.setattr(store_module.sqlite3, "connect",
                            lambda path, **k: real_connect(f"file:{path}?mode=ro", uri=True, **k))
    return make


@pytest.fixture
def read_only_home(monkeypatch, read_only_database):
    """Call it to make the test's GENOVIEW_HOME a read-only one that was set up: its database exists at the current
    schema (so it is only read) and then cannot be written, and a store found writable is asked again at once."""
    from genoview.core import store as store_module

    def make() -> None:
        store_module.open_store()
        monkeypatch.setattr(store_module, "WRITABLE_RECHECK_S", 0.0)   # asked again at once (else after a minute)
        read_only_database()
    return make


@pytest.fixture
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture
def tiny_cds_gff(tmp_path) -> Path:
    """engine_tiny.gff3's genes, each with a CDS child (GeneORF learns from CDS), written under tmp_path."""
    lines = []
    for line in (DATA_DIR / "engine_tiny.gff3").read_text().splitlines():
        lines.append(line)
        f = line.split("\t")
        if len(f) == 9 and f[2] == "gene":
            lines.append("\t".join(f[:2] + ["CDS"] + f[3:7] + ["0", "Parent=" + f[8].split(";")[0][3:]]))
    path = tmp_path / "tiny_cds.gff3"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def geneorf_parent(tmp_path, tiny_cds_gff):
    """A GeneORF model trained on engine_tiny (2 epochs, seed 2): (model dir, FASTA, GFF with CDS)."""
    from genoview.core.training.runner import run_training
    from genoview.core.training.spec import TrainingSpec

    fasta = str(DATA_DIR / "engine_tiny.fa")
    spec = TrainingSpec(architecture="geneorf", fasta=fasta, annotation=str(tiny_cds_gff), epochs=2, num_threads=1,
                        seed=2)
    run_training(spec, tmp_path / "orf-parent", name="orf-parent")
    return tmp_path / "orf-parent", fasta, str(tiny_cds_gff)


def parent_without_its_genomes(parent_dir, tmp_path) -> Path:
    """A copy of a GeneORF parent whose genoview.json names training genome files that do not exist."""
    import json
    import shutil

    moved = tmp_path / "moved-parent"
    shutil.copytree(parent_dir, moved)
    info = json.loads((moved / "genoview.json").read_text())
    for g in info["training"]["spec"]["genomes"]:
        g["fasta"] = str(tmp_path / "gone.fa")
    (moved / "genoview.json").write_text(json.dumps(info))
    return moved


def fine_tune_geneorf(parent_dir, fasta, gff, out, **options):
    """Fine-tune a GeneORF parent (seed 1, one thread, model options as keywords): (result, genoview.json)."""
    import json

    from genoview.core.training.runner import run_training
    from genoview.core.training.spec import TrainingSpec

    spec = TrainingSpec(architecture="geneorf", fasta=fasta, annotation=gff, init_from=str(parent_dir), max_minutes=5,
                        num_threads=1, seed=1, model_options=options)
    result = run_training(spec, out, name=out.name)
    return result, json.loads((out / "genoview.json").read_text())


@pytest.fixture(scope="session")
def ecoli_fasta() -> Path:
    return _need(ECOLI_FASTA)


@pytest.fixture(scope="session")
def ecoli_gff() -> Path:
    return _need(ECOLI_GFF)


@pytest.fixture(scope="session")
def human_genes_csv() -> Path:
    return _need(HUMAN_GENES)


@pytest.fixture(scope="session")
def score_track_script() -> Path:
    return _need(SCORE_TRACK)


@pytest.fixture
def fail_csv_after(monkeypatch):
    """``fail_csv_after(module, exc, rows=2)``: ``module``'s ``csv.writer`` writes ``rows`` rows, then raises ``exc``
    (a write that fails halfway: a full disk, Ctrl-C), for tests that the earlier file survives."""
    def install(module, exc: BaseException, rows: int = 2) -> None:
        real_writer = module.csv.writer

        class Failing:
            def __init__(self, handle, *args, **kwargs):
                self.inner, self.rows = real_writer(handle, *args, **kwargs), 0

            def writerow(self, row):
                self.rows += 1
                if self.rows > rows:
                    raise exc
                self.inner.writerow(row)

        monkeypatch.setattr(module.csv, "writer", Failing)
    return install


@pytest.fixture
def live_pid():
    """The pid of a process that lives for the test (a running writer's owner record, an import in progress)."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield child.pid
    child.kill()
    child.wait()
