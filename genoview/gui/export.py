"""Export actions: a track as bedGraph or bigWig, predicted genes as GFF3, the view or a plot as PNG/SVG, metrics as CSV/JSON.

The writing itself lives in core (``write_bedgraph``, ``predicted_genes`` + ``write_gene_gff``) or in
pyqtgraph's exporters; this module asks for the file name and options and reports the outcome.
"""
from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters as pg_exporters
from PySide6.QtCore import QObject, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGraphicsItem,
    QGraphicsView,
    QLabel,
    QMenu,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from genoview.core.errors import GenoViewInputError
from genoview.core.io.atomic import write_atomically
from genoview.gui import canvas
from genoview.gui.decimal_input import accept_either_decimal_point
from genoview.gui.session import ProbabilityTrack, Session

DEFAULT_MIN_GENE_LENGTH = 90


def refuse_open_inputs(session, path) -> None:
    """GenoViewInputError when ``path`` is a file the session has open (the genome's FASTA, its annotation; hard
    links too): an export never replaces its input, as the CLI refuses (core.prediction.check_outputs)."""
    from genoview.core.prediction import check_outputs

    genome = getattr(session, "genome", None)
    inputs = [getattr(genome, "path", None), getattr(genome, "annotation_path", None)] if genome is not None else []
    check_outputs({"export": path}, [p for p in inputs if p])


def write_error(path: str | os.PathLike, exc: OSError) -> str:
    """What went wrong writing ``path``, naming it (not the temporary file written beside it) and the way out."""
    import errno

    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{path} could not be written: {reason} (GenoView may not write in {folder}): choose another folder"
    if exc.errno == errno.ENOSPC:
        return f"{path} could not be written: the disk is full; free some space or choose another disk"
    return f"{path} could not be written: {reason}"


# --- writers (no dialogs; the tests call these) ---------------------------------------------------
def write_metrics(path: str | os.PathLike, metrics: dict) -> None:
    """Metrics as JSON (``.json``) or as two-column CSV (``metric,value``; any other suffix)."""
    path = Path(path)
    clean = {key: (None if isinstance(value, float) and math.isnan(value) else value) for key, value in metrics.items()}

    def write_to(tmp) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            if path.suffix.lower() == ".json":
                json.dump(clean, handle, indent=2)
                handle.write("\n")
            else:
                writer = csv.writer(handle)
                writer.writerow(["metric", "value"])
                for key, value in clean.items():
                    writer.writerow([key, "" if value is None else value])

    write_atomically(path, write_to)


def save_widget_image(widget: QWidget, path: str | os.PathLike) -> None:
    """A widget as PNG (pyqtgraph plots at twice their size) or as vector SVG."""
    path = os.fspath(path)
    suffix = Path(path).suffix.lower()
    light = getattr(widget, "light_canvas", None)   # the genome view: a figure on white, also on a dark desktop
    with canvas.drawing_figure():   # no screen hints in a figure ("Zoom in to see the sequence" was in the PNG)
        if callable(light) and suffix in (".svg", ".png"):
            with light():
                _save_widget_image(widget, path, suffix)
        else:
            _save_widget_image(widget, path, suffix)
    if not Path(path).is_file():
        raise OSError(f"the image {path} was not written")


def _save_widget_image(widget: QWidget, path: str, suffix: str) -> None:
    if suffix == ".svg":
        _render_svg(widget, path)
    elif suffix == ".png":
        if isinstance(widget, pg.PlotWidget):
            exporter = pg_exporters.ImageExporter(widget.getPlotItem())
            exporter.parameters()["width"] = max(int(widget.width()), 400) * 2  # print-friendly resolution
            exporter.export(path)
        elif not _grab_twice(widget).save(path):
            raise OSError(f"Qt could not write the image {path}")
    else:
        raise ValueError(f"choose a .png or .svg file name, not {Path(path).name!r}")


