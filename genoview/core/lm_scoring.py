"""Real vs mutated verdicts of language models: the study's two rules over pair files.

- perplexity rule: correct when PPL(real) < PPL(mutated) (per-token mean, the end of the gene included);
- probability rule: correct when the total log-likelihood of real > mutated (no length normalisation).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, ensure_progress, wrap_progress
from genoview.core.lm import LanguageModel
from genoview.core.mutation import Pair

RULES = ("perplexity", "probability")


@dataclass
class PairScores:
    """Per pair: total log-probabilities and predicted-token counts of real and mutated."""

    model: str
    gene_ids: list[str]
    real_total: np.ndarray
    real_tokens: np.ndarray
    mutated_total: np.ndarray
    mutated_tokens: np.ndarray
    # how many pairs are the model's own training genes, in lm_training_overlap.training_pairs_warning's words
    # ("" when none or unknown): the window's Batch tab shows it above the histogram
    training_note: str = ""

    def difference(self, rule: str) -> np.ndarray:
        """Mutated minus real (the variant-effect sign, as the heat map and variant-effects): mean log-prob
        (= -log PPL) for the perplexity rule, total for probability. Below 0 the real sequence wins."""
        check_rule(rule)
        if rule == "perplexity":
            return self.mutated_total / self.mutated_tokens - self.real_total / self.real_tokens
        return self.mutated_total - self.real_total

    def correct(self, rule: str) -> np.ndarray:
        return self.difference(rule) < 0

    def accuracy(self, rule: str) -> float:
        return float(self.correct(rule).mean()) if len(self.gene_ids) else float("nan")

    def interval(self, rule: str) -> tuple[float, float]:
        """95 % Wilson interval of the accuracy: how far it may be from the model's accuracy on all such pairs."""
        return wilson_interval(int(self.correct(rule).sum()), len(self.gene_ids))

    def ties(self, rule: str) -> int:
        """Pairs the model scores equal (counted wrong: a copy whose edits undo each other is the real gene)."""
        return int(np.sum(self.difference(rule) == 0))

    def write_csv(self, path: str | Path) -> None:
        path = Path(path)
        tmp = path.with_name(f".{path.name}.tmp")
        from genoview.core.io.gz import text_out

        try:   # scores.csv.gz: gzip, as named (its header naming scores.csv, not this temporary file)
            with text_out(tmp, path) as handle:
                w = csv.writer(handle)
                # the last column: the variant-effect sign (mutated minus real; below 0 the mutated copy is less
                # likely, the real one wins), as the Batch tab's histogram, the heat map and variant-effects
                w.writerow(["NCBIGeneID", "model", "real_logprob", "mutated_logprob", "real_tokens", "mutated_tokens",
                            "real_perplexity", "mutated_perplexity", "correct_perplexity", "correct_probability",
                            "mean_logprob_mutated_minus_real"])
                cp, cq = self.correct("perplexity"), self.correct("probability")
                per_token = self.difference("perplexity")
                for i, gid in enumerate(self.gene_ids):
                    w.writerow([gid, self.model, f"{self.real_total[i]:.6f}", f"{self.mutated_total[i]:.6f}",
                                int(self.real_tokens[i]), int(self.mutated_tokens[i]),
                                f"{np.exp(-self.real_total[i] / self.real_tokens[i]):.6f}",
                                f"{np.exp(-self.mutated_total[i] / self.mutated_tokens[i]):.6f}", int(cp[i]), int(cq[i]),
                                f"{per_token[i]:.6f}"])
        except BaseException:   # failed or interrupted: the earlier file stays and no temporary file is left
            tmp.unlink(missing_ok=True)
            raise
        tmp.replace(path)


