"""Is the sequence a language model is asked to score one of the genes it was trained on?

A variant's effect on a training gene is memorised (the model has seen that very sequence, an n-gram model holds its
k-mers), not predicted: a geneticist reading `genoview variant-effects`, `genoview saturation` or the Real vs mutated
panel on such a gene must be told. Each model's card (``genoview.json`` "data") records its training data and split;
the training genes are rebuilt from it exactly as `genoview train-lm` split them (``lm_data.split_genes`` with the
recorded seed and fractions, or the genome's first N %), and the sequence's distinct 32-mers (either strand) are
looked up among theirs: at >= 50 % shared the sequence counts as a training gene (the near-copy rule of the split).

The training 32-mers are cached per model card and process (rebuilding the human split takes ~2 s).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

K = 32
MEMORISED = 0.5    # the split's near-copy rule: a held-out gene sharing this much was moved to training
PARTLY = 0.1       # a long region holding a training gene (a 10 kb locus with a 1 kb training gene): warned too
PIECE = 50_000     # bases of a genome read at a time (kmer_codes holds 256 bytes a base)


@dataclass(frozen=True)
class TrainingOverlap:
    model: str
    fraction: float        # of the sequence's distinct 32-mers found in the model's training genes
    training: str          # what the training genes were, in words

    @property
    def memorised(self) -> bool:
        """Worth a warning: the sequence is a training gene (>= 50 %), or a long region holds one (>= 10 %)."""
        return self.fraction >= PARTLY

    def warning(self) -> str:
        what = ("its effects are memorised, not predicted" if self.fraction >= MEMORISED else
                "variants in those parts (a training gene inside the region) have memorised effects")
        return (f"{self.fraction:.0%} of this sequence's {K}-mers are in {self.model}'s training genes "
                f"({self.training}): {what}; use held-out genes (the model card's test split) or a model not "
                "trained on this gene")


def _data_file(text: str, model_dir: Path) -> Path | None:
    for candidate in (Path(text), model_dir / text, model_dir.parent.parent / text, model_dir.parent / text):
        if candidate.is_file():
            return candidate
    return None


def _training_kmers_uncached(card: dict, model_dir: Path) -> tuple[np.ndarray, str] | None:
    from genoview.core.lm_data import genes_from_genome, kmer_codes, read_genes, split_genes

    data = card.get("data") or {}
    if "genes" in data and "split_seed" in data:
        path = _data_file(str(data["genes"]), model_dir)
        if path is None:
            return None
        split = split_genes(read_genes(path), data.get("test_fraction", 0.1), data.get("valid_fraction", 0.1),
                            seed=int(data["split_seed"]))
        sequences = [g.sequence for g in split.train]
        words = f"{len(sequences):,} training genes of {path.name}, split seed {data['split_seed']}"
    elif "genome" in data and "annotation" in data:
        fasta, gff = _data_file(str(data["genome"]), model_dir), _data_file(str(data["annotation"]), model_dir)
        found = re.search(r"first (\d+(?:\.\d+)?)%", str(data.get("split", "")))
        if fasta is None or gff is None or found is None:
            return None
        frac = float(found.group(1)) / 100
        sequences = [g.sequence for g in genes_from_genome(fasta, gff, 0.0, frac)]
        words = f"{len(sequences):,} genes in the first {frac:.0%} of {fasta.name}"
    elif "fasta" in data:   # a masked model trained on windows of a genome's first N % ("first 70% of SEQID")
        fasta = _data_file(str(data["fasta"]), model_dir)
        found = re.search(r"first (\d+(?:\.\d+)?)% of (\S+)", str(data.get("train", "")))
        if fasta is None or found is None:
            return None
        from genoview.core.genome import open_genome, split_bounds

        frac, seqid = float(found.group(1)) / 100, found.group(2)
        with open_genome(fasta) as genome:
            if seqid not in genome.sequences:
                return None
            record = genome.sequences[seqid]
            parts = [p for p in re.split(r"[^ACGT]+", record.text(*split_bounds(record.length, 0.0, frac)).upper())
                     if len(p) >= K]
        step = PIECE   # kmer_codes holds 32 x 8 bytes a base: pieces overlapping by K - 1, not a 3 Mb string (0.9 GB)
        sequences = [p[i:i + step + K - 1] for p in parts for i in range(0, len(p) - K + 1, step)]
        words = f"the first {frac:.0%} of {seqid} in {fasta.name}"
    else:
        return None
    if not sequences:
        return None
    kmers = np.sort(np.concatenate([kmer_codes(s, K) for s in sequences if len(s) >= K]))   # np.unique: 5x slower
    return kmers[np.concatenate(([True], kmers[1:] != kmers[:-1]))], words


def training_kmers(model_dir: str | Path) -> tuple[np.ndarray, str] | None:
    """The distinct 32-mers of a model's training genes and a description, or None when its card does not say
    (or its data is not here); sorted, with repeats."""
    model_dir = Path(model_dir)
    known = _BUILT.get(model_dir)
    if known is not None and known[0] == _mtime(model_dir / "genoview.json"):
        return known[1]
    built = _training_kmers_cached(model_dir)
    _BUILT[model_dir] = (_mtime(model_dir / "genoview.json"), built)
    return built


_BUILT: dict[Path, tuple[float, tuple[np.ndarray, str] | None]] = {}   # this process's answers, by model folder


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


def _training_kmers_cached(model_dir: Path) -> tuple[np.ndarray, str] | None:
    from genoview.paths import user_data_dir

    card_path = model_dir / "genoview.json"
    if not card_path.is_file():
        return None
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    data = dict(card.get("data") or {})
    for path_key in ("genes", "genome", "annotation", "fasta"):   # '../shared/x' and '/work/shared/x': one data set
        if path_key in data:
            found = _data_file(str(data[path_key]), model_dir)
            data[path_key] = [Path(str(data[path_key])).name, found.stat().st_size if found else None]
    key = hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    cache = user_data_dir() / "training-kmers" / f"{key}.npz"
    if cache.is_file():
        try:
            with np.load(cache) as saved:
                return saved["kmers"], str(saved["words"])
        except (OSError, ValueError, KeyError):
            pass
    built = _training_kmers_uncached(card, model_dir)
    if built is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(f".{cache.stem}.part.npz")
            np.savez(tmp, kmers=built[0], words=np.array(built[1]))
            tmp.replace(cache)
        except OSError:
            pass   # a read-only data folder: rebuilt next time
    return built


def shared_kmer_fraction(sequence: str, kmers: np.ndarray) -> float:
    """The larger, over the two strands, of the fraction of ``sequence``'s distinct 32-mers among ``kmers``
    (windows with letters other than ACGT are left out)."""
    from genoview.core.lm_data import kmer_codes, reverse_complement

    best = 0.0
    for strand in (sequence.upper(), reverse_complement(sequence.upper())):
        parts = [p for p in re.split(r"[^ACGT]+", strand) if len(p) >= K]
        if not parts or kmers.size == 0:
            continue
        mine = np.unique(np.concatenate([kmer_codes(p, K) for p in parts]))
        pos = np.searchsorted(kmers, mine).clip(0, kmers.size - 1)
        best = max(best, float((kmers[pos] == mine).mean()))
    return best


def training_overlaps(model_names: str | list[str], sequence: str) -> list[TrainingOverlap]:
    """For each model (a name, a folder, or 'a,b,c'), how much of ``sequence`` is in its training genes; models whose
    card does not say are left out."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.models import resolve_model_dir

    names = [n.strip() for n in (model_names.split(",") if isinstance(model_names, str) else model_names) if n.strip()]
    out = []
    for name in names:
        try:
            directory = resolve_model_dir(name)
        except GenoViewInputError:   # an unknown name: loading the model says so
            continue
        if directory is None:
            continue
        built = training_kmers(directory)
        if built is None:
            continue
        out.append(TrainingOverlap(Path(directory).name if Path(name).exists() else name,
                                   shared_kmer_fraction(sequence, built[0]), built[1]))
    return out


