"""The one prediction path: a generator of events that the CLI, the GUI, evaluation and calibration drive.

``predict(request, cancel)`` resolves the model, checks every parameter and output path before any work,
looks each region up in the cache (keyed by the sequence's checksum, the model's checksum and every
parameter that changes the values), predicts what is missing batch by batch, streams the values to the
outputs (bedGraph, bigWig, GFF3 gene calls) and to the cache as they come, and records the run. It yields
:class:`Progress`, :class:`Planned`, :class:`Cached`, :class:`Tile`, :class:`ModelReady`,
:class:`CacheSaved` and finally :class:`Done` (superqt's ``GeneratorWorker`` shape: the GUI's worker
iterates it, the CLI loops over it). Cancel is cooperative: checked between batches.

Outputs never lose data: an output may not be an input (compared by inode, the message names both),
each is written to a temporary name unique to the process next to it and renamed into place only when
every output is complete, and only then is the run marked finished. Values are quantised to uint16
(``core.tracks``) as each tile comes, so a fresh run, a cached one and the GUI see identical values.

Under ``torchrun`` (``torch.distributed`` initialised, gloo or nccl) every process predicts every
``world``-th batch of tiles; rank 0 gathers them in order and alone reads the cache, writes the outputs
and records the run, so the files are identical to one process's.
"""
from __future__ import annotations

import gzip
import io
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from genoview.core.errors import Cancelled, GenoViewInputError
from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, ensure_progress
from genoview.core.tracks import dequantise, quantise

# one thread at a time imports the model runtime or loads a model (transformers' lazy imports are not thread-safe)
MODEL_LOCK = threading.Lock()
CACHE_SLICE = 1 << 18   # bases per event when a cached track streams out (0.5 MB of codes)
RENEW_EVERY_S = 600.0   # a run's cached regions still to read are marked used this often (store.RECENTLY_USED_S: 1 h)
RECORD_EVERY_S = 1.0    # cache entries of many short regions (a draft's contigs) are recorded together this often


# --- events ---------------------------------------------------------------------------------------
@dataclass
class Progress:
    fraction: float
    message: str | None = None


@dataclass
class Planned:
    """A region that will be predicted (not in the cache); sent before the model loads."""

    seqid: str
    start: int
    end: int


@dataclass
class _Values:
    seqid: str
    start: int
    end: int
    codes: np.ndarray   # uint16 (core.tracks)

    @property
    def values(self) -> np.ndarray:
        """float32 probabilities, NaN where not predicted."""
        return dequantise(self.codes)


@dataclass
class Cached(_Values):
    """A slice of a region read from the cache."""


@dataclass
class Tile(_Values):
    """A freshly predicted piece of a region."""


@dataclass
class ModelReady:
    name: str
    device: str


@dataclass
class CacheSaved:
    """A region's prediction is now in the cache."""

    seqid: str
    start: int
    end: int


@dataclass
class PredictionResult:
    run_id: int | None
    model_name: str
    regions: list[tuple[str, int, int]]
    from_cache: list[bool]
    outputs: dict[str, str] = field(default_factory=dict)      # "bedgraph" | "bigwig" | "gff" -> path
    values: list[np.ndarray] | None = None                     # with keep_values: float32 per region
    genes: int | None = None                                   # gene calls written to the GFF3


@dataclass
class Done:
    result: PredictionResult


Event = Progress | Planned | Cached | Tile | ModelReady | CacheSaved | Done


@dataclass
class PredictionRequest:
    """What to predict and where the values go. ``regions``: (seqid, start, end), 0-based half-open;
    None predicts every sequence. ``model``: a name, a directory or a loaded TrackModel (None: default)."""

    genome: Any
    model: Any = None
    regions: list[tuple[str, int, int]] | None = None
    batch_size: int | None = None
    device: str | None = None
    threads: int | None = None
    use_cache: bool = True          # False: predict again (the fresh values still refresh the cache)
    bedgraph: str | os.PathLike | None = None
    bigwig: str | os.PathLike | None = None
    gff_out: str | os.PathLike | None = None
    proteins: str | os.PathLike | None = None   # the gene calls' proteins (FASTA); needs gff_out
    threshold: float = 0.5          # gene calls
    min_length: int = 90
    keep_values: bool = False       # Done carries each region's float32 values
    record_run: bool = True
    kind: str = "prediction"
    inputs: tuple = ()              # more files the outputs must not overwrite (the genome's are added)
    # what the run records as an output where that is not the file written: {"bedgraph": "-"} for standard output
    # (the file is a temporary one, copied there), None for one the user did not ask for (proteins' gene calls)
    recorded_outputs: dict = field(default_factory=dict)


def recorded_outputs(targets: dict[str, Path], instead: dict) -> dict[str, str]:
    """The outputs a run records: each target's absolute path (the working folder is not recorded), or what
    ``instead`` says the user got ("-": standard output; None: not asked for, left out). A temporary file copied to
    standard output was recorded, a path that no longer exists (H-cli19)."""
    recorded = {label: os.path.abspath(path) for label, path in targets.items()}
    recorded.update({label: shown for label, shown in instead.items() if label in recorded})
    return {label: str(shown) for label, shown in recorded.items() if shown is not None}


