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
                    "MutatedNucleotideSequence with the <...> markers. The same seed gives the same file.")
    p.add_argument("--genes", required=True, metavar="CSV|FASTA", help="genes (train_genes.csv-style table or FASTA)")
    p.add_argument("--max-changes", type=int, required=True, metavar="K",
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
    from genoview.core.lm_data import read_genes, split_genes
    from genoview.core.mutation import make_pairs, write_pairs
    from genoview.core.prediction import check_outputs

    check_outputs({"pair file (--out)": args.out}, [args.genes])   # never over the genes it reads (hard links too)
    genes = read_genes(args.genes)
    if args.held_out:
        genes = split_genes(genes).test
    types = [t.strip() for t in args.types.split(",") if t.strip()]
    from genoview.core.store import open_store   # mutate runs recorded in the store (issue 11 item 1)

    store = open_store()
    run_id = store.start_run("mutate", None, {"genes": str(args.genes), "n": args.n, "seed": args.seed,
                                               "types": types, "out": str(args.out)})
    try:
        pairs = make_pairs(genes, args.n, args.max_changes, args.seed, types)
        write_pairs(args.out, pairs, with_edits=args.with_edits)
    except BaseException as exc:
        store.finish_run(run_id, "failed", message=str(exc) or type(exc).__name__)
        raise
    store.finish_run(run_id, "finished", {"pairs": len(pairs)}, message=f"{len(pairs)} pairs from {len(genes)} genes")
    print(f"wrote {len(pairs)} pairs from {len(genes)} genes to {args.out}", file=sys.stderr)
    return 0
