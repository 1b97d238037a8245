"""GenoView's own state in SQLite (sqlite-utils): library models, runs, their metrics, cached predictions.

The database lives at ``user_data_dir()/genoview.db``; its schema version is SQLite's ``user_version``
and :data:`MIGRATIONS` brings an older file up to :data:`SCHEMA_VERSION` when a :class:`Store` opens it
(Vorta's pattern). Every call opens its own short-lived connection, so a Store can be used from any
thread. Cached predictions are compressed ``.npz`` files in ``user_data_dir()/cache``, written to a
temporary file and moved into place with ``os.replace``: a crash leaves no half-written cache entry.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import threading
import zipfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

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


# MIGRATIONS[i] turns a version-i database into version i + 1; append, never edit, to change the schema.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_create_library_and_runs, _add_prediction_cache]
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """The SQLite store at ``path`` (default ``user_data_dir()/genoview.db``), migrated on opening."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else paths.user_data_dir() / "genoview.db"
        self.cache_dir = self.path.parent / "cache"
        self.migrate()

    @contextmanager
    def connect(self) -> Iterator[sqlite_utils.Database]:
        """A connection for one unit of work (one per call, hence one per thread), closed afterwards."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            yield sqlite_utils.Database(conn)
        finally:
            conn.close()

    def schema_version(self) -> int:
        with self.connect() as db:
            return int(db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Apply the pending migrations in one write transaction (safe when two processes start at once)."""
        with self.connect() as db:
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

    # --- runs and their metrics ----------------------------------------------------------------
    def start_run(self, kind: str, model: str, params: dict[str, Any] | None = None) -> int:
        """Record a training or prediction job as running; returns its id."""
        with self.connect() as db:
            table = db["runs"].insert({"kind": kind, "model": model, "params": json.dumps(params or {}, default=str),
                                       "status": "running", "started": _now()})
            return int(table.last_pk)

    def finish_run(self, run_id: int, status: str = "finished", metrics: dict[str, float] | None = None,
                   message: str = "") -> None:
        """Close a run ("finished", "failed" or "cancelled") and store its numeric metrics."""
        with self.connect() as db:
            with db.conn:
                db.execute("UPDATE runs SET status = ?, finished = ?, message = ? WHERE id = ?",
                           [status, _now(), message, run_id])
                db.conn.executemany(
                    "INSERT OR REPLACE INTO metrics (run_id, name, value) VALUES (?, ?, ?)",
                    [(run_id, name, float(value)) for name, value in (metrics or {}).items()
                     if isinstance(value, (int, float)) and not isinstance(value, bool)])

    def runs(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Runs, newest first, each with its params decoded and its metrics as a dict."""
        with self.connect() as db:
            where, args = ("kind = ?", [kind]) if kind else (None, None)
            rows = list(db["runs"].rows_where(where, args, order_by="id DESC"))
            for row in rows:
                row["params"] = json.loads(row["params"] or "{}")
                row["metrics"] = {m["name"]: m["value"] for m in db["metrics"].rows_where("run_id = ?", [row["id"]])}
        return rows

    # --- cached predictions --------------------------------------------------------------------
    def cached_prediction(self, key: str) -> np.ndarray | None:
        """The probabilities saved under ``key``, or None (a missing or damaged file drops the entry)."""
        with self.connect() as db:
            row = db.execute("SELECT file FROM predictions WHERE key = ?", [key]).fetchone()
            if row is None:
                return None
            try:
                with np.load(self.cache_dir / row[0]) as npz:
                    return npz["probs"]
            except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
                with db.conn:
                    db.execute("DELETE FROM predictions WHERE key = ?", [key])
                return None

    def save_prediction(self, key: str, probs: np.ndarray, seqid: str = "", start: int = 0, end: int = 0,
                        model: str = "") -> Path:
        """Write ``probs`` compressed under ``key`` atomically (temporary file, then os.replace)."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        final = self.cache_dir / f"{key}.npz"
        fd, tmp_name = tempfile.mkstemp(prefix=f".{key[:16]}-", suffix=".npz.tmp", dir=self.cache_dir)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez_compressed(fh, probs=np.asarray(probs))
            os.replace(tmp_name, final)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        with self.connect() as db:
            db["predictions"].upsert({"key": key, "file": final.name, "seqid": seqid, "start": int(start),
                                      "end": int(end), "model": model, "created": _now(),
                                      "size_bytes": final.stat().st_size}, pk="key")
        return final


_stores: dict[Path, Store] = {}
_stores_lock = threading.Lock()


def open_store() -> Store:
    """The Store of the current user data dir, migrated once per process."""
    path = paths.user_data_dir() / "genoview.db"
    with _stores_lock:
        if path not in _stores or not path.exists():
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
    calibrated threshold, change the values too); remembered per file identity, so weights hash once."""
    digest = hashlib.sha256()
    from genoview.core.models.metadata import METADATA_FILE

    for name in ("model.safetensors", "model.safetensors.index.json", "config.json", METADATA_FILE):
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


def prediction_key(model, record, start: int, end: int, genome_path: str | os.PathLike | None = None,
                   params: dict[str, Any] | None = None) -> str:
    """Cache key of a prediction: genome file identity (or the record's content hash without a file),
    sequence id, region, model directory and files hash (or built-in name and version), parameters."""
    if genome_path is not None:
        genome = file_identity(genome_path)
    else:
        genome = "sha256:" + hashlib.sha256(record.fetch(start, end).tobytes()).hexdigest()
    model_path = getattr(model, "path", None)
    if model_path is not None:
        model_id = f"{Path(model_path).resolve()}:{model_files_hash(model_path)}"
    else:
        model_id = f"{model.name}:{model.info.get('version', '')}"
    text = json.dumps({"genome": genome, "seqid": record.id, "start": int(start), "end": int(end),
                       "model": model_id, "params": params or {}}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