# --- checks before any work -------------------------------------------------------------------------
def part_of_a_sequence_stage(message: str | None) -> str | None:
    """A whole-sequence model's stage words for a prediction of part of a sequence: GeneORF's last stage counts the
    whole genome's genes ("4,504 genes" read as the visible 19 kb's); the CLI bar and the GUI's status line say this."""
    if message and re.fullmatch(r"[\d,]+ genes", message):
        return "genes called on the whole genome"
    return message


def resolve_regions(genome, regions) -> list[tuple[str, int, int]]:
    """Regions as (seqid, start, end) inside their sequences, checked; every sequence when None."""
    if regions is None:
        return [(seqid, 0, record.length) for seqid, record in genome.sequences.items()]
    checked = []
    for seqid, start, end in regions:
        if seqid not in genome.sequences:
            raise GenoViewInputError(f"sequence {seqid!r} is not in the genome; "
                                     f"it has {', '.join(list(genome.sequences)[:5])}", genome.path)
        length = genome.sequences[seqid].length
        if not 0 <= int(start) < int(end) <= length:
            raise GenoViewInputError(f"region {int(start) + 1:,}-{int(end):,} is not within {seqid} (1-{length:,}); "
                                     "choose a region inside the sequence", genome.path)
        checked.append((str(seqid), int(start), int(end)))
    if not checked:
        raise GenoViewInputError("nothing to predict: no regions given", genome.path)
    return checked


OUTPUT_NAMES = {"bedgraph": "bedGraph (--bedgraph)", "bigwig": "bigWig (--bigwig)", "gff": "gene GFF3 (--gff-out)",
                "proteins": "protein FASTA (--proteins-out)"}


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def check_output_place(target: str | os.PathLike, label: str) -> Path:
    """``target`` (an output file, or a model folder a command makes) goes in an existing, writable folder: no
    command creates missing folders above its output (as cp or samtools -o; a slip in a path is a message, not a
    new tree of folders). ``label`` names the output in the message, e.g. "model (--out)"."""
    target = Path(target).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise GenoViewInputError(f"the {label} output's folder {folder} does not exist; create it first", target)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise GenoViewInputError(f"the {label} output's folder {folder} is not writable; choose another folder",
                                 target)
    return target


def check_outputs(outputs: dict[str, str | os.PathLike | None], inputs, *, no_genomes: bool = False
                  ) -> dict[str, Path]:
    """Output paths that may be written: never an input file (nor each other), in a writable folder.
    ``no_genomes``: outputs that are never a genome or an annotation (a table, a zip, a picture) do not replace one
    either (:func:`refuse_foreign_file`): `genoview models M --export genome.fa` replaced the genome with a zip."""
    checked: dict[str, Path] = {}
    input_paths = [Path(p) for p in inputs if p]
    for key, path in outputs.items():
        if path is None:
            continue
        label = OUTPUT_NAMES.get(key, key)
        target = Path(path).expanduser()
        for source in input_paths:
            if _same_file(target, source):
                raise GenoViewInputError(f"the {label} output {target} is the input file {source}; writing it would "
                                         "destroy the input: choose another output name", target)
        for other_key, other in checked.items():
            if _same_file(target, other):
                raise GenoViewInputError(f"the {label} and {OUTPUT_NAMES.get(other_key, other_key)} outputs are the "
                                         "same file; give them different names", target)
        if target.is_dir():
            raise GenoViewInputError(f"the {label} output is a folder; give a file name", target)
        check_output_place(target, label)
        if target.exists() and not os.access(target, os.W_OK):
            raise GenoViewInputError(f"the {label} output exists and is read-only; choose another name", target)
        if no_genomes:
            refuse_foreign_file(target, label)
        checked[key] = target
    return checked


def refuse_foreign_file(target: Path, label: str) -> None:
    """An output must not replace a genome or an annotation GenoView did not write: `predict genome.fna --gff-out
    genes.gtf`, the annotation's name typed (or tab-completed) for the output, silently replaced the annotation
    with the predicted genes. A file GenoView wrote (its GFF3's source column says GenoView), a track or a protein
    FASTA is replaced, as before."""
    if not target.is_file() or target.stat().st_size == 0:
        return
    from genoview.core.io import FASTA, GENBANK, GFF, _head, _sniff

    try:
        kind, _first = _sniff(os.fspath(target))
        head = _head(os.fspath(target))
    except GenoViewInputError:
        return
    what = None
    if kind == GENBANK:
        what = "a GenBank genome"
    elif kind == FASTA:
        lines = [line.strip().upper() for line in head.splitlines()[1:6] if line.strip() and not line.startswith(b">")]
        if lines and not lines[0].strip(b"ACGTUNRYSWKMBDHV-*"):
            what = "a genome (nucleotide FASTA)"
    elif kind == GFF:
        data = [line for line in head.splitlines() if line.strip() and not line.startswith(b"#")]
        source = data[0].split(b"\t")[1] if data and data[0].count(b"\t") >= 8 else b""
        if data and not source.startswith(b"GenoView"):   # headers only (no genes found before): nothing lost
            what = "an annotation GenoView did not write" + (f" (source {source.decode(errors='replace')})"
                                                              if source else "")
    if what:
        raise GenoViewInputError(f"the {label} output {target.name} exists and is {what}; writing would replace it: "
                                 "give another output name, or delete that file first", target)


