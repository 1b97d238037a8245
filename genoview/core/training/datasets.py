"""Training data from a genome: the train/validation/test split, base codes with label masks, windows.

The validation slice is cut from the end of the training part (or is whole held-out sequences), so
choosing the best checkpoint never looks at the test part. Training windows lie wholly inside the
training regions; their starts are drawn once from the spec's seed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import Region
from genoview.core.training.spec import TrainingSpec

IGNORE_LABEL = -100.0


@dataclass
class Split:
    """Where to train, where to choose the best checkpoint, and where to report test metrics."""

    train: list[Region]
    valid: list[Region]
    test: list[Region]


def _bounds(length: int, frac_from: float, frac_to: float) -> tuple[int, int]:
    from genoview.core.genome import split_bounds   # the one rounding, shared with evaluation and score_track.py

    return split_bounds(length, frac_from, frac_to)


def genome_label(path: str, taken: set[str] | None = None) -> str:
    """A short name of a genome file: its name less the extensions, or its folder's when that is generic
    (``bacteria/NAME/genome.fna.gz`` is NAME), made unique against ``taken``."""
    from pathlib import Path

    p = Path(path)
    stem = p.name
    for suffix in (".gz", ".bgz", ".fna", ".fasta", ".fa", ".fas", ".gbk", ".gb", ".genbank", ".embl"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    if stem.lower() in ("genome", "sequence", "sequences", "assembly", "") and p.parent.name:
        stem = p.parent.name
    name, n = stem, 2
    while taken is not None and name in taken:
        name, n = f"{stem}-{n}", n + 1
    return name


def _report_warnings(genomes) -> list[str]:
    """The one-line warning of each annotation a lenient read changed (skipped or repaired lines)."""
    return [g.features.report.warning() for g in genomes if getattr(g.features, "report", None)]


def open_training_genomes(spec: TrainingSpec):
    """The spec's genomes as one Genome: ``.parts`` lists (name, sequence keys, role) per genome.

    Sequence keys are the seqids; a seqid that an earlier genome already has becomes ``NAME:seqid`` (its
    features are renamed with it), so several genomes train, split and validate as one."""
    from genoview.core.genome import Genome, open_genome
    from genoview.core.io.features import FeatureTable

    genomes = spec.genomes or ([{"fasta": spec.fasta, "annotation": spec.annotation, "role": "train"}]
                               if spec.fasta else [])
    if not genomes:
        raise GenoViewInputError("no genome given; pass --fasta (FASTA or GenBank)")
    taken: set[str] = set()
    if len(genomes) == 1:
        genome = open_genome(genomes[0]["fasta"], genomes[0]["annotation"])
        genome.annotation_warnings = _report_warnings([genome])
        genome.parts = [(genome_label(genomes[0]["fasta"]), list(genome.sequences), genomes[0].get("role", "train"))]
        return genome
    sequences, features, parts, opened = {}, [], [], []
    for entry in genomes:
        one = open_genome(entry["fasta"], entry["annotation"])
        opened.append(one)
        name = genome_label(entry["fasta"], taken)
        taken.add(name)
        rename = {seqid: (f"{name}:{seqid}" if seqid in sequences else seqid) for seqid in one.sequences}
        for seqid, record in one.sequences.items():
            sequences[rename[seqid]] = record
        for feature in one.features:
            if feature.seqid in rename and rename[feature.seqid] != feature.seqid:
                feature.seqid = rename[feature.seqid]
            features.append(feature)
        parts.append((name, [rename[s] for s in one.sequences], entry.get("role", "train")))
    genome = Genome(genomes[0]["fasta"], sequences, FeatureTable(features), genomes[0]["annotation"])
    genome.annotation_warnings = _report_warnings(opened)
    genome.parts = parts
    return genome


def split_regions(lengths: dict[str, int], spec: TrainingSpec, parts=None) -> Split:
    """Cut each sequence (``lengths``: seqid -> length) into train/validation/test regions per ``spec``.

    ``parts`` (the combined genome's (name, seqids, role) list) is needed for ``split="genomes"``: the
    sequences of validation and test genomes are held out whole; without a validation genome, the last
    ``valid_fraction`` of each training genome's sequences validates."""
    seqids = list(spec.seqids or lengths)
    missing = [s for s in [*seqids, *spec.valid_seqids, *spec.test_seqids] if s not in lengths]
    if missing:
        known = ", ".join(list(lengths)[:5])
        raise GenoViewInputError(f"sequence(s) {', '.join(missing)} not in the genome (it has {known}...)", spec.fasta)
    if spec.split == "genomes":
        if not parts:
            raise GenoViewInputError("split by genomes needs the genomes' sequences (open them with "
                                     "open_training_genomes)")
        role_of = {key: role for _, keys, role in parts for key in keys}
        has_valid = any(role == "validation" for _, _, role in parts)
        train, valid, test = [], [], []
        for seqid in seqids:
            role, n = role_of.get(seqid, "train"), lengths[seqid]
            if role == "validation":
                valid.append(Region(seqid, 0, n))
            elif role == "test":
                test.append(Region(seqid, 0, n))
            elif has_valid or spec.valid_fraction <= 0:
                train.append(Region(seqid, 0, n))
            else:
                cut = n - int(n * spec.valid_fraction)
                train.append(Region(seqid, 0, cut))
                if cut < n:
                    valid.append(Region(seqid, cut, n))
    elif spec.split == "sequences":
        held = set(spec.valid_seqids) | set(spec.test_seqids)
        train = [Region(s, 0, lengths[s]) for s in seqids if s not in held]
        valid = [Region(s, 0, lengths[s]) for s in spec.valid_seqids]
        test = [Region(s, 0, lengths[s]) for s in spec.test_seqids]
    else:
        train, valid, test = [], [], []
        for seqid in seqids:
            start, end = _bounds(lengths[seqid], spec.train_from, spec.train_to)
            cut = end - int((end - start) * spec.valid_fraction)
            train.append(Region(seqid, start, cut))
            if cut < end:
                valid.append(Region(seqid, cut, end))
            t0, t1 = _bounds(lengths[seqid], spec.test_from, spec.test_to)
            if t1 > t0:
                test.append(Region(seqid, t0, t1))
    if not any(r.length for r in train):
        raise GenoViewInputError("the training part is empty; widen --train-from/--train-to or add sequences")
    return Split(train, valid, test)


def window_that_fits(longest: int, context: int) -> int | None:
    """The largest window, by 100s, that fits with ``context`` bases on each side in a stretch of ``longest`` bases;
    None when not even 100 bases do (the one rule of the refusal's advice and the wizard's "use a window that fits")."""
    fits = (longest - 2 * context) // 100 * 100
    return fits if fits >= 100 else None


def no_validation_window_message(valid: list[Region], dataset, *, wizard: bool = False,
                                 fraction_fits: float | None = None) -> str:
    """Why no checkpoint can be chosen when the validation part holds no whole window, with the numbers and a window
    that fits (the example genome's 7 kb validation stretch against GeneCNN's 4 kb window with 2 kb of context on each
    side: "use a smaller --window" left a new user guessing how small)."""
    message = "the validation part holds no whole window, so no checkpoint can be chosen"
    fraction = "the validation fraction (Data page)" if wizard else "--valid-fraction"
    if fraction_fits is not None:   # the smallest fraction whose part holds one window (data_preview works it out)
        fraction = (f"the validation fraction to {fraction_fits:g} or more (Data page)" if wizard
                    else f"--valid-fraction to {fraction_fits:g} or more")
    chunk, context = getattr(dataset, "chunk", None), getattr(dataset, "context", None)
    longest = max((r.length for r in valid), default=0)
    if not chunk or context is None or not longest:
        return f"{message}; raise {fraction} or use a smaller {'window (Task page)' if wizard else '--window'}"
    message += (f": its longest stretch is {longest:,} bases, and a window of {chunk:,} bases with {context:,} bases "
                f"of context on each side needs {chunk + 2 * context:,}")
    fits = window_that_fits(longest, context)
    if fits is not None:
        window = f"a window of {fits:,} bases or less (Task page)" if wizard else f"--window {fits} (or less)"
        return f"{message}; use {window}, or raise {fraction}"
    return f"{message}; raise {fraction} (the context alone is wider than the stretch)"


def wants_validation(spec: TrainingSpec) -> bool:
    """Whether the spec asks for a validation part (to choose the best checkpoint and the threshold)."""
    if spec.split == "sequences":
        return bool(spec.valid_seqids)
    if spec.split == "genomes":
        return bool(spec.genome_roles()["validation"]) or spec.valid_fraction > 0
    return spec.valid_fraction > 0


def load_tracks(genome, seqids, feature_types) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Base codes (uint8, A0 C1 G2 T3 N4) and genic masks (bool) for ``seqids`` of an open genome."""
    from genoview.core.genome import encode

    tracks = {}
    for seqid in dict.fromkeys(seqids):
        record = genome.sequences[seqid]
        codes = encode(record.fetch(0, record.length))
        labels = genome.label_mask(seqid, types=tuple(feature_types))
        tracks[seqid] = (np.ascontiguousarray(codes, dtype=np.uint8), np.asarray(labels, dtype=bool))
    return tracks


def positive_fraction(tracks, regions: list[Region]) -> float:
    """Fraction of genic bases over ``regions`` (for class weights and the model card)."""
    genic = sum(int(tracks[r.seqid][1][r.start:r.end].sum()) for r in regions)
    total = sum(r.length for r in regions)
    return genic / total if total else 0.0


def window_label(labels: np.ndarray, method: str) -> int:
    """One label for a window: ``majority`` of bases genic, ``all`` of them, or ``any``."""
    if method == "all":
        return int(labels.all())
    if method == "any":
        return int(labels.any())
    return int(labels.mean() > 0.5)


class BaseWindows:
    """Windows of ``context + chunk + context`` bases; the labels outside the centre are ignored (-100)."""

    def __init__(self, tracks, starts: list[tuple[str, int]], chunk: int, context: int):
        self.tracks = tracks
        self.starts = starts
        self.chunk = chunk
        self.context = context

    def __len__(self) -> int:
        return len(self.starts)

    def window(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Codes of the whole window and float labels (-100 outside the centre chunk)."""
        seqid, start = self.starts[index]
        codes, labels = self.tracks[seqid]
        width = self.chunk + 2 * self.context
        window = codes[start:start + width]
        target = np.full(width, IGNORE_LABEL, dtype=np.float32)
        target[self.context:self.context + self.chunk] = labels[start + self.context:start + self.context + self.chunk]
        return window, target

    def __getitem__(self, index: int) -> dict:
        import torch

        window, target = self.window(index)
        return {"input_ids": torch.from_numpy(np.array(window)), "labels": torch.from_numpy(target)}


class RandomWindows(BaseWindows):
    """``count`` windows at random positions inside the regions (longer regions drawn more often)."""

    def __init__(self, tracks, regions: list[Region], chunk: int, context: int, count: int, seed: int):
        width = chunk + 2 * context
        usable = [r for r in regions if r.length >= width]
        if not usable:
            raise GenoViewInputError(
                f"no training region is as long as one window ({width} bases); use a smaller window or context"
            )
        rng = np.random.default_rng(seed)
        sizes = np.array([r.length - width + 1 for r in usable], dtype=np.float64)
        picks = rng.choice(len(usable), size=count, p=sizes / sizes.sum())
        offsets = (rng.random(count) * sizes[picks]).astype(np.int64)
        starts = [(usable[p].seqid, usable[p].start + int(o)) for p, o in zip(picks, offsets)]
        super().__init__(tracks, starts, chunk, context)


def tiled_starts(regions: list[Region], chunk: int, context: int) -> list[tuple[str, int]]:
    """(seqid, start) of each whole window (``chunk`` + 2 x ``context`` bases) whose centres tile the regions end to
    end: the validation windows of a run, and what the wizard's Data page counts."""
    width = chunk + 2 * context
    return [(r.seqid, start) for r in regions for start in range(r.start, r.end - width + 1, chunk)]


class TiledWindows(BaseWindows):
    """Windows whose centres tile the regions end to end (validation), at most ``limit`` spread evenly."""

    def __init__(self, tracks, regions: list[Region], chunk: int, context: int, limit: int | None = None):
        starts = tiled_starts(regions, chunk, context)
        if limit is not None and len(starts) > limit:
            keep = np.linspace(0, len(starts) - 1, limit).round().astype(int)
            starts = [starts[i] for i in keep]
        super().__init__(tracks, starts, chunk, context)
