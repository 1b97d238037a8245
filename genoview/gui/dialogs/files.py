"""File choosers for genomes and annotations, and the error box shown when a file cannot be read."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

GENOME_SUFFIXES = (".fa", ".fasta", ".fna", ".ffn", ".fas", ".gb", ".gbk", ".gbff", ".genbank", ".embl")
ANNOTATION_SUFFIXES = (".gff", ".gff3", ".gtf")
COMPRESSED = ("", ".gz", ".bgz")
GENOME_FILTER = (
    "Genomes (" + " ".join(f"*{s}{c}" for s in GENOME_SUFFIXES for c in COMPRESSED) + ");;All files (*)"
)
ANNOTATION_FILTER = (
    "Annotations ("
    + " ".join(f"*{s}{c}" for s in ANNOTATION_SUFFIXES + (".gb", ".gbk", ".gbff") for c in COMPRESSED)
    + ");;All files (*)"
)


def is_annotation_file(path: str | Path) -> bool:
    """GFF3/GTF by name (compressed or not); GenBank counts as a genome, since it carries its sequence."""
    name = Path(path).name.lower()
    for compressed in (".gz", ".bgz"):
        if name.endswith(compressed):
            name = name[: -len(compressed)]
    return name.endswith(ANNOTATION_SUFFIXES)


def choose_genome(parent: QWidget, directory: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open genome (FASTA or GenBank)", directory, GENOME_FILTER)
    return path or None


def choose_annotation(parent: QWidget, directory: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open annotation (GFF3, GTF or GenBank)", directory, ANNOTATION_FILTER)
    return path or None


def show_error(parent: QWidget, title: str, message: str) -> None:
    """A modal error box; the caller keeps its state, so the user can simply try again."""
    QMessageBox.critical(parent, title, message)