def _check_numbers(request: PredictionRequest) -> tuple[int | None, int | None]:
    from genoview.core.inference import check_batch_size

    batch_size = check_batch_size(request.batch_size)
    threads = request.threads
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        raise GenoViewInputError(f"thread count {threads!r} is not a whole number >= 1; give --threads 1 or more")
    if not 0.0 <= float(request.threshold) <= 1.0:
        raise GenoViewInputError(f"threshold {request.threshold} is not between 0 and 1")
    if int(request.min_length) < 1:
        raise GenoViewInputError(f"minimum gene length {request.min_length} is not >= 1")
    return batch_size, threads


def model_label(model) -> str:
    """What the user calls a model: a loaded model's name, a name, or a directory's folder name."""
    if not isinstance(model, (str, os.PathLike)):
        return str(getattr(model, "name", "model"))
    text = os.fspath(model)
    return Path(text).name if ("/" in text or "\\" in text) else text


def model_identity(model):
    """(identity for the cache key, the model if already loaded): a directory's files are hashed without
    loading its weights; built-in models construct without weights. Unknown names are input errors."""
    from types import SimpleNamespace

    from genoview.core import models

    if not isinstance(model, (str, os.PathLike)):
        return model, model
    directory = models.resolve_model_dir(model)
    if directory is None:
        loaded = models.load_model(model)
        return loaded, loaded
    return SimpleNamespace(path=directory, name=model_label(model), info={}), None


def _calls_own_genes(identity) -> bool:
    """Whether a model (loaded, or a directory's identity) calls genes itself and its track cannot give them
    back (``calls_own_genes``: a k-mer BERT with ``kmer_bert.orf_decoder`` in genoview.json)."""
    if getattr(identity, "calls_own_genes", False):
        return True
    path = getattr(identity, "path", None)
    if path is None or hasattr(identity, "predict_record"):
        return False
    try:
        from genoview.core.models.metadata import ModelMetadata

        if not ModelMetadata.exists(path):
            return False
        settings = ModelMetadata.load(path).to_dict().get("kmer_bert") or {}
    except Exception:  # noqa: BLE001 - an unreadable genoview.json: loading the model reports it
        return False
    return bool(isinstance(settings, dict) and settings.get("orf_decoder"))


def _reads_genome(identity) -> bool:
    """Whether a model's track of one sequence depends on the genome's other sequences (registry ``reads_genome``:
    GeneORF self-trains on every sequence of the FASTA file), read from its config.json without loading it."""
    if getattr(identity, "reads_genome", False):   # a loaded model that says so (the built-in prodigal)
        return True
    path = getattr(identity, "path", None)
    if path is None:
        return False
    from genoview.core.models.checks import model_type_of, read_config
    from genoview.core.models.registry import MODEL_TYPES

    try:
        config, text = read_config(Path(path))
        row = MODEL_TYPES.get(model_type_of(Path(path), config, text))
    except GenoViewInputError:   # loading the model reports it
        return False
    return bool(row is not None and row.reads_genome)


def genome_digest(genome) -> str:
    """One digest of every sequence of ``genome`` (ids, lengths and bases, file order; each sequence's checksum is
    remembered per file, so a genome is read once): what a ``reads_genome`` model's cached track depends on."""
    import hashlib
    import json

    from genoview.core.store import sequence_checksums

    records = list(genome.sequences.values())
    listing = [[str(r.id), int(r.length), c] for r, c in zip(records, sequence_checksums(records, genome.path))]
    return hashlib.sha256(json.dumps(listing).encode()).hexdigest()


OWN_CALLS_FORMAT = 1   # version of the saved own-gene-calls payload (store.save_gene_calls)


def _own_calls_keys(identity, genome, seqids) -> dict[str, str]:
    """Keys of a model's own gene calls on whole sequences: the model's files, the sequence's checksum and the
    genome's sequences (ids and lengths, one digest: the ORF decoder reads the whole genome, so its calls depend
    on them; a draft of thousands of contigs hashes its list once, not once per contig)."""
    import hashlib
    import json

    from genoview.core.store import prediction_key

    listing = json.dumps([[str(s), int(r.length)] for s, r in genome.sequences.items()]).encode()
    params = {"own_gene_calls": OWN_CALLS_FORMAT, "genome": hashlib.sha256(listing).hexdigest()}
    return {seqid: prediction_key(identity, genome.sequences[seqid], 0, genome.sequences[seqid].length, genome.path,
                                  params) for seqid in dict.fromkeys(seqids)}


def _save_own_calls(store, key: str, model, genome, seqid: str) -> bool:
    """Save the gene calls ``model`` (just run on this genome) made on the whole of ``seqid``; False if it has none."""
    from dataclasses import asdict

    own = getattr(model, "own_gene_calls", None)
    found = own(genome, [(seqid, 0, genome.sequences[seqid].length)]) if callable(own) else None
    if found is None:
        return False
    calls, code = found
    store.save_gene_calls(key, {"format": OWN_CALLS_FORMAT, "seqid": seqid, "genetic_code": int(code),
                                "calls": [asdict(c) for c in calls if c.seqid == seqid]})
    return True


