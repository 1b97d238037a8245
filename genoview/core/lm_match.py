"""A match model ("copy expert"): the next base is the one that followed the same place in a training gene.

DNA compressors (XM, GeCo, cmix's match models) predict a base by finding an earlier occurrence of the last k
bases and copying what came next, trusting the copy by how well it has been doing. Human genes in the training
set have relatives among held-out genes (family members, pseudogenes and their parents) that agree over long
stretches with scattered substitutions. A Kneser-Ney n-gram loses its long context at each difference and needs
many bases to find it again; the match model keeps its place in the training gene through substitutions.

:class:`MatchLM` reads a gene in its reading direction. While no match is open, it looks up the last ``k`` bases
(a k-mer of bases only) in the training genes; at the first hit (the earliest occurrence) it opens a match at the
base after it. An open match predicts the training gene's next token (a base or the end of the gene) and moves on
one place whatever the gene holds (a substitution keeps the alignment); it closes when 4 or more of its last 8
predictions missed, or at the end of the training gene, and the model looks for a new seed. Its *state* before
each token summarises the open match: 0 none, otherwise from the number of predictions made (up to 16) and how
many of them hit. The probability of the predicted token is ``hit[state]`` (the hit rate of that state on
validation genes), the other four tokens share the rest; with no match every token gets 1/5. Everything depends
on the tokens before, so it is a normalised left-to-right (or right-to-left) model, and its state is what
:class:`~genoview.core.lm_gate.GatedMixtureLM` may gate on together with an n-gram's depth.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import ensure_cancel, ensure_progress
from genoview.core.lm import LanguageModel, gene_tokens, to_gene_order

WINDOW = 16                  # predictions the state looks back on
N_STATES = 1 + (WINDOW * 17) // (WINDOW + 1) + 20 + 1    # 0 = no match; see match_states
DEFAULT_K = 12
_END, _SEP = 4, 5            # target codes: A0 C1 G2 T3, end 4; 5 separates training genes


def _targets(tokens: np.ndarray) -> np.ndarray:
    """Token codes ``<bases>`` (reading order) -> the predicted targets A0..T3, end 4."""
    return np.asarray(tokens[1:], dtype=np.int64) - 1


def kmer_codes(targets: np.ndarray, k: int) -> np.ndarray:
    """Code of the k targets ending at each place (bases only), -1 where they are fewer or not all bases."""
    s = np.asarray(targets, dtype=np.int64)
    ok = s < 4
    code = np.zeros(s.size, dtype=np.int64)
    bad = np.zeros(s.size, dtype=bool)
    for shift in range(k):
        if shift:
            pad = min(shift, s.size)
            shifted = np.concatenate([np.zeros(pad, np.int64), s[:s.size - pad]])
            okj = np.concatenate([np.zeros(pad, bool), ok[:s.size - pad]])
        else:
            shifted, okj = s, ok
        code += np.where(okj, shifted, 0) << (2 * shift)
        bad |= ~okj
    return np.where(bad, -1, code)


class MatchIndex:
    """Training genes (token arrays in one reading order) concatenated, and where each k-mer first occurs."""

    def __init__(self, token_arrays: Sequence[np.ndarray], k: int = DEFAULT_K):
        if not 1 <= int(k) <= 30:
            raise GenoViewInputError("the match model's seed length k must be 1..30")
        self.k = int(k)
        pieces = []
        for tokens in token_arrays:
            pieces.append(_targets(tokens))
            pieces.append(np.array([_SEP], np.int64))
        self.text = np.concatenate(pieces) if pieces else np.array([_SEP], np.int64)
        codes = kmer_codes(self.text, self.k)
        places = np.flatnonzero(codes >= 0)
        places = places[np.argsort(codes[places], kind="stable")]     # ties: the earliest place first
        self.keys, self.places = codes[places], places

    @property
    def text_list(self) -> list:
        """The training text as a Python list (what the match loop indexes; made once: ~10 ms each time)."""
        if getattr(self, "_text_list", None) is None:
            self._text_list = self.text.tolist()
        return self._text_list

    def seeds(self, targets: np.ndarray) -> np.ndarray:
        """For each place of ``targets``: where a match seeded by the k-mer ending there starts predicting (the
        place after the k-mer's first occurrence in the training text), -1 if there is none."""
        codes = kmer_codes(targets, self.k)
        if not len(self.keys):
            return np.full(codes.size, -1, dtype=np.int64)
        lo = np.minimum(np.searchsorted(self.keys, codes), len(self.keys) - 1)
        return np.where((codes >= 0) & (self.keys[lo] == codes), self.places[lo] + 1, -1)


def match_states(targets: np.ndarray, index: MatchIndex) -> tuple[np.ndarray, np.ndarray]:
    """Per target (reading order): the match's predicted token (-1: no match) and its state (0..N_STATES-1)."""
    seq = np.asarray(targets, dtype=np.int64).tolist()
    preds, states = [-1] * len(seq), [0] * len(seq)
    _walk(seq, index.seeds(np.asarray(seq, np.int64)).tolist(), index.text_list, 0, (-1, 0, 0), preds, states)
    return np.asarray(preds, dtype=np.int64), np.asarray(states, dtype=np.int64)


def _walk(targets: list, seeds: list, text: list, start: int, state: tuple, preds: list, states: list,
          ref: list | None = None, shift: int = 0, settle: int = 0, record: list | None = None) -> int:
    """The match loop over places start.. of ``targets`` from ``state`` = (ptr, bits, count capped at WINDOW),
    writing ``preds`` / ``states`` (and, with ``record``, appending the state before each place and after the
    last). With ``ref`` = the reference's states before each place, it stops at the first place j >= ``settle``
    whose state equals the reference's at j + ``shift`` and returns j (all after is the reference's, shifted);
    else returns len(targets)."""
    window_mask = (1 << WINDOW) - 1
    ptr, bits, count = state
    n = len(targets)
    for i in range(start, n):
        if record is not None:
            record.append((ptr, bits, count))
        elif ref is not None and i >= settle and ref[i + shift] == (ptr, bits, count):
            return i
        if ptr >= 0 and text[ptr] != _SEP:
            pred = text[ptr]
            h = (bits & window_mask).bit_count()
            preds[i] = pred
            states[i] = 1 + (h * 17) // (count + 1) + (20 if count >= 8 else 0)
            bits = ((bits << 1) | (pred == targets[i])) & window_mask
            count = min(count + 1, WINDOW)
            ptr += 1
            if count >= 8 and (bits & 0xFF).bit_count() <= 3:
                ptr = -1
        else:
            ptr = -1
            preds[i], states[i] = -1, 0
        if ptr < 0 and seeds[i] >= 0:
            ptr, bits, count = seeds[i], 0, 0
    if record is not None:
        record.append((ptr, bits, count))
    return n


def hit_logprobs(hits: np.ndarray, states: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """log p of each target: hit[state] where the match predicted it (``hits``), (1 - hit[state]) / 4 else;
    1/5 where no match is open (state 0)."""
    states = np.asarray(states, dtype=np.int64)
    q = np.asarray(hit, dtype=np.float64)[states]
    p = np.where(np.asarray(hits, bool), q, (1.0 - q) / 4.0)
    return np.log(np.where(states == 0, 0.2, p))


def match_distributions(preds: np.ndarray, states: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """(targets, 5) log-probabilities of every token at each place: hit[state] for the match's prediction,
    (1 - hit[state]) / 4 for each other token, 1/5 each where no match is open (state 0)."""
    preds, states = np.asarray(preds, np.int64), np.asarray(states, np.int64)
    q = np.asarray(hit, dtype=np.float64)[states]
    values = np.repeat(((1.0 - q) / 4.0)[:, None], 5, axis=1)
    open_ = preds >= 0
    values[np.flatnonzero(open_), preds[open_]] = q[open_]
    values[states == 0] = 0.2
    return np.log(values)


def match_logprobs(targets: np.ndarray, preds: np.ndarray, states: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """:func:`hit_logprobs` of targets and the match's predictions."""
    return hit_logprobs(np.asarray(preds) == np.asarray(targets), states, hit)


def hit_rates(states: np.ndarray, hits: np.ndarray, floor: float = 0.01) -> np.ndarray:
    """hit[state] = the hit rate of each state (flat arrays of validation tokens), clipped to [floor, 1-floor];
    a state never seen gets 0.25 (about chance), state 0 (no match) 0.2."""
    states = np.asarray(states, dtype=np.int64)
    seen = np.bincount(states, minlength=N_STATES).astype(np.float64)
    hits = np.bincount(states, np.asarray(hits, np.float64), minlength=N_STATES)
    rate = np.divide(hits, seen, out=np.full(N_STATES, 0.25), where=seen > 0)
    rate[0] = 0.2
    return np.clip(rate, floor, 1.0 - floor)


def fit_hits(targets: Sequence[np.ndarray], index: MatchIndex, floor: float = 0.01) -> np.ndarray:
    """:func:`hit_rates` of the match model over ``targets`` (validation genes' target arrays)."""
    states, hits = [np.zeros(0, np.int64)], [np.zeros(0, bool)]
    for t in targets:
        preds, st = match_states(t, index)
        states.append(st)
        hits.append(preds == np.asarray(t))
    return hit_rates(np.concatenate(states), np.concatenate(hits), floor)


class MatchLM(LanguageModel):
    """The match model over an index of training genes (reading direction ``reverse``)."""

    def __init__(self, index: MatchIndex, hit, reverse: bool = False, name: str = "match"):
        hit = np.asarray(hit, dtype=np.float64)
        if hit.shape != (N_STATES,) or not ((hit > 0) & (hit < 1)).all():
            raise GenoViewInputError(f"match model: 'hit' needs {N_STATES} probabilities strictly between 0 and 1")
        self.index, self.hit, self.reverse, self.name = index, hit, bool(reverse), name
        self.k = index.k
        self.info = {"architecture": "match", "k": self.k, "window": WINDOW}

    def logprobs_and_states(self, genes, progress=None, cancel=None):
        """(log-probabilities, states) per gene, both in gene order (as ``token_logprobs``)."""
        return self._read(genes, progress, cancel, every_next=False)

    def token_logprobs(self, genes, progress=None, cancel=None):
        return self.logprobs_and_states(genes, progress, cancel)[0]

    def distributions_and_states(self, genes, progress=None, cancel=None):
        """((n + 1, 5) log-probabilities of every token at each slot, states) per gene, gene order."""
        return self._read(genes, progress, cancel, every_next=True)

    def _read(self, genes, progress, cancel, every_next: bool):
        progress, cancel = ensure_progress(progress), ensure_cancel(cancel)
        out, states = [], []
        for g, gene in enumerate(genes):
            if g % 64 == 0:
                cancel.check()
                progress(g / max(len(genes), 1), None)
            targets = _targets(gene_tokens(gene, self.reverse))
            preds, st = match_states(targets, self.index)
            if every_next:
                values = match_distributions(preds, st, self.hit)
            else:
                values = match_logprobs(targets, preds, st, self.hit)
            out.append(to_gene_order(values, self.reverse))
            states.append(to_gene_order(st, self.reverse))
        progress(1.0, None)
        return out, states

    def token_distributions(self, genes, progress=None, cancel=None):
        return self.distributions_and_states(genes, progress, cancel)[0]


def match_config(source: int, k: int, hit) -> dict:
    """The ``"match"`` entry of an ensemble folder's config.json (see :mod:`genoview.core.models.lm_ensemble`)."""
    return {"source": int(source), "k": int(k), "hit": [round(float(v), 6) for v in hit]}


def match_from_member(member: LanguageModel, k: int, hit, name: str | None = None) -> MatchLM:
    """A match model over the training genes an n-gram member holds (its reading direction)."""
    from genoview.core.lm_gate import _ngram_base

    base = _ngram_base(member)
    tokens = getattr(base, "train_tokens", None) if base is not None else None
    if tokens is None:
        raise GenoViewInputError(f"a match model reads the training genes of an n-gram member; {member.name} "
                                 "does not hold them")
    return MatchLM(MatchIndex(tokens, k), hit, base.reverse, name or f"match({member.name}, k={k})")


def match_perplexity(model: MatchLM, genes: Sequence[str]) -> float:
    lps = model.token_logprobs(genes)
    return math.exp(-float(np.concatenate(lps).mean()))


class MatchVariants:
    """Match-model log-probabilities and states (reading order) of single-base variants of one token array:
    the reference's up to the change, the loop from the reference's state there, and the reference's again
    (shifted after a deletion) from the first place past the changed seeds where the states agree. Exact."""

    def __init__(self, model: MatchLM, tokens: np.ndarray):
        self.model, self.index = model, model.index
        self.text = model.index.text_list
        targets = _targets(tokens)
        self.targets = targets.tolist()
        self.seeds = self.index.seeds(targets).tolist()
        n = len(self.targets)
        self.preds, self.states, self.before = [-1] * n, [0] * n, []
        _walk(self.targets, self.seeds, self.text, 0, (-1, 0, 0), self.preds, self.states, record=self.before)
        self.reference = self._values(targets, self.preds, self.states)
        self.reference_dists = self._values(targets, self.preds, self.states, True)[0]

    def _values(self, targets, preds, states, every_next: bool = False):
        states = np.asarray(states, np.int64)
        if every_next:
            return match_distributions(preds, states, self.model.hit), states
        return match_logprobs(np.asarray(targets, np.int64), np.asarray(preds, np.int64), states,
                              self.model.hit), states

    def reading(self, rows, every_next: bool = False) -> list[tuple[np.ndarray, np.ndarray]]:
        """rows: (token index of the change, is a deletion, mutated tokens) -> (log-probabilities, states);
        ``every_next``: whole (targets, 5) distributions instead of the targets' log-probabilities."""
        k = self.index.k
        out = []
        for u, deletion, tokens in rows:
            q = u - 1                                   # the first target that changes
            targets = _targets(tokens)
            n, shift = len(targets), 1 if deletion else 0
            lo = max(0, q - k + 1)                      # seeds of places q .. q + k - 1 read targets from lo
            mid = self.index.seeds(targets[lo:min(n, q + k)])[q - lo:].tolist()
            seeds = self.seeds[:q] + mid + self.seeds[q + k + shift:]
            preds, states = self.preds[:q] + [-1] * (n - q), self.states[:q] + [0] * (n - q)
            stop = _walk(targets.tolist(), seeds, self.text, q, self.before[q], preds, states,
                         self.before, shift, q + k)
            preds[stop:] = self.preds[stop + shift:]
            states[stop:] = self.states[stop + shift:]
            out.append(self._values(targets, preds, states, every_next))
        return out
