"""Every training setting that may be null says what null (an empty box in the wizard) means, in its help: the
wizard's fields read "null: ..." from it, and without it fell back to "no limit", which was wrong for context (the
model's own reach), k (6 or the parent's), init_from (random weights) and the genome files (session 16 review)."""
from __future__ import annotations

import dataclasses
import re

from genoview.core.training.datasets import Region, TiledWindows
from genoview.core.training.spec import TrainingSpec, spec_schema


def _empty_means() -> dict[str, str]:
    nullable = {f.name for f in dataclasses.fields(TrainingSpec) if "None" in str(f.type)}
    said = {}
    for row in spec_schema():
        if row["name"] in nullable:
            found = re.search(r"null: ([^;()]+)", row["help"])
            said[row["name"]] = found.group(1).strip() if found else None
    return said


def test_every_nullable_setting_says_what_empty_means():
    said = _empty_means()
    assert said and not [name for name, text in said.items() if not text], said
    assert said["context"].startswith("the model's own") and said["k"].startswith("6")
    assert said["init_from"].startswith("random weights") and said["eval_windows"] == "all of them"
    assert said["max_steps"] == "no step limit" and said["max_minutes"] == "no time limit"
    assert not [name for name, text in said.items() if text == "no limit"]


def test_no_eval_windows_is_every_validation_window():
    codes = {"s": (None, None)}
    regions = [Region("s", 0, 100_000)]
    assert len(TiledWindows(codes, regions, 1000, 0, limit=None)) == 100
    assert len(TiledWindows(codes, regions, 1000, 0, limit=10)) == 10
