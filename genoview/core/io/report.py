"""What a lenient read changed: each skipped, repaired or kept-but-irregular line, with its number and text.

A strict read raises :class:`GenoViewInputError` at the first problem instead; a lenient read (the default)
loads everything sound and lists the rest here, so no change to a file is ever silent.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterator

from genoview.core.errors import GenoViewInputError

SKIPPED, REPAIRED, KEPT = "skipped", "repaired", "kept"


@dataclass(frozen=True)
class ReportEntry:
    """One line GenoView did not load exactly as written. ``line`` is 1-based; ``action`` says what was done."""

    line: int | None
    text: str
    reason: str
    action: str  # "skipped" (the line is not loaded), "repaired: <what changed>" or "kept: <why it matters>"

    @property
    def kind(self) -> str:
        """``"skipped"``, ``"repaired"`` or ``"kept"``."""
        return self.action.split(":", 1)[0]

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "file"
        return f"{where}: {self.reason} ({self.action})"


@dataclass
class AnnotationReport:
    """The lines of one file that a lenient read skipped or repaired; empty when the file loaded as written."""

    path: str | None = None
    entries: list[ReportEntry] = field(default_factory=list)

    def add(self, line: int | None, text: str, reason: str, action: str) -> None:
        self.entries.append(ReportEntry(line, text, reason, action))

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[ReportEntry]:
        return iter(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)

    @property
    def count(self) -> int:
        return len(self.entries)

    def counts(self) -> dict[str, int]:
        """How many lines were skipped, repaired and kept."""
        counts = {SKIPPED: 0, REPAIRED: 0, KEPT: 0}
        for entry in self.entries:
            counts[entry.kind] = counts.get(entry.kind, 0) + 1
        return counts

    def summary(self) -> str:
        """One line for a status bar or a CLI warning: what was done and the first problem."""
        if not self.entries:
            return "loaded as written"
        parts = [f"{n} line{'s' if n != 1 else ''} {kind}" for kind, n in self.counts().items() if n]
        name = os.path.basename(self.path) if self.path else "the annotation"
        return f"{name}: {', '.join(parts)} (first: {self.entries[0]})"

    def lines(self, limit: int | None = None) -> list[str]:
        """The entries as text lines, at most ``limit`` of them plus a line saying how many more there are."""
        shown = self.entries if limit is None else self.entries[:limit]
        out = [f"{entry}\n    {entry.text}" if entry.text else str(entry) for entry in shown]
        if limit is not None and len(self.entries) > limit:
            out.append(f"... and {len(self.entries) - limit} more")
        return out

    def warning(self) -> str:
        """The one-line warning commands print when a lenient read changed something ('' when it did not)."""
        if not self.entries:
            return ""
        return f"warning: {self.summary()}; `genoview info --gff FILE` lists them, --strict refuses such files"

    def to_json(self) -> list[dict]:
        return [{"line": e.line, "text": e.text, "reason": e.reason, "action": e.action} for e in self.entries]


class ProblemLog:
    """Where a reader sends each problem: raised at once when strict, recorded in a report when lenient."""

    def __init__(self, path: str | None, strict: bool):
        self.path = path
        self.strict = strict
        self.report = AnnotationReport(path)
        self.first_error: GenoViewInputError | None = None

    def __call__(self, line: int | None, text: str, reason: str, action: str = SKIPPED) -> None:
        error = GenoViewInputError(reason, self.path, line)
        if self.strict:
            raise error
        if self.first_error is None:
            self.first_error = error
        self.report.add(line, text, reason, action)
