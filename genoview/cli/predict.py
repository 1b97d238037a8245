"""`genoview predict`: a per-nucleotide gene-probability track (bedGraph or bigWig) and optional gene calls
(GFF3), through the one prediction service (core/prediction.py)."""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

from genoview.core.errors import GenoViewInputError

COORDINATES_NOTE = (
    "Coordinates: --start and --end are 1-based and inclusive, as a genome browser shows them "
    "(--start 1 --end 1000 is the first 1,000 bases). Files written are standard: bedGraph 0-based "
    "half-open, GFF3 1-based inclusive."
)


DEFAULT_THRESHOLD, DEFAULT_MIN_LENGTH = 0.5, 90   # --threshold / --min-length (gene calls as runs of the track)

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
                    "per-nucleotide gene probabilities as bedGraph or bigWig, optionally with the genes they call "
                    "as GFF3. Outputs are written as the prediction goes and put in place only when complete. "
                    "Under torchrun (or accelerate launch) the tiles are shared among the processes; rank 0 "
                    "writes the outputs.",
        epilog=COORDINATES_NOTE,
    )
    p.add_argument("--fasta", required=True, help="genome: FASTA (plain, gzip, bgzip), GenBank or EMBL")
    p.add_argument("--strict", action="store_true", help="refuse a GenBank/GFF3 genome whose features have any bad "
                                                         "line (default: skip such lines with a warning)")
    p.add_argument("--seqid", help="predict this sequence only (default: every sequence)")
    p.add_argument("--start", type=base_number, help="first base to predict, 1-based (default: 1); 1,000 or 1000")
    p.add_argument("--end", type=base_number,
                   help="last base to predict, 1-based inclusive (default: the sequence end)")
    p.add_argument("--bedgraph", metavar="OUT", help="write the track as bedGraph (.gz compresses; a .bw or "
                                                     ".bigWig name writes bigWig; - writes it to standard output)")
    p.add_argument("--bigwig", metavar="OUT", help="write the track as bigWig (genome browsers load it natively)")
    p.add_argument("--gff", "--annotation", dest="annotation_given", help=argparse.SUPPRESS)   # see run()
    p.add_argument("--gff-out", metavar="GFF", help="also write the predicted genes as GFF3 (.gz compresses; - for "
                                                    "standard output)")
    p.add_argument("--proteins-out", metavar="FAA", help="also write the proteins of the predicted genes as FASTA "
                                                         "(alone or with --gff-out; Prodigal's -a; .gz compresses)")
    p.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                   help="only for --gff-out on short regions (under 20,000 bases in all): a gene is a stretch with "
                        "probability at least this (default 0.5). Longer sequence is decoded along open reading "
                        "frames, as Prodigal does, without it")
    p.add_argument("--min-length", type=int, default=DEFAULT_MIN_LENGTH,
                   help="only for --gff-out on short regions (under 20,000 bases in all): the shortest stretch "
                        "kept as a gene, in bases (default 90); see --threshold")
    add_model_arguments(p)
    p.add_argument("--threads", type=int, metavar="N",
                   help="CPU threads for the model (default: torch's choice, one per physical core)")
    p.add_argument("--json", action="store_true",
                   help="when done, print one JSON object on standard output for scripts: the model, the files "
                        "written, the gene count and genetic code, the sequences and bases predicted and whether "
                        "they came from the cache (messages stay on standard error)")
    p.set_defaults(run=run)
    return p


def base_number(text: str) -> int:
    """argparse type of --start/--end: a whole number as a genome browser shows it (1,000 or 1_000 or 1000)."""
    cleaned = text.replace(",", "").replace("_", "")
    if not cleaned.lstrip("-").isdigit():
        raise argparse.ArgumentTypeError(f"expected a base position such as 1000 or 1,000, got {text!r}")
    return int(cleaned)


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
        if start_1based is not None and start_1based < 1:
            raise GenoViewInputError(f"--start {start_1based} is not within {sid} (1-{length:,}): positions are "
                                     "1-based, as a genome browser shows them (the first base is 1)", genome.path)
        start = 0 if start_1based is None else start_1based - 1
        end = length if end_1based is None else end_1based
        if not 0 <= start < end <= length:
            raise GenoViewInputError(
                f"region {start + 1:,}-{end:,} is not within {sid} (1-{length:,}); give 1 <= --start <= --end <= length",
                genome.path)
        regions.append((sid, start, end))
    return regions


