"""The one prediction service: checks before any work, outputs that never lose data (also under kill -9),
runs that end honestly, a cache key holding every parameter that changes values, streaming writers,
uint16 tracks, and torchrun sharding identical to one process."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from genoview.cli import main
from genoview.core.errors import Cancelled, GenoViewInputError
from genoview.core.genome import encode, open_genome
from genoview.core.inference import BedGraphWriter, read_bedgraph, write_bedgraph
from genoview.core.jobs import CancelToken
from genoview.core.models.base import TrackModel
from genoview.core.prediction import Cached, Done, PredictionRequest, Tile, predict, predict_values
from genoview.core.store import Store, open_store, temp_name
from genoview.core.tracks import NOT_PREDICTED, SparseTrack, dequantise, quantise, round_trip

# A chunked fake model for subprocesses: GC 0.9, AT 0.1; SLOW_S seconds per batch; PAUSE_IN_FINISH makes the
# output phase announce itself (a file) and wait, so a test can kill the process while it writes outputs;
# TILE_MARK names a file written as each batch is predicted.
FAKE_MODEL_SCRIPT = textwrap.dedent('''
    import os, sys, time
    from pathlib import Path
    import numpy as np
    from genoview.core import models
    from genoview.core.models.base import TrackModel

    class Slow(TrackModel):
        name, context, chunk_size, default_batch_size = "slow", 8, 1000, 2

        def __init__(self):
            self.info, self.device = {"version": "1"}, "cpu"

        def predict_chunk(self, codes):
            if os.environ.get("TILE_MARK"):
                Path(os.environ["TILE_MARK"]).write_text("predicting")
            time.sleep(float(os.environ.get("SLOW_S", "0")))
            centre = codes[:, 8:-8]
            return np.where((centre == 1) | (centre == 2), 0.9, 0.1).astype(np.float32)

    real_load, real_resolve = models.load_model, models.resolve_model_dir
    models.load_model = lambda name, device=None, **kw: Slow() if name == "slow" else real_load(name, device, **kw)
    models.resolve_model_dir = lambda name: None if name == "slow" else real_resolve(name)
    if os.environ.get("PAUSE_IN_FINISH"):
        from genoview.core import prediction
        real_finish = prediction._Outputs.finish

        def finish(self, *args, **kwargs):
            count = real_finish(self, *args, **kwargs)
            Path(os.environ["PAUSE_IN_FINISH"]).write_text("writing")
            time.sleep(60)
            return count

        prediction._Outputs.finish = finish
    from genoview.cli import main
    sys.exit(main(sys.argv[1:]))
''')


class GCModel(TrackModel):
    name, context, chunk_size, default_batch_size = "gc", 8, 1000, 2

    def __init__(self, delay_s: float = 0.0):
        self.info, self.device, self.delay_s, self.batches = {"version": "1"}, "cpu", delay_s, 0

    def predict_chunk(self, codes):
        self.batches += 1
        time.sleep(self.delay_s)
        centre = codes[:, self.context:-self.context]
        return np.where((centre == 1) | (centre == 2), 0.9, 0.1).astype(np.float32)


def gc_values(record, start=0, end=None) -> np.ndarray:
    codes = encode(record.fetch(start, record.length if end is None else end))
    return round_trip(np.where((codes == 1) | (codes == 2), 0.9, 0.1).astype(np.float32))


@pytest.fixture
def genome_file(tmp_path) -> Path:
    rng = np.random.default_rng(3)
    fasta = tmp_path / "genome.fa"
    with open(fasta, "w") as fh:
        for seqid, length in (("chr1", 23_456), ("chr2", 7_001)):
            text = "".join(rng.choice(list("ACGT"), size=length))
            fh.write(f">{seqid}\n" + "\n".join(text[i:i + 70] for i in range(0, length, 70)) + "\n")
    return fasta


@pytest.fixture
def fake_script(tmp_path) -> Path:
    script = tmp_path / "fake_genoview.py"
    script.write_text(FAKE_MODEL_SCRIPT)
    return script


def run_fake(script, *args, env=None, wait=True, **kwargs):
    full_env = {**os.environ, "OMP_NUM_THREADS": "1", **(env or {})}
    command = [sys.executable, str(script), "predict", "--model", "slow", *map(str, args)]
    if not wait:
        return subprocess.Popen(command, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=full_env, capture_output=True, text=True, timeout=120, **kwargs)


def events_of(request, cancel=None):
    return list(predict(request, cancel))


# --- checks before any work -------------------------------------------------------------------------------
@pytest.mark.parametrize("batch", ["-1", "0"])
def test_a_batch_size_below_one_is_refused_before_any_work(genome_file, tmp_path, capsys, batch):
    out = tmp_path / "out.bg"
    assert main(["predict", "--model", "prodigal", "--fasta", str(genome_file), "--bedgraph", str(out),
                 "--batch-size", batch]) == 2
    assert "batch size" in capsys.readouterr().err and not out.exists()
    assert open_store().runs() == []   # nothing started, nothing cached


@pytest.mark.parametrize("flag", ["--bedgraph", "--gff-out", "--bigwig"])
def test_an_output_naming_the_input_is_refused_and_the_genome_kept(genome_file, tmp_path, capsys, flag):
    before = genome_file.read_bytes()
    link = tmp_path / "same-genome.fa"
    os.link(genome_file, link)   # another name for the same file: compared by inode, not by name
    for target in (genome_file, link):
        assert main(["predict", "--model", "prodigal", "--fasta", str(genome_file), flag, str(target)]) == 2
        err = capsys.readouterr().err
        assert str(genome_file) in err and str(target) in err and "input" in err
    assert genome_file.read_bytes() == before
    assert open_store().runs() == []


def test_two_outputs_with_one_name_and_missing_folders_are_refused(genome_file, tmp_path, capsys):
    out = tmp_path / "x.txt"
    assert main(["predict", "--model", "prodigal", "--fasta", str(genome_file), "--bedgraph", str(out),
                 "--gff-out", str(out)]) == 2
    assert "same file" in capsys.readouterr().err
    assert main(["predict", "--model", "prodigal", "--fasta", str(genome_file), "--bedgraph",
                 str(tmp_path / "nowhere" / "x.bg")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["predict", "--model", "prodigal", "--fasta", str(genome_file)]) == 2
    assert "nothing to write" in capsys.readouterr().err


def test_regions_outside_a_sequence_are_refused(genome_file):
    with open_genome(genome_file) as genome:
        for regions in ([("chr2", 0, 7002)], [("chr2", -1, 10)], [("chr2", 10, 10)], [("chrZ", 0, 10)]):
            with pytest.raises(GenoViewInputError):
                events_of(PredictionRequest(genome, GCModel(), regions=regions))


def test_a_locked_database_is_a_message(genome_file, tmp_path, capsys, monkeypatch):
    store = open_store()
    holder = sqlite3.connect(store.path)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setenv("GENOVIEW_DB_TIMEOUT", "0.1")
    try:
        assert main(["predict", "--model", "prodigal", "--fasta", str(genome_file), "--bedgraph",
                     str(tmp_path / "x.bg")]) == 2
    finally:
        holder.rollback()
        holder.close()
    err = capsys.readouterr().err
    assert "genoview.db" in err and "locked by another GenoView process" in err
    assert not (tmp_path / "x.bg").exists() and not list(tmp_path.glob(".*tmp"))


# --- values, cache, streaming ------------------------------------------------------------------------------
def test_values_tiles_and_cache(genome_file):
    with open_genome(genome_file) as genome:
        record = genome.sequences["chr1"]
        model = GCModel()
        request = PredictionRequest(genome, model, regions=[("chr1", 1500, 20_001)], keep_values=True)
        events = events_of(request)
        tiles = [e for e in events if isinstance(e, Tile)]
        assert tiles[0].start == 1500 and tiles[-1].end == 20_001 and model.batches == 10
        [done] = [e for e in events if isinstance(e, Done)]
        np.testing.assert_array_equal(done.result.values[0], gc_values(record, 1500, 20_001))
        again = events_of(request)   # from the cache, bit for bit, the model not run again
        assert model.batches == 10 and any(isinstance(e, Cached) for e in again)
        np.testing.assert_array_equal(again[-1].result.values[0], done.result.values[0])
        assert [r["status"] for r in open_store().runs("prediction")] == ["finished", "finished"]


def test_the_cache_key_holds_every_parameter_that_changes_values(genome_file):
    """Batch size changes a real model's float sums in the last bits (oneDNN kernels): keyed, never shared."""
    with open_genome(genome_file) as genome:
        model = GCModel()
        predict_values(model, genome, [("chr2", 0, 7001)], batch_size=2)
        runs = model.batches
        predict_values(model, genome, [("chr2", 0, 7001)], batch_size=2)
        assert model.batches == runs   # same parameters: cached
        predict_values(model, genome, [("chr2", 0, 7001)], batch_size=1)
        assert model.batches > runs    # another batch size: predicted again
        runs = model.batches
        predict_values(model, genome, [("chr2", 0, 7001)], batch_size=1, use_cache=False)
        assert model.batches > runs    # --no-cache predicts again


