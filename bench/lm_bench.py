"""Language-model benchmark: real vs mutated accuracy, held-out perplexity, scoring speed, mutagenesis time.

    OMP_NUM_THREADS=1 .venv/bin/python bench/lm_bench.py [--n 1000] [--out-dir /tmp/lm-bench] [--json out.json]

Human genes: GenoView's split of ../shared/data/human-genes/train_genes.csv.gz (split seed 0, near-copies moved
to training, see genoview/core/lm_data.split_genes); pair files are made from the held-out (test) genes exactly as
`genoview mutate --genes train_genes.csv.gz --held-out --max-changes K --n 1000 --seed S` writes them
(K = 1, 5, 10; S = 1, 2, 3; the files are left in --out-dir). The ensemble is chosen on pairs from the
*validation* genes (seeds 101, 102), never on the test pairs: members' weights, log-linear or linear combination,
and per-member prefix caches (genoview/core/lm_cache.py; alphas fitted on validation genes); --write-ensemble
saves that choice as a model folder. A second ensemble, the left-to-right models mixed with weights fitted by EM
on the validation genes, is a normalised language model (its perplexity is a true perplexity); --write-causal
saves it. Ensembles are computed from the members' per-token log-probabilities (each member scored once) by the
same function the shipped ensemble uses (genoview.core.lm.combine_logprobs). The E. coli language model is scored on pairs from the genes of the last
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


VALID_SEEDS = (101, 102)                  # validation pair files (validation genes); test files use --seeds
WEIGHT_GRID = (0.0, 0.5, 1.0, 2.0, 4.0)   # ensemble weights tried per member
# depth buckets of the causal mixture's gate (the forward n-gram's longest context held in training): chosen on
# validation genes (two halves, each fitted on the other: 3.505 / 3.508 against 3.611 / 3.614 with one vector)
GATE_EDGES = (8, 11, 13, 15, 17, 21)


def accuracies(real, mut):
    """(perplexity-rule, probability-rule) accuracy from (total, tokens) of real and mutated."""
    (rt, rn), (mt, mn) = real, mut
    return float(np.mean(rt / rn > mt / mn)), float(np.mean(rt > mt))


def score_file(cache_dir: Path, name: str, key: tuple, sequences: list, tag: str | None = None,
               code: Path | None = None) -> Path:
    """Where a model's per-token scores of one job are kept: named by model (or ``tag``), job and a hash of the
    model's weights, of the sequences and of ``code`` (a source file; a changed model, pair file or algorithm is
    never read back)."""
    import hashlib

    from genoview.core.models import resolve_model_dir

    digest = hashlib.sha1()
    if code is not None:
        digest.update(Path(code).read_bytes())
    directory = resolve_model_dir(name)
    for item in sorted(directory.glob("*")) if directory else []:
        if item.suffix in (".json", ".safetensors"):
            digest.update(item.name.encode() + item.read_bytes())
    digest.update("\n".join(sequences).encode())
    return cache_dir / f"{tag or name}-{'-'.join(map(str, key))}-{digest.hexdigest()[:16]}.npz"


def score_model(name: str, jobs: dict, speed_genes: list, saturation_gene: str | None = None,
                cache_dir: str | None = None) -> dict:
    """In a worker: load one model, per-token log-probabilities for every job's sequences (read back from
    ``cache_dir`` where an earlier run left them), its speed, and the time of a saturation mutagenesis of
    ``saturation_gene`` (every base x 3 substitutions)."""
    import torch

    torch.set_num_threads(1)
    from genoview.core.lm_models import load_language_model

    model = load_language_model(name)
    with_depths = hasattr(model, "logprobs_and_depths")    # n-gram models: the gate's feature too
    out = {"depths": {}}
    for key, sequences in jobs.items():
        # per-token log-probabilities, concatenated (float32): ensembles and caches need tokens, not totals
        path = score_file(Path(cache_dir), name, key, sequences) if cache_dir else None
        if path is not None and path.is_file():
            with np.load(path) as saved:
                if not with_depths or "depths" in saved:
                    out[key] = (saved["logprobs"], saved["lengths"])
                    if with_depths:
                        out["depths"][key] = saved["depths"]
                    continue
        if with_depths:
            lps, depths = model.logprobs_and_depths(sequences)
            out["depths"][key] = np.concatenate(depths).astype(np.int8)
        else:
            lps = model.token_logprobs(sequences)
        out[key] = (np.concatenate(lps).astype(np.float32), np.array([len(lp) for lp in lps]))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.stem + ".tmp.npz")
            np.savez(tmp, logprobs=out[key][0], lengths=out[key][1],
                     **({"depths": out["depths"][key]} if with_depths else {}))
            tmp.replace(path)
    out["reverse"] = bool(model.reverse)
    out["causal"] = bool(getattr(model, "causal", True))   # False: a score (masked-LM or bidirectional PLL)
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


def score_match(name: str, k: int, jobs: dict, cache_dir: str | None = None) -> dict:
    """In a worker: the match model (genoview/core/lm_match.py, seed length ``k``) over the training genes of
    n-gram model ``name``: per job, whether each token was the match's prediction and the match's state (what its
    log-probabilities need once the hit rates are fitted on validation genes)."""
    from genoview.core.lm import gene_tokens, to_gene_order
    from genoview.core.lm_match import MatchIndex, match_states
    from genoview.core.lm_models import load_language_model

    model = load_language_model(name)
    index = MatchIndex(model.train_tokens, k)
    reverse = bool(model.reverse)

    def run(sequences):
        hits, states, lengths = [], [], []
        for g in sequences:
            targets = gene_tokens(g, reverse)[1:].astype(np.int64) - 1
            preds, st = match_states(targets, index)
            hits.append(to_gene_order(preds == targets, reverse))
            states.append(to_gene_order(st, reverse))
            lengths.append(len(targets))
        return np.concatenate(hits), np.concatenate(states).astype(np.int8), np.array(lengths)

    out = {"reverse": reverse, "hits": {}, "states": {}, "lengths": {}}
    for key, sequences in jobs.items():
        path = (score_file(Path(cache_dir), name, key, sequences, tag=f"{name}-match{k}",
                           code=ROOT / "genoview" / "core" / "lm_match.py") if cache_dir else None)
        if path is not None and path.is_file():
            with np.load(path) as saved:
                out["hits"][key], out["states"][key], out["lengths"][key] = (saved["hits"], saved["states"],
                                                                             saved["lengths"])
            continue
        out["hits"][key], out["states"][key], out["lengths"][key] = run(sequences)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.stem + ".tmp.npz")
            np.savez(tmp, hits=out["hits"][key], states=out["states"][key], lengths=out["lengths"][key])
            tmp.replace(path)
    started, cpu = time.perf_counter(), time.process_time()
    run(jobs[("held-out",)][:400])
    n = len(jobs[("held-out",)][:400])
    out["speed"] = (n / (time.perf_counter() - started), n / max(time.process_time() - cpu, 1e-9))
    print(f"... match model over {name} scored", file=sys.stderr, flush=True)
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
    genome = None
    if getattr(gene_model, "whole_sequence", False):   # GeneORF reads the whole genome (bench/satmut_bench.py)
        from genoview.core.genome import encode
        from genoview.core.variant_effects import GenomeContext

        genome = GenomeContext({record.id: encode(record.fetch(0, record.length))}, record.id, start, start + 1000)
    cpu = time.process_time()
    result = saturation_gene_model(gene_model, text[ctx:ctx + 1000], flank_left=text[:ctx],
                                   flank_right=text[ctx + 1000:], genome=genome)
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
    parser.add_argument("--relatives", type=int, default=0,
                        help="n-gram members also as candidates that read each gene's N nearest training genes "
                             "first (0: none)")
    parser.add_argument("--score-cache", metavar="DIR",
                        help="keep each model's per-token scores of each job here and reuse them in later runs "
                             "(keyed by the model's files and the sequences)")
    parser.add_argument("--write-causal", metavar="DIR",
                        help="save the left-to-right mixture (weights by EM on validation genes) as a model folder")
    parser.add_argument("--write-causal-rev", metavar="DIR",
                        help="save the right-to-left gated mixture (with --match) as a model folder")
    parser.add_argument("--match", type=int, default=0, metavar="K",
                        help="also match models (genoview/core/lm_match.py, seed length K) over each n-gram model's "
                             "training genes, as ensemble members and gated by their state in the causal mixtures "
                             "(0: none)")
    args = parser.parse_args(argv)

    from genoview.core.lm import COMBINE_MODES, combine_logprobs
    from genoview.core.lm_gate import fit_gate, gate_buckets, gated_logprobs
    from genoview.core.lm_match import N_STATES, hit_logprobs, hit_rates, match_config
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
    report = {"split": split.describe(), "models": {}, "ensemble_choice": {}, "cache_fit": {}}

    def pair_files(genes, tag):
        files = {}
        for k in args.ks:
            for seed in args.seeds:
                pairs = make_pairs(genes, args.n, k, seed)
                write_pairs(out_dir / f"{tag}-K{k}-seed{seed}.csv", pairs)
                files[(k, seed)] = pairs
        return files

    valid_files = {(k, seed): make_pairs(split.valid, args.n, k, seed) for k in args.ks for seed in VALID_SEEDS}
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
            for (k, seed), pairs in valid_files.items():
                jobs[("valid", k, seed, "real")] = [p.real for p in pairs]
                jobs[("valid", k, seed, "mutated")] = [p.mutated for p in pairs]
            jobs[("valid-genes",)] = [g.sequence for g in split.valid]
        jobs[("held-out",)] = [g.sequence for g in (ecoli_test if ecoli else split.test)]
        speed = [g.sequence for g in (ecoli_test if ecoli else split.test)][:400]
        return jobs, speed

    longest = max(split.test, key=lambda g: len(g.sequence)).sequence
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(len(names) + 1 + (2 if args.match else 0)) as pool:
        gene_job = None if args.skip_saturation else pool.apply_async(gene_model_saturation)
        pending = {name: pool.apply_async(score_model, (name, *jobs_for(name),
                                                        None if args.skip_saturation or name in ecoli_names
                                                        else longest, args.score_cache))
                   for name in names}
        match_sources = [n for n in human_names if n.startswith("kn-")] if args.match else []
        match_pending = {n: pool.apply_async(score_match, (n, args.match, jobs_for(n)[0], args.score_cache))
                         for n in match_sources}
        scores = {name: result.get() for name, result in pending.items()}
        match_raw = {n: result.get() for n, result in match_pending.items()}
        report["saturation"] = {name: scores[name]["saturation"] for name in names if "saturation" in scores[name]}
        if gene_job is not None:
            gene = gene_job.get()
            report["saturation"][gene.pop("name")] = gene
    report["scoring_wall_seconds"] = round(time.perf_counter() - started, 1)

    def totals(entry):
        flat, lengths = entry
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        return np.add.reduceat(np.asarray(flat, np.float64), offsets), lengths

    def combined(parts, key, weights, combine, gate=None):
        """The ensemble's (flat log-probs, lengths) of one job, by the shipped ensemble's own combination
        (``gate``: (table, the gate member's depths by job, edges) for a depth-gated mixture)."""
        if gate is not None:
            table, depths, edges, states = gate
            buckets = gate_buckets(depths[key], edges, None if states is None else states[key])
            flat = gated_logprobs([[p[key][0]] for p in parts], [buckets], table)[0]
            return flat, parts[0][key][1]
        if len(parts) == 1:
            return parts[0][key]
        flat = combine_logprobs([[p[key][0]] for p in parts], weights, combine)[0]
        return flat, parts[0][key][1]

    def mean_valid_accuracy(parts, weights, combine):
        accs = []
        for k in args.ks:
            accs.append(np.mean([accuracies(totals(combined(parts, ("valid", k, s, "real"), weights, combine)),
                                            totals(combined(parts, ("valid", k, s, "mutated"), weights, combine)))[0]
                                 for s in VALID_SEEDS]))
        return float(np.mean(accs))

    def row_for(parts, speeds, weights=None, combine="loglinear", data="human", gate=None):
        """Figures of a model (one part) or an ensemble of parts (score dicts) combined as shipped."""
        w = np.ones(len(parts)) if weights is None else np.asarray(weights, float)
        row = {"data": data, "accuracy": {}}
        for k in args.ks:
            accs = [accuracies(totals(combined(parts, ("test", k, s, "real"), w, combine, gate)),
                               totals(combined(parts, ("test", k, s, "mutated"), w, combine, gate)))
                    for s in args.seeds]
            row["accuracy"][str(k)] = {"perplexity": [round(a[0], 4) for a in accs],
                                       "probability": [round(a[1], 4) for a in accs],
                                       "perplexity_mean": round(float(np.mean([a[0] for a in accs])), 4),
                                       "probability_mean": round(float(np.mean([a[1] for a in accs])), 4)}
        flat, _ = combined(parts, ("held-out",), w, combine, gate)
        row["held_out_perplexity"] = round(math.exp(-float(np.mean(flat))), 4)
        # an ensemble runs its members one after the other
        row["genes_per_s"] = round(1 / sum(1 / s[0] for s in speeds), 1)
        row["genes_per_cpu_s"] = round(1 / sum(1 / s[1] for s in speeds), 1)
        return row

    for name in names:
        report["models"][name] = row_for([scores[name]], [scores[name]["speed"]],
                                         data="E. coli" if name in ecoli_names else "human")
        if not scores[name].get("causal", True):
            report["models"][name]["perplexity_is_true"] = False   # a pseudo-perplexity (a score)

    def split_flat(entry):
        flat, lengths = entry
        return np.split(np.asarray(flat, np.float64), np.cumsum(lengths)[:-1])

    # ---- prefix caches (alphas fitted on validation genes' perplexity) for every human model
    from genoview.core.lm_cache import cache_logprobs, fit_cache

    cached = {}
    for name in human_names:
        jobs, _ = jobs_for(name)
        reverse = scores[name]["reverse"]
        fit = fit_cache(split_flat(scores[name][("valid-genes",)]), jobs[("valid-genes",)], reverse)
        report["cache_fit"][name] = fit
        entry = {"reverse": reverse, "speed": scores[name]["speed"]}
        for key, seqs in jobs.items():
            lps = cache_logprobs(split_flat(scores[name][key]), seqs, reverse, fit["contexts"], fit["alphas"])
            entry[key] = (np.concatenate(lps).astype(np.float32), scores[name][key][1])
        cached[name] = entry
        print(f"... {name} cached: validation perplexity {fit['base_perplexity']} -> {fit['cached_perplexity']}",
              file=sys.stderr, flush=True)

    # ---- n-gram models with their genes' nearest training relatives read first (a score, not a causal model)
    from genoview.core.lm_cache import RelativeIndex
    from genoview.core.lm_models import load_language_model

    relative_members = {}
    index = None
    for name in human_names if args.relatives > 0 else []:
        model = load_language_model(name)
        if getattr(model, "train_tokens", None) is None:
            continue
        started_rel = time.perf_counter()
        if index is None:   # every human n-gram model holds the same training genes
            index = RelativeIndex.from_token_arrays(model.train_tokens, model.reverse, top=args.relatives)
        jobs, _ = jobs_for(name)
        reverse = scores[name]["reverse"]
        relatives = {key: [index.nearest(g) for g in seqs] for key, seqs in jobs.items()}
        fit = fit_cache(split_flat(scores[name][("valid-genes",)]), jobs[("valid-genes",)], reverse,
                        contexts=(4, 6, 8, 10, 12), relatives=relatives[("valid-genes",)])
        label = f"{name}+relatives"
        report["cache_fit"][label] = {**fit, "relatives": {"top": args.relatives, "k": index.k}}
        entry = {"reverse": reverse, "speed": scores[name]["speed"], "base": name, "relatives": True}
        for key, seqs in jobs.items():
            lps = cache_logprobs(split_flat(scores[name][key]), seqs, reverse, fit["contexts"], fit["alphas"],
                                 relatives[key])
            entry[key] = (np.concatenate(lps).astype(np.float32), scores[name][key][1])
        rate = sum(len(v) for v in jobs.values()) / (time.perf_counter() - started_rel)
        entry["speed"] = tuple(1 / (1 / v + 1 / rate) for v in scores[name]["speed"])
        relative_members[label] = entry
        print(f"... {label}: validation score-perplexity {fit['base_perplexity']} -> {fit['cached_perplexity']} "
              f"({rate:.0f} genes/s for the cache)", file=sys.stderr, flush=True)
    scores.update(relative_members)
    for label, entry in relative_members.items():
        report["models"][label] = {**row_for([entry], [entry["speed"]]), "perplexity_is_true": False}
    cached.update(relative_members)    # already cached: the same entry in both candidate sets
    human_names = human_names + list(relative_members)

    # ---- match models (copy experts): hit rate per state fitted on the validation genes
    match_members = {}
    for source, raw in match_raw.items():
        hit = hit_rates(raw["states"][("valid-genes",)], raw["hits"][("valid-genes",)])
        label = f"match-{source}"
        entry = {"reverse": raw["reverse"], "speed": raw["speed"], "source": source, "hit": hit, "k": args.match,
                 "states": {}}
        for key in raw["states"]:
            entry[key] = (hit_logprobs(raw["hits"][key], raw["states"][key], hit).astype(np.float32),
                          raw["lengths"][key])
            entry["states"][key] = raw["states"][key]
        match_members[label] = entry
        report["cache_fit"][label] = {"match": match_config(0, args.match, hit)}
    scores.update(match_members)
    cached.update(match_members)
    for label, entry in match_members.items():
        report["models"][label] = row_for([entry], [entry["speed"]])
    human_names = human_names + list(match_members)

    # ---- the ensemble, chosen on validation pairs (never on the test pairs): members' weights by coordinate
    # ascent from equal weights, for each combination (log-linear, linear) with and without the caches
    best = None
    members = sorted(human_names)
    for combine in COMBINE_MODES:
        for use_cache in (False, True):
            parts = [(cached if use_cache else scores)[n] for n in members]
            w = [1.0] * len(members)
            value = mean_valid_accuracy(parts, w, combine)
            for _sweep in range(2):
                for i in range(len(members)):
                    for v in WEIGHT_GRID:
                        trial = list(w)
                        trial[i] = v
                        if trial == w or sum(trial) == 0:
                            continue
                        acc = mean_valid_accuracy(parts, trial, combine)
                        if acc > value + 1e-9:
                            value, w = acc, trial
            tag = f"{combine}{'+cache' if use_cache else ''}"
            report["ensemble_choice"][tag] = {"weights": dict(zip(members, w)), "valid_accuracy": round(value, 4)}
            print(f"... ensemble {tag}: validation accuracy {value:.4f} weights {w}", file=sys.stderr, flush=True)
            if best is None or value > best["value"]:
                best = {"value": value, "combine": combine, "cache": use_cache, "weights": w}
    for name in members:   # single models on the same validation pairs, for comparison
        report["ensemble_choice"][name] = round(mean_valid_accuracy([scores[name]], [1.0], "loglinear"), 4)

    def document_folder(folder, default, describe, row, training):
        """genoview.json and the model card of an ensemble folder this run wrote (``row``: its test figures)."""
        from genoview.core.lm_models import write_card, write_metadata

        write_metadata(folder, name=folder.name, architecture="lm-ensemble", task="language-model",
                       default=default, description=f"{'default language model: ' if default else ''}{describe}",
                       command="python bench/lm_bench.py " + " ".join(sys.argv[1:]),
                       data={"genes": str(HUMAN), **split.describe()},
                       metrics={"test": {"perplexity": row["held_out_perplexity"], "genes": len(split.test)},
                                "test_pairs_accuracy": row["accuracy"]},
                       training=training)
        write_card(folder)

    def ensemble_row(label, chosen, describe, folder_arg, default):
        kept = [members[i] for i, v in enumerate(chosen["weights"]) if v > 0]
        plain = [n for n in kept if n not in match_members]
        matches = [n for n in kept if n in match_members]
        for n in matches:          # a match model reads its n-gram's training genes: that member loads too
            if match_members[n]["source"] not in plain:
                plain.append(match_members[n]["source"])
        names_kept = plain + matches
        keep = [members.index(n) for n in names_kept]
        weights = [chosen["weights"][i] for i in keep]
        source = cached if chosen["cache"] else scores

        def cache_of(n):
            fit = report["cache_fit"][n]
            if n in relative_members:
                return {"contexts": fit["contexts"], "alphas": fit["alphas"], "relatives": fit["relatives"]}
            return {"contexts": fit["contexts"], "alphas": fit["alphas"]} if chosen["cache"] else None

        caches = [cache_of(n) for n in plain]
        folder_members = [relative_members[n]["base"] if n in relative_members else n for n in plain]
        folder_match = [match_config(plain.index(match_members[n]["source"]), match_members[n]["k"],
                                     match_members[n]["hit"]) for n in matches] or None
        gate = chosen.get("gate")
        states = gate.get("states") if gate is not None else None
        row = row_for([source[n] for n in names_kept], [scores[n]["speed"] for n in names_kept], weights,
                      chosen["combine"], gate=None if gate is None else
                      (np.asarray(gate["table"])[:, keep], scores[gate["member"]]["depths"], gate["edges"],
                       None if states is None else match_members[states]["states"]))
        row.update({"members": names_kept, "weights": weights, "combine": chosen["combine"], "cache": caches})
        folder_gate = None
        if gate is not None:
            folder_gate = {"member": names_kept.index(gate["member"]), "edges": list(gate["edges"]),
                           "weights": np.round(np.asarray(gate["table"])[:, keep], 5).tolist()}
            if states is not None:
                folder_gate["states"] = names_kept.index(states)
            row["gate"] = {k: v for k, v in folder_gate.items() if k != "weights"}
        if folder_match:
            row["match"] = [{k: v for k, v in m.items() if k != "hit"} for m in folder_match]
        directions = {scores[n]["reverse"] for n in names_kept}
        # a mixture of same-direction models is a distribution; a geometric mean, mixed directions or relatives
        # chosen from the whole sequence: a score
        row["perplexity_is_true"] = ((len(names_kept) == 1 or (chosen["combine"] == "linear" and len(directions) == 1))
                                     and not any(n in relative_members for n in names_kept)
                                     and all(scores[n].get("causal", True) for n in names_kept))
        if folder_arg:
            from genoview.core.models.lm_ensemble import write_ensemble

            folder = write_ensemble(folder_arg, folder_members, weights, chosen["combine"], caches, folder_gate,
                                    folder_match)
            label = f"{folder.name}: {describe}"
            document_folder(folder, default, describe, row,
                            {"criterion": chosen["criterion"], "members": folder_members, "weights": weights,
                             "combine": chosen["combine"], "cache": caches,
                             **({"gate": folder_gate} if folder_gate else {}),
                             **({"match": folder_match} if folder_match else {}),
                             "candidates": report.get(chosen.get("candidates", "ensemble_choice"))})
        report["models"][label] = row
        return label

    if best is not None:
        best["criterion"] = (f"mean perplexity-rule accuracy on validation pairs ({args.n} per K in {args.ks}, seeds "
                             f"{VALID_SEEDS}, validation genes): weights by coordinate ascent over {WEIGHT_GRID}, "
                             "combination and caches chosen the same way")
        describe = (f"ensemble ({best['combine']}{', prefix caches' if best['cache'] else ''}) of "
                    + ", ".join(f"{members[i]} x{v:g}" for i, v in enumerate(best["weights"]) if v > 0)
                    + ", chosen on validation pairs")

    # ---- true language models: one reading direction's members (with caches) mixed, weights by EM on validation
    # genes, globally and per depth bucket of the n-gram (x the match model's state, with --match)
    gated_parts = {}
    for reverse in (False, True):
        # causal members only: a bidirectional or masked-LM pseudo-log-likelihood is a score, not a language model
        same = [n for n in members if scores[n]["reverse"] == reverse and n not in relative_members
                and scores[n].get("causal", True)]
        folder_arg = args.write_causal_rev if reverse else args.write_causal
        if len(same) < 2 or (reverse and not args.match):
            continue
        side = "right-to-left" if reverse else "left-to-right"
        probs = np.exp(np.stack([np.asarray(cached[n][("valid-genes",)][0], np.float64) for n in same]))
        w = np.full(len(same), 1 / len(same))
        for _ in range(200):
            r = w[:, None] * probs
            r /= r.sum(axis=0)
            w = r.mean(axis=1)
        w = [round(float(v), 4) for v in w]
        valid_ppl = {"global": round(math.exp(-float(np.mean(np.log(np.asarray(w) @ probs)))), 4)}
        tag = "causal_choice_rev" if reverse else "causal_choice"
        chosen = {"combine": "linear", "cache": True, "weights": [w[same.index(n)] if n in same else 0.0
                                                                  for n in members],
                  "criterion": f"mixture weights of the {side} models (with prefix caches) by EM on the "
                               "validation genes' per-token probabilities (maximum likelihood)",
                  "candidates": tag}
        gate_member = next((n for n in same if "depths" in scores[n] and scores[n]["depths"]), None)
        state_member = next((n for n in same if n in match_members), None)
        gated = None
        if gate_member is not None:
            buckets = gate_buckets(scores[gate_member]["depths"][("valid-genes",)], GATE_EDGES,
                                   match_members[state_member]["states"][("valid-genes",)] if state_member else None)
            n_buckets = (len(GATE_EDGES) + 1) * (N_STATES if state_member is not None else 1)
            table = fit_gate(list(np.log(probs)), buckets, n_buckets)
            flat = gated_logprobs([[lp] for lp in np.log(probs)], [buckets], table)[0]
            valid_ppl["gated"] = round(math.exp(-float(np.mean(flat))), 4)
            full = np.zeros((len(table), len(members)))
            full[:, [members.index(n) for n in same]] = table
            by = f"depth bucket of {gate_member}" + (f" x state of {state_member}" if state_member else "")
            with_match = ", a match model" if state_member else ""
            gated = {**chosen, "weights": [1.0 if n in same else 0.0 for n in members],
                     "gate": {"member": gate_member, "edges": list(GATE_EDGES), "table": full.tolist(),
                              **({"states": state_member} if state_member else {})},
                     "criterion": f"mixture weights of the {side} models (with prefix caches{with_match}) "
                                  f"per {by} (bucket edges {list(GATE_EDGES)} of its longest context held in "
                                  "training), by EM on the validation genes' per-token probabilities (maximum "
                                  "likelihood), chosen over one global weight vector on validation perplexity"}
        report[tag] = {"validation_perplexity": valid_ppl, "global_weights": dict(zip(same, w))}
        print(f"... {side} mixture validation perplexity {valid_ppl}", file=sys.stderr, flush=True)
        use_gate = gated is not None and valid_ppl["gated"] < valid_ppl["global"]
        ensemble_row(f"{side} mixture (EM on validation genes)", chosen,
                     f"mixture of {side} models with prefix caches (a normalised language model: its "
                     "perplexity is a true perplexity), weights by EM on validation genes",
                     None if use_gate else folder_arg, False)
        if gated is not None:
            label = ensemble_row(f"{side} mixture gated by n-gram depth{' x match state' if state_member else ''}",
                                 gated,
                                 f"mixture of {side} models with prefix caches{with_match}, "
                                 f"one weight vector per {by} (a normalised language model: its "
                                 "perplexity is a true perplexity), weights by EM on validation genes",
                                 folder_arg if use_gate else None, False)
            if use_gate:
                keep = [i for i, v in enumerate(gated["weights"]) if v > 0]
                gate_spec = (np.asarray(gated["gate"]["table"])[:, keep],
                             scores[gate_member]["depths"], GATE_EDGES,
                             match_members[state_member]["states"] if state_member else None)
                parts = [cached[members[i]] for i in keep]
                entry = {key: combined(parts, key, None, "linear", gate_spec) for key in parts[0]
                         if isinstance(key, tuple)}
                gated_parts[reverse] = {"entry": entry, "label": label, "folder": folder_arg,
                                        "speed": [scores[members[i]]["speed"] for i in keep]}

    # ---- the default: the ensemble chosen on validation pairs, or the geometric mean of the two directions'
    # gated mixtures (each a normalised model) where that does better on the validation pairs
    pair = None
    if len(gated_parts) == 2:
        entries = [gated_parts[False]["entry"], gated_parts[True]["entry"]]
        value = mean_valid_accuracy(entries, [1.0, 1.0], "loglinear")
        report["ensemble_choice"]["gated pair (loglinear)"] = round(value, 4)
        print(f"... both directions' gated mixtures, log-linear: validation accuracy {value:.4f}", file=sys.stderr,
              flush=True)
        if best is None or value > best["value"]:
            pair = {"value": value, "entries": entries}
    if best is not None:
        best_label = ensemble_row("ensemble (chosen on validation)", best, describe,
                                  None if pair is not None else args.write_ensemble, pair is None)
    if pair is not None:
        folders = [gated_parts[False]["folder"], gated_parts[True]["folder"]]
        speeds = gated_parts[False]["speed"] + gated_parts[True]["speed"]
        row = row_for(pair["entries"], speeds, [1.0, 1.0], "loglinear")
        row["perplexity_is_true"] = False
        describe = ("geometric mean (log-linear, equal weights) of the left-to-right and the right-to-left gated "
                    "mixtures (n-gram, LSTM, GPT with prefix caches and a match model, weights per depth x match "
                    "state), chosen over the weighted ensemble on validation pairs")
        label = "both directions' gated mixtures (log-linear)"
        if args.write_ensemble and all(folders):
            from genoview.core.models.lm_ensemble import write_ensemble

            names_pair = [Path(f).name for f in folders]
            folder = write_ensemble(args.write_ensemble, names_pair, [1.0, 1.0], "loglinear")
            label = f"{folder.name}: {describe}"
            document_folder(folder, True, describe, row,
                            {"criterion": "mean perplexity-rule accuracy on validation pairs: "
                                          f"{pair['value']:.4f} against {best['value'] if best else 0:.4f} "
                                          "for the weighted ensemble",
                             "members": names_pair, "weights": [1.0, 1.0], "combine": "loglinear",
                             "candidates": report["ensemble_choice"]})
        row.update({"members": [gated_parts[False]["label"], gated_parts[True]["label"]], "combine": "loglinear"})
        report["models"][label] = row
        best_label, best = label, {"value": pair["value"]}

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
    head = (f"{'model':<52} {'data':<7} {'PPL':>6}  " + " ".join(f"{'ppl K=' + str(k):>8}" for k in ks) + " "
            + " ".join(f"{'prob K=' + str(k):>9}" for k in ks) + f" {'genes/s':>8} {'/cpu-s':>7}")
    print(head)
    print("-" * len(head))
    for name, row in report["models"].items():
        acc = row["accuracy"]
        mark = " " if row.get("perplexity_is_true", True) else "*"
        print(f"{name[:52]:<52} {row['data']:<7} {row['held_out_perplexity']:>6.3f}{mark}"
              + " ".join(f"{acc[str(k)]['perplexity_mean']:>8.3f}" for k in ks) + " "
              + " ".join(f"{acc[str(k)]['probability_mean']:>9.3f}" for k in ks)
              + f" {row['genes_per_s']:>8.1f} {row['genes_per_cpu_s']:>7.1f}")
    print(f"accuracy: mean of seeds {args.seeds}, {args.n} pairs per file from held-out genes; PPL: held-out perplexity "
          f"({len(split.test)} human test genes / {len(ecoli_test)} E. coli test genes); pair files in {out_dir}")
    print("PPL*: an ensemble mixing directions or averaging log-probabilities is a score, not a normalised "
          "model: its 'perplexity' is not comparable with a language model's")
    for name, s in report.get("saturation", {}).items():
        print(f"saturation mutagenesis, {s['bases']} bases x 3 substitutions, {name}: {s['seconds']:.1f} s wall, "
              f"{s['cpu_seconds']:.1f} s CPU")
    if best is not None:
        print("an ensemble's mutagenesis time is the sum of its members' times")
        print(f"ensemble chosen on validation pairs (mean perplexity-rule accuracy {best['value']:.4f}): "
              f"{best_label}; OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}; "
              f"scoring {report['scoring_wall_seconds']:.0f} s wall")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