def region_words(genome, regions) -> str | None:
    """How the summary names the part predicted ("NC_000913.3:1,000-20,000"), None when whole sequences were."""
    if all(start == 0 and end == genome.sequences[seqid].length for seqid, start, end in regions):
        return None
    if len(regions) == 1:
        seqid, start, end = regions[0]
        return f"{seqid}:{start + 1:,}-{end:,}"
    return f"the {len(regions)} regions asked for"


def region_progress(bar, genome, regions):
    """The bar of a prediction of part of a sequence: a whole-sequence model (GeneORF) calls the whole genome's
    genes and its last stage said their count ("100.0% 4,504 genes" for a 19 kb region); here it says what it did,
    and the summary line gives the region's count."""
    from genoview.core.prediction import part_of_a_sequence_stage

    if bar is None or region_words(genome, regions) is None:
        return bar

    def report(fraction: float, message: str | None = None) -> None:
        bar(fraction, part_of_a_sequence_stage(message))

    return report


def predict_regions(model, genome, regions, *, device=None, batch_size=None, use_cache=True,
                    progress=None, cancel=None) -> dict[str, np.ndarray]:
    """Probabilities of each (seqid, start, end) by seqid, through the prediction service and its cache."""
    from genoview.core.prediction import predict_values

    values = predict_values(model, genome, regions, use_cache=use_cache, batch_size=batch_size, device=device,
                            progress=progress, cancel=cancel)
    return {seqid: v for (seqid, _, _), v in zip(regions, values)}


def output_paths(args) -> tuple[str | None, str | None]:
    """(bedGraph, bigWig) targets: --bigwig, or --bedgraph named .bw/.bigWig, writes bigWig."""
    bedgraph, bigwig = args.bedgraph, args.bigwig
    if bedgraph and bedgraph.lower().endswith((".bw", ".bigwig")):
        if bigwig:
            raise GenoViewInputError("--bedgraph names a bigWig file and --bigwig is given too; give one of them")
        bedgraph, bigwig = None, bedgraph
    if not (bedgraph or bigwig or args.gff_out or getattr(args, "proteins_out", None)):
        raise GenoViewInputError("nothing to write: give --bedgraph OUT, --bigwig OUT, --gff-out GFF or "
                                 "--proteins-out FAA")
    if bigwig == "-":
        raise GenoViewInputError("a bigWig is binary and cannot go to standard output; give --bigwig a file name, "
                                 "or write bedGraph text with --bedgraph -")
    dashes = [name for name, value in (("--bedgraph", bedgraph), ("--gff-out", args.gff_out),
                                       ("--proteins-out", getattr(args, "proteins_out", None))) if value == "-"]
    if len(dashes) > 1:
        raise GenoViewInputError(f"{' and '.join(dashes)} {'both' if len(dashes) == 2 else 'all'} ask for standard "
                                 "output (-); only one output can go there: send the others to files")
    return bedgraph, bigwig


def unused_call_options(args, gff_out, bases: int) -> list[str]:
    """--threshold / --min-length given where they change nothing (a newcomer expects them to filter the GFF):
    without --gff-out, or when ``bases`` (all regions together) are enough to decode genes along ORFs."""
    from genoview.core.genecalls import MIN_SELF_TRAINING

    defaults = (("threshold", DEFAULT_THRESHOLD), ("min_length", DEFAULT_MIN_LENGTH))
    given = [f"--{name.replace('_', '-')}" for name, default in defaults if getattr(args, name) != default]
    notes = []
    if getattr(args, "proteins_out", None) and gff_out and bases < MIN_SELF_TRAINING:
        notes.append(f"under {MIN_SELF_TRAINING:,} bases the genes are runs of the track without strand or frame: "
                     "the protein FASTA stays empty; predict a longer region for proteins")
    if not given:
        return notes
    what = " and ".join(given)
    if not gff_out:
        return notes + [f"{what}: only the gene calls of --gff-out use it; the track is written unchanged"]
    if bases < MIN_SELF_TRAINING:
        return notes
    return notes + [f"{what}: used only when under {MIN_SELF_TRAINING:,} bases are predicted in all (genes as runs); these "
            f"{bases:,} bases have their genes decoded along open reading frames, which does not use it"]