def _saved_own_calls(store, key: str) -> tuple[list, int] | None:
    from dataclasses import fields

    from genoview.core.genecalls import GeneCall

    payload = store.gene_calls(key)
    if payload is None or payload.get("format") != OWN_CALLS_FORMAT:
        return None
    names = {f.name for f in fields(GeneCall)}
    try:
        calls = [GeneCall(**{k: v for k, v in c.items() if k in names}) for c in payload["calls"]]
        return calls, int(payload["genetic_code"])
    except (KeyError, TypeError, ValueError):
        return None


def own_gene_calls(model, genome, regions, store=None, read: dict | None = None) -> tuple[list, int] | None:
    """(calls, genetic code) of a model that calls its own genes (``calls_own_genes``: the k-mer BERT's ORF decoder)
    on ``regions`` [(seqid, start, end)]: its genes, whole, that overlap a region, as the prediction that made (or
    cached) its track saved them. None for any other model, or when a sequence's calls were never saved. The GUI's
    gene-calls row and ``predict --gff-out`` both read them here, so they list the same genes after a restart.
    ``read``: {seqid: saved calls} already read (prediction's cache check); a sequence missing there is read."""
    from types import SimpleNamespace

    if isinstance(model, (str, os.PathLike)):
        from genoview.core import models

        directory = models.resolve_model_dir(model)
        if directory is None:
            return None
        identity = SimpleNamespace(path=directory, name=model_label(model), info={})
    else:
        identity = model
    if not _calls_own_genes(identity):
        return None
    if store is None:
        from genoview.core.store import open_store

        store = open_store()
    spans: dict[str, list] = {}
    for seqid, start, end in regions:
        spans.setdefault(seqid, []).append((int(start), int(end)))
    chosen, code = [], None
    keys = _own_calls_keys(identity, genome, spans)
    for seqid, wanted in spans.items():
        saved = (read or {}).get(seqid) or _saved_own_calls(store, keys[seqid])
        if saved is None:
            return None
        code = saved[1] if code is None else code
        chosen += [c for c in saved[0] if any(a < c.end and c.start < b for a, b in wanted)]
    if code is None:
        return None
    return sorted(chosen, key=lambda c: (c.seqid, c.start, c.end)), code


# --- distributed ---------------------------------------------------------------------------------------
def distributed_shard() -> tuple[int, int]:
    """(rank, world size) of an initialised torch.distributed group, else (0, 1); never imports torch."""
    if "torch.distributed" not in sys.modules:
        return 0, 1
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def init_distributed() -> tuple[int, int]:
    """Join the process group ``torchrun`` / ``accelerate launch`` describe in the environment (gloo on CPU,
    nccl on CUDA); (0, 1) when not launched that way."""
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return 0, 1
    import torch
    import torch.distributed as dist

    if not dist.is_available():
        raise GenoViewInputError("this torch build has no torch.distributed; run genoview predict without torchrun")
    if not dist.is_initialized():
        backend = "nccl" if torch.cuda.is_available() and os.environ.get("GENOVIEW_DEVICE", "") != "cpu" else "gloo"
        if backend == "nccl":   # one GPU per process: "cuda" then means this rank's own
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
        dist.init_process_group(backend)
    return dist.get_rank(), dist.get_world_size()


def _broadcast(value, rank: int, world: int):
    if world == 1:
        return value
    import torch.distributed as dist

    box = [value if rank == 0 else None]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def _gzip_in_place(path, name: str | None = None) -> None:
    """Compress ``path`` in place; ``name`` (the final file's) goes in the gzip header, as gzip itself records the
    file's name: the temporary name ".genes.gff3.gz.PID....genoview-tmp" was recorded (`gunzip -N`, `file`)."""
    import shutil

    packed = Path(f"{path}.gz")
    try:
        with open(path, "rb") as src, open(packed, "wb") as raw, \
                gzip.GzipFile(filename=name or "", mode="wb", compresslevel=6, fileobj=raw) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    except BaseException:
        packed.unlink(missing_ok=True)
        raise
    os.replace(packed, path)


# --- the service --------------------------------------------------------------------------------------
LOW_SPACE = 1 << 20   # bytes free under which a failed write is put down to a full disk


def _disk_trouble(folder: Path) -> str | None:
    """"no space left" / "read-only" when ``folder``'s file system is so, else None."""
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):   # AttributeError: no statvfs (Windows)
        return None
    if info.f_flag & getattr(os, "ST_RDONLY", 1):
        return "is on a read-only file system"
    if info.f_bavail * info.f_frsize < LOW_SPACE:
        return "has no space left"
    return None


