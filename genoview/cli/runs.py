"""`genoview runs`: the runs GenoView recorded (trainings, predictions, evaluations), with their state and owner."""
from __future__ import annotations

import argparse
import json
import sys

STATUSES = ("running", "lost", "finished", "failed", "cancelled", "paused", "resumed")
# the kinds the commands and the window record (store.start_run), and the commands' names for the two that differ
KINDS = ("train", "train-lm", "adapt", "prediction", "evaluation", "calibrate", "mutate", "score-pairs",
         "variant-effects", "saturation")
KIND_OF_COMMAND = {"predict": "prediction", "evaluate": "evaluation"}


def add_parser(subparsers) -> argparse.ArgumentParser:
    from genoview.cli import number_type

    p = subparsers.add_parser(
        "runs", help="list recorded runs: trainings, predictions, evaluations, and which are still running",
        description="List the runs recorded in GenoView's database (GENOVIEW_HOME), newest first: kind, model, "
                    "state, when it started, the machine it runs on and when it last showed progress. A run killed on "
                    "this machine is shown failed; one of another machine sharing GENOVIEW_HOME (a cluster node) that "
                    "has shown no progress for GENOVIEW_LOST_AFTER_MIN minutes (default 15) is shown lost, with its "
                    "machine and last-seen time. Nothing is deleted.",
    )
    p.add_argument("--kind", metavar="KIND", help=f"only runs of this kind: {', '.join(KINDS)} (predict and "
                                                  "evaluate, the commands' names, stand for prediction and "
                                                  "evaluation)")
    p.add_argument("--status", choices=STATUSES, help="only runs in this state")
    p.add_argument("--limit", type=number_type(int, lambda v: v >= 1, "a whole number", "expected 1 or more, got {text}"),
                   default=20, metavar="N", help="the newest N runs (default 20)")
    p.add_argument("--json", action="store_true",
                   help='print a JSON list of {"id", "kind", "model", "status", "started", "finished", "host", "pid", '
                        '"last_seen", "message", "metrics"}')
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from genoview.core.errors import GenoViewInputError
    from genoview.core.store import open_store, short_time, writable_or_warn

    store = open_store()
    args.kind = known_kind(args.kind, store)
    # a state is known only once read (lost is worked out from the heartbeat): with --status every run is read
    rows = store.runs(kind=args.kind, limit=None if args.status else args.limit)
    if args.status:
        rows = [r for r in rows if r["status"] == args.status]
    rows = rows[:args.limit]
    writable = True
    if not rows:   # a home whose database cannot be written (or was never made) records no run: why, on stderr in
        # the one wording of every command (asked only here: a write check waits on a database held locked)
        try:
            writable = writable_or_warn(store)
        except GenoViewInputError:   # locked by another process: not unwritable
            writable = True
    if args.json:
        keys = ("id", "kind", "model", "status", "started", "finished", "host", "pid", "last_seen", "message",
                "metrics")
        json.dump([{k: r.get(k) for k in keys} for r in rows], sys.stdout, indent=1)
        print()
        return 0
    if not rows:
        print("no runs recorded" + (" that match" if args.kind or args.status else "")
              + " in this GENOVIEW_HOME"
              + ("" if writable else f": its database cannot be written, so no run is recorded there ({store.path}; "
                 "the warning above says why and how to fix it)"))
        return 0
    table = [("id", "kind", "model", "status", "started", "host", "last seen")]
    for r in rows:
        table.append((str(r["id"]), r["kind"] or "-", r["model"] or "-", r["status"], short_time(r["started"]),
                      r.get("host") or "-", short_time(r.get("last_seen"))))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    lost = [r for r in rows if r["status"] == "lost"]
    for r in lost:
        print(f"run {r['id']}: {r['message']}")
    return 0


def known_kind(kind: str | None, store) -> str | None:
    """``--kind`` as the runs record it: a command's name for its kind (`--kind predict` listed nothing: predict's
    runs are "prediction" runs), and a kind no run has that is none of GenoView's refused, naming them, not answered
    "no runs recorded that match" (H-cli19 walk)."""
    from genoview.core.errors import GenoViewInputError

    if kind is None or kind in KINDS:
        return kind
    if kind in KIND_OF_COMMAND:
        return KIND_OF_COMMAND[kind]
    if store.runs(kind=kind, limit=1):   # a kind of another GenoView version sharing this home
        return kind
    raise GenoViewInputError(f"--kind {kind}: no such kind of run; the kinds are {', '.join(KINDS)}")
