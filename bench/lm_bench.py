"""Language-model benchmark: real vs mutated accuracy, held-out perplexity, scoring speed, mutagenesis time.

    OMP_NUM_THREADS=1 .venv/bin/python bench/lm_bench.py [--n 1000] [--out-dir /tmp/lm-bench]

Human genes: GenoView's split of ../shared/data/human-genes/train_genes.csv.gz (split seed 0, near-copies moved
to training, see genoview/core/lm_data.split_genes); pair files are made from the held-out (test) genes exactly as
`genoview mutate --genes train_genes.csv.gz --held-out --max-changes K --n 1000 --seed S` writes them
(K = 1, 5, 10; S = 1, 2, 3). The best ensemble is chosen on pairs from the *validation* genes (seed 101), never
on the test pairs. The E. coli language model is scored on pairs from the genes of the last 30% of the genome.
Prints one table; --json writes every number.
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data"
HUMAN = DATA / "human-genes" / "train_genes.csv.gz"
ECOLI = DATA / "ecoli-k12-mg1655"


_CACHE: dict = {}


def totals(model, sequences, key=None):
    """(total log-prob, tokens) per sequence; cached by (model, key). An ensemble's totals are its members'
    weighted mean (every member scores the same n + 1 tokens), so members are scored once."""
    from genoview.core.lm import EnsembleLM

    ident = str(model.path) if getattr(model, "path", None) else id(model)
    if key is not None and (ident, key) in _CACHE:
        return _CACHE[(ident, key)]
    if isinstance(model, EnsembleLM) and key is not None:
        parts = [totals(m, sequences, key) for m in model.members]
        out = (sum(w * p[0] for w, p in zip(model.weights, parts)), parts[0][1])
    else:
        lps = model.token_logprobs(sequences)
        out = np.array([float(np.sum(lp)) for lp in lps]), np.array([len(lp) for lp in lps])
    if key is not None:
        _CACHE[(ident, key)] = out
    return out


def accuracies(real, mut):
    """(perplexity-rule, probability-rule) accuracy from (total, tokens) of real and mutated."""
    (rt, rn), (mt, mn) = real, mut
    return float(np.mean(rt / rn > mt / mn)), float(np.mean(rt > mt))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--ks", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--models", nargs="*", help="language models (default: every shipped one)")
    parser.add_argument("--out-dir", default="/tmp/lm-bench")
    parser.add_argument("--json", help="write all figures here")
    parser.add_argument("--skip-saturation", action="store_true")
    parser.add_argument("--mlm", default="kmer-bert-ecoli-mlm",
                        help="k-mer BERT scored by pseudo-log-likelihood on E. coli pairs ('' to skip)")
    parser.add_argument("--mlm-n", type=int, default=25, help="pairs per K for the (slow) masked LM, seed 1 only")
    parser.add_argument("--write-ensemble", metavar="DIR",
                        help="only choose the ensemble on validation pairs and write it as a model folder here")
    args = parser.parse_args(argv)

    from genoview.core.lm import EnsembleLM
    from genoview.core.lm_data import genes_from_genome, read_genes, split_genes
    from genoview.core.lm_models import load_language_model, read_info
    from genoview.core.models import list_models
    from genoview.core.mutation import make_pairs, write_pairs

    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    split = split_genes(read_genes(HUMAN))
    names = args.models or [i.name for i in list_models(task="language-model") if not getattr(i, "broken", "")]
    models = {name: load_language_model(name) for name in names}
    ecoli_models = {n: m for n, m in models.items() if "ecoli" in n}
    human_models = {n: m for n, m in models.items() if n not in ecoli_models}
    base_human = {n: m for n, m in human_models.items() if not isinstance(m, EnsembleLM)}
    report = {"split": split.describe(), "models": {}, "ensemble_choice": {}}

    def pair_files(genes, tag):
        files = {}
        for k in args.ks:
            for seed in args.seeds:
                pairs = make_pairs(genes, args.n, k, seed)
                write_pairs(out_dir / f"{tag}-K{k}-seed{seed}.csv", pairs)
                files[(k, seed)] = pairs
        return files

    # ---- choose the ensemble on validation pairs (never on the test pairs)
    valid_files = {k: make_pairs(split.valid, args.n, k, 101) for k in args.ks}
    valid_scores = {}
    for name, model in base_human.items():
        valid_scores[name] = {k: (totals(model, [p.real for p in ps], ("valid", k, "real")),
                                  totals(model, [p.mutated for p in ps], ("valid", k, "mutated")))
                              for k, ps in valid_files.items()}
    best = None
    for size in range(2, len(base_human) + 1):
        for combo in itertools.combinations(sorted(base_human), size):
            accs = []
            for k in args.ks:
                real = tuple(np.mean([valid_scores[n][k][0][i] for n in combo], axis=0) for i in (0, 1))
                mut = tuple(np.mean([valid_scores[n][k][1][i] for n in combo], axis=0) for i in (0, 1))
                accs.append(accuracies(real, mut)[0])
            report["ensemble_choice"]["+".join(combo)] = round(float(np.mean(accs)), 4)
            if best is None or np.mean(accs) > best[0]:
                best = (float(np.mean(accs)), combo)
    if args.write_ensemble:
        from genoview.core.lm_models import write_metadata
        from genoview.core.models.lm_ensemble import write_ensemble

        out = write_ensemble(args.write_ensemble, list(best[1]))
        write_metadata(out, name=out.name, architecture="lm-ensemble", task="language-model", default=True,
                       description="ensemble of " + ", ".join(best[1]) + " (per-token log-probabilities averaged), "
                                   "chosen on validation pairs",
                       command="python bench/lm_bench.py " + " ".join(sys.argv[1:]),
                       training={"ensemble_choice_on_validation": report["ensemble_choice"],
                                 "validation_pairs": f"{args.n} pairs per K in {args.ks} from the validation genes, "
                                                     "seed 101", "criterion": "mean perplexity-rule accuracy"})
        print(json.dumps({"chosen": best[1], "validation_accuracy": round(best[0], 4),
                          "all": report["ensemble_choice"]}, indent=1))
        return 0
    if best is not None:
        chosen = EnsembleLM([base_human[n] for n in best[1]])
        chosen.name = "best ensemble (validation): " + "+".join(best[1])
        human_models[chosen.name] = chosen

    # ---- test pairs, held-out perplexity, speed
    test_files = pair_files(split.test, "human-test")
    ecoli_test = genes_from_genome(ECOLI / "GCF_000005845.2_ASM584v2_genomic.fna.gz",
                                   ECOLI / "GCF_000005845.2_ASM584v2_genomic.gff.gz", 0.7, 1.0) if ecoli_models else []
    ecoli_files = pair_files(ecoli_test, "ecoli-test") if ecoli_models else {}
    speed_genes = [g.sequence for g in split.test][:400]
    for name, model in list(human_models.items()) + list(ecoli_models.items()):
        files = ecoli_files if name in ecoli_models else test_files
        held_out = [g.sequence for g in (ecoli_test if name in ecoli_models else split.test)]
        row = {"data": "E. coli" if name in ecoli_models else "human"}
        per_k = {}
        for (k, seed), pairs in files.items():
            tag = "ecoli" if name in ecoli_models else "human"
            acc = accuracies(totals(model, [p.real for p in pairs], (tag, k, seed, "real")),
                             totals(model, [p.mutated for p in pairs], (tag, k, seed, "mutated")))
            per_k.setdefault(k, []).append(acc)
        row["accuracy"] = {str(k): {"perplexity": [round(a[0], 4) for a in v], "probability": [round(a[1], 4) for a in v],
                                    "perplexity_mean": round(float(np.mean([a[0] for a in v])), 4),
                                    "probability_mean": round(float(np.mean([a[1] for a in v])), 4)}
                           for k, v in per_k.items()}
        t, n = totals(model, held_out, ("held-out", row["data"]))
        row["held_out_perplexity"] = round(math.exp(-t.sum() / n.sum()), 4)
        started, cpu = time.perf_counter(), time.process_time()
        model.token_logprobs(speed_genes)      # an ensemble is timed as a whole (its members score again)
        row["genes_per_s"] = round(len(speed_genes) / (time.perf_counter() - started), 1)
        # per CPU second: what one free core does (wall clock on a shared machine mostly measures the others)
        row["genes_per_cpu_s"] = round(len(speed_genes) / max(time.process_time() - cpu, 1e-9), 1)
        report["models"][name] = row
        print(f"... {name} done", file=sys.stderr, flush=True)

    # ---- the k-mer BERT's pseudo-log-likelihood: slow (2k + 1 passes a window), so a subset of the E. coli pairs
    if args.mlm:
        from genoview.core.errors import GenoViewInputError

        try:
            mlm = load_language_model(args.mlm)
        except GenoViewInputError as exc:
            print(f"masked LM skipped: {exc}", file=sys.stderr)
            mlm = None
        if mlm is not None:
            if not ecoli_files:
                ecoli_test = genes_from_genome(ECOLI / "GCF_000005845.2_ASM584v2_genomic.fna.gz",
                                               ECOLI / "GCF_000005845.2_ASM584v2_genomic.gff.gz", 0.7, 1.0)
                ecoli_files = pair_files(ecoli_test, "ecoli-test")
            row = {"data": "E. coli", "accuracy": {}, "note": f"first {args.mlm_n} pairs of seed {args.seeds[0]} only"}
            started, scored = time.perf_counter(), 0
            for k in args.ks:
                pairs = ecoli_files[(k, args.seeds[0])][:args.mlm_n]
                acc = accuracies(totals(mlm, [p.real for p in pairs]), totals(mlm, [p.mutated for p in pairs]))
                scored += 2 * len(pairs)
                row["accuracy"][str(k)] = {"perplexity_mean": round(acc[0], 4), "probability_mean": round(acc[1], 4)}
            row["genes_per_s"] = round(scored / (time.perf_counter() - started), 2)
            row["genes_per_cpu_s"] = float("nan")
            sample = [g.sequence for g in ecoli_test[:20]]
            t, n = totals(mlm, sample)
            row["held_out_perplexity"] = round(math.exp(-t.sum() / n.sum()), 4)
            row["note"] += "; pseudo-perplexity on 20 test genes"
            report["models"][f"{mlm.name} (PLL, {args.mlm_n} pairs/K)"] = row

    # ---- saturation mutagenesis times (1 kb windows)
    if not args.skip_saturation:
        from genoview.core.genome import open_genome
        from genoview.core.models import default_model_name, load_model
        from genoview.core.variant_effects import saturation_gene_model, saturation_lm

        longest = max(split.test, key=lambda g: len(g.sequence)).sequence
        report["saturation"] = {}
        for name, model in human_models.items():
            if isinstance(model, EnsembleLM) and not name.startswith("best"):
                continue
            cpu = time.process_time()
            result = saturation_lm(model, longest)
            report["saturation"][name] = {"bases": len(longest), "seconds": round(result.seconds, 2),
                                          "cpu_seconds": round(time.process_time() - cpu, 2)}
        genome = open_genome(ECOLI / "GCF_000005845.2_ASM584v2_genomic.fna.gz")
        record = next(iter(genome.sequences.values()))
        gene_model = load_model(default_model_name(), device="cpu")
        ctx = int(getattr(gene_model, "context", 0))
        start = 3_400_000
        text = record.text(start - ctx, start + 1000 + ctx).upper()
        cpu = time.process_time()
        result = saturation_gene_model(gene_model, text[ctx:ctx + 1000], flank_left=text[:ctx],
                                       flank_right=text[ctx + 1000:])
        report["saturation"][f"gene model {gene_model.name}"] = {"bases": 1000, "seconds": round(result.seconds, 2),
                                                                 "cpu_seconds": round(time.process_time() - cpu, 2)}

    # ---- the table
    ks = args.ks
    head = (f"{'model':<58} {'data':<7} {'PPL':>6} " + " ".join(f"{'ppl K=' + str(k):>9}" for k in ks) + " "
            + " ".join(f"{'prob K=' + str(k):>9}" for k in ks) + f" {'genes/s':>8} {'/cpu-s':>7}")
    print(head)
    print("-" * len(head))
    for name, row in report["models"].items():
        acc = row["accuracy"]
        print(f"{name[:58]:<58} {row['data']:<7} {row['held_out_perplexity']:>6.3f} "
              + " ".join(f"{acc[str(k)]['perplexity_mean']:>9.3f}" for k in ks) + " "
              + " ".join(f"{acc[str(k)]['probability_mean']:>9.3f}" for k in ks) + f" {row['genes_per_s']:>8.1f}"
              + f" {row.get('genes_per_cpu_s', float('nan')):>7.1f}")
    print(f"accuracy = mean of seeds {args.seeds}, {args.n} pairs per file; PPL = held-out perplexity "
          f"({len(split.test)} human test genes / {len(ecoli_test)} E. coli test genes)")
    for name, s in report.get("saturation", {}).items():
        print(f"saturation mutagenesis, {s['bases']} bases x 3 substitutions: {name}: {s['seconds']:.1f} s wall, "
              f"{s['cpu_seconds']:.1f} s CPU")
    if best is not None:
        print(f"ensemble chosen on validation pairs (mean perplexity-rule accuracy): {'+'.join(best[1])} "
              f"({best[0]:.4f}); threads: OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