def test_cancel_leaves_no_cache_entry_no_output_and_a_cancelled_run(genome_file, tmp_path):
    with open_genome(genome_file) as genome:
        cancel = CancelToken()
        out = tmp_path / "out.bg"
        out.write_text("an older track\n")
        seen = []
        with pytest.raises(Cancelled):
            for event in predict(PredictionRequest(genome, GCModel(), bedgraph=out), cancel):
                seen.append(event)
                if isinstance(event, Tile):
                    cancel.cancel()
        assert out.read_text() == "an older track\n" and sorted(p.name for p in tmp_path.iterdir()) == ["genome.fa",
                                                                                                        "out.bg"]
        store = open_store()
        assert store.runs()[0]["status"] == "cancelled"
        assert not list(store.cache_dir.glob("*")) if store.cache_dir.exists() else True


def test_streamed_bedgraph_bigwig_and_gff_agree(genome_file, tmp_path):
    pybigtools = pytest.importorskip("pybigtools")
    bedgraph, bigwig, gff = tmp_path / "t.bg.gz", tmp_path / "t.bw", tmp_path / "t.gff3"
    with open_genome(genome_file) as genome:
        events_of(PredictionRequest(genome, GCModel(), bedgraph=bedgraph, bigwig=bigwig, gff_out=gff,
                                    threshold=0.5, min_length=5))
        tracks = read_bedgraph(bedgraph)
        for seqid, record in genome.sequences.items():
            expected = np.round(gc_values(record).astype(np.float64), 4)
            assert tracks[seqid][0] == 0
            np.testing.assert_allclose(tracks[seqid][1], expected, atol=1e-6)
            with pybigtools.open(str(bigwig)) as bw:
                np.testing.assert_allclose(bw.values(seqid, 0, record.length, fillna=None), expected, atol=1e-6)
    lines = gff.read_text().splitlines()
    assert lines[0] == "##gff-version 3" and lines.count("##gff-version 3") == 1 and len(lines) > 10


