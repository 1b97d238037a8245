"""The gene-calls track: a prediction's strand-aware gene calls as arrows, and the genes where GenoView, Prodigal and
the annotation disagree (by stop codon) marked on it.

The calls are the annotation track's drawing (:class:`FeatureTrackItem`: culled to the view, merged into runs when
zoomed out) fed with light feature-like records, so nothing new is drawn per feature per frame. Working out the calls
(``genecalls.calls_for_regions``: a GeneORF model's own calls, or any track decoded into ORFs; the built-in prodigal's
and a k-mer BERT ORF decoder's own genes, ``own_gene_calls``) and Prodigal's genes is a model job on the JobRunner's worker (:func:`gene_calls_job`); the GUI thread only lays the result out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor

from genoview.gui import canvas
from genoview.gui.genome_view.feature_track import ROW_PIXELS, FeatureTrackItem

MAX_ROWS = 6
PRODIGAL = "prodigal"        # the built-in model (core/models/prodigal.py), whose calls are Prodigal's own genes
AGREED = "CDS"               # called by GenoView, and by Prodigal and the annotation (where there is one)
DISAGREES = "CDS, disputed"  # called by GenoView, missing from another system
NOT_CALLED = "not called"    # missing from GenoView's calls, in Prodigal's and/or the annotation
KIND_COLORS = {AGREED: "#3a6fb0", DISAGREES: "#e07b00", NOT_CALLED: "#b8b8b8", "tRNA": "#2e8b57", "rRNA": "#7b4fa6"}
SYSTEMS = ("GenoView", "Prodigal", "Annotation")
LEGEND_TOOLTIP = ("Gene calls: the genes this prediction calls (arrows point along the strand), compared by stop "
                  "codon with Prodigal's genes and the annotation's CDS.\n"
                  "Blue: called here and by the others.\n"
                  "Orange: called here, missing from Prodigal or the annotation.\n"
                  "Grey: missed here, found by Prodigal and/or the annotation.\n"
                  "Green: tRNA; purple: rRNA.\n"
                  "View ▸ Gene disagreements lists the orange and grey ones; click a gene for its details.")


def legend_html(rows: int, track: str = "", name_first: bool = False) -> str:
    """The row's label: its name, whose calls (``track``, with two tracks it was not said), and with room the
    colours that need saying (blue is the usual). ``name_first``: several tracks are shown, so in two rows whose calls
    they are comes before the colours (the parent and its adapted model looked the same; the tooltip has both)."""
    import html

    title = "Gene calls"
    if track:
        short = track if len(track) <= 16 else track[:7] + "…" + track[-8:]
        title += f"<br><span style='color:{canvas.current().muted}; font-size:7pt'>of {html.escape(short)}</span>" \
            if rows >= 3 or (rows == 2 and name_first) else ""
        if rows == 2 and name_first:
            return title
    if rows < 2:
        return title
    swatch = "<span style='color:{}'>■</span>"
    return (f"{title}<br><span style='color:{canvas.current().muted}; font-size:7pt'>"
            f"{swatch.format(KIND_COLORS[DISAGREES])} disputed {swatch.format(KIND_COLORS[NOT_CALLED])} missed</span>")


@dataclass
class CallFeature:
    """What FeatureTrackItem reads of a feature (name, type, extent, strand) for one gene."""

    seqid: str
    start: int
    end: int
    strand: int
    type: str
    name: str
    id: str = ""
    parent: Any = None
    attributes: dict = field(default_factory=dict)
    systems: tuple = ()   # which of SYSTEMS have this gene (by stop codon)


@dataclass
class Disagreement:
    """A gene (one stop codon on one strand) that some systems have and others do not."""

    seqid: str
    start: int
    end: int
    strand: int
    systems: tuple   # names from SYSTEMS holding it
    annotation: tuple = ()   # (locus tag, name, product) of the annotated CDS with this stop, where there is one

    @property
    def locus(self) -> str:
        return f"{self.seqid}:{self.start + 1:,}-{self.end:,}"


@dataclass
class GeneCallsResult:
    """A track's calls laid out for drawing, plus the disagreements among the systems compared."""

    track_key: str
    seqid: str
    features: list
    disagreements: list
    systems: tuple   # the systems compared (Annotation only when the genome has CDS on this sequence)
    genetic_code: int = 11
    calls: list = field(default_factory=list)   # the GeneCall objects drawn (File ▸ Export ▸ Gene calls as GFF3)
    model_name: str = ""   # the track's model (PRODIGAL: its calls are the Prodigal column's genes)