def training_pairs(model_name: str, reals: list[str]) -> tuple[int, str] | None:
    """How many of a pair file's real sequences are genes ``model_name`` was trained on (>= 50 % of their 32-mers
    among its training genes), and those genes in words; None when the model's card does not say. Pairs made by
    `genoview mutate --genes train_genes.csv.gz` without --held-out are ~80 % training genes: their accuracy
    (0.980 on 200 such pairs under lm-human-genes, K = 5, seed 1) is memorised: 0.795 on 200 --held-out pairs."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.models import resolve_model_dir

    try:
        directory = resolve_model_dir(model_name)
    except GenoViewInputError:
        return None
    built = training_kmers(directory) if directory is not None else None
    if built is None:
        return None
    kmers, training = built
    seen: dict[str, bool] = {}   # a gene drawn many times is looked up once
    count = 0
    for real in reals:
        bases = real.strip("<>")
        if bases not in seen:
            seen[bases] = shared_kmer_fraction(bases, kmers) >= MEMORISED
        count += seen[bases]
    return count, training


def training_pairs_warning(model_name: str, count: int, n: int, training: str, how: str) -> str:
    """The words for ``count`` of ``n`` pairs being the model's training genes; ``how`` says how to make held-out
    pairs where the reader is (the command line's `mutate --held-out`, the window's)."""
    return (f"{count:,} of {n:,} pairs ({count / n:.0%}) are genes {model_name} was trained on ({training}): its "
            f"verdicts on them are memorised, not predicted, and flatter it; {how}")