def test_the_bedgraph_writer_merges_runs_across_tiles():
    import io

    values = np.repeat(np.array([0.1, 0.5, np.nan, 0.5, 0.9], dtype=np.float32), [30, 20, 5, 25, 40])
    whole, pieces = io.StringIO(), io.StringIO()
    write_bedgraph(whole, "c", 100, values)
    writer = BedGraphWriter(pieces)
    for a in range(0, len(values), 7):
        writer.add("c", 100 + a, values[a:a + 7])
    writer.close()
    assert pieces.getvalue() == whole.getvalue()
    assert whole.getvalue().splitlines() == ["c\t100\t130\t0.1000", "c\t130\t150\t0.5000", "c\t155\t180\t0.5000",
                                             "c\t180\t220\t0.9000"]


def test_sparse_tracks_hold_only_what_was_predicted():
    track = SparseTrack(250_000_000)
    track.reserve(10_000_000, 11_000_000)
    assert track.nbytes == 2_000_000   # a 1 Mb region of a 250 Mb chromosome: 2 MB, not a 1 GB float32 array
    track.set(10_000_000, np.full(500, 0.25, dtype=np.float32))
    track.set(10_000_500, np.full(500, 0.75, dtype=np.float32))
    assert track.predicted_intervals() == [(10_000_000, 10_001_000)]
    values = track.values(9_999_990, 10_000_010)
    assert np.isnan(values[:10]).all() and np.allclose(values[10:], 0.25, atol=1e-5)
    track.set(20_000_000, np.zeros(10, dtype=np.float32))   # outside the reserved block: a block of its own
    assert track.predicted_intervals() == [(10_000_000, 10_001_000), (20_000_000, 20_000_010)]
    assert track.values(20_000_000, 20_000_010).tolist() == [0.0] * 10   # 0 is a value, not "not predicted"
    track.clear(10_000_000, 10_000_500)
    assert track.predicted_intervals() == [(10_000_500, 10_001_000), (20_000_000, 20_000_010)]
    probs = np.array([0.0, 1e-6, 0.3, 0.5, 1.0, np.nan], dtype=np.float32)
    codes = quantise(probs)
    assert codes[-1] == NOT_PREDICTED and np.isnan(dequantise(codes)[-1])
    assert np.abs(dequantise(codes)[:-1] - probs[:-1]).max() <= 0.5 / 65534 + 1e-7
    np.testing.assert_array_equal(quantise(dequantise(codes)), codes)   # idempotent: re-storing loses nothing