def stdout_target(bedgraph: str | None, gff_out: str | None, folder: str, proteins: str | None = None
                  ) -> tuple[str | None, str | None, str | None, str | None]:
    """(bedgraph, gff_out, proteins, temporary file to copy to standard output afterwards): the one ``-`` becomes a
    file in ``folder`` (outputs are written to a temporary name and renamed into place, so standard output is
    filled only once the prediction is complete; a file literally named "-" was written before)."""
    paths = {"track.bedGraph": bedgraph, "genes.gff3": gff_out, "proteins.faa": proteins}
    to_stdout = None
    for name, value in paths.items():
        if value == "-":
            to_stdout = paths[name] = os.path.join(folder, name)
    return paths["track.bedGraph"], paths["genes.gff3"], paths["proteins.faa"], to_stdout


def copy_to_stdout(path: str) -> None:
    import shutil

    sys.stdout.flush()
    with open(path, "rb") as handle:
        shutil.copyfileobj(handle, sys.stdout.buffer, 1 << 20)
    sys.stdout.buffer.flush()


def reader_stopped(run_id: int | None) -> None:
    """Record run ``run_id`` (finished once its outputs were complete) as cancelled: standard output's reader closed
    it before the whole output reached it (`| head`), so `genoview runs` does not show a run that wrote everything."""
    if run_id is None:
        return
    from genoview.core.store import open_store

    try:
        open_store().finish_run(run_id, "cancelled", message="standard output was closed before all of the output "
                                                             "was written to it (its reader stopped, as `| head` does)")
    except Exception:  # noqa: BLE001 - the closed pipe is what ends the command; the record is a courtesy
        pass


def run(args: argparse.Namespace) -> int:
    import tempfile

    if getattr(args, "annotation_given", None):   # the other commands' annotation option: say what predict takes
        raise GenoViewInputError("predict reads no annotation (--gff is the annotation of evaluate, train and gui); "
                                 "--gff-out FILE writes the predicted genes", args.annotation_given)
    bedgraph, bigwig = output_paths(args)
    if getattr(args, "json", False) and "-" in (bedgraph, args.gff_out, args.proteins_out):
        raise GenoViewInputError("--json and an output to standard output (-) would be mixed there; write that "
                                 "output to a file")
    from genoview.cli import ClosedStdout

    if isinstance(sys.stdout, (ClosedStdout, type(None))) and "-" in (bedgraph, args.gff_out, args.proteins_out):
        raise GenoViewInputError("standard output is closed (the command was started with >&-), so an output "
                                 "given as - cannot be written there; give a file name")
    if args.fasta == "-":
        raise GenoViewInputError("--fasta -: a genome cannot be read from standard input (GenoView indexes the "
                                 "file to read it in pieces); save it to a file and give its name")
    with tempfile.TemporaryDirectory(prefix="genoview-stdout-") as folder:
        bedgraph, gff_out, proteins, to_stdout = stdout_target(bedgraph, args.gff_out, folder, args.proteins_out)
        genes_wanted = gff_out is not None
        if proteins and not genes_wanted:   # the proteins alone: their gene calls go to a file thrown away after
            gff_out = os.path.join(folder, "genes.gff3")
        try:
            return _run(args, bedgraph, bigwig, gff_out, to_stdout, proteins, genes_wanted)
        except RuntimeError as exc:   # under torchrun, a peer that died: one line, not gloo's traceback
            from genoview.cli.train import group_lost

            if not group_lost(exc):
                raise
            print("genoview predict: error: another process of this torchrun group ended (torchrun's report below "
                  "says which and why); the same command predicts again (regions finished before come from the "
                  "cache)", file=sys.stderr, flush=True)
            return 1


