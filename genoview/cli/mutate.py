"""`genoview mutate`: the study's pair file of real genes and seeded mutated copies."""
from __future__ import annotations

import argparse
import sys
from genoview.cli import seed_number


def add_parser(subparsers) -> argparse.ArgumentParser:
    from genoview.core.mutation import ALL_EDIT_TYPES, EDIT_TYPES

    p = subparsers.add_parser(
        "mutate", help="make real/mutated gene pairs (the study's seeded generator)",
        description="For each of N rows: a gene drawn uniformly with replacement, k drawn uniformly from "
                    "1..K, then k random edits applied one after another (insertion, deletion, substitution "
                    "by default, each type equally likely). Writes NCBIGeneID,RealNucleotideSequence,"
                    "MutatedNucleotideSequence with the <...> markers. The same seed gives the same file. "
                    "With --vcf instead of --genes: one pair, a region of a genome and the same region with the VCF's "
                    "variants in it applied (as Real vs mutated's VCF in the window), for score-pairs.")
    p.add_argument("--genes", metavar="CSV|FASTA", help="genes (train_genes.csv-style table or FASTA)")
    p.add_argument("--vcf", metavar="VCF", help="instead of --genes: apply this VCF's variants (plain or gzip) to a "
                                                "region of --genome (--region) and write that one pair")
    p.add_argument("--genome", metavar="FASTA|GBK", help="with --vcf: the genome the VCF's positions refer to")
    p.add_argument("--annotation", metavar="GFF", help="with --vcf: an annotation, so --region may be a gene name")
    p.add_argument("--region", metavar="SEQ:START-END|GENE", help="with --vcf: the region (1-based, inclusive), a "
                   "sequence name, or a gene on the + strand with --annotation (default: the genome's only sequence)")
    p.add_argument("--max-changes", type=int, metavar="K",
                   help="at most this many edits per mutated copy (each row draws k from 1..K)")
    p.add_argument("--n", type=int, default=1000, metavar="N", help="rows (default 1000)")
    p.add_argument("--seed", type=seed_number, default=0, metavar="S", help="random seed (default 0; same seed, same file)")
    p.add_argument("--types", default=",".join(EDIT_TYPES),
                   help=f"comma-separated edit types from {', '.join(ALL_EDIT_TYPES)} (default: "
                        f"{','.join(EDIT_TYPES)}, the published files; add swap for the study code's adjacent swaps)")
    p.add_argument("--held-out", action="store_true",
                   help="draw only from the held-out (test) genes of GenoView's split of this table (split seed 0), "
                        "the genes the shipped human language models never saw")
    p.add_argument("--with-edits", action="store_true", help="add an Edits column (1-based, ';'-separated)")
    p.add_argument("--out", required=True, metavar="PAIRS.csv",
                   help="pair file to write (CSV; a .gz name compresses it)")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from genoview.core.errors import GenoViewInputError

    if args.vcf:
        return run_vcf(args)
    if not args.genes or args.max_changes is None:
        raise GenoViewInputError("give --genes and --max-changes (random mutated copies), or --vcf with --genome "
                                 "(the VCF's variants applied to a region)")
    from genoview.core.lm_data import read_genes, split_genes
    from genoview.core.mutation import make_pairs, write_pairs
    from genoview.core.prediction import check_outputs

    # never over the genes it reads (hard links too), nor a genome or an annotation
    check_outputs({"pair file (--out)": args.out}, [args.genes], no_genomes=True)
    genes = read_genes(args.genes)
    if args.held_out:
        genes = split_genes(genes).test
    types = [t.strip() for t in args.types.split(",") if t.strip()]
    from genoview.core.jobs import recorded_run

    # recorded in the store (issue 11 item 1) as train-lm and score-pairs are: running with its heartbeat beaten by
    # the drawing's and the writing's progress (`genoview runs` on another node of a shared GENOVIEW_HOME marked a long
    # one lost after GENOVIEW_LOST_AFTER_MIN), then finished, failed or cancelled (Ctrl+C)
    with recorded_run("mutate", None, {"genes": str(args.genes), "n": args.n, "seed": args.seed, "types": types,
                                       "out": str(args.out)}) as recorded:
        pairs = make_pairs(genes, args.n, args.max_changes, args.seed, types, progress=recorded.beating())
        write_pairs(args.out, pairs, with_edits=args.with_edits, progress=recorded.beating())
        recorded.metrics = {"pairs": len(pairs)}
        recorded.message = f"{len(pairs)} pairs from {len(genes)} genes"
    print(f"wrote {len(pairs)} pairs from {len(genes)} genes to {args.out}", file=sys.stderr)
    return 0