def _write_failure(exc: BaseException, outputs, writer, store) -> GenoViewInputError | None:
    """The one line for a write that failed because a disk is full or read-only, naming the output or the cache
    folder: the system's own error named no file ("No space left on device") and pybigtools' named the temporary
    file ("SendError"). None for any other failure (checked before the temporary files are removed)."""
    temps = {str(path) for path in (outputs.temps.values() if outputs is not None else ())}
    if isinstance(exc, OSError):
        if exc.filename is not None and str(exc.filename) not in temps:
            return None
    elif not (isinstance(exc, GenoViewInputError) and exc.path in temps):
        return None
    places = [(f"{target}, the {OUTPUT_NAMES.get(label, label)} output,", target.parent)
              for label, target in (outputs.targets.items() if outputs is not None else ())]
    if store is not None:
        places.append((f"the prediction cache ({store.cache_dir}, in GENOVIEW_HOME)", store.cache_dir))
    for what, folder in places:
        trouble = _disk_trouble(folder)
        if trouble:
            fix = ("free space there, or set GENOVIEW_HOME to another folder" if "cache" in what
                   else "free space there or write the output elsewhere")
            return GenoViewInputError(f"{what} could not be written: {folder} {trouble}; {fix} (no earlier output "
                                      "was changed)")
    return None


class _Outputs:
    """The outputs being written (temporary files next to the targets) and the gene caller."""

    def __init__(self, targets: dict[str, Path], regions, genome, threshold: float, min_length: int,
                 model=None) -> None:
        from genoview.core.store import temp_name

        self.targets = targets
        # pybigtools writes only to a name ending .bw
        self.temps = {label: temp_name(path, ".bw" if label == "bigwig" else "") for label, path in targets.items()}
        self.sinks: list = []
        self.caller = None
        self._handles: list = []
        try:
            if "bedgraph" in targets:
                from genoview.core.inference import BedGraphWriter

                tmp = self.temps["bedgraph"]
                raw = open(tmp, "xb")
                handle = (io.TextIOWrapper(gzip.GzipFile(filename=targets["bedgraph"].name, mode="wb", compresslevel=3,
                                                         fileobj=raw))   # the final name in the header, not tmp's
                          if targets["bedgraph"].name.endswith(".gz")
                          else open(raw.fileno(), "w", closefd=False, buffering=1 << 20))
                self._handles += [handle, raw]
                self.sinks.append(BedGraphWriter(handle, background=True))
            if "bigwig" in targets:
                from genoview.core.inference import BigWigWriter

                seqids = list(dict.fromkeys(seqid for seqid, _, _ in regions))
                self.sinks.append(BigWigWriter(self.temps["bigwig"],
                                               [(s, genome.sequences[s].length) for s in seqids]))
            if "gff" in targets:   # strand-aware gene models from ORFs (H-genes, core/genecalls.py)
                from genoview.core.genecalls import GeneCallSink
                from genoview.core.inference import GeneCaller

                self.caller = GeneCallSink(genome, model, fallback=GeneCaller(threshold, min_length))
                self.sinks.append(self.caller)
        except BaseException:
            self.discard()
            raise

    def add(self, seqid: str, start: int, values: np.ndarray) -> None:
        for sink in self.sinks:
            sink.add(seqid, start, values)

    def finish(self, regions, source: str, model=None, own_calls=None) -> int | None:
        """Complete every temporary file (nothing renamed yet); returns the number of gene calls. A model that
        calls genes itself in a way its track does not keep (``own_gene_calls``: the k-mer BERT's ORF decoder)
        writes its own calls (strand, start codon, score): ``own_calls`` (saved with its cached tracks), else
        those of the model when it just read this genome."""
        from genoview.core.inference import BedGraphWriter, BigWigWriter

        for sink in self.sinks:
            if isinstance(sink, (BedGraphWriter, BigWigWriter)):
                sink.close()
        for handle in self._handles:
            handle.close()
        if self.caller is None:
            return None
        own = getattr(model, "own_gene_calls", None)
        found = own_calls if own_calls is not None else (own(self.caller.genome, regions) if callable(own) else None)
        if found is not None:
            from genoview.core.genecalls import write_gene_calls

            count = write_gene_calls(self.temps["gff"], found[0], self.caller.genome, found[1], source,
                                     self.temps.get("proteins"))
        else:
            count = self.caller.write(self.temps["gff"], source, self.temps.get("proteins"))
        if "proteins" in self.temps and not os.path.exists(self.temps["proteins"]):
            Path(self.temps["proteins"]).write_text("")   # genes as unstranded runs (a short region): no proteins
        return count

    def put_in_place(self) -> None:
        for label, target in self.targets.items():
            if label in ("gff", "proteins") and target.name.endswith(".gz"):   # genes.gff3.gz: gzip, as named
                _gzip_in_place(self.temps[label], target.name)
            os.replace(self.temps[label], target)

    def discard(self) -> None:
        for sink in self.sinks:   # writer threads stop before their files close
            if hasattr(sink, "abort"):
                sink.abort()
        for handle in self._handles:
            try:
                handle.close()
            except Exception:  # noqa: BLE001 - closing a half-written temporary file that is removed next
                pass
        for tmp in self.temps.values():
            Path(tmp).unlink(missing_ok=True)