def _grab_twice(widget: QWidget) -> QImage:
    """The widget painted at twice its size, as PlotWidgets are exported: a screen grab of the heat map (448 x 504)
    or the view was too coarse for a slide or a page (text and lines blurred when enlarged)."""
    scale = 2
    height = widget.height()
    content_height = getattr(widget, "content_height", None)
    if callable(content_height):   # the genome view cut below its last track, as its SVG is (a third was blank)
        height = max(1, min(height, int(content_height())))
    image = QImage(QSize(widget.width(), height) * scale, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        if isinstance(widget, QGraphicsView):   # its render() draws the scene: onto the whole image, as on screen
            source = widget.viewport().rect()
            source.setHeight(min(source.height(), height))
            widget.render(painter, QRectF(0, 0, widget.width(), source.height()), source)
        else:
            widget.render(painter, QPoint(0, 0))
    finally:
        painter.end()
    return image


def _render_svg(widget: QWidget, path: str) -> None:
    """Paint the widget into an SVG file. pyqtgraph's SVGExporter cannot parse the paths Qt 6.8+
    writes (pyqtgraph issue #3485), so the widget is rendered through QSvgGenerator directly.

    Everything is vector: the genome view's per-pixel layers (probability tracks, coloured bases) switch to paths
    and rectangles when the painter writes SVG (``genome_view.vector``), item caches are off while rendering (a
    cached item would be a bitmap), and a genome view is cut below its last row.
    """
    height = widget.height()
    content_height = getattr(widget, "content_height", None)
    if callable(content_height):
        height = max(1, min(height, int(content_height())))
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(QSize(widget.width(), height))
    generator.setViewBox(QRect(0, 0, widget.width(), height))
    # the screen's resolution: pyqtgraph's axes replay QPictures recorded at it, and at the generator's default 72 dpi
    # they came out at 3/4 size (the heat map's SVG had its axes, ticks and colour bar off its data)
    generator.setResolution(widget.logicalDpiX())
    generator.setTitle("GenoView")
    generator.setDescription("Exported from GenoView")
    cached = _uncache_items(widget)
    painter = QPainter(generator)
    try:
        if isinstance(widget, QGraphicsView):
            widget.render(painter)  # the scene's items as vector paths
        else:
            widget.render(painter, QPoint(0, 0))
    finally:
        painter.end()
        for item, mode in cached:
            item.setCacheMode(mode)   # the graphics views' background cache too


def _uncache_items(widget: QWidget) -> list:
    """Turn off the cache of every graphics item under ``widget`` (returning what to restore)."""
    changed = []
    for view in [widget, *widget.findChildren(QGraphicsView)]:
        scene = view.scene() if isinstance(view, QGraphicsView) else None
        if scene is None:
            continue
        if view.cacheMode() != QGraphicsView.CacheModeFlag.CacheNone:   # the background as one bitmap
            changed.append((view, view.cacheMode()))
            view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        for item in scene.items():
            mode = item.cacheMode()
            if mode != QGraphicsItem.CacheMode.NoCache:
                changed.append((item, mode))
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    return changed


BACKGROUND_EXPORT_BASES = 1_000_000   # a track predicted over more bases is written on a worker (E. coli's whole
# GeneORF track held the window 67 ms as bedGraph, a per-base track seconds); a smaller one at once


def _predicted_bases(track: ProbabilityTrack) -> int:
    return sum(end - start for start, end in track.predicted_intervals())


def _require_predictions(track: ProbabilityTrack) -> None:
    value_range = getattr(track, "value_range", None)
    if value_range is not None:   # the writers write probabilities (0..1): its values would come out clipped
        raise GenoViewInputError(
            f"track {track.label!r} holds values from {value_range[0]:.4g} to {value_range[1]:.4g}, not probabilities, "
            f"and exports write probabilities (0 to 1); its values are in the file it was opened from, "
            f"{getattr(track, 'source_path', '')}: use that file")
    if not track.predicted_intervals():   # was np.isnan over the whole sequence: a whole array on the GUI thread
        raise GenoViewInputError(f"track {track.label!r} of {track.seqid} has no predicted bases yet; run a prediction first")


def _pieces(track: ProbabilityTrack):
    """(start, values) of a track's predicted stretches, 1 Mb at a time (never the whole sequence at once)."""
    for start, end in track.predicted_intervals():
        for a in range(start, end, 1 << 20):
            yield a, track.values(a, min(end, a + (1 << 20)))


def write_track_bedgraph(path: str | os.PathLike, track: ProbabilityTrack, others: tuple = ()) -> int:
    """A track as bedGraph (core ``BedGraphWriter``; unpredicted bases are left out), with ``others`` (the same
    model's tracks on other sequences: one file, as `genoview predict --bedgraph` writes); returns the line count."""
    from genoview.core.inference import BedGraphWriter

    tracks = [track, *others]
    for each in tracks:
        _require_predictions(each)
    path = os.fspath(path)
    line = f'track type=bedGraph name="{track.label}" description="GenoView {track.key if not others else track.label}"'
    import gzip

    with (gzip.open(path, "wt", compresslevel=3) if path.endswith(".gz") else open(path, "w")) as handle:
        writer = BedGraphWriter(handle, 4, line)
        for each in tracks:
            for start, values in _pieces(each):
                writer.add(each.seqid, start, values)
        return writer.close()


def write_track_bigwig(path: str | os.PathLike, track: ProbabilityTrack, others: tuple = ()) -> int:
    """A track as bigWig (core ``BigWigWriter``, as `genoview predict --bigwig`; unpredicted bases left out), with
    ``others`` (the same model on other sequences: one file IGV loads once), read a predicted stretch at a time;
    returns the number of runs written."""
    from genoview.core.inference import BigWigWriter

    tracks = [track, *others]
    for each in tracks:
        _require_predictions(each)
    writer = BigWigWriter(os.fspath(path), [(each.seqid, len(each.values)) for each in tracks])
    try:
        for each in tracks:
            for start, values in _pieces(each):
                writer.add(each.seqid, start, values)
    finally:
        lines = writer.close()
    return lines


def write_track_genes(path: str | os.PathLike, track: ProbabilityTrack, threshold: float, min_length: int) -> int:
    """Genes called from a track (``p >= threshold`` runs of at least ``min_length`` bases) as GFF3, scored by
    their mean probability; returns how many."""
    from genoview.core.inference import predicted_genes, write_gene_gff

    _require_predictions(track)
    genes = predicted_genes(track.values, threshold, min_length)
    scores = [float(track.values[start:end].mean()) for start, end in genes]
    return write_gene_gff(os.fspath(path), track.seqid, genes, source="GenoView", scores=scores)


# --- dialogs and menu actions ---------------------------------------------------------------------
class GeneExportDialog(QDialog):
    """Which track, at what threshold and minimum length, genes are called from."""

    def __init__(self, parent: QWidget | None, session: Session) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export the track's stretches above a threshold")
        self.track_combo = _track_combo(session)
        self.threshold_spin = accept_either_decimal_point(QDoubleSpinBox())
        self.threshold_spin.setRange(0.0, 1.0)
        self.threshold_spin.setDecimals(3)
        self.threshold_spin.setSingleStep(0.05)
        self.threshold_spin.setValue(session.threshold)
        self.min_length_spin = QSpinBox()
        self.min_length_spin.setRange(1, 1_000_000)
        self.min_length_spin.setSuffix(" bp")
        self.min_length_spin.setValue(DEFAULT_MIN_GENE_LENGTH)
        form = QFormLayout()
        note = QLabel("Each stretch where the track is at or above the threshold becomes a gene, without strand or "
                      "start codon. Genes with strand and start codon (what <code>genoview predict --gff-out</code> "
                      "writes) are <i>File ▸ Export ▸ Gene calls as GFF3…</i>")
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow("Track", self.track_combo)
        form.addRow("Threshold", self.threshold_spin)
        form.addRow("Minimum length", self.min_length_spin)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def choice(self) -> tuple[str, float, int]:
        return self.track_combo.currentData(), self.threshold_spin.value(), self.min_length_spin.value()


def _track_combo(session: Session) -> QComboBox:
    combo = QComboBox()
    for key in session.tracks:
        combo.addItem(key, key)
    return combo


def _safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text).strip("_") or "track"