def test_predicted_runs_are_kept_up_to_date_as_slices_arrive_without_rescanning():
    """A whole genome written in slices (the GUI's delivery) keeps its predicted runs as a rescan would find them."""
    rng = np.random.default_rng(5)
    for _ in range(300):
        n = int(rng.integers(50, 400))
        kept, rescanned = SparseTrack(n), SparseTrack(n)
        for _ in range(int(rng.integers(1, 12))):
            start = int(rng.integers(0, n))
            end = int(rng.integers(start + 1, n + 1))
            kind = int(rng.integers(0, 5))
            for track in (kept, rescanned):
                if kind == 0:
                    track.reserve(start, end)
                elif kind == 1:
                    track.clear(start, end)
                else:
                    codes = np.arange(start, end, dtype=np.uint16) % 60000
                    if kind == 2:
                        codes[(end - start) // 2] = NOT_PREDICTED   # a gap inside the slice
                    track.set_codes(start, codes)
            kept.predicted_intervals()
            rescanned._intervals = None   # forces the scan of every block
            assert kept.predicted_intervals() == rescanned.predicted_intervals()
    genome = SparseTrack(4_600_000)
    genome.reserve(0, genome.length)
    for start in range(0, genome.length, 1 << 20):
        assert not genome.is_complete()
        genome.set_codes(start, np.zeros(min(1 << 20, genome.length - start), dtype=np.uint16))
    assert genome.is_complete() and genome.predicted_intervals() == [(0, 4_600_000)]

# --- faults: concurrent writers, kill -9, orphans ---------------------------------------------------------------
def test_two_processes_writing_the_same_output_both_leave_a_whole_file(genome_file, fake_script, tmp_path):
    out = tmp_path / "shared.bg"
    procs = [run_fake(fake_script, "--fasta", genome_file, "--bedgraph", out, "--no-cache", wait=False,
                      env={"SLOW_S": "0.01"}) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with open_genome(genome_file) as genome:
        tracks = read_bedgraph(out)
        for seqid, record in genome.sequences.items():
            np.testing.assert_allclose(tracks[seqid][1], np.round(gc_values(record).astype(np.float64), 4), atol=1e-6)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert sorted(r["status"] for r in open_store().runs()) == ["finished", "finished"]


def _kill_when(proc, ready, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, "the moment to kill never came"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)   # reaps it and closes the pipes


def _run_started() -> bool:
    return any(r["status"] == "running" for r in Store(open_store().path, recover=False).runs())


@pytest.mark.parametrize("moment", ["run started", "predicting", "writing outputs"])
def test_kill_9_leaves_no_partial_output_and_the_run_is_failed_at_next_start(genome_file, fake_script, tmp_path,
                                                                            moment):
    out, gff = tmp_path / "out.bg", tmp_path / "genes.gff3"
    out.write_text("the previous track\n")
    flag = tmp_path / "moment-reached"
    env = {"SLOW_S": "0.2", "TILE_MARK": str(flag)} if moment == "predicting" else {"PAUSE_IN_FINISH": str(flag)}
    proc = run_fake(fake_script, "--fasta", genome_file, "--bedgraph", out, "--gff-out", gff, "--no-cache",
                    wait=False, env=env)
    # the run is recorded (model loading) / a batch is being predicted / every output complete but not in place
    _kill_when(proc, _run_started if moment == "run started" else flag.exists)
    assert list(tmp_path.glob(".out.bg.*"))   # the killed process left its temporary file...
    assert out.read_text() == "the previous track\n" and not gff.exists()   # ...and never touched the outputs
    store = Store(open_store().path)   # the next start (another process would do the same)
    [run] = store.runs("prediction")
    assert run["status"] == "failed" and "ended before it finished" in run["message"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]   # its temporary files removed
    assert not list(store.cache_dir.glob("*tmp")) if store.cache_dir.exists() else True


def test_orphaned_and_empty_cache_files_are_removed_at_start(tmp_path):
    store = Store(tmp_path / "g.db")
    store.cache_dir.mkdir(parents=True, exist_ok=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = store.cache_dir / f".abc.npy.{int(dead.stdout)}.1234abcd.genoview-tmp"
    orphan.write_bytes(b"half")
    empty_old = store.cache_dir / ".k-xyz.npz.tmp"
    empty_old.touch()
    mine = temp_name(store.cache_dir / "live.npy")   # this process's own temporary file: kept
    mine.write_bytes(b"live")
    store.save_prediction("k", np.zeros(5, dtype=np.float32))
    (store.cache_dir / "k.npy").write_bytes(b"")   # a zero-byte entry: dropped with its row
    Store(tmp_path / "g.db")
    names = {p.name for p in store.cache_dir.iterdir()}
    assert names == {mine.name}
    assert store.cached_prediction("k") is None
    with store.connect() as db:
        assert db.execute("SELECT COUNT(*) FROM predictions").fetchone()[0] == 0


def test_a_run_of_a_live_process_is_left_running(tmp_path):
    store = Store(tmp_path / "live.db")
    run_id = store.start_run("prediction", "m", {})
    with store.connect() as db:   # as if another live process (our parent) owned it
        db.execute("UPDATE runs SET pid = ?, proc_start = NULL WHERE id = ?", [os.getppid(), run_id])
        db.conn.commit()
    Store(tmp_path / "live.db")
    assert store.runs()[0]["status"] == "running"


# --- torchrun -------------------------------------------------------------------------------------------------
def test_torchrun_two_processes_write_what_one_process_writes(genome_file, fake_script, tmp_path):
    dist = pytest.importorskip("torch.distributed")
    if not dist.is_available() or not dist.is_gloo_available():
        pytest.skip("torch.distributed with gloo is not available")
    one, two = tmp_path / "one.bg", tmp_path / "two.bg"
    genes_one, genes_two = tmp_path / "one.gff3", tmp_path / "two.gff3"
    done = run_fake(fake_script, "--fasta", genome_file, "--bedgraph", one, "--gff-out", genes_one, "--no-cache")
    assert done.returncode == 0, done.stderr
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                           str(fake_script), "predict", "--model", "slow", "--fasta", str(genome_file),
                           "--bedgraph", str(two), "--gff-out", str(genes_two), "--no-cache"],
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    assert two.read_bytes() == one.read_bytes() and genes_two.read_bytes() == genes_one.read_bytes()
    runs = open_store().runs("prediction")
    assert [r["status"] for r in runs] == ["finished", "finished"]   # rank 0 alone records the run
    assert json.loads(json.dumps(runs[0]["params"]))["world_size"] == 2


def test_a_bigwig_name_given_to_bedgraph_writes_bigwig(genome_file, tmp_path, monkeypatch, capsys):
    pybigtools = pytest.importorskip("pybigtools")
    from genoview.core import models

    monkeypatch.setattr(models, "load_model", lambda name, device=None, **kw: GCModel())
    monkeypatch.setattr(models, "resolve_model_dir", lambda name: None)
    out = tmp_path / "track.bigWig"
    assert main(["predict", "--model", "gc", "--fasta", str(genome_file), "--bedgraph", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    with pybigtools.open(str(out)) as bw:
        assert bw.chroms() == {"chr1": 23_456, "chr2": 7_001}
    assert main(["predict", "--model", "gc", "--fasta", str(genome_file), "--bedgraph", str(out),
                 "--bigwig", str(tmp_path / "b.bw")]) == 2


def test_a_whole_genome_model_reports_its_stages_and_the_values_do_not_change():
    """GeneORF calls the whole genome between two events: predict(progress=) hears its stages (was 0 %
    'loading' until done in the GUI), and the values are the same with or without the listener."""
    example = Path(__file__).resolve().parents[2] / "resources" / "example" / "example.fa"
    heard: list[tuple[float, str | None]] = []
    with open_genome(example) as genome:
        request = PredictionRequest(genome, "geneorf-bacteria", use_cache=False, keep_values=True, record_run=False)
        with_listener = [e for e in predict(request, progress=lambda f, m: heard.append((f, m)))
                         if isinstance(e, Done)][0].result.values
        without = [e for e in predict(request) if isinstance(e, Done)][0].result.values
    messages = " | ".join(m or "" for _, m in heard)
    assert "open reading frames" in messages and "choosing genes" in messages and "tRNA and rRNA" in messages
    fractions = [f for f, _ in heard]
    assert fractions == sorted(fractions) and 0.0 < fractions[0] and fractions[-1] <= 1.0
    for a, b in zip(with_listener, without):
        np.testing.assert_array_equal(a, b)
