"""`genoview calibrate`: choose a model's decision threshold on a validation region and store it."""
from __future__ import annotations

import argparse
import json

from genoview.core.errors import GenoViewInputError


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "calibrate", help="choose a model's decision threshold on validation data",
        description="Predict a validation region with a GeneCNN or k-mer BERT model, find the threshold "
                    "(0.05..0.95, step 0.01) with the best nucleotide MCC there, and store it in the model's "
                    "genoview.json so that 0.5 on the model's track is that decision point (log-odds shift: "
                    "ROC/PR AUC do not change). `genoview train` does this itself after training; use this for "
                    "a model trained elsewhere or on other data. Never calibrate on the data you test on.",
        epilog="Default region: the validation regions recorded in the model's genoview.json (data.valid), "
               "when they exist in this genome. Otherwise give --from/--to (fractions of each sequence).",
    )
    p.add_argument("--model", required=True, metavar="NAME|DIR", help="a model name from `genoview models` or a directory")
    p.add_argument("--fasta", required=True, help="the genome (FASTA or GenBank)")
    p.add_argument("--gff", help="the annotation with the true genes (GFF3, GTF or GenBank); default: the features "
                                 "of a GenBank or EMBL genome (or of a GFF3 holding its sequences)")
    p.add_argument("--seqid", help="calibrate on this sequence only (with --from/--to)")
    p.add_argument("--from", dest="frac_from", type=float, help="region start as a fraction of each sequence")
    p.add_argument("--to", dest="frac_to", type=float, help="region end as a fraction of each sequence")
    p.add_argument("--feature-types", help="comma-separated genic annotation types (default: the model's training "
                                           "types, else gene,pseudogene)")
    p.add_argument("--device", help="auto (default), cpu, cuda, cuda:N or mps")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(run=run)
    return p


def _regions(args, info, lengths: dict[str, int]):
    from genoview.core.genome import split_bounds
    from genoview.core.training.datasets import Region

    if args.frac_from is None and args.frac_to is None and not args.seqid:
        recorded = [Region(*r) for r in info.regions("valid")]
        if recorded and all(r.seqid in lengths and r.end <= lengths[r.seqid] for r in recorded):
            return recorded
        raise GenoViewInputError("the model records no validation region in this genome; give --from and --to "
                                 "(a part you do not test on)", args.model)
    seqids = [args.seqid] if args.seqid else list(lengths)
    for seqid in seqids:
        if seqid not in lengths:
            raise GenoViewInputError(f"no sequence {seqid!r} in the genome", args.fasta)
    frac_from = 0.0 if args.frac_from is None else args.frac_from
    frac_to = 1.0 if args.frac_to is None else args.frac_to
    if not 0.0 <= frac_from < frac_to <= 1.0:
        raise GenoViewInputError(f"--from {frac_from} --to {frac_to}: need 0 <= from < to <= 1")
    return [Region(s, *split_bounds(lengths[s], frac_from, frac_to)) for s in seqids]


def overlaps_test_part(info, regions, lengths: dict[str, int]) -> list[str]:
    """One line per calibration region that overlaps the test part recorded in the model's genoview.json (on a
    sequence of the same name and a length that fits): calibrating there spoils the model's test figures, and a
    newcomer's ``--from 0.7`` (to the end) is exactly the customary test part."""
    out = []
    for seqid, start, end in info.regions("test"):
        if seqid not in lengths or end > lengths[seqid]:
            continue
        for r in regions:
            if r.seqid == seqid and r.start < end and start < r.end:
                out.append(f"{seqid}:{max(r.start, start) + 1:,}-{min(r.end, end):,} is in the model's test part "
                           f"({seqid}:{start + 1:,}-{end:,}, recorded in its genoview.json); its test figures are no "
                           "longer fair: calibrate on its validation part (no --from/--to) or other data")
    return out


