"""Form fields rendered from a typed option table (TrainingSpec's spec_schema, an architecture's options_schema).

Each field is a small editor chosen by the declared type (a check box for bool, a combo box for choices, a
line edit otherwise) with the help text and allowed range as its tooltip; ``value()`` parses what the user
typed and raises ValueError with a sentence when it does not fit, so a page can refuse to go on and say why.
"""
from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QWidget


def _allowed(row: dict[str, Any]) -> str:
    if row.get("choices"):
        return "one of " + ", ".join(map(str, row["choices"]))
    lo, hi = row.get("min"), row.get("max")
    if lo is not None and hi is not None:
        return f"from {lo} to {hi}"
    if lo is not None:
        return f"at least {lo}"
    return ""


def empty_means(row: dict[str, Any]) -> str:
    """What leaving a nullable setting empty means, from its help ("(null: never)" -> "never"); "no limit" for the
    bounds whose help does not say (max steps, max minutes, eval windows)."""
    import re

    said = re.search(r"null: ([^;()]+)", row.get("help", ""))
    return said.group(1).strip() if said else "no limit"


class OptionField(QWidget):
    """An editor for one declared setting; empty text means "unset" (null) where the default is null."""

    changed = Signal()

    def __init__(self, row: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QHBoxLayout

        self.row = row
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        kind = row["type"]
        allowed = _allowed(row)
        # the spec's help says "null: never" (the JSON file's word); a form's user leaves a box empty
        tip = row.get("help", "").replace("null:", "empty:") + (f" ({allowed})" if allowed else "")
        if (row.get("default") is None or row.get("nullable")) and kind != "bool":
            tip += "; leave empty for " + (empty_means(row) if row.get("nullable") else "the default")
        if kind == "bool" and row.get("default") is not None:
            self.editor = QCheckBox(self)
            self.editor.toggled.connect(self.changed)
        elif row.get("choices") or kind == "bool":   # a bool whose default is "decided by the run": three states
            self.editor = QComboBox(self)
            if row.get("default") is None:
                self.editor.addItem("(default)", None)
            for choice in row.get("choices") or (True, False):
                self.editor.addItem(str(choice).lower() if isinstance(choice, bool) else str(choice), choice)
            self.editor.currentIndexChanged.connect(self.changed)
        else:
            self.editor = QLineEdit(self)
            # what an empty box means, in it ("default" stood in an empty max minutes box, which means no limit;
            # an empty epochs box, no bound, showed nothing)
            self.editor.setPlaceholderText(empty_means(row) if row.get("nullable") else
                                           "default" if row.get("default") is None else "")
            self.editor.textChanged.connect(self.changed)
        self.editor.setToolTip(tip)
        self.setToolTip(tip)
        layout.addWidget(self.editor)
        self.set_value(row.get("default"))
        # set by the user's own typing or clicking (not by set_value): a preset leaves such a value as it is
        self.touched = False
        user_signal = {QCheckBox: "clicked", QComboBox: "activated"}.get(type(self.editor), "textEdited")
        getattr(self.editor, user_signal).connect(self._touch)

    def _touch(self, *_) -> None:
        self.touched = True

    def set_value(self, value: Any) -> None:
        if isinstance(self.editor, QCheckBox):
            self.editor.setChecked(bool(value))
        elif isinstance(self.editor, QComboBox):
            index = self.editor.findData(value)
            self.editor.setCurrentIndex(max(0, index))
        elif value is None:
            self.editor.setText("")
        elif isinstance(value, (list, dict)):
            self.editor.setText(json.dumps(value))
        elif isinstance(value, float):
            self.editor.setText(f"{value:g}")
        else:
            self.editor.setText(str(value))

    def value(self) -> Any:
        """The typed value; ValueError with a sentence naming the setting when it does not parse or fit."""
        name, kind = self.row["name"], self.row["type"]
        if isinstance(self.editor, QCheckBox):
            return self.editor.isChecked()
        if isinstance(self.editor, QComboBox):
            return self.editor.currentData()
        text = self.editor.text().strip()
        if not text:
            if self.row.get("default") is None or self.row.get("nullable"):
                return None
            raise ValueError(f"{name} needs a value ({_allowed(self.row) or kind})")
        try:
            if kind == "int":
                value: Any = int(float(text)) if float(text).is_integer() else None
                if value is None:
                    raise ValueError
            elif kind == "float":   # 0,1 as a German keyboard writes it: one comma and no point is a decimal comma
                value = float(text.replace(",", ".") if text.count(",") == 1 and "." not in text else text)
            elif kind in ("list[int]", "list[str]", "dict"):
                value = json.loads(text)
            else:
                value = text
        except ValueError:
            word = {"int": "a whole number", "float": "a number", "list[int]": "a list such as [1, 3, 9]"}.get(kind, kind)
            raise ValueError(f"{name}: {text!r} is not {word}") from None
        lo, hi = self.row.get("min"), self.row.get("max")
        numbers = value if isinstance(value, list) else [value]
        if kind in ("int", "float", "list[int]") and any(
                isinstance(v, (int, float)) and ((lo is not None and v < lo) or (hi is not None and v > hi))
                for v in numbers):
            raise ValueError(f"{name} {text} is out of range ({_allowed(self.row)})")
        return value

    def mark(self, error: str | None) -> None:
        self.editor.setStyleSheet("" if not error else "border: 1px solid #c0392b;")
        if error:
            self.editor.setToolTip(error)


class OptionForm(QWidget):
    """A form of OptionFields; ``values()`` returns name -> value or raises ValueError naming the first bad one."""

    changed = Signal()

    def __init__(self, rows: list[dict[str, Any]], parent: QWidget | None = None, labels: dict[str, str] | None = None):
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.fields: dict[str, OptionField] = {}
        for row in rows:
            field = OptionField(row, self)
            field.changed.connect(self.changed)
            label = (labels or {}).get(row["name"], row["name"].replace("_", " "))
            self.layout_.addRow(label, field)
            self.layout_.labelForField(field).setToolTip(field.toolTip())
            self.fields[row["name"]] = field

    def values(self, only_changed: bool = False) -> dict[str, Any]:
        out = {}
        errors = []
        for name, field in self.fields.items():
            try:
                value = field.value()
                field.mark(None)
            except ValueError as exc:
                field.mark(str(exc))
                errors.append(str(exc))
                continue
            if only_changed and value == field.row.get("default"):
                continue
            out[name] = value
        if errors:
            raise ValueError("; ".join(errors))
        return out

    def set_values(self, values: dict[str, Any], *, untouched_only: bool = False) -> dict[str, tuple[Any, Any]]:
        """Set the fields named in ``values``; ``untouched_only``: leave the ones the user typed or clicked (a
        preset's call). Returns name -> (old, new) for the fields whose value changed (what a preset says it set)."""
        changed = {}
        for name, value in values.items():
            field = self.fields.get(name)
            if field is None or (untouched_only and field.touched):
                continue
            try:
                old = field.value()
            except ValueError:
                old = None
            field.set_value(value)
            try:
                new = field.value()
            except ValueError:
                new = value
            if new != old:
                changed[name] = (old, new)
        return changed

    def touched_values(self) -> dict[str, Any]:
        """name -> value of the fields the user typed or clicked (unparsable text: the text)."""
        out = {}
        for name, field in self.fields.items():
            if field.touched:
                try:
                    out[name] = field.value()
                except ValueError:
                    out[name] = field.editor.text() if hasattr(field.editor, "text") else None
        return out

    def forget_touches(self) -> None:
        """Every field the form's own again (a reset to the architecture's defaults, another architecture)."""
        for field in self.fields.values():
            field.touched = False
