"""Language-model benchmark: real vs mutated accuracy, held-out perplexity, scoring speed, mutagenesis time.

    OMP_NUM_THREADS=1 .venv/bin/python bench/lm_bench.py [--n 1000] [--out-dir /tmp/lm-bench] [--json out.json]

Human genes: GenoView's split of ../shared/data/human-genes/train_genes.csv.gz (split seed 0, near-copies moved
to training, see genoview/core/lm_data.split_genes); pair files are made from the held-out (test) genes exactly as
`genoview mutate --genes train_genes.csv.gz --held-out --max-changes K --n 1000 --seed S` writes them
(K = 1, 5, 10; S = 1, 2, 3; the files are left in --out-dir). The ensemble is chosen on pairs from the
*validation* genes (seed 101), never on the test pairs; --write-ensemble saves that choice as a model folder.
An ensemble's scores are its members' averaged per-token log-probabilities, so its totals are the members'
mean totals (computed once per member). The E. coli language model is scored on pairs from the genes of the last
30% of the genome, the k-mer BERT (pseudo-log-likelihood, slow) on a subset of them.
Each model is scored in its own process (one torch thread each). Speeds: genes per second of wall clock and per
CPU second (what one free core does; on a shared machine the wall clock mostly measures the other processes).
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import multiprocessing
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
ECOLI_FASTA = ECOLI / "GCF_000005845.2_ASM584v2_genomic.fna.gz"
ECOLI_GFF = ECOLI / "GCF_000005845.2_ASM584v2_genomic.gff.gz"


def accuracies(real, mut):
    """(perplexity-rule, probability-rule) accuracy from (total, tokens) of real and mutated."""
    (rt, rn), (mt, mn) = real, mut
    return float(np.mean(rt / rn > mt / mn)), float(np.mean(rt > mt))


def score_model(name: str, jobs: dict, speed_genes: list, saturation_gene: str | None = None) -> dict:
    """In a worker: load one model, (total, tokens) for every job's sequences, its speed, and the time of a
    saturation mutagenesis of ``saturation_gene`` (every base x 3 substitutions)."""
    import torch

    torch.set_num_threads(1)
    from genoview.core.lm_models import load_language_model

    model = load_language_model(name)
    out = {}
    for key, sequences in jobs.items():
        lps = model.token_logprobs(sequences)
        out[key] = (np.array([float(np.sum(lp)) for lp in lps]), np.array([len(lp) for lp in lps]))
    started, cpu = time.perf_counter(), time.process_time()
    model.token_logprobs(speed_genes)
    out["speed"] = (len(speed_genes) / (time.perf_counter() - started),
                    len(speed_genes) / max(time.process_time() - cpu, 1e-9))
    print(f"... {name} scored", file=sys.stderr, flush=True)
    if saturation_gene:
        from genoview.core.variant_effects import saturation_lm

        cpu = time.process_time()
        result = saturation_lm(model, saturation_gene)
        out["saturation"] = {"bases": len(saturation_gene), "seconds": round(result.seconds, 2),
                             "cpu_seconds": round(time.process_time() - cpu, 2)}
    return out


def gene_model_saturation() -> dict:
    """In a worker: saturation mutagenesis of 1 kb of E. coli (test part) with the default gene model."""
    import torch

    torch.set_num_threads(1)
    from genoview.core.genome import open_genome
    from genoview.core.models import default_model_name, load_model
    from genoview.core.variant_effects import saturation_gene_model

    record = next(iter(open_genome(ECOLI_FASTA).sequences.values()))
    gene_model = load_model(default_model_name(), device="cpu")
    ctx = int(getattr(gene_model, "context", 0))
    start = 3_400_000
    text = record.text(start - ctx, start + 1000 + ctx).upper()
    cpu = time.process_time()
    result = saturation_gene_model(gene_model, text[ctx:ctx + 1000], flank_left=text[:ctx],
                                   flank_right=text[ctx + 1000:])
    return {"name": f"gene model {gene_model.name}", "bases": 1000, "seconds": round(result.seconds, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--ks", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--models", nargs="*", help="single language models (default: every shipped one that is not "
                                                   "an ensemble); 'ecoli' in a name marks an E. coli model")
    parser.add_argument("--out-dir", default="/tmp/lm-bench")
    parser.add_argument("--json", help="write all figures here")
    parser.add_argument("--skip-saturation", action="store_true")
    parser.add_argument("--mlm", default="kmer-bert-ecoli-mlm",
                        help="k-mer BERT scored by pseudo-log-likelihood on E. coli pairs ('' to skip)")
    parser.add_argument("--mlm-n", type=int, default=25, help="pairs per K for the (slow) masked LM, first seed")
    parser.add_argument("--write-ensemble", metavar="DIR",
                        help="save the ensemble chosen on validation pairs as a model folder (flagged default)")
    args = parser.parse_args(argv)

    from genoview.core.lm_data import genes_from_genome, read_genes, split_genes
    from genoview.core.lm_models import read_info
    from genoview.core.models import list_models, resolve_model_dir
    from genoview.core.mutation import make_pairs, write_pairs

    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    split = split_genes(read_genes(HUMAN))
    if args.models:
        names = list(args.models)
    else:
        names = [i.name for i in list_models(task="language-model")
                 if not getattr(i, "broken", "") and i.architecture != "lm-ensemble"]
    ecoli_names = [n for n in names if "ecoli" in n]
    human_names = [n for n in names if n not in ecoli_names]
    report = {"split": split.describe(), "models": {}, "ensemble_choice": {}}

    def pair_files(genes, tag):
        files = {}
        for k in args.ks:
            for seed in args.seeds:
                pairs = make_pairs(genes, args.n, k, seed)
                write_pairs(out_dir / f"{tag}-K{k}-seed{seed}.csv", pairs)
                files[(k, seed)] = pairs
        return files

    valid_files = {k: make_pairs(split.valid, args.n, k, 101) for k in args.ks}
    test_files = pair_files(split.test, "human-test")
    ecoli_test = []
    if ecoli_names or args.mlm:   # as `genoview train-lm --genome` splits: test genes with near-copies left out
        from genoview.core.lm_data import shared_fraction

        ecoli_test = genes_from_genome(ECOLI_FASTA, ECOLI_GFF, 0.7, 1.0)
        shared = shared_fraction(ecoli_test, genes_from_genome(ECOLI_FASTA, ECOLI_GFF, 0.0, 0.7))
        ecoli_test = [g for g, f in zip(ecoli_test, shared) if f < 0.5]
    ecoli_files = pair_files(ecoli_test, "ecoli-test") if ecoli_test else {}

    def jobs_for(name):
        ecoli = name in ecoli_names
        jobs = {}
        for (k, seed), pairs in (ecoli_files if ecoli else test_files).items():
            jobs[("test", k, seed, "real")] = [p.real for p in pairs]
            jobs[("test", k, seed, "mutated")] = [p.mutated for p in pairs]
        if not ecoli:
            for k, pairs in valid_files.items():
                jobs[("valid", k, "real")] = [p.real for p in pairs]
                jobs[("valid", k, "mutated")] = [p.mutated for p in pairs]
        jobs[("held-out",)] = [g.sequence for g in (ecoli_test if ecoli else split.test)]
        speed = [g.sequence for g in (ecoli_test if ecoli else split.test)][:400]
        return jobs, speed

    longest = max(split.test, key=lambda g: len(g.sequence)).sequence
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(len(names) + 1) as pool:
        gene_job = None if args.skip_saturation else pool.apply_async(gene_model_saturation)
        pending = {name: pool.apply_async(score_model, (name, *jobs_for(name),
                                                        None if args.skip_saturation or name in ecoli_names
                                                        else longest))
                   for name in names}
        scores = {name: result.get() for name, result in pending.items()}
        report["saturation"] = {name: scores[name]["saturation"] for name in names if "saturation" in scores[name]}
        if gene_job is not None:
            gene = gene_job.get()
            report["saturation"][gene.pop("name")] = gene
    report["scoring_wall_seconds"] = round(time.perf_counter() - started, 1)

    def row_for(name, parts, weights=None):
        """Figures of a model, or of an ensemble of ``parts`` (member names) by averaging their totals."""
        members = [scores[p] for p in parts]
        w = np.full(len(members), 1 / len(members)) if weights is None else np.asarray(weights) / np.sum(weights)

        def get(key):
            return sum(wi * m[key][0] for wi, m in zip(w, members)), members[0][key][1]

        data = "E. coli" if parts[0] in ecoli_names else "human"
        row = {"data": data, "members": list(parts), "accuracy": {}}
        for k in args.ks:
            accs = [accuracies(get(("test", k, s, "real")), get(("test", k, s, "mutated"))) for s in args.seeds]
            row["accuracy"][str(k)] = {"perplexity": [round(a[0], 4) for a in accs],
                                       "probability": [round(a[1], 4) for a in accs],
                                       "perplexity_mean": round(float(np.mean([a[0] for a in accs])), 4),
                                       "probability_mean": round(float(np.mean([a[1] for a in accs])), 4)}
        t, n = get(("held-out",))
        row["held_out_perplexity"] = round(math.exp(-t.sum() / n.sum()), 4)
        # an ensemble runs its members one after the other
        row["genes_per_s"] = round(1 / sum(1 / m["speed"][0] for m in members), 1)
        row["genes_per_cpu_s"] = round(1 / sum(1 / m["speed"][1] for m in members), 1)
        return row

    for name in names:
        report["models"][name] = row_for(name, [name])

    # ---- the ensemble, chosen on validation pairs (never on the test pairs)
    best = None
    for size in range(2, len(human_names) + 1):
        for combo in itertools.combinations(sorted(human_names), size):
            accs = []
            for k in args.ks:
                real = tuple(np.mean([scores[n][("valid", k, "real")][i] for n in combo], axis=0) for i in (0, 1))
                mut = tuple(np.mean([scores[n][("valid", k, "mutated")][i] for n in combo], axis=0) for i in (0, 1))
                accs.append(accuracies(real, mut)[0])
            report["ensemble_choice"]["+".join(combo)] = round(float(np.mean(accs)), 4)
            if best is None or np.mean(accs) > best[0]:
                best = (float(np.mean(accs)), combo)
    for name in human_names:   # single models on the same validation pairs, for comparison
        accs = [accuracies(scores[name][("valid", k, "real")], scores[name][("valid", k, "mutated")])[0]
                for k in args.ks]
        report["ensemble_choice"][name] = round(float(np.mean(accs)), 4)
    if best is not None:
        label = "ensemble " + "+".join(best[1]) + " (chosen on validation)"
        if args.write_ensemble:
            from genoview.core.lm_models import write_card, write_metadata
            from genoview.core.models.lm_ensemble import write_ensemble

            folder = write_ensemble(args.write_ensemble, list(best[1]))
            label = f"{folder.name}: " + "+".join(best[1])
        report["models"][label] = row = row_for(label, best[1])
        if args.write_ensemble:
            write_metadata(folder, name=folder.name, architecture="lm-ensemble", task="language-model", default=True,
                           description="default language model: ensemble of " + ", ".join(best[1])
                                       + " (per-token log-probabilities averaged), chosen on validation pairs",
                           command="python bench/lm_bench.py " + " ".join(sys.argv[1:]),
                           data={"genes": str(HUMAN), **split.describe()},
                           metrics={"test": {"perplexity": row["held_out_perplexity"], "genes": len(split.test)},
                                    "test_pairs_accuracy": row["accuracy"]},
                           training={"criterion": "mean perplexity-rule accuracy on validation pairs "
                                                  f"({args.n} per K in {args.ks}, seed 101, validation genes)",
                                     "candidates": report["ensemble_choice"]})
            write_card(folder)

    # ---- the k-mer BERT's pseudo-log-likelihood: slow (2k + 1 passes a window), so a subset of the E. coli pairs
    if args.mlm and ecoli_files:
        from genoview.core.errors import GenoViewInputError
        from genoview.core.lm_models import load_language_model

        try:
            mlm = load_language_model(args.mlm)
        except GenoViewInputError as exc:
            print(f"masked LM skipped: {exc}", file=sys.stderr)
            mlm = None
        if mlm is not None:
            row = {"data": "E. coli", "accuracy": {}}
            t0, cpu, scored = time.perf_counter(), time.process_time(), 0

            def tot(seqs):
                lps = mlm.token_logprobs(seqs)
                return np.array([float(np.sum(lp)) for lp in lps]), np.array([len(lp) for lp in lps])

            for k in args.ks:
                pairs = ecoli_files[(k, args.seeds[0])][:args.mlm_n]
                acc = accuracies(tot([p.real for p in pairs]), tot([p.mutated for p in pairs]))
                scored += 2 * len(pairs)
                row["accuracy"][str(k)] = {"perplexity_mean": round(acc[0], 4), "probability_mean": round(acc[1], 4)}
            row["genes_per_s"] = round(scored / (time.perf_counter() - t0), 2)
            row["genes_per_cpu_s"] = round(scored / (time.process_time() - cpu), 2)
            t, n = tot([g.sequence for g in ecoli_test[:20]])
            row["held_out_perplexity"] = round(math.exp(-t.sum() / n.sum()), 4)
            row["note"] = f"first {args.mlm_n} pairs of seed {args.seeds[0]} per K; pseudo-perplexity on 20 test genes"
            report["models"][f"{mlm.name} (PLL; {args.mlm_n} pairs/K)"] = row

    # ---- the table
    ks = args.ks
    head = (f"{'model':<52} {'data':<7} {'PPL':>6} " + " ".join(f"{'ppl K=' + str(k):>8}" for k in ks) + " "
            + " ".join(f"{'prob K=' + str(k):>9}" for k in ks) + f" {'genes/s':>8} {'/cpu-s':>7}")
    print(head)
    print("-" * len(head))
    for name, row in report["models"].items():
        acc = row["accuracy"]
        print(f"{name[:52]:<52} {row['data']:<7} {row['held_out_perplexity']:>6.3f} "
              + " ".join(f"{acc[str(k)]['perplexity_mean']:>8.3f}" for k in ks) + " "
              + " ".join(f"{acc[str(k)]['probability_mean']:>9.3f}" for k in ks)
              + f" {row['genes_per_s']:>8.1f} {row['genes_per_cpu_s']:>7.1f}")
    print(f"accuracy: mean of seeds {args.seeds}, {args.n} pairs per file from held-out genes; PPL: held-out perplexity "
          f"({len(split.test)} human test genes / {len(ecoli_test)} E. coli test genes); pair files in {out_dir}")
    for name, s in report.get("saturation", {}).items():
        print(f"saturation mutagenesis, {s['bases']} bases x 3 substitutions, {name}: {s['seconds']:.1f} s wall, "
              f"{s['cpu_seconds']:.1f} s CPU")
    if best is not None:
        print("an ensemble's mutagenesis time is the sum of its members' times")
        print(f"ensemble chosen on validation pairs (mean perplexity-rule accuracy): {'+'.join(best[1])} "
              f"({best[0]:.4f}); OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}; "
              f"scoring {report['scoring_wall_seconds']:.0f} s wall")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