def _set_threads(threads: int | None, model=None):
    """Set torch's intra-op thread count; returns the previous one (None when unchanged). A model that imports
    torch later (GeneORF's RNA head: ``model.model.defer_threads``) gets the number then."""
    if threads is None:
        return None
    if "torch" not in sys.modules and hasattr(getattr(model, "model", None), "defer_threads"):
        model.model.defer_threads(threads)
        return None
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    return previous


def predict(request: PredictionRequest, cancel: CancelToken | None = None,
            progress: ProgressCallback | None = None) -> Iterator[Event]:
    """Run ``request``; yields events (see the module docstring), the last one :class:`Done`.

    ``progress`` (optional): called ``(fraction of the whole run, message)`` on the consumer's thread while a
    whole-sequence model (GeneORF) works on a region between two events, with its stages (finding ORFs, learning
    the genome's statistics, choosing genes, RNA genes); the events and outputs are the same with or without it.

    Raises GenoViewInputError before any work for a bad parameter, region or output path;
    :class:`~genoview.core.errors.Cancelled` when ``cancel`` is set (nothing half-written is left).
    """
    cancel = ensure_cancel(cancel)
    rank, world = distributed_shard()
    lead = rank == 0
    genome = request.genome
    regions = resolve_regions(genome, request.regions)
    batch_size, threads = _check_numbers(request)
    spec = request.model
    if spec is None:
        from genoview.core.models import default_model_name

        spec = default_model_name()
    identity, model = model_identity(spec)
    targets = {}
    if lead:
        inputs = [genome.path, getattr(genome, "annotation_path", None), *request.inputs]
        model_dir = getattr(identity, "path", None)   # the model's own files are inputs too
        if model_dir is not None and Path(model_dir).is_dir():
            inputs += [p for p in Path(model_dir).iterdir() if p.is_file()]
        if request.proteins and not request.gff_out:
            raise GenoViewInputError("the protein FASTA comes with the gene calls: give --gff-out too")
        targets = check_outputs({"bedgraph": request.bedgraph, "bigwig": request.bigwig, "gff": request.gff_out,
                                 "proteins": request.proteins}, inputs)
        for key, target in targets.items():
            refuse_foreign_file(target, OUTPUT_NAMES.get(key, key))
        if "bigwig" in targets and len({s for s, _, _ in regions}) != len(regions):
            raise GenoViewInputError("bigWig output takes one region per sequence")
    name = model_label(spec)
    if lead:   # a bacterial gene model on what looks like a eukaryote: said once (CLI stderr, the window's mark)
        from genoview.core.genome_kind import warn_if_eukaryote

        warn_if_eukaryote(genome, identity if model is None else model, name)
    whole_sequence = bool(getattr(identity, "whole_sequence", False))
    key_params = {} if whole_sequence else {"batch_size": batch_size or "model default",
                                            "device": request.device or "auto"}

    from genoview.core.store import open_store, prediction_key, writable_or_warn

    store = open_store() if lead and (request.use_cache or request.record_run) else None
    # a GENOVIEW_HOME that cannot be written: the outputs are written and the cache read; a database that cannot be
    # written: the run neither recorded nor cached; a cache folder alone: the run recorded, not cached (said once)
    # use_cache False (--no-cache) predicts again and still refreshes the cache with the fresh values
    can_cache = store is not None and writable_or_warn(store, cache=True)
    can_record = store is not None and request.record_run and writable_or_warn(store)
    keys: list[str | None] = [None] * len(regions)
    cached: list = [None] * len(regions)
    # a model whose genes are not in its track (calls_own_genes) saves them with its cached tracks: a track is
    # read from the cache only with its sequence's calls (the GUI's gene-calls row and --gff-out read them)
    own_keys: dict[str, str] = {}
    own_read: dict[str, tuple | None] = {}   # {seqid: saved calls}, read once, and only when --gff-out writes them

    def own_calls_saved(seqid: str) -> bool:
        if seqid not in own_keys:
            return True
        if "gff" not in targets:   # the GUI's gene-calls row reads them itself: a look here, not a second read
            return store.has_gene_calls(own_keys[seqid])
        if seqid not in own_read:
            own_read[seqid] = _saved_own_calls(store, own_keys[seqid])
        return own_read[seqid] is not None
    if store is not None:
        from genoview.core.store import sequence_checksums

        # every region's sequence hashed (or its checksum read) with one store query: a draft's thousands of contigs
        sequence_checksums([genome.sequences[s] for s in dict.fromkeys(s for s, _, _ in regions)], genome.path)
        if _calls_own_genes(identity):   # its keys read those checksums: made after they are read in one go
            own_keys = _own_calls_keys(identity, genome, [s for s, _, _ in regions])
        reads_genome = _reads_genome(identity)
        if reads_genome:   # a contig's GeneORF track from an 87-contig draft is not that of the contig alone
            key_params = {**key_params, "genome": genome_digest(genome)}
        # GeneORF's genes come from its whole-genome call, not from its track: --gff-out from a cached track
        # decoded the track instead (71 genes of an 87-contig draft where the model calls 67), so it predicts again
        use_cache = request.use_cache and not (reads_genome and "gff" in targets)
        for i, (seqid, start, end) in enumerate(regions):
            cancel.check()
            keys[i] = prediction_key(identity, genome.sequences[seqid], start, end, genome.path, key_params)
            if use_cache:
                entry = store.open_cached(keys[i])
                if entry is not None and entry.length == end - start and own_calls_saved(seqid):
                    cached[i] = entry
    from_cache = _broadcast([c is not None for c in cached], rank, world)
    for (seqid, start, end), hit in zip(regions, from_cache):
        if not hit:
            yield Planned(seqid, start, end)

    outputs = _Outputs(targets, regions, genome, request.threshold, request.min_length, spec) if targets else None
    run_id = None
    if can_record:
        try:
            run_id = store.start_run(request.kind, name, {
                "fasta": os.path.abspath(genome.path) if genome.path else None, "regions": regions,
                "batch_size": batch_size, "device": request.device, "threads": threads, "use_cache": request.use_cache,
                "outputs": recorded_outputs(targets, request.recorded_outputs),
                "temp_outputs": [str(p) for p in (outputs.temps.values() if outputs else [])],
                "world_size": world})
        except BaseException:
            if outputs is not None:
                outputs.discard()
            raise
    previous_threads = None
    writer = None
    pending: list = []   # cache entries in place, recorded together: one store commit per second, not per contig
    flushed = [time.monotonic()]

    def record_pending() -> list[CacheSaved]:
        saved = [CacheSaved(row["seqid"], row["start"], row["end"]) for _, _, row in pending]
        store.register_predictions(pending, keep={k for k in keys if k})   # its cached regions are still to read
        pending.clear()
        flushed[0] = time.monotonic()
        return saved

    unread = {i for i, entry in enumerate(cached) if entry is not None}
    renewed = [time.monotonic()]

    def renew_unread() -> None:
        """Mark the cached regions still to read as used: another process's size limit removes entries unused for
        an hour, and a region computed before them may take longer (a window model over a human chromosome)."""
        if unread and time.monotonic() - renewed[0] >= RENEW_EVERY_S:
            renewed[0] = time.monotonic()
            for j in unread:
                try:
                    os.utime(cached[j].path)
                except (OSError, AttributeError):
                    pass

    completed = False
    try:
        total = sum(end - start for _, start, end in regions) or 1
        done_bases = 0
        kept: list[np.ndarray] | None = [] if request.keep_values else None
        order = list(range(len(regions)))
        if outputs is None:   # nothing to write in order: cached regions show at once, before the model loads
            order.sort(key=lambda i: not from_cache[i])
        kept_by_index: dict[int, np.ndarray] = {}
        for i in order:
            seqid, start, end = regions[i]
            record = genome.sequences[seqid]
            keep = np.empty(end - start, dtype=np.float32) if kept is not None and lead else None
            if from_cache[i]:
                unread.discard(i)
                if lead:
                    for offset, codes in cached[i].chunks(CACHE_SLICE):
                        cancel.check()
                        event = Cached(seqid, start + offset, start + offset + len(codes), codes)
                        values = event.values
                        if outputs is not None:
                            outputs.add(seqid, event.start, values)
                        if keep is not None:
                            keep[offset:offset + len(codes)] = values
                        yield event
                        yield Progress((done_bases + offset + len(codes)) / total, f"{seqid}: from the cache")
            else:
                if model is None:
                    yield Progress(done_bases / total, f"loading {name}")
                    from genoview.core.models import load_model

                    with MODEL_LOCK:
                        model = load_model(spec, device=request.device)
                    cancel.check()
                if outputs is not None and outputs.caller is not None and hasattr(model, "iter_record"):
                    model.keep_calls = True   # a whole-sequence model's own gene calls feed the GFF3 (GeneORF)
                if previous_threads is None and threads is not None:
                    previous_threads = _set_threads(threads, model)
                yield ModelReady(name, _describe(model))
                if lead and can_cache and keys[i] is not None:
                    writer = store.cache_writer(keys[i], end - start, seqid, start, end, name)
                stage = None
                if progress is not None:
                    def stage(fraction, message, _lo=done_bases, _n=end - start):
                        progress((_lo + min(max(float(fraction), 0.0), 1.0) * _n) / total, message)
                if run_id is not None:   # its last-seen time through a whole-sequence model's long stages too
                    stage = store.beating(run_id, stage)
                for event in _predict_region(model, record, start, end, batch_size, request.device, cancel,
                                             rank, world, progress=stage):
                    renew_unread()
                    if run_id is not None:
                        store.heartbeat(run_id)   # at most every 30 s: other nodes tell a live run from a lost one
                    if isinstance(event, Progress):
                        yield Progress((done_bases + event.fraction * (end - start)) / total, event.message)
                        continue
                    values = event.values
                    if outputs is not None:
                        outputs.add(seqid, event.start, values)
                    if writer is not None:
                        writer.write(event.codes)
                    if keep is not None:
                        keep[event.start - start:event.end - start] = values
                    yield event
                if writer is not None:
                    if seqid in own_keys:
                        _save_own_calls(store, own_keys[seqid], model, genome, seqid)
                    writer.commit(register=False)
                    pending.append(writer.entry)
                    writer = None
                    if i == order[-1] or time.monotonic() - flushed[0] >= RECORD_EVERY_S:
                        yield from record_pending()
            if keep is not None:
                kept_by_index[i] = keep
            done_bases += end - start
        if pending:
            yield from record_pending()
        cancel.check()
        genes = None
        if outputs is not None:
            yield Progress(1.0, "writing the outputs")
            saved = (own_gene_calls(identity, genome, regions, store, own_read)
                     if own_keys and outputs.caller else None)
            genes = outputs.finish(regions, f"GenoView:{name}", model, saved)
            cancel.check()
            outputs.put_in_place()   # every output complete: now they replace their targets
        if run_id is not None:
            store.finish_run(run_id, "finished", {"bases": float(total), "cached_regions": float(sum(from_cache))})
        completed = True   # outputs in place and the run recorded: a consumer that stops now cancels nothing
        result = PredictionResult(run_id, name, regions, list(from_cache),
                                  {k: str(v) for k, v in targets.items()},
                                  [kept_by_index[i] for i in range(len(regions))] if kept is not None and lead else None,
                                  genes)
        yield Progress(1.0, None)
        yield Done(result)
    except BaseException as exc:
        if completed:
            raise
        disk = _write_failure(exc, outputs, writer, store) if lead else None
        if writer is not None:
            writer.abort()
        if pending:   # entries complete before the failure or cancel stay in the cache
            try:
                record_pending()
            except Exception:  # noqa: BLE001 - the run's own error is the one to report
                pass
        if outputs is not None:
            outputs.discard()
        if run_id is not None:
            stopped = isinstance(exc, (Cancelled, KeyboardInterrupt, GeneratorExit))
            try:
                store.finish_run(run_id, "cancelled" if stopped else "failed",
                                 message=str(exc) or type(exc).__name__)
            except Exception:  # noqa: BLE001 - the run's own error is the one to report
                pass
        if disk is not None:
            raise disk from exc
        raise
    finally:
        if previous_threads is not None:
            _set_threads(previous_threads)


