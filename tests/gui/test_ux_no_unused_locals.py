"""No local name in the GUI is assigned and never read (pyflakes' "assigned to but never used"): such a leftover, like
the evaluation panel's unpacked `report` that `_show` no longer used, reads as if the code did something with it.
Checked with the standard library's symtable, so it runs without a linter installed."""
from __future__ import annotations

import symtable
from pathlib import Path

GUI = Path(__file__).resolve().parents[2] / "genoview" / "gui"
GUARDS = {"blocker"}   # QSignalBlocker guards: held, never read, on purpose


def unused_locals(table: symtable.SymbolTable, path: Path) -> list[str]:
    found = []
    if table.get_type() == "function":
        used_below = {symbol.get_name() for child in table.get_children() for symbol in child.get_symbols()
                      if symbol.is_free() or symbol.is_referenced()}
        for symbol in table.get_symbols():
            name = symbol.get_name()
            if (symbol.is_assigned() and symbol.is_local() and not symbol.is_referenced() and not symbol.is_parameter()
                    and not symbol.is_imported() and not name.startswith("_") and name not in used_below
                    and name not in GUARDS):
                found.append(f"{path.relative_to(GUI.parents[1])}: {table.get_name()} (line {table.get_lineno()}): "
                             f"{name}")
    for child in table.get_children():
        found += unused_locals(child, path)
    return found


def test_no_local_is_assigned_and_never_read():
    found = []
    for path in sorted(GUI.rglob("*.py")):
        found += unused_locals(symtable.symtable(path.read_text(encoding="utf-8"), str(path), "exec"), path)
    assert found == []


def test_the_check_finds_an_unpacked_name_left_unread(tmp_path):
    code = "def show(result):\n    report, scope = result.report, result.scope\n    return scope\n"
    assert unused_locals(symtable.symtable(code, "x.py", "exec"), GUI / "x.py") == ["genoview/gui/x.py: show (line 1): report"]
