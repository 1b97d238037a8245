"""The start page shown until a genome is open: what to do first, the recent files, and a bundled example."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from genoview.paths import RESOURCES_DIR

EXAMPLE_DIR = RESOURCES_DIR / "example"
EXAMPLE_GENOME = EXAMPLE_DIR / "example.fa"
EXAMPLE_ANNOTATION = EXAMPLE_DIR / "example.gff3"


STEPS_HTML = (
    "Browse a genome, run a DNA model over it as a gene-probability track, and compare the track with "
    "the annotation.<ol>"
    "<li><b>Open a genome</b>: a FASTA or GenBank file (<i>File ▸ Open genome…</i>, Ctrl+O).</li>"
    "<li><b>Add its annotation</b> (optional, needed to evaluate): GFF3, GTF or GenBank "
    "(<i>File ▸ Open annotation…</i>).</li>"
    "<li><b>Predict</b> (<i>Tools ▸ Predict…</i>, Ctrl+P): choose a model; its track fills in as it runs. "
    "Hatched grey means <i>not predicted</i>; the strip under a track marks the genes it calls.</li>"
    "<li><b>Evaluate</b> against the annotation in the Evaluation panel; export figures from <i>File ▸ Export</i>; "
    "keep everything with <i>File ▸ Save session</i>.</li></ol>"
    "You can also <b>drag and drop</b> a genome and its annotation onto this window.<p>"
    # the language models had no word here: a newcomer with a human gene saw only the genome workflow (H-walk19)
    "A gene and mutated copies of it, scored by language models (which copy looks real, each substitution's effect, "
    "a saturation heat map): <i>Tools ▸ Real vs mutated…</i> (Ctrl+M); paste the bases, no genome needed.</p><p>"
    "Questions of a first day (your predictions in IGV, the model against Prodigal on your genome, where a trained "
    "model goes, bringing your own) and what MCC and the other numbers mean: <i>Help ▸ User guide</i>, "
    "<i>Quick start</i>.</p>")


class StartPage(QWidget):
    """Buttons for the first steps and the recent files; the window connects their signals."""

    steps_html = STEPS_HTML

    open_genome = Signal()
    open_session = Signal()
    open_example = Signal()
    open_recent = Signal(str)   # genome path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StartPage")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 30, 40, 30)
        card = QFrame(self)
        card.setMinimumWidth(560)
        card.setMaximumWidth(760)
        layout = QVBoxLayout(card)
        title = QLabel("<h2>Welcome to GenoView</h2>")
        intro = QLabel(STEPS_HTML)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("Open genome…")
        self.example_button = QPushButton("Open example genome")
        self.example_button.setToolTip(f"A small synthetic genome with its annotation, bundled with GenoView "
                                       f"({EXAMPLE_GENOME.name} + {EXAMPLE_ANNOTATION.name})")
        self.example_button.setEnabled(EXAMPLE_GENOME.is_file())
        self.session_button = QPushButton("Open session…")
        self.open_button.clicked.connect(self.open_genome)
        self.example_button.clicked.connect(self.open_example)
        self.session_button.clicked.connect(self.open_session)
        for button in (self.open_button, self.example_button, self.session_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.recent_title = QLabel("<b>Recent genomes</b> (double-click to open)")
        self.recent_list = QListWidget()
        self.recent_list.setMaximumHeight(180)
        self.recent_list.itemActivated.connect(lambda item: self.open_recent.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.recent_list.setToolTip("Double-click (or Enter) to open, with the annotation it was opened with")
        for widget in (title, intro):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addSpacing(12)
        layout.addWidget(self.recent_title)
        layout.addWidget(self.recent_list)
        layout.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)

    def set_recent(self, paths: list[str], annotations: dict[str, str]) -> None:
        self.recent_list.clear()
        from genoview.gui.dialogs.files import display_name   # folder/genome.fna.gz: several are told apart

        for path in paths:
            annotation = annotations.get(path)
            text = display_name(path) + (f"  +  {Path(annotation).name}" if annotation else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path + (f"\n{annotation}" if annotation else ""))
            self.recent_list.addItem(item)
        self.recent_title.setVisible(bool(paths))
        self.recent_list.setVisible(bool(paths))
