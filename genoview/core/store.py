"""GenoView's own state in SQLite (sqlite-utils): library models, runs, their metrics, cached predictions.

The database lives at ``user_data_dir()/genoview.db``; its schema version is SQLite's ``user_version``
and :data:`MIGRATIONS` brings an older file up to :data:`SCHEMA_VERSION` when a :class:`Store` opens it
(Vorta's pattern). Every call opens its own short-lived connection, so a Store can be used from any
thread. Cached predictions are ``.npy`` files of uint16 codes (``core.tracks``: 2 bytes a base, written
tile by tile as a prediction streams, read back in slices) in ``user_data_dir()/cache``, written to a
per-process temporary file and moved into place with ``os.replace``: a crash leaves no half-written entry.

Runs record the process (pid, host, start time) that owns them. Opening the store (once per process
through :func:`open_store`) marks runs left ``running`` by a process that no longer exists as failed,
removes the temporary output files they listed, and clears orphaned or empty cache files. A run of another
host (a cluster node sharing GENOVIEW_HOME) cannot be checked that way: runs beat a heartbeat as they progress
(:meth:`Store.heartbeat`), and :meth:`Store.runs` shows one whose heartbeat stopped as lost.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import socket
import sqlite3
import threading
import time
import zipfile
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np
import sqlite_utils

from genoview import paths
from genoview.core.errors import GenoViewInputError


def _create_library_and_runs(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE models (name TEXT PRIMARY KEY, path TEXT NOT NULL, architecture TEXT, "
               "task TEXT, added TEXT, metadata TEXT)")
    db.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, model TEXT, "
               "params TEXT, status TEXT NOT NULL, started TEXT, finished TEXT, message TEXT)")
    db.execute("CREATE TABLE metrics (run_id INTEGER NOT NULL REFERENCES runs(id), name TEXT NOT NULL, "
               "value REAL, PRIMARY KEY (run_id, name))")


def _add_prediction_cache(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE predictions (key TEXT PRIMARY KEY, file TEXT NOT NULL, seqid TEXT, "
               "start INTEGER, \"end\" INTEGER, model TEXT, created TEXT, size_bytes INTEGER)")


def _add_run_owner(db: sqlite_utils.Database) -> None:
    """Which process runs a run, so one left ``running`` by a killed process can be recognised."""
    db.execute("ALTER TABLE runs ADD COLUMN pid INTEGER")
    db.execute("ALTER TABLE runs ADD COLUMN host TEXT")
    db.execute("ALTER TABLE runs ADD COLUMN proc_start TEXT")


def _add_sequence_checksums(db: sqlite_utils.Database) -> None:
    """Checksums of sequences by genome file identity (path, size, mtime) and seqid: a file is hashed once."""
    db.execute("CREATE TABLE sequence_checksums (identity TEXT NOT NULL, seqid TEXT NOT NULL, checksum TEXT NOT NULL, "
               "PRIMARY KEY (identity, seqid))")


def _add_library_details(db: sqlite_utils.Database) -> None:
    """The model library's details (parent, training spec, metrics per split), genomes, per-step training history."""
    for column in ("tokenizer", "parent", "spec", "metrics", "created"):
        db.execute(f"ALTER TABLE models ADD COLUMN {column} TEXT")
    db.execute("CREATE TABLE genomes (path TEXT PRIMARY KEY, checksum TEXT, sequences TEXT, annotation TEXT, "
               "added TEXT)")
    db.execute("CREATE TABLE history (run_id INTEGER NOT NULL REFERENCES runs(id), step INTEGER NOT NULL, "
               "split TEXT NOT NULL, metric TEXT NOT NULL, value REAL, PRIMARY KEY (run_id, step, split, metric))")


def _add_run_heartbeat(db: sqlite_utils.Database) -> None:
    """When a run last showed progress (UTC ISO time): a run of another host that stopped beating is lost."""
    db.execute("ALTER TABLE runs ADD COLUMN heartbeat TEXT")


# MIGRATIONS[i] turns a version-i database into version i + 1; append, never edit, to change the schema.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_create_library_and_runs, _add_prediction_cache,
                                                             _add_run_owner, _add_sequence_checksums,
                                                             _add_library_details, _add_run_heartbeat]
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


HEARTBEAT_EVERY_S = 30.0   # a running run's heartbeat is written at most this often (one small write)
LOST_AFTER_MIN_DEFAULT = 15.0


def lost_after_minutes() -> float:
    """Minutes without a heartbeat after which another host's ``running`` run is shown as lost
    (``$GENOVIEW_LOST_AFTER_MIN``, default 15): its node died, or lost the shared GENOVIEW_HOME."""
    raw = os.environ.get("GENOVIEW_LOST_AFTER_MIN", "").strip()
    if not raw:
        return LOST_AFTER_MIN_DEFAULT
    try:
        minutes = float(raw)
    except ValueError:
        minutes = -1.0
    if not minutes > 0:
        raise GenoViewInputError(f"GENOVIEW_LOST_AFTER_MIN={raw!r} is not a number of minutes above 0; "
                                 "set it to e.g. 15 or unset it")
    return minutes


def short_time(text: str | None) -> str:
    """A stored ISO UTC time as 'YYYY-MM-DD HH:MM UTC' (listings), '-' when unknown."""
    if not text:
        return "-"
    return text.replace("T", " ")[:16] + (" UTC" if text.endswith("+00:00") else "")


