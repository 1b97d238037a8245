"""`genoview saturation`: saturation mutagenesis of a gene or region with a language model, as the window's heat map."""
from __future__ import annotations

import argparse
import sys

from genoview.core.vcf_effects import SCORING_WINDOW


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "saturation", help="score every single-base change of a gene or region with a language model (heat map CSV)",
        description="Every substitution (and with --deletions every single-base deletion) of the window is scored: "
                    "log P(sequence with the change) - log P(sequence), natural log, negative where the model finds "
                    "the change less likely; the same numbers as the Real vs mutated heat map and its CSV (a row per "
                    "change, with its genome position and strand). A gene on the - strand is read as the gene "
                    "(reverse-complemented); --from counts along it.")
    p.add_argument("--genome", required=True, metavar="FASTA|GBK", help="the genome")
    p.add_argument("--annotation", metavar="GFF", help="an annotation, so --region may be a gene name")
    p.add_argument("--region", metavar="SEQ:START-END|GENE",
                   help="the region (1-based, inclusive), a sequence name, or a gene name with --annotation "
                        "(default: the genome's only sequence)")
    p.add_argument("--from", dest="first", type=int, default=1, metavar="N",
                   help="first base of the window, 1-based along the region (default 1)")
    p.add_argument("--length", type=int, default=None, metavar="N", help="bases in the window (default: to the end)")
    p.add_argument("--deletions", action="store_true", help="also delete each base of the window")
    p.add_argument("--model", metavar="NAME|DIR", help="language model (default: kn-ecoli-genes for a genome that looks like a "
                        "bacterium's or an archaeon's, else the default language model, as the window suggests)")
    p.add_argument("--window", type=int, default=SCORING_WINDOW, metavar="BASES",
                   help="a region longer than this has each change scored in a window of this many bases around it, "
                        "as variant-effects scores a variant (default 20,000; 0: the whole region for every change)")
    p.add_argument("--out", required=True, metavar="MAP.csv", help="the scores, one row per change (CSV: position, ref, alt, "
                        "effect_alt_minus_ref, measure, model[, seqid, genome_position, strand]; the effect column "
                        "was named effect before: CHANGELOG.md)")
    p.add_argument("--device", default=None, help="auto (default), cpu, cuda, cuda:N or mps")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from genoview.core.errors import GenoViewInputError
    from genoview.core.jobs import TextProgressBar, recorded_run
    from genoview.cli import default_language_model
    from genoview.cli.variant_effects import read_region
    from genoview.core.lm_models import load_language_model
    from genoview.core.prediction import check_outputs
    from genoview.core.variant_effects import saturation_lm
    from genoview.core.vcf_effects import reverse_complement

    check_outputs({"map (--out)": args.out}, [p for p in (args.genome, args.annotation) if p], no_genomes=True)
    locus, forward, where = read_region(args)
    if args.model is None:
        args.model = default_language_model("saturation", args.genome_kind)
    feature = getattr(locus, "feature", None)
    strand = -1 if feature is not None and feature.strand < 0 else 1
    sequence = forward if strand > 0 else reverse_complement(forward)
    n = len(sequence)
    length = n - args.first + 1 if args.length is None else args.length
    if not (1 <= args.first <= n) or length < 1 or args.first - 1 + length > n:
        raise GenoViewInputError(f"--from {args.first} --length {length}: the window must lie in the region's "
                                 f"{n:,} bases (1..{n:,})")
    from genoview.cli.variant_effects import warn_if_training_gene
    from genoview.core.variant_effects import saturation_windows

    pieces = saturation_windows(n, args.first - 1, args.first - 1 + length, args.window)
    read_from, read_to = pieces[0][0], pieces[-1][1]   # the bases the model reads (reading order)
    warn_if_training_gene("saturation", [args.model], sequence[read_from:read_to])
    model = load_language_model(args.model, args.device)
    changes = length * (4 if args.deletions else 3)
    if strand < 0:
        print(f"genoview saturation: {args.region} is on the - strand: read reverse-complemented (positions along "
              "the gene; the CSV gives each change's genome position)", file=sys.stderr)
    if len(pieces) > 1 or read_to - read_from < n:
        print(f"genoview saturation: the region is {n:,} bases: each change is scored in the {args.window:,}-base "
              f"window around it (bases {read_from + 1:,}-{read_to:,} of the region read; --window 0: the whole "
              "region for every change)", file=sys.stderr)
    bar = TextProgressBar(f"{changes:,} changes with {model.name}")
    with recorded_run("saturation", model.name, {"genome": str(args.genome), "region": where, "strand": strand,
                                                 "from": args.first, "length": length, "deletions": args.deletions,
                                                 "window": args.window, "out": str(args.out)}) as recorded:
        result = saturation_lm(model, sequence, args.first - 1, args.first - 1 + length, deletions=args.deletions,
                               window=args.window, progress=recorded.beating(bar))
        recorded.metrics = {"changes": changes, "seconds": result.seconds}
        recorded.message = f"{changes:,} changes of {where} scored"
    result.region = (locus.seqid, locus.start, locus.end, strand)
    result.write_csv(args.out)
    import numpy as np

    i, j = np.unravel_index(np.nanargmax(np.abs(result.effects)), result.effects.shape)
    from genoview.core.variant_effects import ALTERNATIVES

    pos = result.start + int(i)
    change = "deletion" if ALTERNATIVES[j] == "del" else f"{sequence[pos]}>{ALTERNATIVES[j]}"
    print(f"{changes:,} changes of positions {args.first:,}-{args.first - 1 + length:,} of {where}"
          f"{' (- strand gene)' if strand < 0 else ''} scored in {result.seconds:.1f} s; largest effect "
          f"{result.effects[i, j]:+.3g} nats ({change} at position {pos + 1:,}, genome {locus.seqid}:"
          f"{result.genome_position(pos):,}); wrote {args.out}")
    return 0
