"""`genoview models`: the shipped, library and built-in models, with their metrics and the default."""
from __future__ import annotations

import argparse
import json
import sys


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "models", help="list the models GenoView can run",
        description="List every shipped model (models/), every model in your library, and the built-in "
                    "Prodigal baseline, with architecture, task, test metrics and which one is the default.",
    )
    p.add_argument("--json", action="store_true",
                   help='print a JSON list of {"name", "path", "architecture", "task", "default", "metrics"}')
    p.set_defaults(run=run)
    return p


def _metric(metrics: dict, name: str) -> str:
    """A test-part metric: training writes {"test": {...}, "validation": {...}}; flat dicts work too."""
    test = metrics.get("test")
    value = test.get(name) if isinstance(test, dict) else metrics.get(name)
    return f"{value:.4f}" if isinstance(value, (int, float)) else "-"


def run(args: argparse.Namespace) -> int:
    from genoview.core.models import list_models

    infos = list_models()
    out = sys.stdout
    if args.json:
        json.dump([info.to_json() for info in infos], out, indent=1)
        out.write("\n")
        return 0
    name_width = max(len("name"), *(len(info.name) for info in infos))
    arch_width = max(len("architecture"), *(len(info.architecture) for info in infos))
    task_width = max(len("task"), *(len(info.task) for info in infos))
    out.write(f"  {'name':<{name_width}}  {'architecture':<{arch_width}}  {'task':<{task_width}}  {'test MCC':>8}  {'ROC AUC':>7}  path\n")
    for info in infos:
        mark = "*" if info.default else " "
        out.write(f"{mark} {info.name:<{name_width}}  {info.architecture:<{arch_width}}  {info.task:<{task_width}}  "
                  f"{_metric(info.metrics, 'mcc'):>8}  {_metric(info.metrics, 'roc_auc'):>7}  {info.path}\n")
    out.write("* = default model (used when --model is not given)\n")
    return 0