def _parse_time(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _proc_start(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, from /proc), or None where /proc is absent.

    With the pid it tells a live owner from a new process that reuses a dead owner's pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    if fields and fields[0] == b"Z":   # a zombie has ended; it only waits for its parent
        return "zombie"
    return fields[19].decode() if len(fields) > 19 else None


def process_alive(pid: int, proc_start: str | None = None) -> bool:
    """True while process ``pid`` runs (and, when ``proc_start`` is known, is the same process)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    now = _proc_start(pid)
    if now == "zombie":
        return False
    return proc_start is None or now is None or now == proc_start


HOST = socket.gethostname()
# The host in a temporary name: a GENOVIEW_HOME shared by the nodes of a cluster (NFS) holds other nodes' files,
# whose pids mean nothing here (a node's start-up removed another node's cache entry while it was being written).
HOST_TAG = hashlib.sha256(HOST.encode()).hexdigest()[:6]
TEMP_SUFFIX = ".genoview-tmp"
# recover()'s message on a run whose process died: a status the run did not write itself (close_killed_run may replace it)
DEAD_PROCESS_MESSAGE = "the process running it ended before it finished (killed or crashed)"
FOREIGN_TEMP_AGE_S = 24 * 3600   # another host's temporary file untouched this long belongs to a dead process


def temp_name(target: str | os.PathLike, extension: str = "") -> Path:
    """A temporary name next to ``target``, unique to this process and call: ``.NAME.PID.HOSTRANDOM.genoview-tmp``
    (HOST: :data:`HOST_TAG`; plus ``extension`` for writers that insist on one, e.g. ``.bw``)."""
    target = Path(target)
    return target.with_name(f".{target.name}.{os.getpid()}.{HOST_TAG}{secrets.token_hex(4)}{TEMP_SUFFIX}{extension}")


def _temp_parts(name: str) -> tuple[int, str | None] | None:
    """(pid, host tag) in a name made by :func:`temp_name` (tag None: a name of GenoView before the tag), or None."""
    name = name[:-3] if name.endswith(TEMP_SUFFIX + ".bw") else name
    if not name.endswith(TEMP_SUFFIX):
        return None
    parts = name[:-len(TEMP_SUFFIX)].rsplit(".", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return int(parts[1]), (parts[2][:6] if len(parts[2]) == 14 else None)


def _temp_owner(name: str) -> int | None:
    """The pid in a name made by :func:`temp_name`, or None."""
    parts = _temp_parts(name)
    return parts[0] if parts else None


def _dead_temp(path: Path) -> bool:
    """Whether a temporary file in the cache folder belongs to a process that has ended: one of this host whose
    pid is gone, or one of another host (a shared GENOVIEW_HOME) left untouched for a day."""
    parts = _temp_parts(path.name)
    if parts is None:
        return False
    pid, tag = parts
    if tag is None or tag == HOST_TAG:
        return not process_alive(pid)
    return time.time() - path.stat().st_mtime > FOREIGN_TEMP_AGE_S


def locked_database_error(path: Path) -> GenoViewInputError:
    return GenoViewInputError(
        "the GenoView database is locked by another GenoView process (a prediction or training writing to it); "
        "wait for it to finish or close it, then try again", path)


ELSEWHERE = "or set GENOVIEW_HOME to another folder (GenoView keeps its database, cache and models there)"


def database_error(path: Path, exc: Exception) -> GenoViewInputError | None:
    """A one-line message naming ``genoview.db`` for what SQLite says about the disk it is on (full, read-only,
    unreadable), or None for other errors (a bug's traceback stays one)."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return locked_database_error(path)
    if "full" in text:
        return GenoViewInputError(f"no space left for the GenoView database: free space in {path.parent}, "
                                  + ELSEWHERE, path)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        error = GenoViewInputError(f"the GenoView database cannot be written ({exc}): make {path.parent} writable, "
                                   + ELSEWHERE, path)
        error.read_only = True   # start-up's clean-up skips its writes on such a store (it is only read)
        return error
    if "disk i/o" in text or "not a database" in text or "malformed" in text:
        return GenoViewInputError(f"the GenoView database cannot be read ({exc}); move the file away to start a "
                                  "new one (the model folders stay), " + ELSEWHERE, path)
    return None


@contextmanager
def _unless_read_only() -> Iterator[None]:
    """Start-up's clean-up on a store that cannot be written (a GENOVIEW_HOME mounted read-only) is left for a later
    start: `genoview models` there failed once a run of this host was left running or a cache file was gone."""
    try:
        yield
    except sqlite3.DatabaseError as exc:   # inside a connection: not yet turned into the message
        if not getattr(database_error(Path("genoview.db"), exc), "read_only", False):
            raise
    except GenoViewInputError as exc:
        if not getattr(exc, "read_only", False):
            raise


class Store:
    """The SQLite store at ``path`` (default ``user_data_dir()/genoview.db``), migrated on opening."""

    def __init__(self, path: str | os.PathLike | None = None, recover: bool = True) -> None:
        self.path = Path(path) if path is not None else paths.user_data_dir() / "genoview.db"
        self.cache_dir = self.path.parent / "cache"
        self._beats: dict[int, float] = {}   # run id -> when this process last wrote its heartbeat (monotonic)
        self._database_memo = _WritableMemo()   # see :meth:`unwritable`
        self._cache_memo = _WritableMemo()   # the same for the cache folder alone
        self._memory: str | None = None   # a database that cannot be made: an empty one in memory, only read
        self.migrate()
        if recover:
            self.recover()

    @contextmanager
    def connect(self, timeout: float | None = None) -> Iterator[sqlite_utils.Database]:
        """A connection for one unit of work (one per call, hence one per thread), closed afterwards.

        A database another process keeps locked beyond ``$GENOVIEW_DB_TIMEOUT`` seconds (default 30; ``timeout``
        for a write that may be skipped) is a :class:`GenoViewInputError` naming the file, not a traceback."""
        if self._memory is not None:
            conn = sqlite3.connect(self._memory, uri=True)
            conn.execute("PRAGMA query_only = ON")   # writes fail as on a read-only database file
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise GenoViewInputError(f"GenoView's data folder cannot be made ({exc.strerror}); " + ELSEWHERE,
                                         self.path.parent) from exc
            try:
                conn = sqlite3.connect(self.path, timeout=timeout if timeout is not None
                                       else float(os.environ.get("GENOVIEW_DB_TIMEOUT", "30")))
            except sqlite3.OperationalError as exc:
                message = database_error(self.path, exc) if self._cannot_be_made() else None
                if message is not None:   # "unable to open" where it is missing: read_only, as a read-only file
                    raise message from exc
                raise GenoViewInputError(f"cannot open the GenoView database ({exc}); check the folder's "
                                         "permissions, " + ELSEWHERE, self.path) from exc
        try:
            yield sqlite_utils.Database(conn)
        except sqlite3.DatabaseError as exc:   # OperationalError included: full disk, read-only, locked
            message = database_error(self.path, exc)
            if message is None:
                raise
            raise message from exc
        finally:
            conn.close()

    def schema_version(self) -> int:
        with self.connect() as db:
            return int(db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Apply the pending migrations in one write transaction (safe when two processes start at once).

        A database already at :data:`SCHEMA_VERSION` is only read: a GENOVIEW_HOME mounted read-only (a cluster's
        compute nodes) still lists the models and reads the cache. One that does not exist and cannot be made there
        (a read-only home never set up) is an empty one in memory, at the current schema and only read: the
        commands run as on a read-only home (shipped models, nothing recorded, :meth:`unwritable` says why)."""
        if self.path.is_file() and self.schema_version() == SCHEMA_VERSION:
            return
        try:
            self._migrate()
        except GenoViewInputError as exc:
            if not ((getattr(exc, "read_only", False) or "no space left" in str(exc)) and self._cannot_be_made()):
                raise
            self._memory = f"file:genoview-unmade-{id(self)}-{secrets.token_hex(4)}?mode=memory&cache=shared"
            self._keeper = sqlite3.connect(self._memory, uri=True, check_same_thread=False)   # keeps it alive
            self._database_memo.reason = (f"{self.path}: the GenoView database does not exist and cannot be made "
                                          f"({exc.__cause__ or exc})")
            self._migrate(self._keeper)

    def _cannot_be_made(self) -> bool:
        """Whether the database file is missing (or empty) in a folder that does not let it be made."""
        try:
            return (not self.path.exists() or self.path.stat().st_size == 0) and self.path.parent.is_dir()
        except OSError:
            return False

    def _migrate(self, conn: sqlite3.Connection | None = None) -> None:
        with (nullcontext(sqlite_utils.Database(conn)) if conn is not None else self.connect()) as db:
            db.conn.isolation_level = None
            db.execute("BEGIN IMMEDIATE")
            try:
                version = int(db.execute("PRAGMA user_version").fetchone()[0])
                if version > SCHEMA_VERSION:
                    raise GenoViewInputError(
                        f"was written by a newer GenoView (schema {version}, this one knows {SCHEMA_VERSION}); "
                        "update GenoView or move the file away", self.path)
                for migration in MIGRATIONS[version:]:
                    migration(db)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    # --- the model library ---------------------------------------------------------------------
    def add_model(self, name: str, path: str | os.PathLike, architecture: str, task: str,
                  metadata: dict[str, Any] | None = None) -> None:
        with self.connect() as db:
            db["models"].upsert({"name": name, "path": str(path), "architecture": architecture, "task": task,
                                 "added": _now(), "metadata": json.dumps(metadata or {})}, pk="name")

    def library_models(self) -> list[dict[str, Any]]:
        with self.connect() as db:
            rows = list(db["models"].rows_where(order_by="name"))
        for row in rows:
            row["metadata"] = json.loads(row["metadata"] or "{}")
        return rows

    def remove_model(self, name: str) -> None:
        with self.connect() as db:
            with db.conn:
                db.execute("DELETE FROM models WHERE name = ?", [name])

    def record_model(self, name: str, path: str | os.PathLike, metadata: dict[str, Any]) -> None:
        """Add or refresh a library row with its details from genoview.json's layout (one transaction)."""
        training = metadata.get("training") or {}
        row = {"name": name, "path": str(path), "architecture": metadata.get("architecture"),
               "task": metadata.get("task"), "metadata": json.dumps(metadata, default=str),
               "tokenizer": metadata.get("tokenizer"), "parent": metadata.get("parent"),
               "spec": json.dumps(training.get("spec")) if training.get("spec") else None,
               "metrics": json.dumps(metadata.get("metrics") or {}, default=str), "created": _now()}
        with self.connect() as db:
            with db.conn:
                old = db.execute("SELECT added, created FROM models WHERE name = ?", [name]).fetchone()
                row["added"] = old[0] if old and old[0] else _now()
                row["created"] = old[1] if old and old[1] else row["created"]
                db.conn.execute(f"INSERT OR REPLACE INTO models ({', '.join(row)}) VALUES "
                                f"({', '.join('?' for _ in row)})", list(row.values()))

    def rename_model_row(self, old: str, new: str, path: str | os.PathLike | None = None) -> None:
        """Rename a library row (and its path); runs keep the name they were recorded under."""
        with self.connect() as db:
            with db.conn:
                db.execute("UPDATE models SET name = ?, path = COALESCE(?, path) WHERE name = ?",
                           [new, str(path) if path is not None else None, old])

    # --- genomes -------------------------------------------------------------------------------
    def add_genome(self, path: str | os.PathLike, checksum: str | None, sequences: dict[str, int],
                   annotation: str | os.PathLike | None = None) -> None:
        """Remember a genome file used for training or evaluation (checksum, sequences and their lengths)."""
        with self.connect() as db:
            with db.conn:
                db.conn.execute("INSERT OR REPLACE INTO genomes (path, checksum, sequences, annotation, added) "
                                "VALUES (?, ?, ?, ?, ?)", [str(path), checksum, json.dumps(sequences),
                                                           str(annotation) if annotation else None, _now()])

    def genomes(self) -> list[dict[str, Any]]:
        with self.connect() as db:
            rows = list(db["genomes"].rows_where(order_by="added DESC"))
        for row in rows:
            row["sequences"] = json.loads(row["sequences"] or "{}")
        return rows

    # --- per-step training history ---------------------------------------------------------------
    def add_history(self, run_id: int, records: list[dict[str, Any]]) -> None:
        """Store a training history (the loop's records: step, loss or eval_* metrics) in one transaction."""
        rows = []
        for record in records:
            step = record.get("step")
            if step is None:
                continue
            for key, value in record.items():
                if key in ("step", "epoch", "best") or isinstance(value, bool) or not isinstance(value, (int, float)):
                    continue
                split, metric = ("validation", key[5:]) if key.startswith("eval_") else ("train", key)
                rows.append((run_id, int(step), split, metric, float(value)))
        with self.connect() as db:
            with db.conn:
                db.conn.executemany("INSERT OR REPLACE INTO history (run_id, step, split, metric, value) "
                                    "VALUES (?, ?, ?, ?, ?)", rows)

    def history(self, run_id: int) -> list[dict[str, Any]]:
        """(step, split, metric, value) rows of a run, by step."""
        with self.connect() as db:
            return [dict(zip(("step", "split", "metric", "value"), row)) for row in db.execute(
                "SELECT step, split, metric, value FROM history WHERE run_id = ? ORDER BY step, split, metric",
                [run_id]).fetchall()]

    # --- runs and their metrics ----------------------------------------------------------------
    def check_writable(self) -> None:
        """Raise now, naming genoview.db and the fix (:func:`database_error`), when a run could not be recorded here
        (a read-only GENOVIEW_HOME, a full disk): a command that records its run asks this before minutes of model
        loading, which a read-only store only failed after. One write, rolled back: nothing changes."""
        with self.connect() as db:
            db.conn.isolation_level = None
            db.execute("BEGIN IMMEDIATE")
            try:
                version = int(db.execute("PRAGMA user_version").fetchone()[0])
                db.execute(f"PRAGMA user_version = {version}")   # a write: refused by a read-only database
            finally:
                db.execute("ROLLBACK")

    def unwritable(self) -> str | None:
        """Why runs cannot be recorded here (a read-only or full GENOVIEW_HOME, a database that cannot be made),
        naming genoview.db; None when they can. Found so, it is asked again at the next call (one rolled-back write:
        a home made writable while GenoView runs is recorded in again); found writable, it is asked again after
        :data:`WRITABLE_RECHECK_S` (a disk fills): commands then run without recording or caching
        (:func:`writable_or_warn` says so once), their outputs written as usual. A database another process holds
        locked is not unwritable: its message is raised, as before."""
        return self._database_memo.ask(self._database_unwritable_now)

    def _database_unwritable_now(self) -> str | None:
        if self._memory is not None:   # a database that could not be made: this store stays the in-memory stand-in
            return self._database_memo.reason
        try:
            self.check_writable()
        except GenoViewInputError as exc:
            if not (getattr(exc, "read_only", False) or "no space left" in str(exc)):
                raise
            return f"{self.path}: the GenoView database cannot be written ({exc.__cause__ or exc})"
        return None

    def cache_unwritable(self) -> str | None:
        """Why predictions cannot be cached here: the database's reason (an entry is a file and its row), else the
        cache folder's (made by another user, a full disk), naming it; None when they can. A cache folder alone
        that cannot be written stops only the caching: runs are still recorded. Asked again as :meth:`unwritable`."""
        return self.unwritable() or self._cache_memo.ask(self._cache_unwritable_now)

    def _cache_unwritable_now(self) -> str | None:
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            probe = self.cache_dir / f".write-test-{HOST_TAG}-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            return f"{self.cache_dir}: the prediction cache folder cannot be written ({exc.strerror})"
        return None

    def start_run(self, kind: str, model: str, params: dict[str, Any] | None = None) -> int:
        """Record a training or prediction job as running, owned by this process; returns its id.

        ``params["temp_outputs"]`` (paths) are removed if the process dies before finishing the run."""
        with self.connect() as db:
            now = _now()
            table = db["runs"].insert({"kind": kind, "model": model, "params": json.dumps(params or {}, default=str),
                                       "status": "running", "started": now, "pid": os.getpid(), "host": HOST,
                                       "proc_start": _proc_start(os.getpid()), "heartbeat": now})
            run_id = int(table.last_pk)
        self._beats[run_id] = time.monotonic()
        return run_id

    def heartbeat(self, run_id: int | None, force: bool = False) -> bool:
        """Record that run ``run_id`` is still progressing (its last-seen time), at most every
        :data:`HEARTBEAT_EVERY_S` unless ``force``; returns whether it wrote. Never raises: a database busy
        for a second, full or read-only costs a beat, not the run (the next progress beats again)."""
        if run_id is None:
            return False
        now = time.monotonic()
        if not force and now - self._beats.get(run_id, float("-inf")) < HEARTBEAT_EVERY_S:
            return False
        self._beats[run_id] = now
        try:
            with self.connect(timeout=1.0) as db:
                with db.conn:
                    db.execute("UPDATE runs SET heartbeat = ? WHERE id = ? AND status = 'running'", [_now(), run_id])
        except (GenoViewInputError, sqlite3.Error, OSError):
            return False
        return True

    def beating(self, run_id: int | None, callback=None):
        """``callback`` (a progress or log callback, or None) that first beats ``run_id``'s heartbeat."""
        def beat(*args, **kwargs):
            self.heartbeat(run_id)
            if callback is not None:
                return callback(*args, **kwargs)
            return None
        return beat

    def recover(self) -> list[int]:
        """Mark runs left ``running`` by a dead process of this host as failed, remove their temporary
        outputs, and clear orphaned cache files; returns the ids of the runs marked failed."""
        with self.connect() as db:
            if "pid" not in db["runs"].columns_dict:   # a store held at an older schema (tests of migrations)
                return []
            rows = db.execute("SELECT id, pid, proc_start, params FROM runs WHERE status = 'running' AND host = ?",
                              [HOST]).fetchall()
        dead = [(run_id, params) for run_id, pid, start, params in rows
                if pid is not None and pid != os.getpid() and not process_alive(int(pid), start)]
        for run_id, params in dead:
            try:
                temps = json.loads(params or "{}").get("temp_outputs") or []
            except (ValueError, AttributeError):
                temps = []
            for temp in temps:
                Path(temp).unlink(missing_ok=True)
            with _unless_read_only():
                with self.connect() as db:
                    with db.conn:
                        db.execute("UPDATE runs SET status = 'failed', finished = ?, message = ? "
                                   "WHERE id = ? AND status = 'running'",
                                   [_now(), DEAD_PROCESS_MESSAGE, run_id])
        self._clear_orphaned_cache_files()
        return [run_id for run_id, _ in dead]

    def _clear_orphaned_cache_files(self) -> None:
        if not self.cache_dir.is_dir():
            return
        for path in self.cache_dir.iterdir():
            owner = _temp_owner(path.name)
            try:
                if path.name.endswith(".tmp") and owner is None and path.stat().st_size == 0:
                    path.unlink()   # an empty temporary file of an older GenoView
                elif owner is not None and _dead_temp(path):
                    path.unlink()
            except OSError:
                continue
        with self.connect() as db:
            rows = db.execute("SELECT key, file FROM predictions").fetchall()
            gone = [key for key, name in rows
                    if not (self.cache_dir / name).is_file() or (self.cache_dir / name).stat().st_size == 0]
            if gone:
                with _unless_read_only(), db.conn:
                    db.conn.executemany("DELETE FROM predictions WHERE key = ?", [(key,) for key in gone])
        # complete entries whose record was still to be written when their process was killed (a draft's contigs
        # are recorded together): a file is renamed into place only once whole, so it is taken back, not leaked
        known = {name for _, name in rows}
        adopted = []
        for path in self.cache_dir.glob("*.npy"):
            if path.name in known:
                continue
            try:
                CachedTrack(path)
            except (OSError, ValueError):
                continue
            adopted.append((path.stem, path, {}))
        if adopted:
            try:
                self.register_predictions(adopted, replace=False)
            except (GenoViewInputError, OSError):   # a read-only GENOVIEW_HOME: left for a later start
                pass
        for path in self.cache_dir.glob("*.npy"):
            try:
                if path.stat().st_size == 0:
                    path.unlink()
            except OSError:
                continue

    def add_run_params(self, run_id: int, **fields: Any) -> None:
        """Add ``fields`` to a run's parameters (what is known only at its end, e.g. a fine-tune's kept candidate)."""
        with self.connect() as db:
            with db.conn:
                row = db.execute("SELECT params FROM runs WHERE id = ?", [run_id]).fetchone()
                if row is not None:
                    params = {**json.loads(row[0] or "{}"), **fields}
                    db.execute("UPDATE runs SET params = ? WHERE id = ?", [json.dumps(params, default=str), run_id])

    def mark_resumed(self, run_id: int, output: str, continued: bool = True) -> list[int]:
        """Runs toward ``output`` that a resume continues (``run_id``, a train run with --resume): a run paused in
        the wizard, or one stopped by Ctrl-C with its checkpoints kept, is given status "resumed" and a message
        naming ``run_id``; the ids changed. `genoview runs` and the library listed the paused attempt as "paused"
        next to the finished run that continued it, as if a run still waited for a Resume. ``continued`` False: run
        ``run_id`` started toward ``output`` again from the beginning (Resume before the first checkpoint, a GeneORF
        fine-tune, --overwrite): such a run is "cancelled", saying that nothing of it goes on."""
        changed: list[int] = []
        with self.connect() as db:
            with db.conn:
                rows = db.execute("SELECT id, params, status, message FROM runs WHERE kind = 'train' AND id < ? "
                                  "AND status IN ('paused', 'cancelled')", [run_id]).fetchall()
                for rid, params, status, message in rows:
                    try:
                        target = json.loads(params or "{}").get("output")
                    except ValueError:
                        continue
                    if target != output or (status == "cancelled" and "--resume" not in (message or "")):
                        continue   # another model, or a cancelled run whose checkpoints were discarded
                    if continued:
                        db.execute("UPDATE runs SET status = 'resumed', message = ? WHERE id = ?",
                                   [f"resumed: run {run_id} continued it from its checkpoint ({status} before)", rid])
                    else:
                        db.execute("UPDATE runs SET status = 'cancelled', message = ? WHERE id = ?",
                                   [f"not continued: run {run_id} started it again from the beginning ({status} "
                                    "before)", rid])
                    changed.append(int(rid))
        return changed

    def finish_run(self, run_id: int, status: str = "finished", metrics: dict[str, float] | None = None,
                   message: str = "") -> None:
        """Close a run ("finished", "failed", "cancelled" or the wizard's "paused") and store its numeric metrics."""
        with self.connect() as db:
            with db.conn:
                db.execute("UPDATE runs SET status = ?, finished = ?, message = ? WHERE id = ?",
                           [status, _now(), message, run_id])
                db.conn.executemany(
                    "INSERT OR REPLACE INTO metrics (run_id, name, value) VALUES (?, ?, ?)",
                    [(run_id, name, float(value)) for name, value in (metrics or {}).items()
                     if isinstance(value, (int, float)) and not isinstance(value, bool)])

    def close_killed_run(self, run_id: int, status: str, message: str = "") -> bool:
        """Close a run whose process another process killed on purpose (the wizard's Pause or Cancel) with
        ``status``, unless the run wrote its own final status first: one conditional UPDATE, so a "finished" or
        "failed" the run recorded itself always wins; only ``running`` or recover()'s dead-process "failed" is
        replaced. True when this call closed it."""
        with self.connect() as db:
            with db.conn:
                cursor = db.execute(
                    "UPDATE runs SET status = ?, finished = ?, message = ? WHERE id = ? AND "
                    "(status = 'running' OR (status = 'failed' AND message = ?))",
                    [status, _now(), message, run_id, DEAD_PROCESS_MESSAGE])
                return cursor.rowcount > 0

    def runs(self, kind: str | Sequence[str] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Runs (of ``kind``, or of any of several kinds), newest first, each with its params decoded and its metrics
        as a dict.

        Each row has ``last_seen`` (its heartbeat, else its start). A ``running`` run of another host whose last
        sign of progress is older than :func:`lost_after_minutes` is given ``status`` "lost" and a ``message``
        naming the host and that time: its process cannot be checked from here, and it is kept, not deleted
        (were the node only cut off, its next heartbeat or its end shows it again as it is)."""
        lost_after = lost_after_minutes()
        now = datetime.now(timezone.utc)
        kinds = [kind] if isinstance(kind, str) else list(kind or [])
        with self.connect() as db:
            where = f"kind IN ({', '.join('?' * len(kinds))})" if kinds else None
            rows = list(db["runs"].rows_where(where, kinds or None, order_by="id DESC", limit=limit))
            metrics: dict[int, dict[str, float]] = {row["id"]: {} for row in rows}
            ids = list(metrics)
            for i in range(0, len(ids), 900):   # the rows' metrics a few hundred runs per query, not one query per run
                chunk = ids[i:i + 900]
                for m in db.query(f"SELECT run_id, name, value FROM metrics WHERE run_id IN "
                                  f"({', '.join('?' * len(chunk))})", chunk):
                    metrics[m["run_id"]][m["name"]] = m["value"]
            for row in rows:
                row["params"] = json.loads(row["params"] or "{}")
                row["metrics"] = metrics[row["id"]]
        for row in rows:
            row["last_seen"] = row.get("heartbeat") or row.get("started")
            seen = _parse_time(row["last_seen"])
            if (row["status"] == "running" and row.get("host") not in (None, HOST) and seen is not None
                    and (now - seen).total_seconds() > lost_after * 60):
                row["status"] = "lost"
                row["message"] = (f"no sign of progress from {row['host']} since {row['last_seen']} (over "
                                  f"{lost_after:g} minutes; GENOVIEW_LOST_AFTER_MIN): that node probably died or "
                                  "lost this GENOVIEW_HOME; its run is kept as it was left")
        return rows

    # --- cached predictions --------------------------------------------------------------------
    def open_cached(self, key: str) -> "CachedTrack | None":
        """The cache entry saved under ``key`` (a reader of its uint16 codes), or None; a missing or
        damaged file drops the entry."""
        with self.connect() as db:
            row = db.execute("SELECT file FROM predictions WHERE key = ?", [key]).fetchone()
        if row is None:
            return None
        try:
            track = CachedTrack(self.cache_dir / row[0])
        except (OSError, ValueError):
            with _unless_read_only(), self.connect() as db:   # a read-only store only reads its cache
                with db.conn:
                    db.execute("DELETE FROM predictions WHERE key = ?", [key])
            return None
        try:
            os.utime(track.path)   # used now: the size limit removes the least recently used entries first
        except OSError:
            pass
        return track

    def cached_prediction(self, key: str) -> np.ndarray | None:
        """The float32 probabilities saved under ``key`` (NaN where not predicted), or None."""
        cached = self.open_cached(key)
        if cached is None:
            return None
        from genoview.core.tracks import dequantise

        try:
            return dequantise(cached.read(0, cached.length))
        except (OSError, ValueError):
            return None

    def cache_writer(self, key: str, length: int, seqid: str = "", start: int = 0, end: int = 0,
                     model: str = "") -> "CacheWriter":
        """A writer that takes a prediction's uint16 codes in order and becomes the entry ``key`` on commit."""
        return CacheWriter(self, key, length, {"seqid": seqid, "start": int(start), "end": int(end), "model": model})

    def save_prediction(self, key: str, probs: np.ndarray, seqid: str = "", start: int = 0, end: int = 0,
                        model: str = "") -> Path:
        """Write ``probs`` (quantised) under ``key`` atomically (temporary file, then os.replace)."""
        from genoview.core.tracks import quantise

        codes = quantise(probs)
        writer = self.cache_writer(key, len(codes), seqid, start, end, model)
        try:
            writer.write(codes)
            return writer.commit()
        except BaseException:
            writer.abort()
            raise

    def save_gene_calls(self, key: str, payload: dict[str, Any]) -> Path:
        """Keep a model's own gene calls (JSON-able ``payload``) under ``key`` in the cache folder, atomically:
        a model whose genes are not in its track (the k-mer BERT's ORF decoder) gives them back after a restart."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        final = self.cache_dir / f"{key}.genes.json"
        tmp = temp_name(final)
        try:
            with open(tmp, "x") as fh:
                json.dump(payload, fh)
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return final

    def has_gene_calls(self, key: str) -> bool:
        """Whether :meth:`save_gene_calls` kept calls under ``key`` (a look, not a read: the key names their format)."""
        return (self.cache_dir / f"{key}.genes.json").is_file()

    def gene_calls(self, key: str) -> dict[str, Any] | None:
        """The payload :meth:`save_gene_calls` kept under ``key``, or None (missing or unreadable)."""
        try:
            with open(self.cache_dir / f"{key}.genes.json") as fh:
                payload = json.load(fh)
        except (OSError, ValueError):
            return None
        return payload if isinstance(payload, dict) else None

    def _register_prediction(self, key: str, final: Path, row: dict[str, Any]) -> None:
        self.register_predictions([(key, final, row)])

    def register_predictions(self, entries: list[tuple[str, Path, dict[str, Any]]], keep: set[str] = frozenset(),
                             replace: bool = True) -> None:
        """Record cache files already in place, ``(key, file, row)`` each, in one transaction: a draft's thousands
        of contigs took one commit (an fsync) each, half of its prediction time (2,000 contigs: 24 of 46 s).

        ``keep``: keys the caller still reads (a run's cached regions), spared by the size limit with these.
        ``replace=False`` leaves an existing record as it is (start-up's adoption of files without one must not
        blank the record their live process has just written). An entry larger than the whole limit is not kept:
        it would push out every other entry and still leave the cache over its limit."""
        rows = [(key, final.name, row.get("seqid"), row.get("start"), row.get("end"), row.get("model"), _now(),
                 disk_bytes(final)) for key, final, row in entries]
        limit = cache_limit_bytes()
        too_big = [r for r in rows if limit is not None and r[-1] > limit]
        if too_big:
            with self.connect() as db:
                with db.conn:
                    db.conn.executemany("DELETE FROM predictions WHERE key = ?", [(r[0],) for r in too_big])
            for row in too_big:
                (self.cache_dir / row[1]).unlink(missing_ok=True)
            rows = [r for r in rows if r not in too_big]
        if not rows:
            return
        # plain SQL: sqlite-utils' upsert probes SQLite's features and the table first (10 ms an entry)
        with self.connect() as db:
            with db.conn:
                db.conn.executemany(f"INSERT OR {'REPLACE' if replace else 'IGNORE'} INTO predictions (key, file, "
                                    "seqid, start, \"end\", model, created, size_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                    rows)
        self.trim_cache(keep={row[0] for row in rows} | set(keep))

    def trim_cache(self, keep: set[str] = frozenset()) -> int:
        """Keep the cache under :func:`cache_limit_bytes`: over it, remove the least recently used entries (by the
        file's time, which a read renews; none used in the last hour, none in ``keep``) down to 90 % of it. A batch
        over many genomes filled a home folder's quota at 2 bytes a base. Returns the entries removed."""
        limit = cache_limit_bytes()
        if limit is None:
            return 0
        with self.connect() as db:
            total = int(db.execute("SELECT COALESCE(SUM(size_bytes), 0) FROM predictions").fetchone()[0])
            if total <= limit:
                return 0
            rows = db.execute("SELECT key, file, size_bytes FROM predictions").fetchall()
        now, aged = time.time(), []
        for key, name, size in rows:
            try:
                used = (self.cache_dir / name).stat().st_mtime
            except OSError:
                used = 0.0
            if key not in keep and now - used > RECENTLY_USED_S:
                aged.append((used, key, name, int(size or 0)))
        drop = []
        for _, key, name, size in sorted(aged):
            if total <= 0.9 * limit:
                break
            try:   # read again now: another process may have opened (or rewritten) it since the scan
                if time.time() - (self.cache_dir / name).stat().st_mtime <= RECENTLY_USED_S:
                    continue
            except OSError:
                pass
            drop.append((key, name))
            total -= size
        if drop:
            with self.connect() as db:
                with db.conn:
                    db.conn.executemany("DELETE FROM predictions WHERE key = ?", [(key,) for key, _ in drop])
            for _, name in drop:
                (self.cache_dir / name).unlink(missing_ok=True)
        return len(drop)


CACHE_GB = 20.0            # the prediction cache's default size limit ($GENOVIEW_CACHE_GB; 0: no limit)
RECENTLY_USED_S = 3600     # an entry used this recently is never removed for space (another process may read it)


def disk_bytes(path: Path) -> int:
    """What a file takes on its disk (allocated blocks; a quota counts those): a draft's 1 kb contigs are 2.1 kB
    entries that take 4 kB each, so their file sizes counted half the space they filled."""
    info = path.stat()
    return int(getattr(info, "st_blocks", 0) or 0) * 512 or info.st_size


def cache_limit_bytes() -> int | None:
    """The prediction cache's size limit in bytes ($GENOVIEW_CACHE_GB, default 20), None for no limit."""
    text = os.environ.get("GENOVIEW_CACHE_GB", "").strip()
    try:
        gb = float(text) if text else CACHE_GB
    except ValueError:
        gb = CACHE_GB
    return int(gb * 1e9) if gb > 0 else None


class CachedTrack:
    """A cached prediction on disk: ``length`` and ``read(start, end)`` of its uint16 codes (no whole-file load)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if self.path.suffix == ".npz":   # entries of GenoView before uint16 caching
            from genoview.core.tracks import quantise

            try:
                with np.load(self.path) as npz:
                    self._codes: np.ndarray | None = quantise(npz["probs"])
            except (KeyError, zipfile.BadZipFile, EOFError) as exc:
                raise ValueError(str(exc)) from exc
            self.length, self._offset = len(self._codes), 0
            return
        self._codes = None
        with open(self.path, "rb") as fh:
            version = np.lib.format.read_magic(fh)
            read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                           else np.lib.format.read_array_header_2_0)
            shape, fortran, dtype = read_header(fh)
            self._offset = fh.tell()
        if dtype != np.uint16 or len(shape) != 1:
            raise ValueError(f"{self.path.name}: not a uint16 track")
        self.length = int(shape[0])
        if self.path.stat().st_size != self._offset + 2 * self.length:
            raise ValueError(f"{self.path.name}: truncated")

    def read(self, start: int, end: int) -> np.ndarray:
        if self._codes is not None:
            return self._codes[start:end]
        with open(self.path, "rb") as fh:
            fh.seek(self._offset + 2 * int(start))
            codes = np.fromfile(fh, dtype=np.uint16, count=int(end) - int(start))
        if len(codes) != end - start:
            raise ValueError(f"{self.path.name}: truncated")
        return codes

    def chunks(self, size: int = 1 << 22) -> Iterator[tuple[int, np.ndarray]]:
        """(offset, codes) slices of at most ``size`` bases, in order."""
        for a in range(0, self.length, size):
            yield a, self.read(a, min(self.length, a + size))


class CacheWriter:
    """Streams uint16 codes into a per-process temporary ``.npy`` in the cache folder; ``commit`` moves it
    into place and records the entry, ``abort`` removes it."""

    def __init__(self, store: Store, key: str, length: int, row: dict[str, Any]) -> None:
        self.store, self.key, self.length, self.row = store, key, int(length), row
        store.cache_dir.mkdir(parents=True, exist_ok=True)
        self.final = store.cache_dir / f"{key}.npy"
        self.tmp = temp_name(self.final)
        self._fh = open(self.tmp, "xb")
        np.lib.format.write_array_header_1_0(self._fh, {"descr": "<u2", "fortran_order": False,
                                                        "shape": (self.length,)})
        self.written = 0

    def write(self, codes: np.ndarray) -> None:
        codes = np.ascontiguousarray(codes, dtype="<u2")
        self._fh.write(codes.tobytes())
        self.written += len(codes)

    def commit(self, register: bool = True) -> Path:
        """Move the file into place and record it; ``register=False`` leaves the record to the caller
        (:meth:`Store.register_predictions` with :attr:`entry`, several in one transaction)."""
        if self.written != self.length:
            self.abort()
            raise ValueError(f"cache entry {self.key[:12]}: {self.written} of {self.length} values written")
        self._fh.close()
        os.replace(self.tmp, self.final)
        if register:
            self.store.register_predictions([self.entry])
        return self.final

    @property
    def entry(self) -> tuple[str, Path, dict[str, Any]]:
        return self.key, self.final, self.row

    def abort(self) -> None:
        if not self._fh.closed:
            self._fh.close()
        self.tmp.unlink(missing_ok=True)


class _WritableMemo:
    """One answer to "can this be written?": found writable, it is taken as writable for :data:`WRITABLE_RECHECK_S`
    (a disk fills); found unwritable, it is asked again at the next write attempt (one rolled-back write or one empty
    file: a home made writable while GenoView runs is recorded in again, where it stayed "not recorded" until a
    restart). Used by :meth:`Store.unwritable` (the database) and :meth:`Store.cache_unwritable` (the cache folder)."""

    def __init__(self) -> None:
        self.reason: str | None = None
        self.writable_seen = float("-inf")   # when it was last found writable (monotonic)

    def ask(self, probe: Callable[[], str | None]) -> str | None:
        if self.reason is None and time.monotonic() - self.writable_seen < WRITABLE_RECHECK_S:
            return None
        self.reason = probe()
        if self.reason is None:
            self.writable_seen = time.monotonic()
        return self.reason


_stores: dict[Path, Store] = {}
_stores_lock = threading.Lock()


log = logging.getLogger("genoview")
WRITABLE_RECHECK_S = 60.0   # Store.unwritable: how long a store found writable is taken as writable
_warned_unwritable: dict[tuple[Path, str], str] = {}   # (database, reason) said -> the mark it was said with
NOT_RECORDED_MARK, NOT_CACHED_MARK = "Not recorded or cached", "Not cached"


def writable_or_warn(store: Store, cache: bool = False) -> bool:
    """Whether ``store`` can record runs (``cache``: and cache predictions); when not, one warning per process and
    reason on the ``genoview`` logger (the CLI prints it on stderr, the window shows it once): the command goes on
    without recording (a database that cannot be written) or without caching (a cache folder alone), and nothing the
    user has is touched."""
    reason = store.cache_unwritable() if cache else store.unwritable()
    if reason is None:
        _say_writable_again(store, cache)
        return True
    # the database's reason (cache_unwritable gives it first) or the cache folder's alone, read from the answer just
    # given: asking unwritable() again was a second rolled-back write per call since an unwritable answer is asked
    # again (5f0ede4), made under the lock every open_store() takes
    database = not cache or store._database_memo.reason is not None
    with _stores_lock:
        first = (store.path, reason) not in _warned_unwritable
        _warned_unwritable[(store.path, reason)] = NOT_RECORDED_MARK if database else NOT_CACHED_MARK
    if first:
        # the consequence first: the window's status bar shows the start of it
        if database:
            log.warning(f"runs are not recorded (genoview runs) and predictions are not cached: {reason}; the "
                        f"outputs you ask for are written as usual (make {store.path.parent} writable, or set "
                        "GENOVIEW_HOME to another folder)", extra={"mark": NOT_RECORDED_MARK})
        else:
            log.warning(f"predictions are not cached: {reason}; runs are recorded and the outputs you ask for are "
                        f"written as usual (make {store.cache_dir} writable, or set GENOVIEW_HOME to another folder)",
                        extra={"mark": NOT_CACHED_MARK})
    return False


def _say_writable_again(store: Store, cache: bool) -> None:
    """A store said unwritable that can be written now (made writable while GenoView runs): one info record per mark,
    labelled ``clears`` (the window takes its mark away), and the warning may be said again should it stop again."""
    with _stores_lock:
        # the database writable: its "not recorded" is over; the cache checked too: every mark of this store is
        cleared = {key: mark for key, mark in _warned_unwritable.items() if key[0] == store.path
                   and (cache or mark == NOT_RECORDED_MARK)}
        for key in cleared:
            del _warned_unwritable[key]
    for mark in dict.fromkeys(cleared.values()):
        what = "runs are recorded and predictions cached" if cache else "runs are recorded"
        # handed to the handlers whatever the logger's level (the window listens; the CLI's handler takes warnings)
        record = log.makeRecord(log.name, logging.INFO, __file__, 0, f"{what} again: {store.path.parent} can be "
                                "written now", None, None, extra={"clears": mark})
        log.handle(record)


def open_store() -> Store:
    """The Store of the current user data dir, migrated once per process."""
    path = paths.user_data_dir() / "genoview.db"
    with _stores_lock:
        if path not in _stores or not (path.exists() or _stores[path]._memory):   # a file moved away: made anew
            _stores[path] = Store(path)
        return _stores[path]


def file_identity(path: str | os.PathLike) -> str:
    """A file's identity for cache keys: absolute path, size and modification time."""
    resolved = Path(path).resolve()
    stat = resolved.stat()
    return f"{resolved}:{stat.st_size}:{stat.st_mtime_ns}"


_file_hashes: dict[str, str] = {}


def model_files_hash(model_dir: str | os.PathLike) -> str:
    """SHA-256 over a model directory's weights, config.json and genoview.json (settings there, such as a
    calibrated threshold, change the values too) and GeneORF's rna_references.fasta (its RNA genes by homology);
    remembered per file identity, so weights hash once."""
    digest = hashlib.sha256()
    from genoview.core.models.metadata import METADATA_FILE

    for name in ("model.safetensors", "model.safetensors.index.json", "config.json", METADATA_FILE,
                 "rna_references.fasta"):
        path = Path(model_dir) / name
        if path.is_file():
            identity = file_identity(path)
            if identity not in _file_hashes:
                file_digest = hashlib.sha256()
                with open(path, "rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        file_digest.update(block)
                _file_hashes[identity] = file_digest.hexdigest()
            digest.update(f"{name}:{_file_hashes[identity]};".encode())
    return digest.hexdigest()


_sequence_checksums: dict[tuple[str, str], str] = {}
_checksum_lock = threading.Lock()
CHECKSUM_SLICE = 1 << 23


def _checksum_of(record) -> str:
    digest = hashlib.sha256(f"{record.id}:{record.length}:".encode())
    for a in range(0, record.length, CHECKSUM_SLICE):
        digest.update(np.ascontiguousarray(record.fetch(a, min(record.length, a + CHECKSUM_SLICE))).tobytes().upper())
    return digest.hexdigest()


def sequence_checksums(records, genome_path: str | os.PathLike | None = None) -> list[str]:
    """:func:`sequence_checksum` of each record, the store read once and written in one transaction for all of
    them (one row per transaction took 90 s for a draft of 5,000 contigs; its sequences hash in 0.2 s)."""
    records = list(records)
    try:
        identity = file_identity(genome_path) if genome_path is not None else None
    except OSError:
        identity = None
    if identity is None:
        return [sequence_checksum(r) for r in records]
    with _checksum_lock:
        found = {str(r.id): _sequence_checksums[(identity, str(r.id))] for r in records
                 if (identity, str(r.id)) in _sequence_checksums}
    missing = [r for r in records if str(r.id) not in found]
    if missing:
        store = open_store()
        with store.connect() as db:
            stored = dict(db.execute("SELECT seqid, checksum FROM sequence_checksums WHERE identity = ?",
                                     [identity]).fetchall())
        new = []
        for r in missing:
            checksum = stored.get(str(r.id))
            if checksum is None:
                checksum = _checksum_of(r)
                new.append((identity, str(r.id), checksum))
            found[str(r.id)] = checksum
        with _checksum_lock:
            _sequence_checksums.update({(identity, str(r.id)): found[str(r.id)] for r in missing})
        if new:
            with _unless_read_only(), store.connect() as db:   # a read-only store: hashed again next time
                with db.conn:
                    db.conn.executemany("INSERT OR REPLACE INTO sequence_checksums (identity, seqid, checksum) "
                                        "VALUES (?, ?, ?)", new)
    return [found[str(r.id)] for r in records]


def sequence_checksum(record, genome_path: str | os.PathLike | None = None) -> str:
    """SHA-256 of a sequence's id, length and bases (read in 8 Mb slices, never whole), remembered per
    genome file identity and sequence in this process and in the store, so a file is hashed once."""
    memo = None
    if genome_path is not None:
        try:
            memo = (file_identity(genome_path), str(record.id))
        except OSError:
            memo = None
    with _checksum_lock:
        if memo is not None and memo in _sequence_checksums:
            return _sequence_checksums[memo]
    store = open_store() if memo is not None else None
    if store is not None:
        with store.connect() as db:
            row = db.execute("SELECT checksum FROM sequence_checksums WHERE identity = ? AND seqid = ?",
                             list(memo)).fetchone()
        if row is not None:
            _sequence_checksums[memo] = row[0]
            return row[0]
    checksum = _checksum_of(record)
    if memo is not None:
        _sequence_checksums[memo] = checksum
        with _unless_read_only(), store.connect() as db:
            with db.conn:
                db.execute("INSERT OR REPLACE INTO sequence_checksums (identity, seqid, checksum) VALUES (?, ?, ?)",
                           [memo[0], memo[1], checksum])
    return checksum


def model_checksum(model) -> str:
    """A model's identity for cache keys: its directory's files hash, or a built-in's name and version."""
    model_path = getattr(model, "path", None)
    if model_path is not None:
        return "files:" + model_files_hash(model_path)
    return f"builtin:{model.name}:{model.info.get('version', '')}"


def prediction_key(model, record, start: int, end: int, genome_path: str | os.PathLike | None = None,
                   params: dict[str, Any] | None = None) -> str:
    """Cache key of a prediction: the sequence's checksum (id, length, bases), the region, the model's
    checksum (weights, config.json, genoview.json) and every parameter that changes the values."""
    text = json.dumps({"sequence": sequence_checksum(record, genome_path), "start": int(start), "end": int(end),
                       "model": model_checksum(model), "params": params or {}, "format": "uint16-v1"},
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
