"""`genoview predict`: a per-nucleotide gene-probability track (bedGraph) and optional gene calls (GFF3)."""
from __future__ import annotations

import argparse
import gzip
import io
import os
import sys
from pathlib import Path

import numpy as np

from genoview.core.errors import Cancelled, GenoViewInputError

COORDINATES_NOTE = (
    "Coordinates: --start and --end are 1-based and inclusive, as a genome browser shows them "
    "(--start 1 --end 1000 is the first 1,000 bases). Files written are standard: bedGraph 0-based "
    "half-open, GFF3 1-based inclusive."
)


def add_model_arguments(p: argparse.ArgumentParser, model_group=None) -> None:
    """--model (into ``model_group`` when given), --device, --batch-size and --no-cache; shared with evaluate."""
    (model_group or p).add_argument("--model", metavar="NAME|DIR",
                   help="a model name from `genoview models`, or a model directory (default: the default model)")
    p.add_argument("--device", help="auto (default), cpu, cuda, cuda:N or mps")
    p.add_argument("--batch-size", type=int, help="chunks per batch (default: the model's own)")
    p.add_argument("--no-cache", action="store_true",
                   help="predict again even when the same genome, region and model were predicted before")


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "predict", help="predict a gene-probability track with a model",
        description="Run a model over a genome (all sequences, one sequence, or a region of it) and write the "
                    "per-nucleotide gene probabilities as bedGraph, optionally with the genes they call as GFF3.",
        epilog=COORDINATES_NOTE,
    )
    p.add_argument("--fasta", required=True, help="genome: FASTA (plain, gzip, bgzip) or GenBank")
    p.add_argument("--strict", action="store_true", help="refuse a GenBank/GFF3 genome whose features have any bad "
                                                         "line (default: skip such lines with a warning)")
    p.add_argument("--seqid", help="predict this sequence only (default: every sequence)")
    p.add_argument("--start", type=int, help="first base to predict, 1-based (default: 1)")
    p.add_argument("--end", type=int, help="last base to predict, 1-based inclusive (default: the sequence end)")
    p.add_argument("--bedgraph", required=True, metavar="OUT", help="where to write the track (bedGraph)")
    p.add_argument("--gff-out", metavar="GFF", help="also write the predicted genes as GFF3")
    p.add_argument("--threshold", type=float, default=0.5, help="gene calls: probability at least this (default 0.5)")
    p.add_argument("--min-length", type=int, default=90, help="gene calls: at least this many bases (default 90)")
    add_model_arguments(p)
    p.set_defaults(run=run)
    return p


def regions_to_predict(genome, seqid: str | None, start_1based: int | None, end_1based: int | None
                       ) -> list[tuple[str, int, int]]:
    """(seqid, start, end) 0-based half-open from the command line's 1-based inclusive coordinates."""
    if seqid is None:
        if (start_1based is not None or end_1based is not None) and len(genome.sequences) > 1:
            raise GenoViewInputError("--start/--end need --seqid: the genome has several sequences", genome.path)
        seqids = list(genome.sequences)
    else:
        seqids = [genome.record(seqid).id]
    regions = []
    for sid in seqids:
        length = genome.sequences[sid].length
        start = 0 if start_1based is None else start_1based - 1
        end = length if end_1based is None else end_1based
        if not 0 <= start < end <= length:
            raise GenoViewInputError(
                f"region {start + 1:,}-{end:,} is not within {sid} (1-{length:,}); give 1 <= --start <= --end <= length",
                genome.path)
        regions.append((sid, start, end))
    return regions


def predict_regions(model, genome, regions, *, device=None, batch_size=None, use_cache=True,
                    progress=None, cancel=None) -> dict[str, np.ndarray]:
    """Probabilities of each (seqid, start, end), from the prediction cache when it has them."""
    from genoview.core.inference import predict_region
    from genoview.core.jobs import ensure_progress, wrap_progress
    from genoview.core.store import open_store, prediction_key

    progress = ensure_progress(progress)
    store = open_store()
    total = sum(end - start for _, start, end in regions) or 1
    done, results = 0, {}
    for seqid, start, end in regions:
        record = genome.sequences[seqid]
        stage = wrap_progress(progress, done / total, (done + end - start) / total)
        key = prediction_key(model, record, start, end, genome_path=genome.path)
        probs = store.cached_prediction(key) if use_cache else None
        if probs is None or len(probs) != end - start:
            probs = predict_region(model, record, start, end, batch_size=batch_size, device=device,
                                   progress=stage, cancel=cancel)
            store.save_prediction(key, probs, seqid, start, end, model.name)
        else:
            stage(1.0, f"{seqid}: from the prediction cache")
        results[seqid] = np.asarray(probs, dtype=np.float32)
        done += end - start
    return results


def write_outputs(path: str, write_each, items) -> None:
    """Write every item into ``path`` (``.gz`` compresses) through a temporary file moved into place
    at the end, so an error or Ctrl-C leaves no half-written output."""
    target = Path(path)
    tmp = target.with_name(f".part-{target.name}")
    try:
        with (gzip.open(tmp, "wt", compresslevel=3) if target.name.endswith(".gz") else open(tmp, "w")) as handle:
            for item in items:
                write_each(handle, *item)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _append_genes(handle, index: int, seqid: str, genes, source: str) -> None:
    """write_gene_gff for one sequence of several: the ##gff-version line only once, at the top."""
    from genoview.core.inference import write_gene_gff

    text = io.StringIO()
    write_gene_gff(text, seqid, genes, source=source)
    handle.write(text.getvalue() if index == 0 else text.getvalue().split("\n", 1)[1])


def run(args: argparse.Namespace) -> int:
    from genoview.core.genome import open_genome
    from genoview.core.inference import predicted_genes, write_bedgraph
    from genoview.core.jobs import TextProgressBar
    from genoview.core.models import default_model_name, load_model
    from genoview.core.store import open_store

    model_name = args.model or default_model_name()
    with open_genome(args.fasta, strict=args.strict) as genome:
        if genome.features.report:
            print(genome.features.report.warning(), file=sys.stderr)
        regions = regions_to_predict(genome, args.seqid, args.start, args.end)
        model = load_model(model_name, device=args.device)
        store = open_store()
        run_id = store.start_run("prediction", model.name, {
            "fasta": os.path.abspath(args.fasta), "regions": regions, "device": args.device,
            "batch_size": args.batch_size})
        try:
            tracks = predict_regions(model, genome, regions, device=args.device, batch_size=args.batch_size,
                                     use_cache=not args.no_cache, progress=TextProgressBar(f"predict {model.name}"))
        except BaseException as exc:
            cancelled = isinstance(exc, (KeyboardInterrupt, Cancelled))
            store.finish_run(run_id, "cancelled" if cancelled else "failed", message=str(exc))
            raise
        store.finish_run(run_id, "finished")
    write_outputs(args.bedgraph, write_bedgraph, [(seqid, start, tracks[seqid]) for seqid, start, _ in regions])
    message = f"wrote {args.bedgraph}"
    if args.gff_out:
        calls = [(i, seqid, [(start + a, start + b) for a, b in predicted_genes(tracks[seqid], args.threshold,
                                                                                 args.min_length)],
                  f"GenoView:{model.name}") for i, (seqid, start, _) in enumerate(regions)]
        write_outputs(args.gff_out, _append_genes, calls)
        message += f" and {sum(len(c[2]) for c in calls):,} predicted genes to {args.gff_out}"
    print(message, file=sys.stderr)
    return 0