def _run(args, bedgraph, bigwig, gff_out, to_stdout, proteins=None, genes_wanted=True) -> int:
    from genoview.core.genome import open_genome
    from genoview.core.jobs import TextProgressBar
    from genoview.core.prediction import PredictionRequest, init_distributed, predict, run_to_end

    if "torch" not in sys.modules:
        # OpenMP threads that wait passively: spinning ones burn 3-4x the CPU time (and as much wall time)
        # wherever cores are shared (measured: 500 kb of E. coli, 2 threads on a busy 2-core machine,
        # 21.3 s user spinning vs 5.6 s passive); an idle machine runs as fast either way. Read once, at import.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    rank, world = init_distributed()
    with open_genome(args.fasta, strict=args.strict) as genome:
        if genome.features.report and rank == 0:
            from genoview.cli import say_warning

            say_warning("predict", genome.features.report.warning())
        regions = regions_to_predict(genome, args.seqid, args.start, args.end)
        if rank == 0:
            for note in unused_call_options(args, gff_out, sum(end - start for _, start, end in regions)):
                print(f"genoview predict: note: {note}", file=sys.stderr)
        request = PredictionRequest(
            genome=genome, model=args.model, regions=regions, batch_size=args.batch_size, device=args.device,
            threads=args.threads, use_cache=not args.no_cache, bedgraph=bedgraph, bigwig=bigwig, gff_out=gff_out,
            proteins=proteins, threshold=args.threshold, min_length=args.min_length,
            recorded_outputs={label: "-" if path == to_stdout else None
                              for label, path in (("bedgraph", bedgraph), ("gff", gff_out), ("proteins", proteins))
                              if path and (path == to_stdout or (label == "gff" and not genes_wanted))})
        bar = region_progress(TextProgressBar("predict") if rank == 0 else None, genome, regions)
        result = run_to_end(predict(request, progress=bar), bar)   # bar also hears GeneORF's stages
        part = region_words(genome, regions)
    if rank == 0:
        if to_stdout:
            try:
                copy_to_stdout(to_stdout)
            except BrokenPipeError:   # `| head` stopped reading: no "wrote", and the run recorded as not finished
                reader_stopped(result.run_id)
                leave_group(world, failing=True)   # under torchrun the other ranks wait at the barrier: met, then 141
                if world > 1:   # torchrun's report of rank 0's exit shows the status alone
                    print("genoview predict: standard output was closed before all of the output was written to it "
                          "(exit 141, as a Unix tool that SIGPIPE ends)", file=sys.stderr, flush=True)
                raise
        shown = {to_stdout: "the bedGraph to standard output"}
        written = [shown.get(path, path) for path in (bedgraph, bigwig) if path]
        genes_in = f" in {part}" if part else ""   # the region's count (the bar's stage counted the whole genome)
        from genoview.core.genecalls import MIN_SELF_TRAINING

        where = 'standard output' if proteins == to_stdout else args.proteins_out
        if gff_out and genes_wanted:
            written.append(f"{result.genes:,} predicted genes{genes_in} to "
                           f"{'standard output' if gff_out == to_stdout else gff_out}")
        if proteins and sum(end - start for _, start, end in result.regions) < MIN_SELF_TRAINING:
            # genes as runs of the track (no strand or frame): "and their proteins to r.faa" of an empty file
            written.append(f"an empty protein FASTA to {where} (the {result.genes:,} genes{genes_in} are runs of the "
                           "track, without strand or frame)")
        elif proteins and gff_out and genes_wanted:
            written.append(f"their proteins to {where}")
        elif proteins:
            written.append(f"the proteins of {result.genes:,} predicted genes{genes_in} to {where}")
        message = f"wrote {' and '.join(written)}" if written else "predicted"
        if all(result.from_cache):
            message += " (from the prediction cache)"
        print(message, file=sys.stderr)
        if gff_out and genes_wanted and gff_out != to_stdout:
            said = genetic_code_line(gff_out, model_code_how(args.model))
            if said:
                print(said, file=sys.stderr)
        if getattr(args, "json", False):
            print(summary_json(args, result, bedgraph, bigwig, gff_out if genes_wanted else None, proteins),
                  flush=True)
    leave_group(world)
    return 0


def leave_group(world: int, failing: bool = False) -> None:
    """Under torchrun, the last collective step: every rank waits here for rank 0's outputs, then the group ends.
    Rank 0 comes here before leaving on a closed standard output too (it left alone: the others waited, then
    failed naming a lost process); ``failing``, it then waits for the others to end before its own failing exit
    status, which torchrun answers by SIGTERMing every worker still running (rank 1, in its interpreter's teardown
    after the barrier, was killed and reported so in 3 runs of 5 on a busy machine)."""
    if world > 1:
        import torch.distributed as dist

        dist.barrier()
        dist.destroy_process_group()
        if failing:
            wait_for_sibling_workers()


def wait_for_sibling_workers(timeout: float = 10.0) -> None:
    """Wait (at most ``timeout`` seconds) until the other workers the same launcher started on this machine (its
    children running this command line) have ended; Linux's /proc only (elsewhere: at once)."""
    import time
    from pathlib import Path

    me, parent = os.getpid(), os.getppid()
    try:
        own = Path(f"/proc/{me}/cmdline").read_bytes()
    except OSError:
        return

    def running() -> bool:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or int(entry.name) == me:
                continue
            try:
                state, ppid = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[:2]
                if int(ppid) == parent and state != "Z" and Path(entry.path, "cmdline").read_bytes() == own:
                    return True   # (an ended one not yet reaped, Z, counts as ended: torchrun reaps, not kills it)
            except (OSError, ValueError):
                continue
        return False

    deadline = time.monotonic() + timeout
    while running() and time.monotonic() < deadline:
        time.sleep(0.05)


