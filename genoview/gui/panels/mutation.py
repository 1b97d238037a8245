"""The "Real vs mutated" panel: a gene or region (from the genome view, by name, or pasted), a mutated copy
(random with seed and max edits, typed edits, or a VCF), both side by side with per-position tracks and the
models' verdicts, a saturation-mutagenesis heat map, and a batch mode over pair files.

Everything heavy (loading models, scoring, mutagenesis) runs as a Job on the window's JobRunner (progress and
cancel in the status bar and here); results come back on the GUI thread and only then touch widgets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QStringListModel, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QCompleter, QDockWidget, QFileDialog, QFormLayout, QGraphicsRectItem,
    QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QProgressBar, QPushButton,
    QSizePolicy, QSpinBox, QScrollArea, QStackedWidget, QTableWidget, QTableWidgetItem, QTabWidget, QTextEdit, QVBoxLayout, QWidget,
)

from genoview.core.vcf_effects import SCORING_WINDOW
from genoview.gui import canvas
from genoview.gui.table_copy import make_copyable
from genoview.gui.workers import Job, JobRunner
from genoview.gui.theme import bad_color, error_color, follow_items, good_color, note_style

BASE_ROWS = ("A", "C", "G", "T", "del")
MAX_REGION = 20000          # bases a language model scores here at once


DIVERGING_ENDS = ((0.019, 0.188, 0.380), (0.404, 0.0, 0.122))   # RdBu's dark blue and dark red


from genoview.core.genome_kind import BACTERIAL_LM, genome_kind, language_model_for


MEASURE_MEANING = {   # what a heat-map value is, and its sign
    "log-likelihood ratio": "Each cell: log P(sequence with the variant) - log P(real sequence), in nats; below 0 "
                            "(blue) the language model finds the variant less likely than the real base",
    "change of gene probability": "Each cell: the window's mean gene probability with the variant minus without; "
                                  "below 0 (blue) the variant weakens the gene call",
    "masked-marginal log-ratio": "Each cell: log P(variant base) - log P(real base) at that position, masked, given "
                                 "the rest of the sequence (a masked language model's score of that one position, "
                                 "in nats); below 0 (blue) the model finds the variant less likely than the real base",
}
# the panel's one sign (the variant-effect convention): mutated / variant / ALT minus real / reference, below 0 = the
# change is less likely; the heat map, the Comparison tab's difference plot, the Variants tab and the CLI's tables too
BATCH_HISTOGRAM_TITLE = "mutated - real mean log-likelihood (below 0: real wins)"   # no "<": Qt reads HTML
BATCH_COLUMN_HELP = (
    "The language model", "Pairs in the file",
    "Share of pairs where the model gives the real sequence the lower perplexity (higher mean log-probability per "
    "predicted token: each base and the sequence's end) than its mutated copy; a tie counts as wrong; 0.5 is chance",
    "95 % Wilson interval of the perplexity-rule accuracy: where the model's accuracy on all such pairs may lie given "
    "this many pairs; two models whose intervals overlap may still differ: see the paired test under the table",
    "Share of pairs where the model gives the real sequence the higher total probability; an insertion lengthens "
    "the copy, so this rule favours the shorter sequence; a tie counts as wrong; 0.5 is chance")
VERDICT_COLUMN_HELP = (
    "The language model",
    "Log-probability of the real sequence under the model, in nats (natural log; closer to 0 = more likely)",
    "Log-probability of the mutated copy, in nats",
    "Perplexity of the real sequence: exp(-mean log-probability per predicted token: each base and the sequence's "
    "end); 1 is certain, 4 is a guess among A C G T",
    "Perplexity of the mutated copy",
    "Which copy the model calls real by perplexity: the one with the lower perplexity (green: it chose the real one)",
    "Which copy the model calls real by total probability: the more probable one; an insertion lengthens the copy, "
    "so this rule favours the shorter sequence (green: it chose the real one)",
    "log P mutated - log P real, in nats: below 0 the model finds the mutated copy less likely; for one edit, its "
    "variant effect (the Variants tab's and genoview variant-effects' llr_alt_minus_ref)")
VCF_HELP = ("A VCF's variants (CHROM = this genome's sequence name, 1-based POS, REF, ALT; .vcf or .vcf.gz) inside "
            "the real sequence are applied to make the mutated copy; the real sequence must be the visible region "
            "or a gene on the + strand.")
PAIR_FILE_HELP = ("A pair file is a CSV with the columns NCBIGeneID,RealNucleotideSequence,MutatedNucleotideSequence, "
                  "one real sequence and its mutated copy per row; `genoview mutate --genes GENES --max-changes K "
                  "--out PAIRS.csv` writes one.")




# a longer sequence has each change scored in the window of this many bases around it, as `genoview saturation
# --window` (default) and the Variants tab: the heat map and the command give the same numbers (session 16)
SATURATION_WINDOW = SCORING_WINDOW
HEAT_SUBJECT_WIDTH = 330.0   # px: narrower than the two heat-map columns' minimum (~350), so it never widens them
ALIGNMENT_COLUMNS = 3000   # alignment columns drawn (a QTextEdit of a whole 100 kb gene is slow)
ALIGNMENT_LEAD = 120   # alignment columns shown before the first edit when the alignment is cut there
LEFT_LABEL = ("real    ", "mutated ")


def vcf_miss_message(variants, seqid: str, start: int, end: int) -> str:
    """Why a VCF gave no edit here, with what it holds: its CHROM names are often not the genome's ("chr7" vs "7",
    "U00096.3" vs "NC_000913.3"); "no variant in this region" alone left the user guessing."""
    from collections import Counter

    where = f"{seqid}:{start + 1:,}-{end:,}"
    if not variants:
        return f"the VCF has no variant lines (wanted: variants in {where})"
    chroms = Counter(v.seqid for v in variants)
    held = ", ".join(f"{name} ({count:,})" for name, count in chroms.most_common(3)) + (
        f" and {len(chroms) - 3} more" if len(chroms) > 3 else "")
    if seqid not in chroms:
        return (f"the VCF has no variant on {seqid}: its {len(variants):,} variants are on {held}; its CHROM column "
                "must name the sequence as this genome does")
    return f"the VCF has no variant in {where} (its {chroms[seqid]:,} variants on {seqid} lie elsewhere)"


def vcf_mutated(real: str, region, path: str, language_models: bool = False):
    """Worker side: the mutated copy a VCF gives ``real`` (the genome's bases of ``region``) and what was read
    differently from the file (a 'chr' prefix, multi-allelic lines). Reading a VCF (a whole exome's .vcf.gz is
    100 MB) on the GUI thread froze the window. ``language_models``: the copy is for language models, so an applied
    ALT holding N is refused naming its VCF line before any scoring, as `genoview mutate --vcf` does (the model
    refused it after loading, naming a position in the mutated copy)."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.mutation import apply_edits, check_vcf_alt_bases, read_vcf, vcf_chrom_alias, vcf_edits

    seqid, start = region[0], region[1]
    variants = read_vcf(path)
    notes: list[str] = []
    edits = vcf_edits(variants, real, seqid, start, path, notes)
    if not edits:   # said with the VCF's own name when it differs by 'chr' (it said "no variant on 7" of chr7's)
        chrom = vcf_chrom_alias(variants, seqid) or seqid
        raise GenoViewInputError(vcf_miss_message(variants, chrom, start, start + len(real)), path)
    if language_models:
        check_vcf_alt_bases(variants, seqid, start, start + len(real), path)
    return apply_edits(real, edits, sequential=False), notes


def heat_map_subject(region, result) -> str:
    """What a heat map covers, in the genome's 1-based coordinates when it came from one."""
    if region:
        seqid, start, end = region[0], region[1], region[2]
        if len(region) > 3 and region[3] < 0:   # a - strand gene: the map reads its reverse complement
            return f"{seqid}:{end - result.end + 1:,}-{end - result.start:,} (- strand)"
        return f"{seqid}:{start + result.start + 1:,}-{start + result.end:,}"
    return f"pasted sequence, bases {result.start + 1:,}-{result.end:,} of {len(result.sequence):,}"


def first_difference(pair, real_cols, mut_cols) -> int:
    """The first alignment column where the real and mutated sequences differ (-1: none); vectorised, as it runs on
    the GUI thread and a gene can be 100 kb long."""
    real_cols, mut_cols = np.asarray(real_cols), np.asarray(mut_cols)
    differs = (real_cols < 0) | (mut_cols < 0)
    both = ~differs
    real = np.frombuffer(pair.real.encode("ascii", "replace"), dtype=np.uint8)
    mutated = np.frombuffer(pair.mutated.encode("ascii", "replace"), dtype=np.uint8)
    differs[both] = real[real_cols[both]] != mutated[mut_cols[both]]
    found = np.flatnonzero(differs)
    return int(found[0]) if len(found) else -1


def pasted_bases(text: str) -> str:
    """The bases of what a user pastes: a sequence, ``<ACGT...>``, or one FASTA record (its header dropped: a
    pasted record was refused with "position 1 holds '>'"). Several records are an input error."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.lm_data import strip_markers

    if text.lstrip().startswith(">"):
        lines = text.splitlines()
        headers = sum(1 for line in lines if line.lstrip().startswith(">"))
        if headers > 1:
            raise GenoViewInputError(f"the pasted text holds {headers} FASTA records; paste one sequence")
        text = "\n".join(line for line in lines if not line.lstrip().startswith((">", ";")))
    # a GenBank/EMBL sequence block ("ORIGIN", "       61 atgcatgcat gcat...", "//"): its position numbers and
    # keywords are not bases (it was refused with "position 1 holds 'O'")
    lines = text.splitlines()
    if any(re.match(r"\s*\d+\s+[A-Za-z]", line) for line in lines):
        kept = [line for line in lines if line.strip() not in ("//", "ORIGIN") and not line.lstrip().startswith("SQ ")]
        text = "\n".join(re.sub(r"(?<![^\s])\d+(?![^\s])", " ", line) for line in kept)
    return strip_markers(text)


def check_bases(bases: str, region: tuple | None = None) -> None:
    """Refuse, before any edit is made, a sequence a language model cannot read: where its other letters are (N runs
    of a draft, IUPAC codes), in the pasted sequence's own positions, and the longest stretch without them. The
    model's own check ran on the mutated copy, whose positions a random deletion had shifted."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.mutation import letters_models_cannot_read

    runs, letters, clean = letters_models_cannot_read(bases)
    if not runs:
        return
    if region is not None:   # from the genome: its coordinates (a minus-strand gene's sequence reads backwards)
        seqid, start, end, strand = region
        shown = lambda a, b: (start + a, start + b) if strand >= 0 else (end - b, end - a)   # noqa: E731
        prefix = f"{seqid}:"
    else:
        shown, prefix = (lambda a, b: (a, b)), ""
    where = ", ".join(prefix + (f"{a + 1:,}" if b - a == 1 else f"{a + 1:,}-{b:,}")
                      for a, b in (shown(*run) for run in runs[:3])) + \
        (f" and {len(runs) - 3} more" if len(runs) > 3 else "")
    a, b = shown(*clean)
    part = f"{prefix}{a + 1:,}-{b:,}: choose that part" if region is not None else f"bases {a + 1:,}-{b:,}: paste that part"
    clean = (f"; its longest stretch without them is {part} (or empty Language models to compare with the gene "
             "model alone, which reads N)") if b > a else ""
    raise GenoViewInputError(f"the sequence holds {', '.join(repr(c) for c in letters)} at {where}; language models "
                             f"read A, C, G and T only{clean}")


def diverging_colormap() -> pg.ColorMap:
    """Blue (negative) - white (0) - red (positive), as RdBu: the same colour for the same |effect|."""
    blue, red = DIVERGING_ENDS
    stops = [(0.0, blue), (0.25, (0.263, 0.576, 0.765)), (0.5, (1.0, 1.0, 1.0)),
             (0.75, (0.839, 0.376, 0.302)), (1.0, red)]
    return pg.ColorMap([p for p, _ in stops], [tuple(int(round(255 * c)) for c in rgb) for _, rgb in stops])


def diverging_lookup(n: int = 255) -> np.ndarray:
    """Lookup table (n x 4 uint8) of :func:`diverging_colormap`; odd n puts 0 exactly on the white entry."""
    return diverging_colormap().getLookupTable(0.0, 1.0, n, alpha=True)


def symmetric_levels(values: np.ndarray) -> tuple[float, float]:
    """Colour levels symmetric around 0 covering the largest |value| (NaN ignored)."""
    finite = np.abs(values[np.isfinite(values)])
    top = float(finite.max()) if finite.size else 1.0
    top = top if top > 0 else 1.0
    return -top, top


class MutationPanel(QDockWidget):
    """Dock with the real-vs-mutated workflow (see the module docstring)."""

    def __init__(self, session, runner: JobRunner, parent: QWidget | None = None,
                 default_lm: str | None = None, default_gene_model: str | None = None,
                 prokaryote_lm: str | None = None) -> None:
        super().__init__("Real vs mutated", parent)
        self.default_lm = default_lm            # the registry's default language model (human genes)
        self.prokaryote_lm = prokaryote_lm      # the bacterial-gene model, suggested for a prokaryotic genome
        self.users_default_lm = False           # default_lm is the user's own flagged default: it wins everywhere
        self.lm_user_set = False                # the user typed model names: keep them
        self._lm_chosen_hint = ""               # the caption of names the user gave (typed, or from the library)
        self.names_loaded = True                # read_model_names: False until the worker's names come
        self.setObjectName("mutation_panel")
        self.session = session
        self.runner = runner
        self._models: dict[str, object] = {}      # loaded on the worker, reused by later jobs
        self._job: Job | None = None
        self._namesake_note = ""                  # a shared gene name: which place was taken, and the others
        self._job_note = ""
        self.pair = None                           # MutatedSequence
        self.region = None                         # (seqid, start, end, strand) of the real sequence, if from the genome
        self.comparisons = []
        self.gene_comparison = None
        self.saturation = None
        self.batch_scores = []
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self._source_box())
        layout.addWidget(self._mutation_box(default_lm, default_gene_model))
        buttons = QHBoxLayout()
        self.compare_button = QPushButton("Mutate && compare")
        self.compare_button.clicked.connect(self.run_compare)
        self.saturation_button = QPushButton("Saturation mutagenesis")
        self.saturation_button.clicked.connect(self.run_saturation)
        self.export_button = QPushButton("Export heat map…")
        self.export_button.setToolTip("The scores as CSV (one row per variant), or the heat map as a PNG or SVG "
                                      "figure: choose by the file type")
        self.export_button.clicked.connect(self.export_saturation)
        self.export_button.setEnabled(False)
        for b in (self.compare_button, self.saturation_button):   # the export sits under the heat map it saves
            buttons.addWidget(b)
        layout.addLayout(buttons)
        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        progress_row.addWidget(self.progress)
        progress_row.addWidget(self.cancel_button)
        layout.addLayout(progress_row)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.tabs = QTabWidget()
        # each result shows its tab by the tab's page, not its index: a tab added or moved cannot show the wrong one
        self.comparison_page, self.heatmap_page = self._comparison_tab(), self._heatmap_tab()
        self.batch_page, self.variants_page = self._batch_tab(), self._variants_tab()
        self.tabs.addTab(self.comparison_page, "Side by side")
        self.tabs.addTab(self.heatmap_page, "Heat map")
        self.tabs.addTab(self.batch_page, "Batch")
        self.tabs.addTab(self.variants_page, "Variants")
        # the tracks need room: four stacked plots in what the form leaves of a dock were a few pixels each;
        # the panel scrolls instead when the window is short
        self.tabs.setMinimumHeight(640)
        layout.addWidget(self.tabs, 1)
        scroll = self._scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.setWidget(scroll)
        from genoview.gui.wheel_guard import guard_wheel

        guard_wheel(scroll)   # scrolling to the results never moves the seed, the count or a drop-down under the pointer
        for signal in ("genome_changed", "annotation_changed"):
            if hasattr(session, signal):
                getattr(session, signal).connect(lambda *_: self.suggest_lm())
        self.suggest_lm()
        # From follows what is open until the user picks it: the open genome's view (or the gene clicked in it),
        # pasted bases once pasted; it stayed on "Pasted sequence" with a genome open (H-walk)
        self._source_chosen = False
        self._auto_gene = ""
        self.source.activated.connect(lambda _index: setattr(self, "_source_chosen", True))
        # what is scored changes: the suggested language model follows it (pasted bases are judged, not the genome)
        self.source.currentTextChanged.connect(lambda _text: self.suggest_lm())
        self.pasted.textChanged.connect(self._default_source)
        self.pasted.textChanged.connect(self._suggest_for_pasted)   # after From follows the paste
        # a gene name typed: From "Gene by name" (it stayed on "Visible region", and Mutate & compare took the view)
        self.gene_name.textEdited.connect(lambda _text: self._default_source(refill=False))
        if hasattr(session, "genome_changed"):
            session.genome_changed.connect(lambda *_: self._default_source())
        if hasattr(session, "selection_changed"):
            session.selection_changed.connect(lambda *_: self._default_source())
        self._default_source()
        runner.progress.connect(self._on_progress)
        runner.finished.connect(self._on_finished)
        runner.failed.connect(self._on_failed)
        runner.cancelled.connect(self._on_cancelled)
        self.apply_canvas()
        canvas.follow_palette(self, self.apply_canvas)
        self.heat_plots.light_canvas = self._light_canvas   # save_widget_image: the heat map figure on white

    def apply_canvas(self, colors: canvas.Canvas | None = None) -> None:
        """The plots on the desktop's light or dark canvas (again when it switches theme), their legends' boxes too:
        light legend text on the white boxes was unreadable once new plots took a dark theme's text colour."""
        colors = canvas.make_current(colors) if colors is not None else canvas.canvas_for(self)
        for widget in (self.track_plots, self.heat_plots, self.histogram):
            widget.setBackground(colors.background)
        box = QColor(colors.background)
        box.setAlpha(220)
        for plot in (self.lm_plot, self.diff_plot, self.gene_plot, self.attention_plot, self.heat_plot, self.max_plot,
                     self.histogram):
            canvas.style_plot(plot, colors)
            item = plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot
            if item.legend is not None:
                item.legend.setBrush(pg.mkBrush(box))
                item.legend.setPen(pg.mkPen(colors.axis))
        self.attention_hint.setColor(colors.hint)
        canvas.style_plot(self.heat_bar, colors)   # the colour bar (a PlotItem): its numbers and measure's name
        self.heat_off_row.setBrush(QColor(colors.background))   # deletions not scored: no cells there
        for curve in self.max_plot.listDataItems():   # the largest-effect steps: the canvas's guide colour
            curve.setPen(pg.mkPen(colors.guide))

    def _light_canvas(self):
        """The heat map exported as a figure on white, whatever the desktop's theme; the panel's canvas after."""
        return canvas.light_canvas_of(self)

    # ------------------------------------------------------------------ building
    def _source_box(self) -> QGroupBox:
        box = QGroupBox("Real sequence")
        form = QFormLayout(box)
        self.source = QComboBox()
        self.source.addItems(["Pasted sequence", "Visible region", "Gene by name"])
        form.addRow("From", self.source)
        self.gene_name = QLineEdit()
        self.gene_name.setPlaceholderText("gene name, locus tag or ID (e.g. thrA)")
        self.gene_name.returnPressed.connect(self.go_to_named_gene)   # Enter: the view goes there (Go-to box)
        # a name several genes share ("yfgG" twice): their places to choose from, under the field (as the Go-to box
        # lists the genes a prefix could mean); choosing one puts its locus tag in the field
        self._places = QStringListModel(self)
        self._places_keys: dict[str, str] = {}
        # the place chosen from that list, while the field holds its key: a gene with no locus tag or ID has the
        # shared name as its key, which named the first place again
        self._chosen_place: tuple | None = None   # (key, feature, the annotation it is of)
        self._places_features: dict = {}
        self.gene_name.textEdited.connect(lambda _text: setattr(self, "_chosen_place", None))
        self._places_completer = QCompleter(self._places, self)
        self._places_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._places_completer.setWidget(self.gene_name)
        self._places_completer.activated.connect(self._choose_place)
        form.addRow("Gene", self.gene_name)
        self.pasted = QPlainTextEdit()
        self.pasted.setPlaceholderText("ACGT… or one FASTA record (markers < > allowed)")
        self.pasted.setMaximumHeight(60)
        self.pasted.setTabChangesFocus(True)   # Tab went into the sequence box and never came out (keyboard users)
        # bases have no word boundaries: looking for one laid a pasted one-line 20 kb sequence out again at each
        # keystroke in 60-160 ms (a frozen box); wrapped anywhere, 20-40 ms, and it wraps where it wrapped anyway
        self.pasted.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        form.addRow("Sequence", self.pasted)
        return box

    def _mutation_box(self, default_lm: str | None, default_gene_model: str | None) -> QGroupBox:
        box = QGroupBox("Mutated copy and models")
        form = QFormLayout(box)
        self.mode = QComboBox()
        self.mode.addItems(["Random", "Typed edits", "VCF"])
        form.addRow("Mutation", self.mode)
        self.mode_stack = QStackedWidget()
        random_row = QWidget()
        r = QHBoxLayout(random_row)
        r.setContentsMargins(0, 0, 0, 0)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setMinimumWidth(72)   # its 10-digit range alone made the form wider than the dock
        self.max_edits = QSpinBox()
        self.max_edits.setRange(1, 1000)
        self.max_edits.setValue(5)
        self.swaps = QCheckBox("swaps too")
        for label, w in (("seed", self.seed), ("max edits", self.max_edits)):
            r.addWidget(QLabel(label))
            r.addWidget(w)
        r.addWidget(self.swaps)
        self.mode_stack.addWidget(random_row)
        self.typed_edits = QLineEdit()
        self.typed_edits.setPlaceholderText("12A>G, 30del, 45insT (1-based on the real sequence)")
        self.mode_stack.addWidget(self.typed_edits)
        vcf_row = QWidget()
        v = QHBoxLayout(vcf_row)
        v.setContentsMargins(0, 0, 0, 0)
        self.vcf_path = QLineEdit()
        self.vcf_path.setPlaceholderText("VCF file of variants on this genome")
        self.vcf_path.setToolTip(VCF_HELP)
        browse = QPushButton("…")
        browse.clicked.connect(self._choose_vcf)
        v.addWidget(self.vcf_path)
        v.addWidget(browse)
        # Mutate & compare applies every variant at once (one copy); a geneticist's VCF of candidates wants one score
        # per variant, the lines that could not be scored said with their line and why (genoview variant-effects)
        self.vcf_each_button = QPushButton("Score each")
        self.vcf_each_button.setToolTip("Score each variant (every ALT of a multi-allelic line) on its own with the "
                                        "language models: log P(with the ALT) - log P(real), in nats; the lines "
                                        "that cannot be scored are listed with their line and why (Variants tab)")
        self.vcf_each_button.clicked.connect(self.run_vcf_each)
        v.addWidget(self.vcf_each_button)
        self.mode_stack.addWidget(vcf_row)
        self.mode.currentIndexChanged.connect(self.mode_stack.setCurrentIndex)
        form.addRow("", self.mode_stack)
        self.lm_names = QLineEdit(default_lm or "")
        self.lm_names.setPlaceholderText("language models, comma-separated; a+b is an ensemble")
        form.addRow("Language models", self.lm_names)
        self.lm_names.textEdited.connect(self._lm_edited)
        self.lm_hint = QLabel("")
        self.lm_hint.setWordWrap(True)
        self.lm_hint.setStyleSheet(note_style(self))
        form.addRow("", self.lm_hint)
        self.gene_model = QLineEdit(default_gene_model or "")
        self.gene_model.setPlaceholderText("gene model (empty: none)")
        form.addRow("Gene model", self.gene_model)
        window_row = QWidget()
        w = QHBoxLayout(window_row)
        w.setContentsMargins(0, 0, 0, 0)
        self.window_start = QSpinBox()
        self.window_start.setRange(1, 10**9)
        self.window_start.setMinimumWidth(72)
        self.window_length = QSpinBox()
        self.window_length.setRange(1, 5000)
        self.window_length.setValue(100)
        self.deletions = QCheckBox("deletions")
        self.heat_model = QComboBox()
        self.heat_model.addItems(["language model", "gene model"])
        self.window_start.setToolTip("first base of the heat map, 1-based on the real sequence")
        self.window_length.setToolTip("bases in the heat map: each gets every other base (and a deletion if ticked); "
                                      f"a sequence over {SCORING_WINDOW:,} bases has each change scored in the "
                                      f"{SCORING_WINDOW // 1000} kb window around it, as genoview saturation")
        self.deletions.setToolTip("also delete each base of the window (a 'del' row in the heat map)")
        self.heat_model.setToolTip("score the variants with the language model(s) above (log-likelihood ratio) or "
                                   "with the gene model (change in gene probability)")
        for label, widget in (("from", self.window_start), ("length", self.window_length)):
            w.addWidget(QLabel(label))
            w.addWidget(widget)
        w.addWidget(self.deletions)
        w.addStretch(1)
        form.addRow("Heat-map window", window_row)
        # on its own row: with the window settings it made the form wider than the dock (the panel scrolled
        # sideways, the combo and the export button cut off at the dock's edge)
        form.addRow("Heat map from", self.heat_model)
        attention_row = QWidget()
        a = QHBoxLayout(attention_row)
        a.setContentsMargins(0, 0, 0, 0)
        self.attention_model = QLineEdit("kmer-bert-ecoli")
        self.attention_layer = QSpinBox()
        self.attention_layer.setRange(-1, 47)
        self.attention_layer.setValue(-1)
        self.attention_layer.setToolTip("layer (-1: the last)")
        self.attention_button = QPushButton("Attention")
        self.attention_button.clicked.connect(self.run_attention)
        for widget in (self.attention_model, QLabel("layer"), self.attention_layer, self.attention_button):
            a.addWidget(widget)
        form.addRow("k-mer BERT", attention_row)
        return box

    def _lm_edited(self, text: str) -> None:
        self.lm_user_set = bool(text.strip())   # cleared: back to the suggestion
        if not self.lm_user_set:
            self.suggest_lm()
        else:
            self._lm_chosen_hint = "your choice (clear the field for the suggested model)"
            self.lm_hint.setText(self._lm_chosen_hint)

    def use_language_models(self, names: str, origin: str = "the model library") -> None:
        """Language models chosen elsewhere (Library ▸ Use in Real vs mutated): kept as typed names are (a genome
        opened later no longer replaces them), and the caption says what to do next; it stayed blank."""
        self.lm_names.setText(names)
        self.lm_user_set = True
        self._lm_chosen_hint = (f"{names}: chosen in {origin}. Next: give the real sequence above (paste it, take "
                                "the visible region or name a gene), then Mutate & compare (clear this field for the "
                                "suggested model)")
        self.lm_hint.setText(self._lm_chosen_hint)

    def read_model_names(self) -> None:
        """The model fields' defaults and installed names, read on a worker (``read_mutation_model_names``): the
        window's first paint does not wait for the model folders."""
        from shiboken6 import isValid

        from genoview.gui.workers import run_in_thread

        self.names_loaded = False
        self.lm_hint.setText("Reading the model library…")

        def done(names: MutationModelNames) -> None:
            if isValid(self):
                self.use_model_names(names)

        def failed(message: str, _exc) -> None:
            if isValid(self):
                self.use_model_names(MutationModelNames(None, "", None, []))
                self.lm_hint.setText(f"Could not read the model library: {message}")

        self._names_bridge = run_in_thread(read_mutation_model_names, done, failed)

    def use_model_names(self, names: MutationModelNames) -> None:
        """Defaults into the fields the user (or Library ▸ Use in Real vs mutated) left empty, names into their
        completers and tooltips."""
        from genoview.gui.panels.model_names import attach_mutation_model_names

        self.default_lm, self.prokaryote_lm, self.names_loaded = names.default_lm, names.prokaryote_lm, True
        self.users_default_lm = names.users_default_lm
        if not self.gene_model.text().strip():
            self.gene_model.setText(names.default_gene_model or "")
        try:   # which names the model fields take: a completer and a tooltip listing the installed models
            attach_mutation_model_names(self, names.infos if names.infos is not None else [])
        except Exception:   # noqa: BLE001 - a broken model folder must not stop the panel
            pass
        if self.lm_names.text().strip():   # a name given meanwhile stays, and its caption (not a blank line)
            self.lm_hint.setText(self._lm_chosen_hint or "your choice (clear the field for the suggested model)")
        else:
            self.suggest_lm()

    def suggest_lm(self) -> None:
        """Fill the language-model field with the model that fits the open genome (the bacterial-gene model for a
        prokaryote, the default otherwise) unless the user typed names; the caption says which and why."""
        if self.lm_user_set or not self.names_loaded:   # not yet read: use_model_names suggests then
            return
        # the bases were read on the loader's thread (long_orf_share, kept on the genome): nothing is read here
        kind, why = genome_kind(getattr(self.session, "genome", None), read_sequence=False)
        pasted = self._pasted_length()
        if pasted:   # the pasted bases are scored, not the open genome (a human gene pasted beside S. aureus got the
            # bacterial model, "the sequence looks like a prokaryote's (a 2.81 Mb genome …)": H-walk18)
            kind, why = None, f"a {pasted:,}-base pasted sequence: a human or a bacterial gene, not told apart"
        name, reason = language_model_for(kind, self.default_lm, self.prokaryote_lm,
                                          self.users_default_lm)   # the CLI's rule too
        if self.users_default_lm:
            pass   # the user's choice: the genome's kind does not matter
        elif kind is not None:
            reason = f"{reason} ({why})"
        elif self.default_lm and why.startswith("a "):   # a sequence too short to tell: say so
            reason = f"{reason}; {why}" + (
                f"; for bacterial DNA type {self.prokaryote_lm}" if "not told apart" in why and self.prokaryote_lm else "")
        elif self.default_lm:
            reason = f"{reason}" + (
                f"; opening a bacterial genome suggests {self.prokaryote_lm}" if self.prokaryote_lm else "")
        self.lm_names.setText(name or "")
        self.lm_hint.setText(f"{name}: {reason}" if name else "no language model installed")

    def _suggest_for_pasted(self) -> None:
        """Bases pasted or cleared while From is Pasted sequence: suggest again when that changes what is judged."""
        judged = bool(self._pasted_length())
        if judged != getattr(self, "_judged_pasted", False):
            self._judged_pasted = judged
            self.suggest_lm()

    def _pasted_length(self) -> int:
        """How many bases Mutate & compare takes from the Sequence box (0: From is not Pasted sequence, or nothing
        is pasted, so the open genome's region or gene is used)."""
        from genoview.core.errors import GenoViewInputError

        if not hasattr(self, "source") or self.source.currentText() != "Pasted sequence":
            return 0
        try:
            return len(self.pasted_sequence())
        except GenoViewInputError:   # two records pasted: Mutate & compare says so; the genome is not what is scored
            return 1

    def _comparison_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.verdicts = QTableWidget(0, len(VERDICT_COLUMN_HELP))
        make_copyable(self.verdicts)
        self.verdicts.setTabKeyNavigation(False)   # Tab leaves the table; the arrows move within it
        follow_items(self.verdicts)   # its green / red verdicts follow a light / dark switch of the desktop
        self.verdicts.setHorizontalHeaderLabels(["model", "log P real", "log P mutated", "PPL real", "PPL mutated",
                                                 "perplexity rule", "probability rule", "mutated - real"])
        self.verdicts.setEditTriggers(QAbstractItemView.NoEditTriggers)
        for column, tip in enumerate(VERDICT_COLUMN_HELP):   # "perplexity rule", "PPL": jargon without a tooltip
            self.verdicts.horizontalHeaderItem(column).setToolTip(tip)
        self.verdicts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        # the verdicts beside the model's name, the numbers after them: at a dock's width the two rule columns were
        # off-screen to the right (H-walk); a long model name is cut in its middle (its whole name in its tooltip).
        # On screen only: the copied table keeps the columns' own order, as an export does
        # the difference beside them: one edit's variant effect, signed as the Variants tab's (it was a subtraction
        # left to the reader of two totals of a few hundred nats)
        show_columns_in_order(self.verdicts, [0, 5, 6, 7, 1, 2, 3, 4])
        self.verdicts.horizontalHeader().setMaximumSectionSize(MAX_COLUMN_WIDTH)
        self.verdicts.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.verdicts.setMaximumHeight(120)
        layout.addWidget(self.verdicts)
        self.alignment_text = QTextEdit()
        self.alignment_text.setReadOnly(True)
        self.alignment_text.setFont(QFont("monospace"))
        self.alignment_text.setMaximumHeight(90)
        from genoview.gui.panels.alignment_labels import FrozenRowLabels   # "real"/"mutated" stay in view when scrolled
        self.alignment_labels = FrozenRowLabels(self.alignment_text, LEFT_LABEL, len(LEFT_LABEL[0]))
        layout.addWidget(self.alignment_text)
        # the curves below as numbers (a figure's data, a deleted base's neighbours): pyqtgraph's own right-click
        # Export wrote columns x0000,y0000 of one plot, unnamed and without the bases
        export_row = QHBoxLayout()
        export_note = QLabel("Per base, below: log P real and mutated (nats) and mutated - real, per model")
        export_note.setWordWrap(True)
        export_note.setStyleSheet(note_style(self))
        export_row.addWidget(export_note, 1)
        self.per_position_export = QPushButton("Export per position…")
        self.per_position_export.setToolTip("The plots' values as a table (CSV or TSV): one row per model and base, "
                                            "real and mutated and mutated - real (below 0: less likely there)")
        self.per_position_export.setEnabled(False)
        self.per_position_export.clicked.connect(self.export_per_position)
        export_row.addWidget(self.per_position_export, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(export_row)
        self.track_plots = pg.GraphicsLayoutWidget()
        # each plot's legend is a row of its own above the plot, outside the data: anchored in the plot, its box
        # covered most of the log-likelihood curves at a dock's width (both themes); the line styles in the titles
        self.lm_plot = self._plot_with_legend_row(0)
        self.lm_plot.setTitle("log-likelihood per position (solid: real, dashed: mutated)", size="9pt")
        self.lm_plot.setLabel("left", "log P (nats)")
        self.diff_plot = self.track_plots.addPlot(row=2, col=0)
        # the size of its neighbours' titles, and its unit (a bare axis beside the one above in nats; H-walk19)
        self.diff_plot.setTitle("mutated - real (below 0: the change is less likely)", size="9pt")
        self.diff_plot.setLabel("left", "Δ log P (nats)")
        self.gene_plot = self._plot_with_legend_row(3)
        self.gene_plot.setTitle("gene probability (green: real, red: mutated, grey: difference)", size="9pt")
        self.attention_plot = self._plot_with_legend_row(5)
        self.attention_plot.setTitle("attention received (k-mer BERT)")
        # the empty plot says how to fill it (it was blank, nothing said the Attention button above draws it)
        self.attention_hint = PlotHint(self.attention_plot, ATTENTION_HINT)
        for plot in (self.diff_plot, self.gene_plot, self.attention_plot):
            plot.setXLink(self.lm_plot)
        layout.addWidget(self.track_plots, 1)
        return tab

    def _plot_with_legend_row(self, row: int) -> pg.PlotItem:
        """A plot at ``row + 1`` of the side-by-side plots, its legend (``plot.legend``: the plot's named curves
        join it) in two columns at ``row``, hidden while empty (``_show_legend``); the box takes the canvas's
        colour (apply_canvas)."""
        legend = pg.LegendItem(colCount=2, brush=pg.mkBrush(255, 255, 255, 220), pen=pg.mkPen("#bbbbbb"))
        legend.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)   # its entries' height, no more
        self.track_plots.addItem(legend, row=row, col=0)
        plot = self.track_plots.addPlot(row=row + 1, col=0)
        plot.legend = legend
        self._show_legend(plot)
        return plot

    @staticmethod
    def _show_legend(plot: pg.PlotItem) -> None:
        """The legend row shown with its entries, or no row at all when it has none (an empty legend drew its
        frame, and a hidden one kept its height in the layout)."""
        shown = bool(plot.legend.items)
        plot.legend.setVisible(shown)
        plot.legend.setMaximumHeight(1e6 if shown else 0)

    def _heatmap_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.heat_plots = pg.GraphicsLayoutWidget()
        self.heat_plot = self.heat_plots.addPlot(row=0, col=0, title="effect of each base change")
        self.heat_image = pg.ImageItem(axisOrder="row-major")
        self.heat_image.setLookupTable(diverging_lookup())
        self.heat_plot.addItem(self.heat_image)
        # the deletion row when deletions were not scored takes the canvas's colour (apply_canvas), not the map's white
        # for 0: on a dark desktop it was a white band across the map, read as "no effect" at every position
        self.heat_off_row = QGraphicsRectItem(0, 4, 1, 1)
        self.heat_off_row.setPen(Qt.PenStyle.NoPen)
        self.heat_off_row.hide()
        self.heat_plot.addItem(self.heat_off_row)
        # the reference base of each position (no change to score): a small dot, as mutagenesis maps mark it
        self.reference_marks = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(60, 60, 60))
        self.heat_plot.addItem(self.reference_marks)
        self.heat_plot.getViewBox().sigTransformChanged.connect(self._fit_reference_marks)
        self.heat_bar = pg.ColorBarItem(values=(-1, 1), colorMap=diverging_colormap(), interactive=False,
                                        width=12, label="effect (variant - real)")
        self.heat_bar.setImageItem(self.heat_image)
        self.heat_plots.addItem(self.heat_bar, row=0, col=1)   # its own column: the two plots keep one x scale
        self.heat_plot.setLabel("bottom", "position in the sequence (1-based)")
        self.heat_plot.getAxis("left").setTicks([[(i + 0.5, b) for i, b in enumerate(BASE_ROWS)]])
        self.heat_plot.invertY(True)
        self.max_plot = self.heat_plots.addPlot(row=1, col=0, title="largest effect per position")
        self.heat_subject = self.heat_plots.addLabel("", row=2, col=0, colspan=2, size="8pt", justify="left")
        self.max_plot.setXLink(self.heat_plot)
        for plot in (self.heat_plot, self.max_plot):
            plot.getAxis("left").setWidth(58)   # room for "del: off"
        layout.addWidget(self.heat_plots, 1)
        # the cell under the pointer, and the one clicked: a map of 3 x 40 coloured cells gave no way to read one
        # variant's number short of exporting the CSV
        self.heat_cell = QLabel("Point at a cell for its variant and score; click to keep it here.")
        self.heat_cell.setWordWrap(True)
        self.heat_cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.heat_cell)
        self.heat_plots.scene().sigMouseMoved.connect(self._hover_heat_cell)
        self.heat_plots.scene().sigMouseClicked.connect(self._click_heat_cell)
        self.heat_caption = QLabel("")
        self.heat_caption.setWordWrap(True)
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.heat_caption, 1)
        caption_row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(caption_row)
        return tab

    def _batch_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.pairs_path = QLineEdit()
        self.pairs_path.setPlaceholderText("pair file (genoview mutate)")
        self.pairs_path.setToolTip(PAIR_FILE_HELP)
        browse = QPushButton("…")
        browse.clicked.connect(self._choose_pairs)
        self.batch_button = QPushButton("Score pairs")
        self.batch_button.clicked.connect(self.run_batch)
        row.addWidget(self.pairs_path)
        row.addWidget(browse)
        row.addWidget(self.batch_button)
        layout.addLayout(row)
        self.batch_table = QTableWidget(0, 5)
        make_copyable(self.batch_table)
        self.batch_table.setTabKeyNavigation(False)   # Tab leaves the table; the arrows move within it
        # the interval beside the accuracy it is of: last, it was the column a dock's width hid (seen under xvfb)
        self.batch_table.setHorizontalHeaderLabels(["model", "pairs", "accuracy (perplexity)", "95% CI (perplexity)",
                                                    "accuracy (probability)"])
        self.batch_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        for column, tip in enumerate(BATCH_COLUMN_HELP):   # what "accuracy (perplexity)" counts
            self.batch_table.horizontalHeaderItem(column).setToolTip(tip)
        self.batch_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.batch_table.setMaximumHeight(140)
        layout.addWidget(self.batch_table)
        # several models on one pair file: which is better, and is the difference more than chance on these pairs
        # (three accuracies 0.62 / 0.80 / 0.90 on 40 pairs were shown with nothing to say how sure they are)
        self.batch_comparison = QLabel("")
        self.batch_comparison.setWordWrap(True)
        self.batch_comparison.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.batch_comparison)
        self.histogram = pg.PlotWidget(title=BATCH_HISTOGRAM_TITLE)
        # differences of -0.9..0 nats per token read "-900 ... 0 (x0.001)", the scale cut off at the dock's edge
        self.histogram.getAxis("bottom").enableAutoSIPrefix(False)
        # no legend box in the plot (it covered the bars at a dock's width, three models, xvfb): the title's second
        # line names each model in its colour (show_batch), as the evaluation panel's histogram does
        layout.addWidget(self.histogram, 1)
        self.histogram_caption = QLabel("")
        self.histogram_caption.setWordWrap(True)
        self.histogram_caption.setStyleSheet(note_style(self))
        layout.addWidget(self.histogram_caption)
        return tab

    def _variants_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.variants_table = QTableWidget(0, 5)
        make_copyable(self.variants_table)
        self.variants_table.setTabKeyNavigation(False)
        self.variants_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.variants_table.setSortingEnabled(True)
        layout.addWidget(self.variants_table, 1)
        self.variants_note = QLabel("VCF mode, Score each: one row per variant, scored on its own.")
        self.variants_note.setWordWrap(True)
        self.variants_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.variants_note, 1)
        self.variants_export = QPushButton("Export table…")
        self.variants_export.setEnabled(False)
        self.variants_export.clicked.connect(self.export_variant_effects)
        row.addWidget(self.variants_export, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        self.variant_effects = None
        return tab

    def _choose_vcf(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "VCF", "", "VCF (*.vcf *.vcf.gz);;All files (*)")
        if path:
            self.vcf_path.setText(path)

    def _choose_pairs(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Pair file", "", "CSV (*.csv *.csv.gz);;All files (*)")
        if path:
            self.pairs_path.setText(path)

    def _default_source(self, refill: bool = True) -> None:
        """From, until the user chooses it: bases pasted, else the gene named in the Gene field (typed by the user, or
        the gene selected in the genome view, its name put there), else the region in view of an open genome, else
        Pasted sequence. ``refill`` False: the user is typing in the Gene field (a field emptied stays empty)."""
        if self._source_chosen:
            return
        genome = getattr(self.session, "genome", None)
        if refill and self.gene_name.text().strip() in ("", self._auto_gene):   # a name the user typed stays
            gene = self._selected_gene() if genome is not None else None
            self._auto_gene = gene or ""
            self.gene_name.setText(self._auto_gene)
        from genoview.core.errors import GenoViewInputError

        try:
            pasted = bool(self.pasted_sequence())
        except GenoViewInputError:   # two FASTA records pasted: still pasted (Mutate & compare says what is wrong)
            pasted = True
        if pasted or genome is None:
            self.source.setCurrentText("Pasted sequence")
        elif self.gene_name.text().strip():
            self.source.setCurrentText("Gene by name")
        else:
            self.source.setCurrentText("Visible region")

    def pasted_sequence(self) -> str:
        """``pasted_bases`` of the Sequence box (raising as it does), read once per change of its text: each keystroke
        read it two or three times (From's default, the language-model suggestion, that suggestion again)."""
        from genoview.core.errors import GenoViewInputError

        text = self.pasted.toPlainText()
        cached = getattr(self, "_pasted_read", None)
        if cached is None or cached[0] != text:
            try:
                cached = (text, pasted_bases(text), None)
            except GenoViewInputError as exc:
                cached = (text, "", exc)
            self._pasted_read = cached
        _, bases, error = cached
        if error is not None:   # a new error each time (one raised twice grows its traceback)
            raise GenoViewInputError(error.reason, error.path, error.line)
        return bases

    def _selected_gene(self) -> str:
        """The name (locus tag, else ID) of the annotated gene or CDS the selection is, or ""."""
        from genoview.core.locus import place_key

        selection = getattr(self.session, "selection", None)
        features = getattr(self.session.genome, "features", None)
        if not selection or not features:
            return ""
        seqid, start, end = selection
        hits = [f for f in features.query(seqid, start, end) if (f.start, f.end) == (start, end)
                and f.type in ("gene", "CDS", "mRNA", "tRNA", "rRNA", "ncRNA", "pseudogene")]
        hits.sort(key=lambda f: f.type != "gene")
        return place_key(hits[0]) if hits else ""

    # ------------------------------------------------------------------ inputs (GUI thread, light)
    def real_sequence(self) -> tuple[str, tuple | None]:
        """The real sequence and, when it comes from the genome, (seqid, start, end, strand)."""
        from genoview.core.errors import GenoViewInputError
        from genoview.core.lm_data import reverse_complement

        self._namesake_note = ""   # set by named_gene for a name several genes share
        source = self.source.currentText()
        if source == "Pasted sequence":
            text = self.pasted_sequence()
            if text:
                return text, None
            if self.session.genome is None:
                raise GenoViewInputError("paste a sequence first (A, C, G, T)")
            # a gene opened as a FASTA, nothing pasted: "paste a sequence first" was a dead end beside the open gene;
            # the visible region is what the user looks at (said on the status line, the choice shown in From)
            self.source.setCurrentText("Visible region")
            source = "Visible region"
            self._namesake_note = "nothing pasted: the visible region was used (From)"
        genome = self.session.genome
        if genome is None:
            raise GenoViewInputError("open a genome first, or paste a sequence")
        if source == "Visible region":
            seqid = self.session.seqid
            start, end = self.session.region
            if seqid is None or end <= start:
                raise GenoViewInputError("no region is shown in the genome view")
            if end - start > MAX_REGION:
                # the way out beside zooming: a gene (a whole genome in view said only "zoom in", H-walk18)
                raise GenoViewInputError(f"the visible region is {end - start:,} bases, more than the {MAX_REGION:,} "
                                         "compared at once: zoom in, or type a gene's name in the Gene field (or "
                                         "click a gene in the view) to compare that gene")
            return genome.sequences[seqid].text(start, end).upper(), (seqid, start, end, 1)
        f = self.named_gene()
        self.show_gene_in_view(f)   # the genome view shows the gene compared, as the Go-to box would
        text = genome.sequences[f.seqid].text(f.start, f.end).upper()
        if f.strand < 0:
            text = reverse_complement(text)
        return text, (f.seqid, f.start, f.end, f.strand)

    def named_gene(self):
        """The feature the Gene field names (GUI thread: the annotation's index, no file read)."""
        from genoview.core.errors import GenoViewInputError

        genome = self.session.genome
        if genome is None:
            raise GenoViewInputError("open a genome first, or paste a sequence")
        name = self.gene_name.text().strip()
        if not name:   # it said "no feature named ''"
            raise GenoViewInputError("type a gene name, locus tag or ID in the Gene field (e.g. thrA)")
        chosen = self._chosen_place
        if chosen is not None and chosen[0] == name and chosen[1] is not None and chosen[2] is genome.features:
            # the place picked from the list
            self._namesake_note = ""
            return chosen[1]
        hits = genome.features.find(name)
        if not hits:   # a slip of one letter: the names the go-to box would offer
            close = genome.features.similar_names(name)
            raise GenoViewInputError(f"no feature named {name!r} in the annotation"
                                     + (f"; did you mean {', '.join(close)}?" if close else ""))
        from genoview.core.locus import namesakes

        places = namesakes(name, genome, self.session.seqid)   # the Go-to box's order: it takes the first too
        self._namesake_note = ""
        if len(places) > 1:   # it took the first silently: say so, and offer the others
            self._offer_places(name, places)
        return places[0] if places else hits[0]

    def _offer_places(self, name: str, places: list) -> None:
        from genoview.core.locus import place_key, place_label, shared_name_words

        labels = [place_label(f) for f in places]
        self._places_keys = {label: place_key(f) for label, f in zip(labels, places)}
        self._places_features = dict(zip(labels, places))
        self._places.setStringList(labels)
        self._namesake_note = shared_name_words(name, places, "choose from the list under the Gene field, or type "
                                                "its locus tag")
        if self.gene_name.isVisible():
            self._places_completer.complete()

    def _choose_place(self, label: str) -> None:
        key = self._places_keys.get(label)
        if key:
            self.gene_name.setText(key)
            genome = self.session.genome
            self._chosen_place = (key, self._places_features.get(label), genome.features if genome else None)
            self.go_to_named_gene()

    def show_gene_in_view(self, feature) -> None:
        """Move the genome view to ``feature`` with the Go-to box's context around it (the view stayed where it was:
        the gene compared was not the one shown)."""
        from genoview.core.locus import Locus
        from genoview.gui.genome_view.navigation import region_for

        genome = self.session.genome
        if genome is None or feature.seqid not in genome.sequences or not hasattr(self.session, "navigate_to"):
            return
        locus = Locus(feature.seqid, feature.start, feature.end, feature)
        self.session.navigate_to(feature.seqid, *region_for(locus, genome.sequences[feature.seqid].length))

    def go_to_named_gene(self) -> None:
        """Enter in the Gene field: show that gene in the genome view (or say why not)."""
        from genoview.core.errors import GenoViewInputError

        if self.session.genome is None:
            return
        try:
            feature = self.named_gene()
        except GenoViewInputError as exc:   # said in red under the buttons; no box for a name being typed
            self.status.setText(str(exc))
            self.status.setStyleSheet(failed_style(self))
            return
        self.show_gene_in_view(feature)
        self.status.setStyleSheet("")
        note = self._namesake_note
        self.status.setText(f"{self.gene_name.text().strip()} is shown in the genome view" + (f"; {note}" if note else ""))

    def make_mutated(self, real: str, region):
        from genoview.core.mutation import (
            ALL_EDIT_TYPES, EDIT_TYPES, apply_edits, mutate_randomly, parse_edits,
        )

        mode = self.mode.currentText()
        if mode == "Random":
            types = ALL_EDIT_TYPES if self.swaps.isChecked() else EDIT_TYPES
            rng = np.random.default_rng(self.seed.value())
            k = int(rng.integers(1, self.max_edits.value() + 1))
            return mutate_randomly(real, k, rng, types)
        if mode == "Typed edits":
            return apply_edits(real, parse_edits(self.typed_edits.text(), real), sequential=False)
        return vcf_mutated(real, region, self.vcf_request(region))[0]

    def vcf_request(self, region) -> str:
        """The VCF to read, after the checks that need no file (GUI thread); vcf_mutated reads it (a worker)."""
        from genoview.core.errors import GenoViewInputError

        if region is None or region[3] < 0:
            raise GenoViewInputError("VCF variants apply to a region of the genome on its forward strand: "
                                     "choose the visible region (or a + strand gene)")
        path = self.vcf_path.text().strip()
        if not path:   # read_vcf("") said ".: no such file"
            raise GenoViewInputError(f"Choose a VCF file first (the … button). {VCF_HELP}")
        return path

    def _genome_context(self, region, track_model):
        """Worker side: for a whole-genome model (GeneORF), where the real sequence lies in its genome (every
        sequence of it read once and kept: GeneORF self-trains on all of them); None otherwise."""
        if region is None or self.session.genome is None or not getattr(track_model, "whole_sequence", False):
            return None
        from genoview.core.genome import encode
        from genoview.core.variant_effects import GenomeContext

        from genoview.core.models.geneorf.chunked import WHOLE_GENOME_MAX, region_training_window

        genome = self.session.genome
        seqid, start, end, strand = region
        strand = 1 if strand >= 0 else -1
        if sum(r.length for r in genome.sequences.values()) > WHOLE_GENOME_MAX:
            # a chromosome-sized genome: GeneORF trains on the place and its surroundings (read only those)
            record = genome.sequences[seqid]
            a, b = region_training_window(record.length, start, end)
            return GenomeContext({seqid: encode(record.fetch(a, b))}, seqid, start - a, end - a, strand)
        key = ("genome", str(getattr(genome, "path", "")), tuple((sid, r.length) for sid, r in genome.sequences.items()))
        if key not in self._models:
            for old in [k for k in self._models if isinstance(k, tuple) and k[0] == "genome"]:
                del self._models[old]
            self._models[key] = {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}
        return GenomeContext(self._models[key], seqid, start, end, strand)

    def _flanks(self, region, context: int) -> tuple[str, str]:
        if region is None or self.session.genome is None or context <= 0:
            return "", ""
        seqid, start, end, strand = region
        record = self.session.genome.sequences[seqid]
        left = record.text(max(0, start - context), start).upper()
        right = record.text(end, min(record.length, end + context)).upper()
        if strand < 0:
            from genoview.core.lm_data import reverse_complement

            left, right = reverse_complement(right), reverse_complement(left)
        return left, right

    # ------------------------------------------------------------------ jobs
    def _load_lms(self, names: str):
        from genoview.core.lm_models import load_language_model
        from genoview.core.prediction import MODEL_LOCK

        out = []
        for name in [n.strip() for n in names.split(",") if n.strip()]:
            key = "lm:" + name
            if key not in self._models:
                with MODEL_LOCK:   # one thread at a time imports the runtime / loads a model (start-up warm-up)
                    self._models[key] = load_language_model(name.replace("+", ","))
            out.append(self._models[key])
        return out

    def _load_gene_model(self, name: str):
        from genoview.core.models import load_model

        from genoview.core.prediction import MODEL_LOCK

        key = "gene:" + name
        if key not in self._models:
            with MODEL_LOCK:
                self._models[key] = load_model(name, device="cpu")
        return self._models[key]

    def _submit(self, title: str, fn, kind: str) -> None:
        if self._job is not None:
            self.status.setText("a job of this panel is still running; cancel it first")
            return
        self._job = Job(title, fn, context=("mutation-panel", kind))
        # a shared gene name: the run says which place it compared, at its start and with its result
        self._job_note, self._namesake_note = (self._namesake_note if kind != "batch" else ""), ""
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        self.status.setText(f"{title}…" + (f" ({self._job_note})" if self._job_note else ""))
        self.status.setStyleSheet("")
        self.runner.submit(self._job)

    def _fail(self, message: str) -> None:
        # in red, and the results below said to be the last run's: a refused VCF's message sat above the previous
        # random edits' alignment, read as the VCF's result
        shown = "the results below are from the last run" if self.pair is not None or self.saturation is not None \
            else ""
        self.status.setText(f"{message} ({shown})" if shown else message)
        self.status.setStyleSheet(failed_style(self))
        if self.isVisible() and not getattr(self, "quiet", False):
            QMessageBox.warning(self, "Real vs mutated", message)

    def run_compare(self) -> None:
        from genoview.core.errors import GenoViewInputError

        try:
            real, region = self.real_sequence()
            if self.lm_names.text().strip():
                check_bases(real, region)
            if self.mode.currentText() == "VCF":   # the file is read on the worker
                vcf, pair = self.vcf_request(region), None
            else:
                vcf, pair = None, self.make_mutated(real, region)
        except GenoViewInputError as exc:
            self._fail(str(exc))
            return
        lm_names, gene_name = self.lm_names.text(), self.gene_model.text().strip()
        flank_source = region
        if self._job is None:   # the gene model's name for the export (a refused run must not relabel the last)
            self._compared_gene_model = gene_name

        def work(progress, cancel):
            from genoview.core.jobs import wrap_progress
            from genoview.core.variant_effects import compare_gene_model, compare_lm

            mutated, notes = vcf_mutated(real, region, vcf, bool(lm_names.strip())) if vcf else (pair, [])
            models = self._load_lms(lm_names)
            comparisons = compare_lm(models, mutated, wrap_progress(progress, 0, 0.7), cancel) if models else []
            if models:   # a training gene's verdicts are recalled (0.980 right against 0.795 on held-out genes)
                notes = [*notes, *memorised_verdicts(lm_names, real)]
            gene = None
            if gene_name:
                track_model = self._load_gene_model(gene_name)
                left, right = self._flanks(flank_source, int(getattr(track_model, "context", 0)))
                gene = compare_gene_model(track_model, mutated, left, right,
                                          progress=wrap_progress(progress, 0.7, 1.0), cancel=cancel,
                                          genome=self._genome_context(flank_source, track_model))
            progress(1.0, None)
            return mutated, region, comparisons, gene, notes

        self._submit("Real vs mutated", work, "compare")

    def run_saturation(self) -> None:
        from genoview.core.errors import GenoViewInputError

        use_gene = self.heat_model.currentText() == "gene model"
        try:
            real, region = self.real_sequence()
            if not use_gene:
                check_bases(real, region)
        except GenoViewInputError as exc:
            self._fail(str(exc))
            return
        start = min(self.window_start.value() - 1, len(real) - 1)
        end = min(len(real), start + self.window_length.value())
        lm_names, gene_name, deletions = self.lm_names.text(), self.gene_model.text().strip(), self.deletions.isChecked()

        def work(progress, cancel):
            from genoview.core.lm import EnsembleLM
            from genoview.core.variant_effects import saturation_gene_model, saturation_lm

            if use_gene:
                if not gene_name:
                    raise GenoViewInputError("name a gene model for a gene-model heat map")
                track_model = self._load_gene_model(gene_name)
                left, right = self._flanks(region, int(getattr(track_model, "context", 0)))
                return saturation_gene_model(track_model, real, start, end, deletions=deletions, flank_left=left,
                                             flank_right=right, genome=self._genome_context(region, track_model),
                                             progress=progress, cancel=cancel)
            models = self._load_lms(lm_names)
            if not models:
                raise GenoViewInputError("name a language model for a heat map")
            model = models[0] if len(models) == 1 else EnsembleLM(models)
            window = SATURATION_WINDOW   # `genoview saturation --window`'s default: the same numbers as the command
            result = saturation_lm(model, real, start, end, deletions=deletions, window=window, progress=progress,
                                   cancel=cancel)
            # the bases read: the windows saturation_lm scored in (extra["windows"]), else the whole sequence
            windows = result.extra.get("windows") or [(0, len(real))]
            read_from, read_to = windows[0][0], windows[-1][1]
            if window and len(real) > window:   # said in the caption: the panel scores as the command
                size = f"{window // 1000} kb" if window % 1000 == 0 else f"{window:,}-base"
                result.extra["note"] = (f"scored in {size} windows: each change in the "
                                        f"{window:,}-base window around it (bases {read_from + 1:,}-{read_to:,} of "
                                        f"{len(real):,} read), as genoview saturation --window {window}")
            # a training gene's effects are recalled: checked on the bases the model read, as the command does
            result.extra["memorised"] = memorised_warnings(lm_names, real[read_from:read_to])
            return result

        if self._job is None:   # a run refused while one is busy must not relabel that one's map
            self._saturation_region = region
        self._submit("Saturation mutagenesis", work, "saturation")

    def run_batch(self) -> None:
        path, lm_names = self.pairs_path.text().strip(), self.lm_names.text()
        if not path:   # read_pairs("") said ".: no such file"
            self._fail(f"Choose a pair file first (the … button). {PAIR_FILE_HELP}")
            return

        def work(progress, cancel):
            from genoview.core.jobs import wrap_progress
            from genoview.core.lm_scoring import score_pairs_recorded
            from genoview.core.mutation import read_pairs

            pairs = read_pairs(path)
            models = self._load_lms(lm_names)
            if not models:
                from genoview.core.errors import GenoViewInputError

                raise GenoViewInputError("name at least one language model")
            # one run per model in `genoview runs`, as `genoview score-pairs` records it
            results = [score_pairs_recorded(m, pairs, {"pairs": path, "from": "window"},
                                            progress=wrap_progress(progress, k / len(models), (k + 1) / len(models)),
                                            cancel=cancel, where=", from the window")
                       for k, m in enumerate(models)]
            # pairs of a model's own training genes: memorised verdicts (0.980 against 0.795 on held-out genes for
            # lm-human-genes), said as `genoview score-pairs` says it
            from genoview.core.lm_training_overlap import training_pairs, training_pairs_warning

            for model, scores in zip(models, results):
                found = training_pairs(model.name, [p.real for p in pairs])
                scores.training_note = "" if not found or not found[0] else training_pairs_warning(
                    model.name, found[0], len(pairs), found[1],
                    "pairs of the genes it never saw are made on the command line: genoview mutate --genes FILE --held-out")
            return results

        self._submit("Score pairs", work, "batch")

    def run_vcf_each(self) -> None:
        """Each VCF variant in the real sequence's region scored alone by each language model (a worker)."""
        from genoview.core.errors import GenoViewInputError
        from genoview.core.lm_data import reverse_complement

        try:
            real, region = self.real_sequence()
            if region is None:
                raise GenoViewInputError("VCF positions are the genome's: take the visible region or a gene by name "
                                         "(a pasted sequence has no genome coordinates)")
            path = self.vcf_path.text().strip()
            if not path:
                raise GenoViewInputError(f"Choose a VCF file first (the … button). {VCF_HELP}")
            check_bases(real, region)
        except GenoViewInputError as exc:
            self._fail(str(exc))
            return
        seqid, start, _end, strand = region
        forward = real if strand >= 0 else reverse_complement(real)
        lm_names = self.lm_names.text()

        def work(progress, cancel):
            from genoview.core.jobs import wrap_progress
            from genoview.core.vcf_effects import read_vcf_alleles, score_vcf_variants

            reading = read_vcf_alleles(path, (seqid, start, start + len(forward)))   # lines far away: counted only
            models = self._load_lms(lm_names)
            if not models:
                raise GenoViewInputError("name at least one language model")
            results = [score_vcf_variants(m, reading, forward, seqid, start, strand,
                                          progress=wrap_progress(progress, k / len(models), (k + 1) / len(models)),
                                          cancel=cancel) for k, m in enumerate(models)]
            results[0].notes.extend(f"warning: {w}" for w in memorised_warnings(lm_names, real))
            return results

        self._submit("Score each variant", work, "variants")

    def show_variant_effects(self, results) -> None:
        """The Variants tab: line, position, change, kind, one log-likelihood-ratio column per model, then the
        skipped lines with the reason."""
        self.variant_effects = results
        first = results[0]
        table = self.variants_table
        table.setSortingEnabled(False)
        headers = (["VCF line", "position", "change", "kind"] + [f"{r.model}\n(alt - ref, nats)" for r in results]
                   + ["status"])
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        for col, result in enumerate(results, start=4):
            table.horizontalHeaderItem(col).setToolTip(
                f"{result.model}: log P(sequence with the ALT) - log P(real sequence), nats; below 0 the model finds "
                "the variant less likely")
        # the change and its scores first, where a dock's width shows them (they sat off-screen right of the VCF
        # line, position and kind: H-walk); the status (a skipped line's reason) last, filling what is left. On
        # screen only: Export table… and a copy keep the columns' own order
        scores = list(range(4, 4 + len(results)))
        show_columns_in_order(table, [2, *scores, 1, 3, 0, len(headers) - 1])
        table.horizontalHeader().setMaximumSectionSize(MAX_COLUMN_WIDTH)
        table.horizontalHeader().setStretchLastSection(True)
        table.setRowCount(len(first.effects) + len(first.skipped))
        for row, e in enumerate(first.effects):
            a = e.allele
            cells = [a.line, f"{a.seqid}:{a.position + 1:,}", f"{a.ref}>{a.alt}", e.kind,
                     *[r.effects[row].llr for r in results], "scored"]
            for col, value in enumerate(cells):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, round(value, 4) if isinstance(value, float) else value)
                table.setItem(row, col, item)
        for k, skipped in enumerate(first.skipped):
            row = len(first.effects) + k
            item = QTableWidgetItem()
            item.setData(Qt.ItemDataRole.DisplayRole, skipped.line)
            table.setItem(row, 0, item)
            table.setItem(row, 2, QTableWidgetItem(skipped.text))
            table.setItem(row, len(headers) - 1, QTableWidgetItem(f"skipped: {skipped.reason}"))
            for col in (0, 2, len(headers) - 1):   # the reason under the pointer too: a narrow dock hides its column
                table.item(row, col).setToolTip(f"line {skipped.line} skipped: {skipped.reason}")
                table.item(row, col).setForeground(QColor(130, 130, 130))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)   # the VCF's order; a header click sorts by a score
        strand = " (the - strand gene, read reverse-complemented)" if first.strand < 0 else ""
        self.variants_note.setText(
            f"{len(first.effects)} variant(s) of {first.vcf.name} scored in {first.region}{strand}, "
            f"{len(first.skipped)} line(s) skipped (reasons in the status column). Each score: log P(sequence with "
            "the ALT) - log P(real sequence), in nats; below 0 the model finds the variant less likely."
            + "".join(f" {note[0].upper()}{note[1:]}." for note in first.notes))
        self.variants_export.setEnabled(True)
        self.status.setText(f"{len(first.effects)} variant(s) scored, {len(first.skipped)} line(s) skipped")
        self.tabs.setCurrentWidget(self.variants_page)

    def export_variant_effects(self) -> None:
        if not self.variant_effects:
            return
        from genoview.gui.export import ask_save_path

        path = ask_save_path(self, "Export variant scores", "variant-effects.tsv", "TSV (*.tsv);;CSV (*.csv)")
        if path:
            self.save_variant_effects(path)

    def save_variant_effects(self, path: str) -> None:
        from genoview.core.errors import GenoViewInputError
        from genoview.core.vcf_effects import write_effects_table
        from genoview.gui.export import refuse_open_inputs

        try:
            refuse_open_inputs(self.session, path)
            write_effects_table(self.variant_effects, path)
        except (GenoViewInputError, OSError) as exc:
            self.status.setText(f"Not saved: {exc}")
            self.status.setStyleSheet(failed_style(self))
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        self.status.setText(f"wrote {path}")
        self.status.setStyleSheet("")

    def run_attention(self) -> None:
        """Per-nucleotide attention received (mean over heads, chosen layer) for real and, if made, mutated."""
        from genoview.core.errors import GenoViewInputError

        try:
            real, _ = self.real_sequence()
        except GenoViewInputError as exc:
            self._fail(str(exc))
            return
        name, layer = self.attention_model.text().strip(), self.attention_layer.value()
        mutated = self.pair.mutated if self.pair is not None and self.pair.real == real else None

        def work(progress, cancel):
            from genoview.core.kmer_mlm import attention_received, load_attention_network

            from genoview.core.prediction import MODEL_LOCK

            key = "attention:" + name
            if key not in self._models:
                with MODEL_LOCK:
                    self._models[key] = load_attention_network(name)
            network, vocab = self._models[key]
            cancel.check()
            out = {"real": attention_received(network, vocab, real, layer)}
            if mutated is not None:
                out["mutated"] = attention_received(network, vocab, mutated, layer)
            return out

        self._submit("Attention view", work, "attention")

    def show_attention(self, result) -> None:
        self.attention = result
        self.attention_plot.clear()
        self.attention_hint.setVisible(False)
        real = result["real"]
        if self.pair is not None and "mutated" in result:
            real_cols, mut_cols = self.pair.alignment()
            x = np.arange(len(real_cols))
            ys = {"real": np.where(real_cols >= 0, real[np.maximum(real_cols, 0)], np.nan),
                  "mutated": np.where(mut_cols >= 0, result["mutated"][np.maximum(mut_cols, 0)], np.nan)}
        else:
            x, ys = np.arange(len(real)), {"real": real}
        for label, y in ys.items():
            self.attention_plot.plot(x, y, pen=pg.mkPen("#1f77b4" if label == "real" else "#d62728"), name=label,
                                     connect="finite")
        self._show_legend(self.attention_plot)
        self.tabs.setCurrentWidget(self.comparison_page)
        self.status.setText("attention received per nucleotide: the chosen layer, mean over heads (the last plot "
                            "of Side by side)")
        self.bring_into_view(self.attention_plot)

    def bring_into_view(self, plot) -> None:
        """Scroll the panel to ``plot``: the attention plot is the fourth of Side by side, below the dock's fold,
        and a finished Attention run changed only the status line above it. Done now and once more on the next turn
        of the event loop: a status line that wraps anew, or the dock's layout, can move the plot after this call (on a
        busy machine the plot ended 60 px below the fold)."""
        self._scroll_to(plot)
        QTimer.singleShot(0, self, lambda: self._scroll_to(plot))

    def _scroll_to(self, plot) -> None:
        self._scroll.widget().layout().activate()
        rect = self.track_plots.mapFromScene(plot.sceneBoundingRect()).boundingRect()
        centre = self.track_plots.mapTo(self._scroll.widget(), rect.center())
        self._scroll.ensureVisible(centre.x(), centre.y(), 0, rect.height() // 2 + 10)

    def cancel(self) -> None:
        if self._job is not None:
            self.runner.cancel(self._job)

    def _mine(self, job: Job) -> bool:
        return job is self._job

    def _on_progress(self, job: Job, fraction: float, message: str) -> None:
        if self._mine(job):
            self.progress.setValue(int(fraction * 1000))
            if message:
                self.status.setText(message)

    def _done(self) -> None:
        self._job = None
        self.cancel_button.setEnabled(False)

    def _on_failed(self, job: Job, message: str) -> None:
        if self._mine(job):
            self._done()
            self._fail(message)

    def _on_cancelled(self, job: Job) -> None:
        if self._mine(job):
            self._done()
            self.status.setText("cancelled")

    def _on_finished(self, job: Job, result) -> None:
        if not self._mine(job):
            return
        kind = job.context[1]
        self._done()
        self.progress.setValue(1000)
        if kind == "compare":
            self.show_comparison(*result[:4])
            if result[4:] and result[4]:   # what the VCF gave differently from its text (chr prefix, multi-allelic)
                self.status.setText(f"{self.status.text()}; " + "; ".join(result[4]))
        elif kind == "saturation":
            self.show_saturation(result)
        elif kind == "attention":
            self.show_attention(result)
        elif kind == "variants":
            self.show_variant_effects(result)
        else:
            self.show_batch(result)
        if self._job_note:
            self.status.setText(f"{self.status.text()}; {self._job_note}")
        if kind != "attention":   # (attention scrolls to its own plot)
            QTimer.singleShot(1, self, self.bring_results_into_view)

    def bring_results_into_view(self) -> None:
        """Scroll the panel so the status line and the results' tabs start at its top when they were below the
        middle: on a 1280 x 720 laptop the verdicts, plots and heat map sat wholly under the form, and a finished run
        showed only its status line at the panel's bottom edge."""
        scroll = self._scroll
        body = scroll.widget()
        body.layout().activate()
        top = self.status.mapTo(body, QPoint(0, 0)).y()
        bar = scroll.verticalScrollBar()
        if top - bar.value() > scroll.viewport().height() // 2:
            bar.setValue(min(bar.maximum(), top - 8))

    # ------------------------------------------------------------------ results (GUI thread)
    def show_comparison(self, pair, region, comparisons, gene) -> None:
        self.pair, self.region, self.comparisons, self.gene_comparison = pair, region, comparisons, gene
        # on the real sequence (the random edits each applied to the one before's result: typed back, they differed)
        edits = ", ".join(e.describe() for e in pair.edits_on_real()) or "no edits"
        where = f" ({region[0]}:{region[1] + 1:,}-{region[2]:,})" if region else ""
        self.status.setText(f"{len(pair.real):,} bases{where}; edits: {edits}")
        self.verdicts.setRowCount(len(comparisons))
        header = self.verdicts.horizontalHeader().height()
        self.verdicts.setMaximumHeight(header + 6 + self.verdicts.verticalHeader().defaultSectionSize()
                                       * max(1, min(len(comparisons), 4)))
        for row, c in enumerate(comparisons):
            values = [c.model, f"{c.real.total:.2f}", f"{c.mutated.total:.2f}", f"{c.real.perplexity:.4f}",
                      f"{c.mutated.perplexity:.4f}", "real" if c.perplexity_verdict else "mutated",
                      "real" if c.probability_verdict else "mutated", f"{c.mutated.total - c.real.total:+.2f}"]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 0:
                    item.setToolTip(value)   # a long name is elided in its column
                if col in (5, 6):
                    # the theme's: the red "mutated" was 3.3:1 on a dark theme's table, the green 3.4:1 on white
                    item.setForeground(QColor(good_color(self) if value == "real" else bad_color(self)))
                self.verdicts.setItem(row, col, item)
        real_cols, mut_cols = pair.alignment()
        first = first_difference(pair, real_cols, mut_cols)
        start = first - ALIGNMENT_LEAD if first > ALIGNMENT_COLUMNS - ALIGNMENT_LEAD else 0
        self.alignment_text.setHtml(self._alignment_html(pair, real_cols, mut_cols, start=start))
        # opened at the first edit: an edit at base 763 of 957 sat out of sight, one past base 3,000 was not shown
        if first >= 0:
            lead = len(LEFT_LABEL[0]) + (2 if start else 0) + (first - start) - 20   # 20 columns before it
            advance = self.alignment_text.fontMetrics().horizontalAdvance("A")
            bar = self.alignment_text.horizontalScrollBar()
            QTimer.singleShot(1, self.alignment_text, lambda: bar.setValue(max(0, lead) * advance))
        colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"]
        for plot in (self.lm_plot, self.diff_plot, self.gene_plot):
            plot.clear()
        # the attention drawn was of the last pair's bases: cleared, with its hint (it stayed, as if of this pair)
        self.attention = None
        self.attention_plot.clear()
        self._show_legend(self.attention_plot)
        self.attention_hint.setVisible(True)
        x = np.arange(len(real_cols))
        for k, c in enumerate(comparisons):
            real, mut, diff = c.aligned(real_cols, mut_cols)
            color = colors[k % len(colors)]
            named = c.model if len(comparisons) > 1 else None   # one model: the title says it all, no legend box
            self.lm_plot.plot(x, real, pen=pg.mkPen(color), name=named, connect="finite")
            self.lm_plot.plot(x, mut, pen=pg.mkPen(color, style=Qt.DashLine), connect="finite")
            self.diff_plot.plot(x, np.nan_to_num(diff), pen=pg.mkPen(color))
        if gene is not None:
            real, mut, diff = gene.aligned(real_cols, mut_cols)
            self.gene_plot.plot(x, real, pen=pg.mkPen("#2ca02c"), connect="finite")
            self.gene_plot.plot(x, mut, pen=pg.mkPen("#d62728"), connect="finite")
            self.gene_plot.plot(x, np.nan_to_num(diff), pen=pg.mkPen("#7f7f7f"))
        for plot in (self.lm_plot, self.gene_plot):
            self._show_legend(plot)
        self.per_position_export.setEnabled(bool(comparisons) or gene is not None)
        self.tabs.setCurrentWidget(self.comparison_page)

    def export_per_position(self) -> None:
        if self.pair is None:
            return
        from genoview.gui.export import ask_save_path

        path = ask_save_path(self, "Export per-position scores", "per-position.csv", "CSV (*.csv);;TSV (*.tsv)")
        if path:
            self.save_per_position(path)

    def save_per_position(self, path: str) -> None:
        from genoview.core.errors import GenoViewInputError
        from genoview.core.variant_effects import write_per_position
        from genoview.gui.export import refuse_open_inputs

        try:
            refuse_open_inputs(self.session, path)   # never the open FASTA or annotation
            write_per_position(path, self.pair, self.comparisons, self.gene_comparison,
                               getattr(self, "_compared_gene_model", ""), self.region)
        except (GenoViewInputError, OSError) as exc:
            self.status.setText(f"Not saved: {exc}")
            self.status.setStyleSheet(failed_style(self))
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        self.status.setText(f"wrote {path}")
        self.status.setStyleSheet("")

    @staticmethod
    def _alignment_html(pair, real_cols, mut_cols, limit: int | None = None, start: int = 0) -> str:
        """The two sequences aligned, columns ``start`` .. ``start + limit`` (… where cut), edits highlighted."""
        limit = ALIGNMENT_COLUMNS if limit is None else limit
        real_row, mut_row = [], []
        for r, m in zip(real_cols[start:start + limit].tolist(), mut_cols[start:start + limit].tolist()):
            rb = pair.real[r] if r >= 0 else "-"
            mb = pair.mutated[m] if m >= 0 else "-"
            style = ' style="background:#ffd0d0; color:#000000"' if rb != mb else ""
            real_row.append(f"<span{style}>{rb}</span>")
            mut_row.append(f"<span{style}>{mb}</span>")
        before = "… " if start else ""
        more = " …" if len(real_cols) > start + limit else ""
        return (f"<pre>{LEFT_LABEL[0]}{before}{''.join(real_row)}{more}\n"
                f"{LEFT_LABEL[1]}{before}{''.join(mut_row)}{more}</pre>")

    def show_saturation(self, result) -> None:
        self.saturation = result
        if getattr(result, "region", None) is None:   # the CSV gives genome positions of a gene or region
            result.region = getattr(self, "_saturation_region", None)
        effects = result.effects.T                    # rows: alternatives, columns: positions
        low, high = symmetric_levels(effects)
        self.heat_image.setImage(np.nan_to_num(effects, nan=0.0), levels=(low, high))
        self.heat_bar.setLevels((low, high))
        # 1-based positions: column i spans [start + i + 0.5, start + i + 1.5) so its centre reads start + i + 1
        self.heat_image.setRect(result.start + 0.5, 0, result.end - result.start, len(BASE_ROWS))
        # the deletion row stays white when deletions were not asked for: say so on its label
        deleted = effects.shape[0] > 4 and bool(np.isfinite(effects[4]).any())
        self.heat_off_row.setRect(result.start + 0.5, BASE_ROWS.index("del"), result.end - result.start, 1)
        self.heat_off_row.setVisible(not deleted)
        self.heat_plot.getAxis("left").setTicks([[(i + 0.5, b if b != "del" or deleted else "del: off")
                                                  for i, b in enumerate(BASE_ROWS)]])
        ref_rows = [BASE_ROWS.index(b) if b in BASE_ROWS[:4] else -1 for b in result.sequence[result.start:result.end]]
        x = np.arange(result.start, result.end) + 1.0
        keep = np.array(ref_rows) >= 0
        self.reference_marks.setData(x[keep], np.array(ref_rows)[keep] + 0.5)
        self._fit_reference_marks()
        self.max_plot.clear()
        self.max_plot.plot(np.append(x - 0.5, x[-1] + 0.5), np.nan_to_num(result.max_effect()),
                           stepMode="center", pen=pg.mkPen(canvas.current().guide))
        self.max_plot.addLine(y=0, pen=pg.mkPen("#bbbbbb"))
        self.heat_levels = (low, high)
        self.heat_cell.setText("Point at a cell for its variant and score; click to keep it here.")
        # the figure says what it is (an exported PNG/SVG read "effect (position x alternative)" and nothing else);
        # in a line of its own under both plots: in the title a long model name pushed the colour bar out of the figure
        model = Path(str(result.model)).name or str(result.model)   # a folder typed as a path: its name
        self.heat_subject.setText(f"{model}: {heat_map_subject(getattr(self, '_saturation_region', None), result)}")
        # wrapped to the figure's width, never widening it (the colour bar stays in the figure)
        self.heat_subject.item.setTextWidth(HEAT_SUBJECT_WIDTH)
        self.heat_subject.updateMin()   # pyqtgraph's size hints from the wrapped text
        note = "; ".join(filter(None, [result.extra.get("note"), *(f"WARNING: {w}" for w in
                                                                   result.extra.get("memorised", []))]))
        self.heat_caption.setText(f"{result.measure} ({result.model}), positions {result.start + 1:,}-{result.end:,}; "
                                  f"colours from {low:.3g} (blue) through 0 (white) to {high:.3g} (red); dots: the "
                                  f"reference base (a map too dense for dots leaves its cell white: zoom in); "
                                  f"{result.seconds:.1f} s" + (f"; {note}" if note else "")
                                  + (f". {MEASURE_MEANING[result.measure]}" if result.measure in MEASURE_MEANING else ""))
        # "effect" alone had no unit or sign: the measure and the one sign (variant - real, below 0 less likely)
        self.heat_bar.getAxis("left").setLabel(f"{result.measure} (variant - real)")
        self.export_button.setEnabled(True)
        self.status.setText(self.saturation_summary(result)   # was left at the last progress line ("360/360 variants")
                            + ("; WARNING: this sequence is a training gene of the model, its effects are memorised "
                               "(see the caption)" if result.extra.get("memorised") else ""))
        self.tabs.setCurrentWidget(self.heatmap_page)

    @staticmethod
    def saturation_summary(result) -> str:
        """'3 x 120 substitutions (and 120 deletions) scored in 4.2 s; largest effect -3.1 (C>T at position 57)'."""
        from genoview.core.variant_effects import ALTERNATIVES

        effects = np.asarray(result.effects, dtype=float)
        positions = result.end - result.start
        is_del = np.array([a in ("-", "del", "") for a in ALTERNATIVES])
        subs = int(np.isfinite(effects[:, ~is_del]).sum())
        dels = int(np.isfinite(effects[:, is_del]).sum()) if is_del.any() else 0
        per = subs / positions if positions else 0
        counted = (f"{round(per)} x {positions:,} substitutions" if positions and per == round(per)
                   else f"{subs:,} substitutions")
        if dels:
            counted += f" and {dels:,} deletions"
        text = f"{counted} scored in {result.seconds:.1f} s"
        if np.isfinite(effects).any():
            i, j = np.unravel_index(np.nanargmax(np.abs(np.where(np.isfinite(effects), effects, np.nan))),
                                    effects.shape)
            pos = result.start + int(i)
            alt = "deletion" if is_del[j] else f"{result.sequence[pos]}>{ALTERNATIVES[j]}"
            # its unit, as the cell's hover text says it (the colour bar names the measure, not the nats)
            unit = " nats" if result.measure in ("log-likelihood ratio", "masked-marginal log-ratio") else ""
            text += f"; largest effect {effects[i, j]:+.3g}{unit} ({alt} at position {pos + 1:,})"
        length = len(result.sequence)
        if result.start > 0 or result.end < length:   # a 114-base gene mapped 1-100 and said nothing of 101-114
            text += (f"; positions {result.start + 1:,}-{result.end:,} of {length:,} (the heat-map window: "
                     f"set from/length to cover the rest)")
        return text

    def heat_cell_at(self, scene_pos) -> str | None:
        """What the heat-map cell at a scene position is: '129 T>G: -10.6 nats (log-likelihood ratio)', with the
        genome position for a gene or region of the genome; None off the map."""
        result = self.saturation
        box = self.heat_plot.getViewBox()
        if result is None or not box.sceneBoundingRect().contains(scene_pos):
            return None
        point = box.mapSceneToView(scene_pos)
        i, row = int(np.floor(point.x() + 0.5)) - 1 - result.start, int(np.floor(point.y()))
        if not (0 <= i < result.end - result.start and 0 <= row < result.effects.shape[1]):
            return None
        return heat_cell_text(result, i, row)

    def _hover_heat_cell(self, scene_pos) -> None:
        text = self.heat_cell_at(scene_pos)
        self.heat_plots.setToolTip(text or "")

    def _click_heat_cell(self, event) -> None:
        text = self.heat_cell_at(event.scenePos())
        if text:
            self.heat_cell.setText(text)

    def _fit_reference_marks(self, *_args) -> None:
        """Reference-base dots no wider than a column: 4-pixel dots over a 991-base map (a fifth of a pixel a
        column) merged into grey bars across every row, on screen and in the exported figure; too narrow, none."""
        box = self.heat_plot.getViewBox()
        (x0, x1), width = box.viewRange()[0], box.width()
        column = width / max(x1 - x0, 1e-9)   # pixels per position
        size = min(4.0, 0.7 * column)
        self.reference_marks.setVisible(size >= 1.5)
        if size >= 1.5 and abs(self.reference_marks.opts["size"] - size) > 0.05:
            self.reference_marks.setSize(size)

    def export_saturation(self) -> None:
        if self.saturation is None:
            return
        from genoview.gui.export import ask_save_path

        region = getattr(self.saturation, "region", None)   # (seqid, start, end, strand) of a gene or region
        where = f"{region[0]}_{region[1] + 1}-{region[2]}" if region else ""   # was saturation.csv for every map
        path = ask_save_path(self, "Export heat map", f"saturation{'.' + where if where else ''}.csv",
                             "CSV scores (*.csv);;PNG figure (*.png);;SVG figure (*.svg)")
        if path:
            self.save_saturation(path)

    def save_saturation(self, path: str, chosen: str = "") -> None:
        """Write the heat map's scores (.csv) or the figure (.png, .svg; a paper needs the picture, not only numbers)."""
        if path:
            from genoview.core.errors import GenoViewInputError
            from genoview.core.io.atomic import write_atomically
            from genoview.gui.export import refuse_open_inputs, save_widget_image

            suffix = Path(path).suffix.lower()
            if not suffix:   # no suffix typed: the type chosen in the dialog
                suffix = ".png" if "PNG" in chosen else ".svg" if "SVG" in chosen else ".csv"
                path += suffix
            try:
                refuse_open_inputs(self.session, path)   # never the open FASTA or annotation
                if suffix in (".png", ".svg"):   # File ▸ Export's writer: SVG through QSvgGenerator, as vectors
                    write_atomically(path, lambda tmp: save_widget_image(self.heat_plots, tmp))   # earlier file kept on failure
                else:
                    self.saturation.write_csv(path)
            except (GenoViewInputError, OSError) as exc:   # was an exception escaping the slot
                self.status.setText(f"Not saved: {exc}")
                self.status.setStyleSheet(failed_style(self))
                QMessageBox.warning(self, "Export failed", str(exc))
                return
            self.status.setText(f"wrote {path}")
            self.status.setStyleSheet("")   # a refused run's red stayed on "wrote ..." (it read as a failed save)

    def show_batch(self, scores) -> None:
        self.batch_scores = scores
        self.batch_table.setRowCount(len(scores))
        self.histogram.clear()
        colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"]
        # one set of bins for every model, over the middle 98 % of all differences (pairs beyond are counted in the
        # end bins): each model's own 40 bins over its own range (a memorised gene far out) made one model's bars
        # wide and the others' a spike at 0
        differences = np.concatenate([sc.difference("perplexity") for sc in scores]) if scores else np.array([])
        differences = differences[np.isfinite(differences)]
        edges = None
        if differences.size:
            lo, hi = np.percentile(differences, [1, 99]) if differences.size > 20 else (differences.min(), differences.max())
            lo, hi = min(lo, 0.0), max(hi, 0.0)
            edges = np.linspace(lo, hi if hi > lo else lo + 1e-6, 41)
        for row, s in enumerate(scores):
            low, high = s.interval("perplexity")
            for col, value in enumerate([s.model, str(len(s.gene_ids)), f"{s.accuracy('perplexity'):.4f}",
                                         f"{low:.3f}-{high:.3f}", f"{s.accuracy('probability'):.4f}"]):
                self.batch_table.setItem(row, col, QTableWidgetItem(value))
            diff = s.difference("perplexity")   # mutated - real: below 0 the real one wins
            diff = diff[np.isfinite(diff)]
            if diff.size and edges is not None:
                counts, _ = np.histogram(np.clip(diff, edges[0], edges[-1]), bins=edges)
                self.histogram.plot(edges, counts, stepMode="center", pen=pg.mkPen(colors[row % len(colors)], width=2),
                                    name=s.model)
        self.histogram.addLine(x=0, pen=pg.mkPen("#888888", style=Qt.PenStyle.DashLine))   # left of it: real wins
        entries = [("━", colors[row % len(colors)], s.model) for row, s in enumerate(scores)]
        canvas.set_plot_title(self.histogram.getPlotItem(),
                              canvas.title_with_legend(BATCH_HISTOGRAM_TITLE, 10, entries, canvas.canvas_for(self).text),
                              44 if entries else 30)
        # short enough for the dock's width (the whole sentence ran off both ends of the axis: H-walk); the rest is
        # the caption under the plot
        self.histogram.setLabel("bottom", "mutated - real, nats per token")
        self.histogram_caption.setText(
            "Each pair: mean log-likelihood per token of the mutated copy minus the real one's (nats); below 0 the "
            "mutated copy is less likely. The 1st-99th percentile is shown, pairs beyond are counted in the end bins.")
        self.histogram.setLabel("left", "pairs")
        notes = [s.training_note for s in scores]
        self.batch_comparison.setText("\n".join(["Warning: " + n for n in notes if n]
                                                 + [t for t in [batch_comparison_text(scores)] if t]))
        self.tabs.setCurrentWidget(self.batch_page)
        self.status.setText(f"scored {len(scores[0].gene_ids) if scores else 0} pairs")


def memorised_verdicts(lm_names: str, sequence: str) -> list[str]:
    """Mutate & compare's status note when ``sequence`` is a training gene of a model: its verdicts and scores are
    memorised (the heat map and the Variants tab warned; the side-by-side verdicts did not). One note for all."""
    from genoview.core.lm_training_overlap import training_overlaps

    found = [o for o in training_overlaps(lm_names, sequence) if o.memorised]
    if not found:
        return []
    names = ", ".join(f"{o.model} ({o.fraction:.0%})" for o in found)
    return [f"WARNING: this sequence's 32-mers are in the training genes of {names}: verdicts and scores "
            "memorised, not predicted; use held-out genes (the model card's test split)"]


def memorised_warnings(lm_names: str, sequence: str) -> list[str]:
    """For each language model whose card records its training genes, a warning when ``sequence`` is one of them
    (on the worker: the first check of a model rebuilds its training split, 1-2 s, then cached)."""
    from genoview.core.lm_training_overlap import training_overlaps

    return [o.warning() for o in training_overlaps(lm_names, sequence) if o.memorised]


def heat_cell_text(result, i: int, row: int) -> str:
    """One heat-map cell in words: position (1-based in the sequence, and in the genome when it came from one),
    the change and its score with the measure's unit."""
    ref = result.sequence[result.start + i]
    alt = BASE_ROWS[row]
    pos = result.start + i + 1
    where = f"position {pos:,}"
    genome = result.genome_position(result.start + i) if getattr(result, "region", None) else None
    if genome is not None:
        where += f" ({result.region[0]}:{genome:,}{', - strand' if result.region[3] < 0 else ''})"
    change = f"{ref} deleted" if alt == "del" else f"{ref}>{alt}"
    if alt == ref:
        return f"{where}: {ref} is the reference base (no change to score)"
    value = result.effects[i, row]
    if not np.isfinite(value):
        return f"{where}, {change}: not scored" + (" (deletions were not asked for)" if alt == "del" else "")
    unit = " nats" if result.measure in ("log-likelihood ratio", "masked-marginal log-ratio") else ""   # both natural logs
    return f"{where}, {change}: {value:+.4g}{unit} ({result.measure})"


def batch_comparison_text(scores) -> str:
    """Each model against the most accurate on the same pairs (perplexity rule): the pairs only one of the two gets
    right and McNemar's exact p, as `genoview score-pairs` prints with several models."""
    from genoview.core.lm_scoring import compare_paired

    if len(scores) < 2:
        return ""
    best = max(range(len(scores)), key=lambda k: scores[k].accuracy("perplexity"))
    lines = [compare_paired(scores[best], s, "perplexity").describe() for k, s in enumerate(scores) if k != best]
    return "Paired test on the same pairs (perplexity rule): " + "; ".join(lines)


@dataclass
class MutationModelNames:
    """What the panel's model fields start from, read on a worker (``read_mutation_model_names``): the model
    folders' configs and cards are files (~10 ms with the shipped set, growing with the library), and the panel
    read them on the GUI thread while the window was made, before its first paint."""

    default_lm: str | None        # the registry's default language model (human genes)
    default_gene_model: str       # the registry's default gene model (it follows the default's change)
    prokaryote_lm: str | None     # the bacterial-gene language model, when installed
    infos: list | None            # list_models()'s rows: the fields' completers and tooltips
    users_default_lm: bool = False   # default_lm is one of the user's own models flagged "default": true


def read_mutation_model_names() -> MutationModelNames:
    """For a background thread; a broken model folder costs only the name it would have given."""
    default_lm = infos = None
    users_default = False
    try:
        from genoview.core.lm_models import language_model_default

        default_lm, users_default = language_model_default()
    except Exception:   # noqa: BLE001 - a broken model folder must not stop the panel
        default_lm = None
    try:
        from genoview.core.models import default_model_name

        default_gene = default_model_name()
    except Exception:   # noqa: BLE001 - a broken model folder must not stop the panel
        default_gene = "genecnn-ecoli"
    try:
        from genoview.core.models import list_models

        infos = list_models()
    except Exception:   # noqa: BLE001 - a broken model folder must not stop the panel
        infos = None
    prokaryote_lm = BACTERIAL_LM if any(
        i.name == BACTERIAL_LM and getattr(i.task, "value", i.task) == "language-model"
        and not getattr(i, "broken", "") for i in infos or ()) else None
    return MutationModelNames(default_lm, default_gene, prokaryote_lm, infos, users_default)


def install_mutation_panel(window) -> MutationPanel:
    """Add the panel to a main window as a hidden dock, with View > "Real vs mutated" and a Tools action."""
    from PySide6.QtGui import QAction

    panel = MutationPanel(window.session, window.runner, window)
    panel.read_model_names()
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    panel.hide()
    toggle = panel.toggleViewAction()
    toggle.setText("&Real vs mutated")
    toggle.setShortcut("Ctrl+M")
    window.view_menu.addAction(toggle)
    action = QAction("&Real vs mutated…", window)
    action.setStatusTip("Compare a gene or region with a mutated copy under language models and the gene model")
    action.triggered.connect(lambda: show_mutation_panel(window))
    toggle.triggered.connect(lambda checked: show_mutation_panel(window) if checked else None)
    window.tools_menu.addAction(action)
    window.tools_menu.menuAction().setVisible(True)
    window.mutation_panel = panel
    window.show_mutation_panel = lambda: show_mutation_panel(window)

    def give_back_room(genome) -> None:   # widened with no genome open: the genome view gets its room back
        if genome is not None and getattr(panel, "widened", False) and panel.isVisible() and not panel.isFloating():
            panel.widened = False
            window.resizeDocks([panel], [int(window.width() * NARROW_SHARE)], Qt.Orientation.Horizontal)

    window.session.genome_changed.connect(give_back_room)
    return panel


ATTENTION_HINT = ("Press Attention (k-mer BERT row above) to draw it. Only a k-mer BERT has attention to show; "
                  "an n-gram, GeneCNN or GeneORF model has none.")


class PlotHint(pg.TextItem):
    """Grey text centred over an empty plot (in the view's pixels, not its data: panning leaves it in place),
    wrapped to the plot's width; hide it once the plot has data."""

    def __init__(self, plot: pg.PlotItem, text: str) -> None:
        super().__init__(text, color=canvas.current().hint, anchor=(0.5, 0.5))
        font = self.textItem.font()
        font.setPointSizeF(8.5)
        self.setFont(font)
        self.view = plot.getViewBox()
        self.setParentItem(self.view)
        self.view.sigResized.connect(self._place)
        self._place()

    def _place(self, *_) -> None:
        rect = self.view.boundingRect()
        self.textItem.setTextWidth(max(120.0, rect.width() - 20))
        self.updateTextPos()
        self.setPos(rect.center())


MAX_COLUMN_WIDTH = 220   # px: a long model name, indel or skipped line's reason is elided (whole in its tooltip)


def show_columns_in_order(table, logical: list[int]) -> None:
    """Show ``table``'s columns in the order ``logical`` (their indexes as made); the items, the sorting, a copy and
    the exports keep the columns' own indexes."""
    header = table.horizontalHeader()
    for visual, column in enumerate(logical):
        header.moveSection(header.visualIndex(column), visual)


def failed_style(widget) -> str:   # the status line of a refused run or a failed save
    return f"color: {error_color(widget)}"
WIDE_SHARE = 0.6   # of the window's width: the panel's width when no genome is open
NARROW_SHARE = 0.35   # ... and once a genome opens after that


def show_mutation_panel(window) -> None:
    """Show the panel with room to work: beside a visible evaluation dock it was squeezed to ~200 pixels under it (and
    the disagreements dock), its heat map out of sight; it now shares the evaluation's place as a tab, in front."""
    panel = window.mutation_panel
    evaluation = getattr(window, "evaluation_panel", None)
    if (evaluation is not None and evaluation.isVisible() and not evaluation.isFloating() and not panel.isFloating()
            and evaluation not in window.tabifiedDockWidgets(panel)
            and window.dockWidgetArea(evaluation) == window.dockWidgetArea(panel)):
        window.tabifyDockWidget(evaluation, panel)
    panel.show()
    panel.raise_()
    # the keys go to the panel the user asked for (Ctrl+M left them in the view: Tab went round the toolbar first)
    panel.source.setFocus(Qt.FocusReason.ShortcutFocusReason)
    if window.session.genome is None and not panel.isFloating() and panel.width() < window.width() * WIDE_SHARE:
        # nothing but the start page in the middle: a pasted human gene's verdict table showed one row and its heat
        # map was cut at the dock's ~430 pixels; the panel takes the room (a genome opened later takes it back)
        window.resizeDocks([panel], [int(window.width() * WIDE_SHARE)], Qt.Orientation.Horizontal)
        panel.widened = True
    elif window.session.genome is not None and not panel.isFloating():
        # beside a genome on a laptop screen (1280 x 720) the dock kept the evaluation's ~350 pixels: the form
        # scrolled sideways, "Saturation mutagenesis" and the fields' right half cut off; it widens to what the form
        # needs, up to FORM_MAX_SHARE of the window (the genome view keeps the larger part)
        needed = form_width(panel)
        if panel.width() < needed:
            window.resizeDocks([panel], [min(needed, int(window.width() * FORM_MAX_SHARE))],
                               Qt.Orientation.Horizontal)


FORM_MAX_SHARE = 0.45


def form_width(panel) -> int:
    """The dock width at which the panel's form shows without a sideways scroll bar."""
    scroll = panel._scroll
    body = scroll.widget()
    body.layout().activate()
    bar = scroll.verticalScrollBar().sizeHint().width()
    frame = 2 * scroll.frameWidth() + (panel.width() - scroll.width())
    return body.minimumSizeHint().width() + bar + frame
