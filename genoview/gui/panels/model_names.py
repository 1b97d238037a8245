"""Which model names a free-text model field accepts: a completer and a tooltip listing the installed models.

Real vs mutated takes language models, a gene model and a k-mer BERT by name; a newcomer did not know any name but
the one filled in (the library lists them in another window). Models ▸ Library… imports or trains more.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QLineEdit


def attach_model_names(edit: QLineEdit, names: list[str], what: str, multi: bool = False) -> None:
    """Complete ``edit`` with ``names`` (a single-name field) and say in its tooltip which ``what`` are installed."""
    names = sorted(set(names), key=str.lower)
    if not multi and names:
        completer = QCompleter(names, edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        edit.setCompleter(completer)
    how = ("Names separated by commas are scored side by side; a+b averages models as one ensemble. "
           if multi else "")
    listed = ", ".join(names) if names else "none installed"
    edit.setToolTip(f"{how}Installed {what}: {listed}. Models ▸ Library… lists them with their cards, and imports "
                    "or trains more.")


def attach_mutation_model_names(panel, infos=None) -> None:
    """The three model fields of the Real vs mutated panel (``infos``: ``list_models()``'s rows, read once)."""
    if infos is None:
        from genoview.core.models import list_models

        infos = list_models()
    usable = [i for i in infos if not getattr(i, "broken", "")]

    def task(info) -> str:
        return getattr(info.task, "value", info.task)

    attach_model_names(panel.lm_names, [i.name for i in usable if task(i) == "language-model"], "language models",
                       multi=True)
    attach_model_names(panel.gene_model, [i.name for i in usable if task(i) == "gene-probability"], "gene models")
    attach_model_names(panel.attention_model, [i.name for i in usable if i.architecture == "kmer-bert"],
                       "k-mer BERT models (attention)")