_export_folder: list[str] = []   # the folder of the last export this run (the next one opens there)


def export_folder(parent: QWidget | None) -> str:
    """Where an export dialog opens: the folder of the last export (this run's, else the one remembered in the
    settings), else the user's Documents, else the home folder; never the genome's folder unless an export went there
    (a shared data folder may not be the user's to write; H-walk, session 17). A folder since removed or made
    read-only is passed over: an export that failed there ("Permission denied") was remembered, and every export
    dialog, in this run and the next, opened there again (rev18a)."""
    from PySide6.QtCore import QStandardPaths

    settings = getattr(parent.window(), "settings", None) if parent is not None else None
    for folder in (_export_folder[-1] if _export_folder else "", getattr(settings, "last_export_directory", "") or "",
                   QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)):
        if folder and os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            return folder
    return str(Path.home())


def remember_export_folder(parent: QWidget | None, path: str) -> None:
    """The folder of ``path`` (just chosen for an export) is where the next export dialog opens, in this run and, in
    the window's settings, the next (saved when the window closes, with the other remembered folders)."""
    folder = os.fspath(Path(path).parent)
    _export_folder[:] = [folder]
    settings = getattr(parent.window(), "settings", None) if parent is not None else None
    if settings is not None and hasattr(settings, "last_export_directory"):
        settings.last_export_directory = folder