def _describe(model) -> str:
    from genoview.core.device import describe_device

    if str(getattr(model, "device", "cpu")) == "cpu" and "torch" not in sys.modules:
        return "CPU"   # a numpy model (GeneORF): describing torch's threads would import torch
    try:
        return describe_device(str(getattr(model, "device", "cpu")))
    except Exception:  # noqa: BLE001 - only a label
        return str(getattr(model, "device", "cpu"))


def _predict_region(model, record, start: int, end: int, batch_size, device, cancel, rank: int, world: int,
                    progress=None):
    """Tile and Progress events of one region; with world > 1 each rank predicts its share of the batches
    and rank 0 yields every tile in order. ``progress``: a whole-sequence model's stages (see predict)."""
    from genoview.core.inference import iter_tiles

    tiles = iter_tiles(model, record, start, end, batch_size=batch_size, device=device, cancel=cancel,
                       shard=(rank, world), progress=progress)
    if world == 1 or getattr(model, "whole_sequence", False):   # a whole-sequence model runs on rank 0 alone
        for fraction, pieces in tiles:
            for lo, hi, probs in pieces:
                yield Tile(record.id, lo, hi, quantise(probs))
            yield Progress(fraction, None)
        return
    import torch.distributed as dist

    from genoview.core.inference import tile_batches

    rounds = -(-len(tile_batches(model, start, end, batch_size)) // world)
    for r in range(rounds):
        mine = next(tiles, None)
        local = [] if mine is None else [(lo, hi, quantise(p)) for lo, hi, p in mine[1]]
        gathered = [None] * world if rank == 0 else None
        dist.gather_object(local, gathered, dst=0)
        if rank == 0:
            for pieces in gathered:
                for lo, hi, codes in pieces:
                    yield Tile(record.id, lo, hi, codes)
            yield Progress((r + 1) / rounds, None)
    for _ in tiles:   # drain: runs the generator's closing cancel check
        pass


def run_to_end(events: Iterator[Event], progress: ProgressCallback | None = None,
               on_event=None) -> PredictionResult:
    """Drive a prediction's events: Progress to ``progress``, everything to ``on_event``; returns the result."""
    progress = ensure_progress(progress)
    for event in events:
        if isinstance(event, Progress):
            progress(event.fraction, event.message)
        elif isinstance(event, Done):
            return event.result
        elif on_event is not None:
            on_event(event)
    raise Cancelled("the prediction stopped before it finished")


def predict_values(model, genome, regions, *, use_cache: bool = True, batch_size: int | None = None,
                   device: str | None = None, progress: ProgressCallback | None = None,
                   cancel: CancelToken | None = None, record_run: bool = False,
                   kind: str = "prediction") -> list[np.ndarray]:
    """float32 values of each region (seqid, start, end), through the cache: for evaluation and calibration."""
    request = PredictionRequest(genome=genome, model=model, regions=[(r[0], r[1], r[2]) for r in regions],
                                batch_size=batch_size, device=device, use_cache=use_cache, keep_values=True,
                                record_run=record_run, kind=kind)
    return run_to_end(predict(request, cancel), progress).values