def run_vcf(args: argparse.Namespace) -> int:
    """One pair: a region of the genome and the same region with the VCF's variants in it (window: Real vs mutated)."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.genome import open_genome
    from genoview.core.locus import resolve_locus
    from genoview.core.mutation import Pair, apply_edits, check_vcf_alt_bases, read_vcf, vcf_edits, write_pairs
    from genoview.core.prediction import check_outputs

    if not args.genome:
        raise GenoViewInputError("--vcf needs --genome, the genome its positions refer to")
    if args.genes:
        raise GenoViewInputError("give --genes (random copies) or --vcf (a VCF's variants), not both")
    check_outputs({"pair file (--out)": args.out}, [p for p in (args.genome, args.vcf, args.annotation) if p],
                  no_genomes=True)
    variants = read_vcf(args.vcf)
    with open_genome(args.genome, args.annotation) as genome:
        if getattr(genome.features, "report", None):   # skipped or repaired lines: said, as evaluate says them
            from genoview.cli import say_warning

            say_warning("mutate", genome.features.report.warning())
        if args.region:
            locus = resolve_locus(args.region, genome)
        elif len(genome.sequences) == 1:
            only = next(iter(genome.sequences.values()))
            locus = resolve_locus(only.id, genome)
        else:
            raise GenoViewInputError(f"the genome has {len(genome.sequences)} sequences: choose the region with "
                                     "--region SEQ:START-END (1-based) or a gene name", args.genome)
        feature = getattr(locus, "feature", None)
        if feature is not None and feature.strand < 0:
            raise GenoViewInputError(f"{args.region!r} is on the - strand; VCF variants apply to the forward strand: "
                                     f"give its region, --region {locus.seqid}:{locus.start + 1}-{locus.end}")
        reference = genome.sequences[locus.seqid].text(locus.start, locus.end).upper()
    notes: list[str] = []
    where = f"{locus.seqid}:{locus.start + 1}-{locus.end}"
    _check_lm_letters(reference, locus.seqid, locus.start, where, args.genome)
    edits = vcf_edits(variants, reference, locus.seqid, locus.start, args.vcf, notes)
    if not edits:
        names = sorted({v.seqid for v in variants})
        raise GenoViewInputError(f"no variant of the VCF lies in {where} (its CHROM names: {', '.join(names[:5]) or 'none'}"
                                 f"; the region is {locus.end - locus.start:,} bases)", args.vcf)
    mutated = apply_edits(reference, edits, sequential=False)
    # an ALT of N (or another code) made a copy score-pairs refuses: say which line, write nothing
    check_vcf_alt_bases(variants, locus.seqid, locus.start, locus.end, args.vcf)
    write_pairs(args.out, [Pair(where, reference, mutated.mutated, mutated.edits)], with_edits=args.with_edits)
    for note in notes:
        print(f"genoview mutate: {note}", file=sys.stderr)
    print(f"wrote 1 pair ({where}, {len(reference):,} bases, {len(edits)} variant(s) applied) to {args.out}",
          file=sys.stderr)
    return 0


def _check_lm_letters(reference: str, seqid: str, start: int, where: str, path) -> None:
    """A region holding N (a draft's gap) or other codes made a pair file score-pairs refused afterwards: refuse it
    here, with where the letters are (1-based genome positions) and the longest region without them."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.mutation import letters_models_cannot_read

    runs, found, (a, b) = letters_models_cannot_read(reference)
    if not runs:
        return
    letters = ", ".join(repr(c) for c in found)
    shown = ", ".join(f"{seqid}:{start + a + 1}" + (f"-{start + b}" if b - a > 1 else "") for a, b in runs[:3])
    shown += f" and {len(runs) - 3} more" if len(runs) > 3 else ""
    fix = f": give --region {seqid}:{start + a + 1}-{start + b}, its longest stretch without them" if b > a else ""
    raise GenoViewInputError(f"{where} holds {letters} at {shown}; language models read A, C, G and T only{fix}",
                             path)