def ask_save_path(parent: QWidget, title: str, name: str, filters: str) -> str | None:
    """A file name for an export, or None (cancelled). The dialog opens in :func:`export_folder` (a bare
    "metrics.csv" opened in the folder GenoView was started from: a launcher's /, the installation), with a name that
    says what it holds (every genome's ROC curve was "roc.png").
    A name typed without a suffix gets the chosen type's ("results" with "JSON" chosen was written as CSV)."""
    import re

    folder = export_folder(parent)
    name = _safe_name(name.replace(" @ ", "."))   # a track key "model @ seqid": model.seqid, not model___seqid
    path, chosen = QFileDialog.getSaveFileName(parent, title, os.path.join(folder, name), filters)
    if not path:
        return None
    if not Path(path).suffix:
        match = re.search(r"\*(\.[\w.]+)", chosen or filters)
        if match:
            path += match.group(1)
            # the dialog asked "replace?" of the name as typed ("results"), never of "results.json": an existing
            # file of that name was replaced without a word
            if os.path.exists(path) and not _confirm_replace(parent, title, path):
                return None
    remember_export_folder(parent, path)
    return path


def _confirm_replace(parent: QWidget, title: str, path: str) -> bool:
    """Ask, as the file dialog does for a name it was given, before an export replaces ``path`` (default: No)."""
    answer = QMessageBox.question(
        parent, title, f"{os.path.basename(path)} already exists in {os.path.dirname(path) or '.'}.\n"
                       "Do you want to replace it?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class ExportActions(QObject):
    """The File ▸ Export actions; kept alive by its parent (the menu)."""

    def __init__(self, menu: QMenu, session: Session, view_widget: QWidget) -> None:
        super().__init__(menu)
        self.menu = menu
        self.session = session
        self.view_widget = view_widget
        self._writing_name: str | None = None   # the file a long track export is writing on a worker
        self.bedgraph_action = QAction("Track as bedGraph…", menu)
        self.bigwig_action = QAction("Track as bigWig…", menu)   # `genoview predict --bigwig` had it; the window not
        # it was "Predicted genes as GFF3…": read as what `predict --gff-out` writes ("the predicted genes"), which is
        # Gene calls as GFF3… (strand, start codon); this one writes strandless stretches of the track
        self.genes_action = QAction("Stretches above the threshold as GFF3…", menu)
        self.view_action = QAction("View as PNG or SVG…", menu)
        self.bedgraph_action.triggered.connect(self.export_bedgraph)
        self.bigwig_action.triggered.connect(self.export_bigwig)
        self.genes_action.triggered.connect(self.export_genes)
        self.view_action.triggered.connect(self.export_view)
        needs = " (needs a track: Tools ▸ Predict…)"
        for action, tip in ((self.bedgraph_action, "The track's values, base by base, as bedGraph" + needs),
                            (self.bigwig_action, "The track's values as bigWig, the indexed binary form genome "
                                                 "browsers (IGV, UCSC) read fast" + needs),
                            (self.genes_action, "Stretches where the track is at or above a threshold, as GFF3 "
                                                "genes without strand or codons (genes with strand and start codon, "
                                                "as `genoview predict --gff-out` writes: Gene calls as GFF3…)"
                                                + needs),
                            (self.view_action, "The genome view as it is on screen (PNG, or SVG for editing)")):
            action.setToolTip(tip)
            action.setStatusTip(tip)
            menu.addAction(action)
        menu.setToolTipsVisible(True)   # a greyed-out item says what it needs
        session.tracks_changed.connect(self._update_enabled)
        self._update_enabled()

    def _parent(self) -> QWidget:
        return self.view_widget.window()

    def _update_enabled(self) -> None:
        has_tracks = bool(self.session.tracks)
        self.bedgraph_action.setEnabled(has_tracks)
        self.bigwig_action.setEnabled(has_tracks)
        self.genes_action.setEnabled(has_tracks)

    def _choose_track(self) -> ProbabilityTrack | None:
        tracks = list(self.session.tracks.values())
        if len(tracks) <= 1:
            return tracks[0] if tracks else None
        from PySide6.QtWidgets import QInputDialog

        keys = [t.key for t in tracks]
        key, ok = QInputDialog.getItem(self._parent(), "Export track", "Track", keys, 0, False)
        return self.session.tracks.get(key) if ok else None

    def _other_sequences(self, track: ProbabilityTrack) -> tuple | None:
        """The same model's tracks on the genome's other sequences, when the user wants them in the same file (a
        two-chromosome genome gave two bigWigs, one per chromosome, where `genoview predict` writes one); () for
        this track alone, None when the question was cancelled."""
        genome = self.session.genome
        order = {seqid: i for i, seqid in enumerate(genome.sequences)} if genome is not None else {}
        source = getattr(track, "source_path", "")   # a track file's tracks (File ▸ Open track…) go together too
        others = sorted((t for t in self.session.tracks.values() if t is not track
                         and ((track.model_name and t.model_name == track.model_name)
                              or (source and getattr(t, "source_path", "") == source))
                         and t.seqid != track.seqid and t.seqid in order
                         and t.predicted_intervals()), key=lambda t: order[t.seqid])
        others = list({t.seqid: t for t in reversed(others)}.values())[::-1]   # one track per sequence
        if not others:
            return ()
        box = QMessageBox(QMessageBox.Icon.Question, "Export track",
                          f"{track.label} has tracks on {len(others) + 1} sequences. Export all of them in one file "
                          f"(as `genoview predict` writes; IGV and UCSC read it at once), or {track.seqid} only?",
                          QMessageBox.StandardButton.NoButton, self._parent())
        every = box.addButton(f"All {len(others) + 1} sequences", QMessageBox.ButtonRole.AcceptRole)
        shown = box.addButton(f"{track.seqid} only", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(every)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        return tuple(sorted([track, *others], key=lambda t: order[t.seqid])) if clicked is every else \
            () if clicked is shown else None

    def _export_track(self, kind: str) -> None:
        track = self._choose_track()
        if track is None:
            return
        others = self._other_sequences(track)
        if others is None:
            return
        if others:
            track, others = others[0], others[1:]
        name = f"{track.label}.all" if others else track.key
        bedgraph = kind == "bedGraph"
        path = ask_save_path(self._parent(), f"Export track as {kind}", f"{name}.{'bedGraph' if bedgraph else 'bw'}",
                             "bedGraph (*.bedGraph *.bedgraph *.bg)" if bedgraph else "bigWig (*.bw *.bigWig *.bigwig)")
        if not path:
            return
        what = f"{track.label} on {len(others) + 1} sequences" if others else track.key
        bases = sum(_predicted_bases(t) for t in (track, *others))
        writer = write_track_bedgraph if bedgraph else write_track_bigwig
        unit = "lines" if bedgraph else "runs of equal values"
        write = (lambda out: writer(out, track, others)) if others else (lambda out: writer(out, track))
        self._run(lambda out: f"Saved {what} to {path} ({write(out):,} {unit})", path, bases)

    def export_bedgraph(self) -> None:
        self._export_track("bedGraph")

    def export_bigwig(self) -> None:
        self._export_track("bigWig")

    def export_genes(self) -> None:
        dialog = GeneExportDialog(self._parent(), self.session)
        try:
            if dialog.exec() != QDialog.Accepted:
                return
            key, threshold, min_length = dialog.choice()
        finally:
            dialog.deleteLater()
        track = self.session.tracks.get(key)
        if track is None:
            return
        path = ask_save_path(self._parent(), "Export the track's stretches as GFF3", f"{track.key}.genes.gff3",
                             "GFF3 (*.gff3 *.gff)")
        if path:
            self._run(lambda out: f"Saved {write_track_genes(out, track, threshold, min_length):,} genes to {path}",
                      path, _predicted_bases(track))

    def export_view(self) -> None:
        path = ask_save_path(self._parent(), "Export view", f"{self._view_name()}.png",
                             "PNG image (*.png);;SVG image (*.svg)")
        if path:
            self._run(lambda out: save_widget_image(self.view_widget, out) or f"Saved the view to {path}", path)

    def _view_name(self) -> str:
        """genome.NC_000907.1_10001-30000: the figure says what it shows (it was genoview.png for every view)."""
        genome, seqid = self.session.genome, getattr(self.session, "seqid", None)
        if genome is None or not seqid:
            return "genoview"
        stem = Path(genome.path).name.split(".")[0]
        start, end = self.session.region
        return f"{stem}.{seqid}_{start + 1}-{end}" if end > start else f"{stem}.{seqid}"

    def _run(self, write_to, path, bases: int = 0) -> None:
        """Write (``write_to(temporary path)`` returns the status-bar message) to a temporary file beside ``path``,
        then put it in place: a failed or interrupted export leaves the file that was there as it was. A failure is
        shown in a dialog and the app goes on. A track predicted over more than BACKGROUND_EXPORT_BASES is written on
        a worker, said in the status bar."""
        def write():
            try:
                return write_atomically(path, write_to)
            except OSError as exc:   # it named the temporary file: "Permission denied: '/x/.a.9.genoview-part.bw'"
                raise GenoViewInputError(write_error(path, exc)) from exc
        try:
            refuse_open_inputs(self.session, path)
            if bases and self._writing_name:
                # one long write at a time: a second click started a second writer (the same file: interleaved)
                self.session.status_message.emit(f"Still writing {self._writing_name}: export again once it is saved")
                return
            if bases <= BACKGROUND_EXPORT_BASES:
                message = write()
            else:
                from genoview.gui.workers import run_in_thread

                self._writing_name = os.path.basename(path)
                self.session.status_message.emit(f"Writing {self._writing_name}…")
                self._writing = run_in_thread(write, self._written, self._failed)
                return
        except (GenoViewInputError, OSError, ValueError) as exc:
            QMessageBox.warning(self._parent(), "Export failed", str(exc))
            return
        self.session.status_message.emit(message)

    def _written(self, message: str) -> None:
        self._writing_name = None
        self.session.status_message.emit(message)

    def _failed(self, message: str, _exc: BaseException) -> None:
        self._writing_name = None
        QMessageBox.warning(self._parent(), "Export failed", message)


def install_export_actions(menu: QMenu, session: Session, view_widget: QWidget) -> ExportActions:
    """Add the export actions to ``menu`` (e.g. File ▸ Export); ``view_widget`` is what "View as PNG/SVG" saves."""
    return ExportActions(menu, session, view_widget)
