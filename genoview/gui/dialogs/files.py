"""File choosers for genomes and annotations, and the error box shown when a file cannot be read.

Messages reach the user in words: Python's own texts ("[Errno 2] No such file or directory: 'x'") are
reworded, bytes of a binary file shown as escapes are summarised, and the box wraps long lines instead
of growing wider than the window.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

# .fsa_nt: NCBI's WGS downloads of a draft (MEES01.1.fsa_nt.gz), hidden by the dialog's filter before
GENOME_SUFFIXES = (".fa", ".fasta", ".fna", ".ffn", ".fas", ".fsa", ".fsa_nt", ".gb", ".gbk", ".gbff", ".genbank",
                   ".embl")
ANNOTATION_SUFFIXES = (".gff", ".gff3", ".gtf")
COMPRESSED = ("", ".gz", ".bgz")
GENOME_FILTER = (
    "Genomes (" + " ".join(f"*{s}{c}" for s in GENOME_SUFFIXES for c in COMPRESSED) + ");;All files (*)"
)
ANNOTATION_FILTER = (
    "Annotations ("
    + " ".join(f"*{s}{c}" for s in ANNOTATION_SUFFIXES + (".gb", ".gbk", ".gbff", ".embl") for c in COMPRESSED)
    + ");;All files (*)"
)


def is_annotation_file(path: str | Path) -> bool:
    """GFF3/GTF by name (compressed or not); GenBank counts as a genome, since it carries its sequence."""
    name = (path if isinstance(path, str) and "/" not in path and os.sep not in path else Path(path).name).lower()
    for compressed in (".gz", ".bgz"):
        if name.endswith(compressed):
            name = name[: -len(compressed)]
    return name.endswith(ANNOTATION_SUFFIXES)


# File names that say nothing about the organism (NCBI downloads and many pipelines name every genome so): the
# folder says which genome it is
GENERIC_STEMS = {"genome", "genomic", "sequence", "sequences", "assembly", "contigs", "scaffolds", "chromosome", "dna",
                 "seq", "reference", "ref", "annotation", "genes", "features"}


def plain_stem(name: str) -> str:
    """A file name without its sequence/annotation suffixes, compression and odd characters."""
    for suffix in (".gz", ".bgz", ".fa", ".fasta", ".fna", ".gb", ".gbk", ".genbank", ".gff3", ".gff", ".gtf"):
        name = name[: -len(suffix)] if name.lower().endswith(suffix) else name
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")


def display_name(path: str | Path) -> str:
    """A file's name for lists and summaries: 'folder/genome.fna.gz' when the name alone says nothing."""
    p = Path(path)
    return f"{p.parent.name}/{p.name}" if plain_stem(p.name).lower() in GENERIC_STEMS and p.parent.name else p.name


def suggest_annotation(genome_path: str | Path | None) -> str | None:
    """The annotation that most likely belongs to a genome file: one beside it with the same name stem
    (NC_1.fna.gz -> NC_1.gff3), else the only annotation file in its folder (genome.fna.gz + annotation.gff3.gz)."""
    if not genome_path:
        return None
    path = Path(genome_path)
    folder = path.parent
    if not folder.is_dir():
        return None

    def stem(name: str) -> str:
        name = name.lower()
        for compressed in (".gz", ".bgz"):
            name = name[: -len(compressed)] if name.endswith(compressed) else name
        return name.rsplit(".", 1)[0]

    try:
        # names first (scandir, no stat): only annotation-named entries are checked (a big folder, a network share)
        with os.scandir(folder) as entries:
            candidates = sorted(Path(e.path) for e in entries if is_annotation_file(e.name) and e.is_file())
    except OSError:
        return None
    own = stem(path.name).removesuffix("_genomic")
    same = [p for p in candidates if stem(p.name).removesuffix("_genomic") == own]
    if same:
        return str(same[0])
    return str(candidates[0]) if len(candidates) == 1 else None


def choose_genome(parent: QWidget, directory: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open genome (FASTA, GenBank or EMBL)", directory, GENOME_FILTER)
    return path or None


def choose_annotation(parent: QWidget, directory: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open annotation (GFF3, GTF or GenBank)", directory, ANNOTATION_FILTER)
    return path or None


ERRNO_WORDS = {
    2: "the file {path} does not exist (moved, renamed or deleted?)",
    13: "GenoView may not read {path} (permission denied)",
    21: "{path} is a folder, not a file",
    20: "a part of the path {path} is not a folder",
    28: "the disk is full",
    30: "{path} is on a read-only disk",
}
_ERRNO = re.compile(r"\[Errno (\d+)\] ([^:]+)(?::\s*'([^']*)')?")
_QUOTED_BYTES = re.compile(r"'[^']*(?:\\x[0-9a-fA-F]{2}|[\x00-\x08\x0e-\x1f\ufffd])[^']*'")
MAX_RUN = 150          # an unbreakable run (no space: escaped bytes, a sequence) longer than this is shortened
MAX_TEXT_LINE = 2000   # and a line of words longer than this


def user_message(message: str) -> str:
    """``message`` as a user should read it: Python's errno texts in words, quoted binary content summarised,
    over-long runs without a space (and very long lines) shortened in the middle."""
    def errno_words(match: re.Match) -> str:
        number, text, path = int(match[1]), match[2], match[3]
        template = ERRNO_WORDS.get(number)
        if template is None:
            return f"{text.lower()}: {path}" if path else text.lower()
        return template.format(path=path or "the file")

    message = _ERRNO.sub(errno_words, message)
    message = _QUOTED_BYTES.sub("binary data (is it compressed, or another kind of file?)", message)
    message = re.sub(r"(?:\\x[0-9a-fA-F]{2}){2,}", "…", message)
    # a line of words wraps in the box: only a run without spaces (escaped bytes, a sequence) is shortened, and a
    # line over MAX_TEXT_LINE. Every line over 300 characters was cut in its middle, which took the fix out of
    # a message that names file, line, what is wrong and the fix ("...and the annotat…', rename it")
    lines = []
    for line in message.splitlines() or [""]:
        line = re.sub(rf"\S{{{MAX_RUN + 1},}}", lambda m: _middle_cut(m[0], MAX_RUN), line)
        lines.append(_middle_cut(line, MAX_TEXT_LINE))
    return "\n".join(lines)


def _middle_cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit // 2 - 1] + "…" + text[-(limit // 2 - 1):]


def one_line(message: str, limit: int = 120) -> str:
    """The first paragraph of a message on one line, short enough for the status bar."""
    text = " ".join(message.split("\n\n")[0].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_error(parent: QWidget, title: str, message: str) -> None:
    """A modal error box; the caller keeps its state, so the user can simply try again. The text is
    :func:`user_message`'s: no unbreakable run of escaped bytes to make the box wider than the window."""
    QMessageBox.critical(parent, title, user_message(message))