def wilson_interval(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion (right at 0 and n, unlike the normal approximation)."""
    if n == 0:
        return float("nan"), float("nan")
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, float(centre - half)), min(1.0, float(centre + half))


@dataclass(frozen=True)
class PairedComparison:
    """Two models on the same pairs: how many each alone got right, and McNemar's exact two-sided p-value (the
    binomial test of the discordant pairs), the test for two classifiers on one test set."""

    first: str
    second: str
    only_first: int
    only_second: int
    p_value: float

    def describe(self) -> str:
        return (f"{self.first} vs {self.second}: right only by {self.first} {self.only_first}, only by {self.second} "
                f"{self.only_second}; McNemar exact p = {self.p_value:.3g}"
                + (" (no evidence either is better on these pairs)" if self.p_value >= 0.05 else ""))


def mcnemar_exact(only_first: int, only_second: int) -> float:
    """Two-sided exact McNemar p-value: P(a Binomial(b + c, 1/2) at least as far from its centre)."""
    from math import comb

    n = only_first + only_second
    if n == 0:
        return 1.0
    k = min(only_first, only_second)
    tail = sum(comb(n, i) for i in range(k + 1)) / 2 ** n
    return float(min(1.0, 2 * tail))


def compare_paired(first: "PairScores", second: "PairScores", rule: str) -> PairedComparison:
    if first.gene_ids != second.gene_ids:
        raise GenoViewInputError("the two models' scores are of different pairs; compare them on one pair file")
    a, b = first.correct(rule), second.correct(rule)
    only_a, only_b = int(np.sum(a & ~b)), int(np.sum(b & ~a))
    return PairedComparison(first.model, second.model, only_a, only_b, mcnemar_exact(only_a, only_b))


def check_rule(rule: str) -> str:
    if rule not in RULES:
        raise GenoViewInputError(f"unknown rule {rule!r}; choose perplexity or probability")
    return rule


def score_pairs(model: LanguageModel, pairs: Sequence[Pair], progress: ProgressCallback | None = None,
                cancel: CancelToken | None = None, chunk: int = 500) -> PairScores:
    """Score every real and mutated sequence of the pairs (in chunks, so cancel is prompt)."""
    progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
    real_t, real_n, mut_t, mut_n = [], [], [], []
    for start in range(0, len(pairs), chunk):
        cancel.check()
        part = pairs[start:start + chunk]
        seqs = [p.real for p in part] + [p.mutated for p in part]
        lps = model.token_logprobs(seqs, progress=wrap_progress(progress, start / len(pairs),
                                                               min(1.0, (start + chunk) / len(pairs))),
                                   cancel=cancel)
        totals = np.array([float(np.sum(lp)) for lp in lps])
        counts = np.array([len(lp) for lp in lps])
        real_t.append(totals[:len(part)]); mut_t.append(totals[len(part):])
        real_n.append(counts[:len(part)]); mut_n.append(counts[len(part):])
    progress(1.0, None)
    return PairScores(model.name, [p.gene_id for p in pairs], np.concatenate(real_t), np.concatenate(real_n),
                      np.concatenate(mut_t), np.concatenate(mut_n))


def score_pairs_recorded(model: LanguageModel, pairs: Sequence[Pair], params: dict, rule: str = "perplexity",
                         progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
                         where: str = "") -> PairScores:
    """:func:`score_pairs` recorded as one ``score-pairs`` run (``genoview runs``): running with its heartbeat beaten
    by the progress, then its accuracies, or how it ended; `genoview score-pairs` and the window's Score pairs."""
    from genoview.core.jobs import recorded_run

    with recorded_run("score-pairs", model.name, {**params, "n": len(pairs)}) as recorded:
        scores = score_pairs(model, pairs, recorded.beating(progress), cancel)
        recorded.metrics = {"accuracy": scores.accuracy(rule), "accuracy_perplexity": scores.accuracy("perplexity"),
                            "accuracy_probability": scores.accuracy("probability"), "n": len(pairs)}
        recorded.message = f"accuracy {scores.accuracy(rule):.4f} ({rule}) on {len(pairs):,} pairs{where}"
    return scores
