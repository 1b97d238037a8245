"""rev12: the unused-locals check of tests/gui/test_ux_no_unused_locals.py also covers the core files the GUI's
panels lean on most (variant_effects.py held an `idx = torch.arange(k)` never read, in the hexamer update)."""
from __future__ import annotations

import importlib.util
import symtable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("genoview/core/variant_effects.py", "genoview/core/library.py")


def _unused_locals():
    spec = importlib.util.spec_from_file_location("ux_unused", Path(__file__).with_name("test_ux_no_unused_locals.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.unused_locals


def test_core_files_of_the_panels_have_no_unused_locals():
    unused_locals = _unused_locals()
    found = []
    for name in CHECKED:
        path = ROOT / name
        found += unused_locals(symtable.symtable(path.read_text(encoding="utf-8"), str(path), "exec"), path)
    assert found == []