def _stop(seqid: str, start: int, end: int, strand: int) -> tuple:
    return (seqid, strand, end if strand > 0 else start)


def compare_gene_sets(seqid: str, calls: list, prodigal: list, annotated: list | None,
                      scope: dict | None = None) -> tuple[list, list]:
    """Features for the track and the disagreements, matching genes by stop codon (same strand, same stop).

    ``calls`` are GeneCall objects; ``prodigal`` and ``annotated`` (None: no annotation) are (seqid, start, end,
    strand) tuples. RNA genes are drawn but not compared (Prodigal calls none). ``scope`` ({seqid: [(start, end)]},
    the predicted stretches): only genes whose stop lies there are listed and drawn grey (gene_level.stop_within, as
    `evaluate --disagreements` keeps them); a call ending outside them (a whole-genome call over a stretch's edge) is
    drawn, coloured against the others' genes, and not listed."""
    from genoview.core.gene_level import stop_within

    sets = {"Prodigal": {}}
    for g in prodigal:
        sets["Prodigal"].setdefault(_stop(*g[:4]), tuple(g[:4]))
    if annotated is not None:
        sets["Annotation"] = {}
        for g in annotated:
            sets["Annotation"].setdefault(_stop(*g[:4]), tuple(g[:4]))
    genoview = {}
    features: list[CallFeature] = []
    for i, call in enumerate(calls):
        name = (call.label if getattr(call, "product", "") else f"{call.kind} {i + 1}") if call.kind != "CDS" \
            else f"gene {i + 1}"
        if call.kind != "CDS":
            features.append(CallFeature(call.seqid, call.start, call.end, call.strand, call.kind, name))
            continue
        key = call.stop_key
        genoview.setdefault(key, (call.seqid, call.start, call.end, call.strand))   # the first, as the CLI's table
        systems = ("GenoView",) + tuple(s for s, genes in sets.items() if key in genes)
        kind = AGREED if len(systems) == 1 + len(sets) else DISAGREES
        partial = getattr(call, "partial", "00")   # "10"/"11": runs off the sequence at its 5' end (no start codon)
        features.append(CallFeature(call.seqid, call.start, call.end, call.strand, kind,
                                    f"{name} ({call.start_codon}, p={call.confidence:.2f})", systems=systems,
                                    attributes={"partial": partial} if partial not in ("00", "", None) else {}))
    everyone = {"GenoView": genoview, **sets}
    disagreements = []
    for key in sorted(set().union(*(s.keys() for s in everyone.values())), key=lambda k: (k[0], k[2], k[1])):
        systems = tuple(s for s in SYSTEMS if s in everyone and key in everyone[s])
        if len(systems) == len(everyone):
            continue
        seq, start, end, strand = next(everyone[s][key] for s in systems)
        if scope is not None and not stop_within((seq, start, end, strand), scope):
            continue
        disagreements.append(Disagreement(seq, start, end, strand, systems))
        if "GenoView" not in systems:
            features.append(CallFeature(seq, start, end, strand, NOT_CALLED,
                                        "only " + " + ".join(systems), systems=systems))
    return features, disagreements


def geneorf_genome_calls(model, genome, regions, cancel=None):
    """(calls, genetic code) of a GeneORF model on ``regions`` of a genome it calls at once (<= 8 Mb): the genes of
    the whole genome, as its track and `predict --gff-out` made them, that overlap a region; None for any other
    model. Calling one contig of a draft alone self-trained on that contig only and gave other genes than the
    export and the command line (Paracoccus contig 5: 173 calls against 164)."""
    from genoview.core.models.geneorf.chunked import WHOLE_GENOME_MAX
    from genoview.core.models.geneorf.track import cached_calls

    path = getattr(model, "path", None)
    if (not hasattr(model, "whole_genome_track") or path is None or not getattr(genome, "path", None)
            or genome.total_length > WHOLE_GENOME_MAX):
        return None
    found = cached_calls(path, genome.path)
    if found is None:   # a track read from the cache: call the genome once (this process keeps the calls)
        from genoview.core.prediction import MODEL_LOCK

        with MODEL_LOCK:
            model.whole_genome_track(genome.sequences[regions[0][0]], cancel=cancel)
        found = cached_calls(path, genome.path)
    if found is None:
        return None
    spans: dict[str, list] = {}
    for seqid, start, end in regions:
        spans.setdefault(seqid, []).append((start, end))
    calls = [c for c in found[0] if any(c.start < end and start < c.end for start, end in spans.get(c.seqid, ()))]
    return calls, found[1]


