"""`genoview score-pairs`: how often language models prefer the real gene to its mutated copy."""
from __future__ import annotations

import argparse
import json


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "score-pairs", help="accuracy of language models at telling real genes from mutated copies",
        description="Score a pair file (as `genoview mutate` writes) with one or more language models. "
                    "--model a,b scores the ensemble of a and b (per-token log-probabilities averaged); repeat "
                    "--model to compare several. Rules: perplexity (real wins when its perplexity is lower) "
                    "and probability (real wins when its total log-likelihood is higher). Each accuracy comes with "
                    "its 95 % Wilson interval; with several models each is compared with the most accurate on the same "
                    "pairs (the pairs only one of the two gets right, McNemar's exact test).")
    p.add_argument("--model", action="append", metavar="NAME|DIR[,NAME...]",
                   help="language model(s) from `genoview models --task language-model`, or folders; a,b is an "
                        "ensemble; repeat to compare (default: the default language model, marked * there: pairs carry "
                        "no genome to tell a bacterium by; give --model kn-ecoli-genes for bacterial genes)")
    p.add_argument("--pairs", required=True, metavar="PAIRS.csv", help="pair file as `genoview mutate` writes")
    p.add_argument("--rule", choices=("perplexity", "probability"), default="perplexity",
                   help="how a pair is won (default perplexity; see above)")
    p.add_argument("--json", action="store_true", help='print {"accuracy", "ci95", "n", "rule", "model", ...} '
                                                       "(a list with several --model, each compared with the most "
                                                       "accurate: McNemar's exact p)")
    p.add_argument("--out", metavar="SCORES.csv", help="write per-pair scores (both rules) here (CSV); its last column, "
                        "mean_logprob_mutated_minus_real, is below 0 when the real gene wins (a new column: "
                        "CHANGELOG.md)")
    p.add_argument("--device", default=None, help="auto (default), cpu, cuda, cuda:N or mps")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from genoview.core.jobs import TextProgressBar
    from genoview.core.lm_models import load_language_model
    from genoview.core.lm_scoring import compare_paired, score_pairs_recorded
    from genoview.core.mutation import read_pairs

    from genoview.core.prediction import check_outputs

    if not args.model:
        from genoview.cli import default_language_model

        args.model = [default_language_model("score-pairs")]
    outs = []
    if args.out:
        out = Path(args.out)
        outs = [out.with_name(f"{out.stem}.{k + 1}{out.suffix}") for k in range(len(args.model))] \
            if len(args.model) > 1 else [out]
        check_outputs({"scores (--out)" + (f" {k + 1}" if len(outs) > 1 else ""): path
                       for k, path in enumerate(outs)}, [args.pairs], no_genomes=True)   # nor the pairs read
    pairs = read_pairs(args.pairs)
    from genoview.core.store import open_store, writable_or_warn

    # each model's scoring is recorded (`genoview runs`): a store that cannot be written is said now (once), not after
    # the minutes of loading a model; the pairs are scored and written all the same, unrecorded
    writable_or_warn(open_store())
    results, all_scores = [], []
    for k, name in enumerate(args.model):
        trained_on = _warn_training_pairs(name, pairs)
        model = load_language_model(name, args.device)
        # on standard error with --json too (as predict and evaluate): 1000 pairs under lm-human-genes took ~2 min on
        # a laptop's CPU with nothing on the screen; the JSON on standard output stays clean
        bar = TextProgressBar(f"scoring with {model.name}")
        # one run per model in `genoview runs` (as predict's), its heartbeat beaten by the progress bar's calls
        scores = score_pairs_recorded(model, pairs, {"pairs": str(args.pairs), "rule": args.rule,
                                                     "out": str(outs[k]) if outs else None, "device": args.device},
                                      args.rule, progress=bar)
        if outs:
            scores.write_csv(outs[k])
        low, high = scores.interval(args.rule)
        all_scores.append(scores)
        results.append({"model": model.name, "rule": args.rule, "accuracy": round(scores.accuracy(args.rule), 4),
                        "n": len(pairs), "accuracy_perplexity": round(scores.accuracy("perplexity"), 4),
                        "accuracy_probability": round(scores.accuracy("probability"), 4),
                        "ci95": [round(low, 4), round(high, 4)], "ties": scores.ties(args.rule),
                        "training_gene_pairs": trained_on})
    # several models on one pair file: each against the most accurate, paired (McNemar's exact test on the pairs only
    # one of the two gets right); two accuracies 0.715 and 0.72 on 200 pairs were read as a ranking
    comparisons = []
    if len(all_scores) > 1:
        best = max(range(len(all_scores)), key=lambda k: all_scores[k].accuracy(args.rule))
        for k, scores in enumerate(all_scores):
            if k != best:
                c = compare_paired(all_scores[best], scores, args.rule)
                comparisons.append(c)
                results[k]["compared_with"] = {"model": c.first, "right_only_by_it": c.only_first,
                                               "right_only_by_this": c.only_second, "mcnemar_p": c.p_value}
    if args.json:
        print(json.dumps(results[0] if len(results) == 1 else results, indent=1))
    else:
        print(f"{'model':<40} {'rule':<12} {'accuracy':>8} {'95% CI':>15} {'n':>6}")
        for r in results:
            ci = f"{r['ci95'][0]:.3f}-{r['ci95'][1]:.3f}"
            print(f"{r['model']:<40} {r['rule']:<12} {r['accuracy']:>8.4f} {ci:>15} {r['n']:>6}")
        print("95% CI: Wilson interval of the accuracy (a tie counts as wrong"
              + (f"; {sum(r['ties'] for r in results)} tie(s))" if any(r['ties'] for r in results) else ")"))
        for c in comparisons:
            print(f"paired: {c.describe()}")
    return 0


def _warn_training_pairs(name: str, pairs) -> int | None:
    """Say on stderr how many pairs are genes the model was trained on (their verdicts are memorised): the README's
    `genoview mutate --genes genes.csv.gz` made pairs of all 4,577 genes, 3,678 of them lm-human-genes' training genes,
    and score-pairs then gave 0.980 on 200 such pairs (K = 5, seed 1) without a word, 0.795 on 200 --held-out pairs.
    Returns the count (None when the model's card does not record its training genes)."""
    from genoview.core.lm_training_overlap import training_pairs, training_pairs_warning

    found = training_pairs(name, [p.real for p in pairs])
    if found is None:
        return None
    count, training = found
    if count:
        from genoview.cli import say_warning

        say_warning("score-pairs", training_pairs_warning(
            name, count, len(pairs), training, "`genoview mutate --genes FILE --held-out` makes pairs of the genes it "
            "never saw"))
    return count