def summary_json(args, result, bedgraph, bigwig, gff_out, proteins) -> str:
    """``predict --json``: what a batch script needs of a run, one object (the messages go to standard error)."""
    import json

    outputs = {name: os.path.abspath(path) for name, path in (("bedgraph", bedgraph), ("bigwig", bigwig),
                                                              ("gff", gff_out), ("proteins", proteins)) if path}
    code = None
    if gff_out:
        how = model_code_how(args.model)
        found = genetic_codes_in(gff_out)
        code = {"code": found[0], "how": how} if len(found) == 1 else ({"codes": found} if found else None)
    return json.dumps({
        "fasta": os.path.abspath(args.fasta), "model": result.model_name, "outputs": outputs,
        "genes": result.genes if gff_out else None, "genetic_code": code,
        "sequences": len({seqid for seqid, _, _ in result.regions}),
        "bases": int(sum(end - start for _, start, end in result.regions)),
        "regions": [{"seqid": seqid, "start": start + 1, "end": end, "from_cache": bool(cached)}
                    for (seqid, start, end), cached in zip(result.regions, result.from_cache)],
        "from_cache": bool(result.from_cache) and all(result.from_cache), "run_id": result.run_id})


CODE_WORDS = {11: "the bacterial and archaeal code", 4: "TGA read as tryptophan, not stop, as in Mycoplasma and "
                                                          "Spiroplasma"}
DETECTED = "detected from the genome's sequence"


def fixed_genetic_code(model) -> int | None:
    """The genetic code a model always decodes with (a GeneORF adapted with --genetic-code keeps it in config.json),
    None when it detects the code from each genome: a loaded model, a name or a folder."""
    config = getattr(getattr(model, "model", None), "config", None)
    if config is not None:
        return getattr(config, "genetic_code", None)
    if isinstance(model, (str, os.PathLike)):
        try:
            import json

            from genoview.core.models import resolve_model_dir

            directory = resolve_model_dir(model)
            config_path = directory / "config.json" if directory is not None else None
            if config_path is not None and config_path.is_file():
                return json.loads(config_path.read_text(encoding="utf-8")).get("genetic_code")
        except (OSError, ValueError, GenoViewInputError):
            return None
    return None


def genetic_code_words(code: int, how: str | None = DETECTED) -> str:
    """"genetic code 4 (TGA read as tryptophan, ...; detected from the genome's sequence)": which code and how it
    was chosen, the words `predict --gff-out` and `evaluate --genes` print."""
    parts = [part for part in (CODE_WORDS.get(code), how) if part]
    return f"genetic code {code}" + (f" ({'; '.join(parts)})" if parts else "")


def genetic_code_how(fixed: int | None) -> str:
    """How the code was chosen, in words: the model's own (given) or detected."""
    return "given by the model, which was adapted with it" if fixed else DETECTED


def model_code_how(model) -> str:
    """How the genetic code of a model's genes (a loaded model or a name) was chosen, in words: Prodigal's own
    (the built-in prodigal model calls Prodigal's genes), the model's (adapted with it), or detected."""
    from genoview.core.models.prodigal import GENETIC_CODE_HOW, ProdigalModel

    if isinstance(model, ProdigalModel) or (isinstance(model, str) and model == ProdigalModel.name):
        return GENETIC_CODE_HOW
    return genetic_code_how(fixed_genetic_code(model))


def genetic_code_line(gff_path: str, how: str | None = None) -> str:
    """Which genetic code the written genes use, in words (a newcomer with a Mycoplasma genome could not tell whether
    TGA had been read as a stop), and ``how`` it was chosen; "" when the file says none."""
    codes = genetic_codes_in(gff_path)
    if not codes:
        return ""
    if len(codes) > 1:   # one code per run; several only in a file joined from runs
        return "genetic codes " + ", ".join(genetic_code_words(code, None) for code in codes)
    return genetic_code_words(codes[0], how)


def genetic_codes_in(gff_path: str) -> list[int]:
    """The transl_table values a written GFF3 names, sorted ([] when none or unreadable)."""
    import gzip
    import re

    codes: set[int] = set()
    opener = gzip.open if str(gff_path).endswith(".gz") else open
    try:
        with opener(gff_path, "rt", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                found = re.search(r"transl_table=(\d+)", line)
                if found:
                    codes.add(int(found.group(1)))
    except OSError:
        return []
    return sorted(codes)