def track_gene_calls(genome, region_values: list, model_name: str, progress=None, cancel=None) -> tuple[list, int]:
    """(calls, genetic code) of a model's tracks on ``region_values`` [(seqid, start, float32 values)], one sequence
    or several (File ▸ Export of a draft's contigs): what `predict --gff-out` writes for the same model."""
    from genoview.core import genecalls as gc
    from genoview.core.prediction import own_gene_calls

    # a model whose genes are not in its track (the k-mer BERT's ORF decoder): the genes its prediction made, saved
    # with its cached track, so the row lists what `predict --gff-out` writes, after a restart too
    regions = [(seqid, start, start + len(values)) for seqid, start, values in region_values]
    found = own_gene_calls(model_name, genome, regions) if model_name else None
    model = None
    if model_name and found is None:
        from genoview.core.models import load_model
        from genoview.core.prediction import MODEL_LOCK

        try:
            with MODEL_LOCK:   # one thread at a time loads a model (start-up's warm-up may be loading one)
                candidate = load_model(model_name)
        except Exception:  # noqa: BLE001 - an unloadable model: its track is still decoded as any other
            candidate = None
        if (hasattr(candidate, "call_genome") or getattr(candidate, "calls_own_genes", False)
                or getattr(candidate, "reads_genome", False) and hasattr(candidate, "own_gene_calls")):
            model = candidate   # (the built-in prodigal: Prodigal's own genes, found again here)
    if progress:
        progress(0.05, "calling the track's genes")
    if found is None and hasattr(model, "own_gene_calls"):   # a run that did not save them (no store)
        found = model.own_gene_calls(genome, region_values)
    if found is None and model is not None:
        found = geneorf_genome_calls(model, genome, regions, cancel)
    if found is None:
        found = gc.calls_for_regions(genome, region_values, model, cancel=cancel)
    return found


def gene_calls_job(genome, track_key: str, seqid: str, parts: list, model_name: str, progress=None, cancel=None):
    """Worker side: the calls of a track's predicted ``parts`` [(start, float32 values)], Prodigal's genes and the
    annotation's CDS, compared where the parts hold their stops: the rows `genoview evaluate --disagreements` writes
    for the same model and part. Prodigal's genes are the CLI's (gene_level.genome_prodigal_genes: trained on the
    whole genome as the command, no N mask, kept per process), not a Prodigal run on the stretches. No Qt here
    beyond the caller's thread."""
    from genoview.core import gene_level as gl

    calls, code = track_gene_calls(genome, [(seqid, start, values) for start, values in parts], model_name,
                                   progress, cancel)
    if cancel is not None and cancel.is_cancelled():
        return None
    if progress:
        progress(0.6, "Prodigal's genes, to compare")
    scope = {seqid: [(start, start + len(values)) for start, values in parts]}
    if model_name == PRODIGAL:   # the track's genes are Prodigal's own: the same genes, not a second Prodigal run
        prodigal = [g[:4] for g in gl.genes_of_calls(calls)]
    else:
        prodigal = [g[:4] for g in gl.genome_prodigal_genes(genome, [seqid], code, scope)]
    if cancel is not None and cancel.is_cancelled():
        return None
    annotated = None
    cds = [g for g in gl.annotated_cds(genome.features) if g[0] == seqid] if genome.features else []
    if cds:
        annotated = cds
    features, disagreements = compare_gene_sets(seqid, calls, prodigal, annotated, scope)
    for feature in features:   # a call's details translate it with the code it was called with (Copy protein read
        if feature.type in (AGREED, DISAGREES):   # code 11 for every call: TGA as '*' inside a code-4 gene)
            feature.attributes["transl_table"] = str(code)
    if annotated:   # the annotation's name for each gene it has: the list showed coordinates only
        from genoview.core.gene_disagreements import annotated_names

        names = annotated_names(genome.features, [(g.seqid, g.start, g.end, g.strand, g.systems)
                                                  for g in disagreements if "Annotation" in g.systems])
        for gene in disagreements:
            gene.annotation = names.get(gl.stop_key((gene.seqid, gene.start, gene.end, gene.strand)), ())
    systems = ("GenoView", "Prodigal") + (("Annotation",) if annotated is not None else ())
    if progress:
        progress(1.0, "done")
    return GeneCallsResult(track_key, seqid, features, disagreements, systems, code, list(calls), model_name)