def run(args) -> int:
    from genoview.core.genome import open_genome
    from genoview.core.jobs import TextProgressBar
    from genoview.core.models import resolve_model_dir
    from genoview.core.models.metadata import METADATA_FILE, ModelMetadata
    from genoview.core.training.calibration import calibrate_model_dir
    from genoview.core.training.datasets import load_tracks

    from genoview.cli.evaluate import annotation_of_genome

    annotation_of_genome(args, "calibrate")
    directory = resolve_model_dir(args.model)
    if directory is None:
        raise GenoViewInputError(f"{args.model} is built in and has no adjustable decision threshold")
    from genoview.core.library import _is_shipped
    from genoview.core.models.checks import read_config

    read_config(directory)   # a folder that is no model said "the model records no validation region" (H-cli18)
    info = ModelMetadata.load(directory)
    # the registry's rows with a settings_key say which architectures have a decision threshold; the others
    # (GeneORF, Prodigal) are refused here, before loading or copying anything
    from genoview.core.models.registry import threshold_architecture_words, threshold_architectures

    if info.task is not None and str(getattr(info.task, "value", info.task)) != "gene-probability":
        raise GenoViewInputError(f"{directory.name} is a {getattr(info.task, 'value', info.task)} model; calibrate "
                                 "chooses the decision threshold of a gene-probability model "
                                 f"({threshold_architecture_words()})", directory)
    if info.architecture and info.architecture not in threshold_architectures():   # before "copy it": the copy was
        raise GenoViewInputError(f"{directory.name} ({info.architecture}) has no adjustable decision threshold (only "
                                 f"{threshold_architecture_words()} models have one)", directory)   # refused after 20 MB copied
    if _is_shipped(directory):   # calibrating rewrites genoview.json: never the installation's copy
        raise GenoViewInputError(f"{directory.name} is shipped with GenoView and is not changed in place; copy its folder "
                                 f"(cp -r {directory} my-{directory.name}) and calibrate the copy (--model "
                                 f"my-{directory.name})", directory)
    types = (args.feature_types.split(",") if args.feature_types
             else info.data.get("feature_types") or ["gene", "pseudogene"])
    with open_genome(args.fasta, args.gff) as genome:
        from genoview.cli import say_warning

        if getattr(genome.features, "report", None):   # skipped or repaired lines: said, as evaluate says them
            say_warning("calibrate", genome.features.report.warning())
        lengths = {seqid: record.length for seqid, record in genome.sequences.items()}
        absent = [t for t in types if t not in genome.features.types]
        if args.feature_types and absent:   # was "the region holds only one class", which hid the typo
            have = ", ".join(sorted(genome.features.types)) or "no features"
            if len(absent) == len(types):
                raise GenoViewInputError(f"--feature-types {args.feature_types}: none of these types is in the "
                                         f"annotation (it has: {have})", args.gff)
            say_warning("calibrate", f"--feature-types {', '.join(absent)}: not in {args.gff} (it has: {have}); "
                                     "using the others")
        regions = _regions(args, info, lengths)
        for warning in overlaps_test_part(info, regions, lengths):
            say_warning("calibrate", warning)
        tracks = load_tracks(genome, [r.seqid for r in regions], types)
        from genoview.core.jobs import recorded_run

        # recorded (`genoview runs`), its heartbeat beaten by its progress: a long one on another node is not shown
        # lost; a GENOVIEW_HOME that cannot be written: calibrated all the same, unrecorded (said once on stderr)
        with recorded_run("calibrate", info.name or directory.name, {
                "model_dir": str(directory), "fasta": args.fasta, "annotation": args.gff, "feature_types": types,
                "regions": [r.__dict__ for r in regions]}) as recorded:
            result = calibrate_model_dir(directory, genome, tracks, regions,
                                         progress=recorded.beating(TextProgressBar("calibrate")), device=args.device)
            recorded.metrics = {"threshold": result["threshold"], "mcc_before": result["mcc_before"],
                                "mcc_after": result["mcc_after"]}
            recorded.message = f"stored threshold {result['threshold']}"
    result["regions"] = [r.__dict__ for r in regions]
    if args.json:
        print(json.dumps(result))
    else:
        where = ", ".join(f"{r.seqid}:{r.start + 1:,}-{r.end:,}" for r in regions)
        # it read "best MCC ... at 0.49 of the present output; ...; stored threshold 0.8345": two thresholds, and
        # which one the tracks use was left to guess
        print(f"{directory.name}: on {where} the best MCC is at {result['chosen']:.2f} of its track as it was; "
              f"MCC at the track's 0.5: {result['mcc_before']:.4f} before, {result['mcc_after']:.4f} now (its "
              f"decision threshold, {result['threshold']} of the raw output, stored in {directory / METADATA_FILE}, "
              f"is folded into its tracks: 0.5 is the decision point)")
        if result["settings"]:
            def named(settings: dict) -> str:
                return ", ".join(f"{key} {value}" for key, value in settings.items())

            present, *others = result["tried"]
            tried = "; ".join(f"{named(row['settings'])}: MCC {row['mcc']:.4f}" for row in others)
            print(f"decoding: {named(result['settings'])} (the present setting: MCC {present['mcc']:.4f}; {tried})")
    return 0