class GeneCallsItem(FeatureTrackItem):
    """FeatureTrackItem over gene calls: agreed calls blue, disputed ones orange, genes GenoView missed grey."""

    def set_calls(self, features: list, length: int) -> None:
        self.set_features(features, length)
        self._colors = {kind: QColor(color) for kind, color in KIND_COLORS.items()}
        disputed = np.fromiter((f.type in (DISAGREES, NOT_CALLED) for f in self.features), dtype=bool,
                               count=len(self.features))
        self._disputed = np.flatnonzero(disputed)   # indices into the sorted features
        self._missed = np.fromiter((f.type == NOT_CALLED for f in self.features), dtype=bool, count=len(self.features))
        self.update()

    def _paint_runs(self, painter, x0, x1, bp_per_px, sx, dx, sy, dy, glyph_h, display, view_px) -> None:
        """Zoomed out the runs are one colour: mark each disputed gene in view on top of them, at least 3 px wide,
        so the disagreements stay visible on a whole-genome view (a few rectangles: one per disputed gene)."""
        super()._paint_runs(painter, x0, x1, bp_per_px, sx, dx, sy, dy, glyph_h, display, view_px)
        idx = getattr(self, "_disputed", np.zeros(0, dtype=np.int64))
        if len(idx) == 0:
            return
        idx = idx[(self._starts[idx] < x1) & (self._ends[idx] > x0)]
        rows = display[self._rows[idx]]
        idx, rows = idx[rows >= 0], rows[rows >= 0]
        if len(idx) == 0:
            return
        left = np.maximum(self._starts[idx] * sx + dx, view_px[0])
        width = np.maximum(np.minimum(self._ends[idx] * sx + dx, view_px[1]) - left, 3.0)
        top = (rows + 0.5) * sy + dy - glyph_h / 2
        painter.setPen(Qt.PenStyle.NoPen)
        for missed in (False, True):
            keep = self._missed[idx] == missed
            painter.setBrush(QBrush(QColor(KIND_COLORS[NOT_CALLED if missed else DISAGREES])))
            painter.drawRects([QRectF(a, t, w, glyph_h) for a, t, w in
                               zip(left[keep].tolist(), top[keep].tolist(), width[keep].tolist())])


class GeneCallsRow:
    """The 'Gene calls' row of the genome view (under the annotation's genes); no height until there are calls."""

    def __init__(self, view) -> None:
        self.view = view
        self.item = GeneCallsItem()
        self.plot = view._new_plot()
        self.plot.addItem(self.item)
        self.result: GeneCallsResult | None = None
        self.item.feature_clicked.connect(view.feature_clicked)

    def rows(self) -> list:
        return [("Gene calls", self.plot)]

    def height(self) -> int:
        if not self.item.features:
            return 0
        x0, x1 = self.view.visible_range()
        rows = max(1, min(MAX_ROWS, self.item.rows_in_view(x0, x1) or self.item.row_count))
        return rows * ROW_PIXELS + 4

    def size(self) -> None:
        height = self.height()
        self.view._fix_height(self.plot, height)
        self.plot.setVisible(height > 0)
        label = self.view._labels.get(self.plot)
        if label is not None:
            label.setVisible(height > 0)
        if height:
            rows = (height - 4) // ROW_PIXELS
            if label is not None:   # the colours' meaning: a legend line when there is room, always the tooltip
                track = self.track_label()
                seqid = self.result.seqid if self.result is not None else None
                shown = sum(1 for t in getattr(self.view.session, "tracks", {}).values()
                            if t.seqid == seqid and getattr(t, "visible", True))
                label.setText(legend_html(rows, track, name_first=shown > 1))
                label.setToolTip((f"Gene calls of the track {track}. " if track else "") + LEGEND_TOOLTIP)
            self.plot.getViewBox().invertY(True)
            self.plot.setYRange(0, rows, padding=0)

    def track_label(self) -> str:
        """The label of the track whose calls the row shows ('' when none)."""
        tracks = getattr(self.view.session, "tracks", {})
        key = self.result.track_key if self.result is not None else None
        return tracks[key].label if key in tracks else ""

    def set_result(self, result: GeneCallsResult | None) -> None:
        """Show ``result`` (None: nothing) when it is for the sequence on screen."""
        self.result = result
        session = self.view.session
        if result is None or result.seqid != session.seqid:
            self.item.clear()
        else:
            self.item.set_calls(result.features, session.sequence_length())
        self.size()

    def on_sequence_changed(self) -> None:
        if self.result is not None and self.result.seqid != self.view.session.seqid:
            self.item.clear()
        elif self.result is not None:
            self.item.set_calls(self.result.features, self.view.session.sequence_length())


def track_parts(track) -> list:
    """The predicted stretches of a ProbabilityTrack as [(start, float32 values)] (read on the GUI thread: cheap)."""
    return [(a, np.asarray(track.values(a, b), dtype=np.float32)) for a, b in track.predicted_intervals()]

