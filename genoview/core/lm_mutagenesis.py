"""Language-model scores of many single-base variants of one sequence, without re-reading the whole sequence.

:func:`prepare_variants` reads the reference once per member model and returns a scorer that gives, for a list
of variants (base index in gene order, new base or deletion), the same per-token log-probabilities as
``model.token_logprobs`` of each mutated sequence (gene order, end slot last), computing only what a variant
can change. Each member works in its own reading order (a right-to-left model sees the mirror image):

- Kneser-Ney n-gram: a token's probability reads the max_context tokens before it, so only the
  ``max_context + 1`` predictions from the variant on change (after a deletion the rest is the reference's,
  one place earlier).
- LSTM: the predictions before the variant are the reference's; the LSTM runs from the reference's state
  just before the variant over the rest of the sequence, all variants of a block of positions in one batch.
  (Its state does not forget a change within a gene, measured: the whole suffix is needed.)
- GPT-2-style transformer: keys and values of the reference's tokens before the variant are reused and only
  the rest of the window is run; on a sequence longer than the position table (sliding windows, see
  ``gpt_lm.CausalGpt``) a substitution changes only the windows that hold it.
- Prefix cache (:class:`~genoview.core.lm_cache.CachedLM`): its counts make every later token depend on the
  whole prefix, so it is applied to each variant's full base log-probabilities in one vectorised pass
  (cheap next to the networks; exact), the variant's own training relatives read first where it has them.
- Ensembles combine their members' arrays as :func:`~genoview.core.lm.combine_logprobs` does.
- Gated mixtures (:class:`~genoview.core.lm_gate.GatedMixtureLM`): the members' arrays mixed per token by the
  bucket of the gate's depth; a depth reads only the ``max_context`` tokens before it in the gate's reading
  order, so only the ``max_context + 1`` depths from the variant on are recomputed (as the n-gram's predictions).
- Match model (:mod:`genoview.core.lm_match`): its loop runs from the reference's state at the change until
  the state agrees with the reference's again; a gated mixture reading its states gets them from the same run.
- Bidirectional score (:mod:`genoview.core.lm_bidirectional`, ``lm-human-genes-bidir``): every path above also
  gives a variant's whole next-token distributions (``distributions``: the same splices, each row all five
  tokens' log-probabilities), the left-to-right member's changed from the variant on and the right-to-left
  member's up to it; the formula then runs over the variant's bases (cheap next to the members).
Anything else (k-mer BERT pseudo-log-likelihood, unknown models) scores each mutated sequence in full.
Tests compare every path with full re-scoring (tests/core/test_variant_effects_lmfast.py,
test_lm_bidir_mutagenesis.py).
"""
from __future__ import annotations

import inspect
from typing import Callable, Sequence

import numpy as np

from genoview.core.lm import EnsembleLM, LanguageModel, combine_logprobs, gene_tokens, to_gene_order
from genoview.core.lm_data import strip_markers

DELETION = 0          # the "new base" of a deletion; bases are token codes A1 C2 G3 T4
Variant = tuple        # (base index in gene order, token code 1..4 or DELETION)
# LSTM rows x positions run at once: its hidden states (rows x positions x hidden x layers, float32) stay near
# 0.5 GB with hidden 192 (a 20 kb region's 128 variants of a block in one run took ~4 GB); a gene up to
# ~4 kb still runs its whole block at once
LSTM_BATCH_TOKENS = 500_000


def mutated_sequence(sequence: str, variant: Variant) -> str:
    """The sequence a variant makes (for full re-scoring and tests)."""
    i, code = variant
    return sequence[:i] + sequence[i + 1:] if code == DELETION else sequence[:i] + "ACGT"[code - 1] + sequence[i + 1:]


class VariantScorer:
    """Per-token log-probabilities (gene order) of variants of one reference sequence under one model."""

    reference: np.ndarray          # the reference's, gene order

    def __call__(self, variants: Sequence[Variant]) -> list[np.ndarray]:
        raise NotImplementedError

    @property
    def reference_dists(self) -> np.ndarray:
        """The reference's whole next-token distributions, (n + 1, 5) log-probabilities, gene order."""
        raise NotImplementedError

    def distributions(self, variants: Sequence[Variant]) -> list[np.ndarray]:
        """Each variant's whole next-token distributions (as ``model.token_distributions``), gene order."""
        raise NotImplementedError


def prepare_variants(model: LanguageModel, sequence: str) -> VariantScorer:
    """The fastest exact scorer this model supports for variants of ``sequence`` (A, C, G, T only)."""
    from genoview.core.lm_bidirectional import BidirectionalLM
    from genoview.core.lm_gate import GatedMixtureLM

    sequence = strip_markers(sequence).upper()
    if isinstance(model, BidirectionalLM) and not any(isinstance(m, EnsembleLM) for m in model.members):
        return _Bidirectional(model, sequence)
    if isinstance(model, EnsembleLM):
        return _Ensemble(model, sequence)
    if isinstance(model, GatedMixtureLM):
        return _Gated(model, sequence)   # (a gate that also reads a match model's states: from _Match's run)
    reading = _reading_scorer(model, sequence)
    return _GeneOrder(reading)


def _reading_scorer(model: LanguageModel, sequence: str) -> "_Reading":
    from genoview.core.lm import TorchCausalLM
    from genoview.core.lm_cache import CachedLM
    from genoview.core.models.ngram import NgramLM

    from genoview.core.lm_match import MatchLM

    if isinstance(model, CachedLM) and not isinstance(model.base, EnsembleLM):
        return _Cached(model, sequence)
    if isinstance(model, MatchLM):
        return _Match(model, sequence)
    if isinstance(model, NgramLM):
        return _Ngram(model, sequence)
    if isinstance(model, TorchCausalLM):
        module = model.module
        if hasattr(module, "lstm") and hasattr(module, "embedding") and hasattr(module, "head"):
            return _Lstm(model, sequence)
        if hasattr(module, "gpt") and hasattr(getattr(module, "config", None), "n_positions"):
            return _Gpt(model, sequence)
    return _Full(model, sequence)


class _Reading:
    """One model in its reading order: reference tokens ``<bases>`` and its per-token log-probabilities."""

    def __init__(self, model: LanguageModel, sequence: str):
        self.model = model
        self.reverse = bool(model.reverse)
        self.sequence = sequence
        self.length = len(sequence)
        self.tokens = gene_tokens(sequence, self.reverse).astype(np.int64)

    def rows(self, variants: Sequence[Variant]) -> list[tuple[int, bool, np.ndarray]]:
        """Per variant in reading order: (token index of the change, is a deletion, mutated tokens)."""
        out = []
        for i, code in variants:
            u = (self.length - 1 - i if self.reverse else i) + 1
            if code == DELETION:
                tokens = np.delete(self.tokens, u)
            else:
                tokens = self.tokens.copy()
                tokens[u] = code
            out.append((u, code == DELETION, tokens))
        return out

    def reading(self, rows) -> list[np.ndarray]:
        raise NotImplementedError

    def _genes(self, rows) -> list[str]:
        """The mutated sequences of ``rows`` (gene order)."""
        genes = []
        for _, _, tokens in rows:
            bases = "".join("ACGT"[t - 1] for t in tokens[1:-1].tolist())
            genes.append(bases[::-1] if self.reverse else bases)
        return genes

    @property
    def reference_dists(self) -> np.ndarray:
        """(predictions, 5) log-probabilities of every token, reading order (here: the model on the whole)."""
        if getattr(self, "_reference_dists", None) is None:
            full = self.model.token_distributions([self.sequence])[0]
            self._reference_dists = to_gene_order(np.asarray(full, np.float64), self.reverse)
        return self._reference_dists

    def dists(self, rows) -> list[np.ndarray]:
        """Whole distributions of each row, reading order; here: each mutated sequence in full (exact)."""
        return [to_gene_order(np.asarray(d, np.float64), self.reverse)
                for d in self.model.token_distributions(self._genes(rows))]


class _GeneOrder(VariantScorer):
    def __init__(self, reading: _Reading):
        self.inner = reading
        self.reference = to_gene_order(reading.reference, reading.reverse)

    def __call__(self, variants):
        inner = self.inner
        return [to_gene_order(o, inner.reverse) for o in inner.reading(inner.rows(variants))]

    @property
    def reference_dists(self):
        return to_gene_order(self.inner.reference_dists, self.inner.reverse)

    def distributions(self, variants):
        inner = self.inner
        return [to_gene_order(d, inner.reverse) for d in inner.dists(inner.rows(variants))]


class _Ensemble(VariantScorer):
    def __init__(self, model: EnsembleLM, sequence: str):
        self.model = model
        self.length = len(sequence)
        self.members = [prepare_variants(m, sequence) if w > 0 else None
                        for m, w in zip(model.members, model.weights)]
        self.cpu_seconds = [0.0] * len(self.members)
        self.reference = self._combine([[m.reference] if m is not None else [np.zeros(self.length + 1)]
                                        for m in self.members])[0]

    def _combine(self, parts):
        return combine_logprobs(parts, self.model.weights, self.model.combine)

    def __call__(self, variants):
        import time

        sizes = [self.length + (0 if code == DELETION else 1) for _, code in variants]
        parts = []
        for k, member in enumerate(self.members):
            started = time.process_time()
            parts.append(member(variants) if member is not None else [np.zeros(n) for n in sizes])
            self.cpu_seconds[k] += time.process_time() - started
        return self._combine(parts)

    def seconds_by_member(self) -> dict:
        """CPU seconds each member spent on variants so far (what the benchmark prints)."""
        return {m.name: round(t, 2) for m, t in zip(self.model.members, self.cpu_seconds)}


class _Gated(VariantScorer):
    """A gated mixture: each member's variant arrays, mixed by the gate's depth buckets of each variant."""

    def __init__(self, model, sequence: str):
        self.model = model
        self.members = [prepare_variants(m, sequence) for m in model.members]
        gate = self.members[model.gate].inner   # the gate's n-gram (lm_gate._ngram_base: itself or a cache's base)
        self.gate = gate.base if isinstance(gate, _Cached) else gate
        self.gate.keep_depths()                 # its depths come from the pass that scores the member
        self.reference = self._mix([[m.reference] for m in self.members], *self._reference_depths_states())[0]

    def _mix(self, parts, depths, states):
        from genoview.core.lm_gate import gated_logprobs

        return gated_logprobs(parts, self.model.buckets(depths, states), self.model.table)

    def __call__(self, variants):
        parts = [m(variants) for m in self.members]
        return self._mix(parts, *self._depths_states())

    def _reference_depths_states(self):
        """Gene-order depths (the gate member's) and states (the match member's, a _Match; None without one) of
        the reference."""
        match = self.members[self.model.states].inner if self.model.states is not None else None
        return ([to_gene_order(self.gate.reference_depths, self.gate.reverse)],
                None if match is None else [to_gene_order(match.reference_states, match.reverse)])

    def _depths_states(self):
        """Gene-order depths and states of the members' last call (the variants just scored)."""
        states = None
        if self.model.states is not None:
            match = self.members[self.model.states].inner
            states = [to_gene_order(st, match.reverse) for st in match.last_states]
        return [to_gene_order(d, self.gate.reverse) for d in self.gate.last_depths], states

    @property
    def reference_dists(self):
        from genoview.core.lm_gate import gated_distributions

        if not self.model.normalised:    # as GatedMixtureLM.token_distributions
            from genoview.core.errors import GenoViewInputError

            raise GenoViewInputError(f"{self.model.name} does not give whole next-token distributions")
        if getattr(self, "_reference_dists", None) is None:
            self._reference_dists = gated_distributions([[m.reference_dists] for m in self.members],
                                                        self.model.buckets(*self._reference_depths_states()),
                                                        self.model.table)[0]
        return self._reference_dists

    def distributions(self, variants):
        from genoview.core.lm_gate import gated_distributions

        parts = [m.distributions(variants) for m in self.members]
        depths, states = self._depths_states()
        return gated_distributions(parts, self.model.buckets(depths, states), self.model.table)


class _Bidirectional(VariantScorer):
    """The bidirectional score (:mod:`genoview.core.lm_bidirectional`) of variants: each member's whole
    distributions of a variant from its own fast path (computed only from the change on, in its reading
    order), then the formula over the variant's bases. Exact (equal to ``model.token_logprobs``)."""

    def __init__(self, model, sequence: str):
        self.model = model
        self.forward = prepare_variants(model.forward, sequence)
        self.backward = prepare_variants(model.backward, sequence)
        self.bases = gene_tokens(sequence)[1:-1].astype(np.int64) - 1
        self.reference = self._score(self.forward.reference_dists, self.backward.reference_dists, self.bases)

    def _score(self, f, r, bases):
        from genoview.core.lm_bidirectional import bidirectional_logprobs

        m = self.model
        return bidirectional_logprobs(f, r, bases, m.weights, m.prior, m.prior_weight)

    def __call__(self, variants):
        out = []
        for (i, code), f, r in zip(variants, self.forward.distributions(variants),
                                   self.backward.distributions(variants)):
            if code == DELETION:
                bases = np.delete(self.bases, i)
            else:
                bases = self.bases.copy()
                bases[i] = code - 1
            out.append(self._score(f, r, bases))
        return out


class _Full(_Reading):
    """Any model: every mutated sequence scored in full (the reference too, by the model itself)."""

    def __init__(self, model, sequence):
        super().__init__(model, sequence)
        self.reference = to_gene_order(model.token_logprobs([sequence])[0], self.reverse)

    def reading(self, rows):
        return [to_gene_order(np.asarray(lp, np.float64), self.reverse)
                for lp in self.model.token_logprobs(self._genes(rows))]


class _Match(_Reading):
    """Match model (:mod:`genoview.core.lm_match`): the reference's loop state at the change, the loop until it
    agrees with the reference's again (exact); the states of the last call kept for a gated mixture."""

    def __init__(self, model, sequence):
        from genoview.core.lm_match import MatchVariants

        super().__init__(model, sequence)
        self.variants = MatchVariants(model, self.tokens)
        self.reference, self.reference_states = self.variants.reference
        self._reference_dists = self.variants.reference_dists
        self.last_states: list = []

    def reading(self, rows, every_next: bool = False):
        pairs = self.variants.reading(rows, every_next)
        self.last_states = [st for _, st in pairs]
        return [lp for lp, _ in pairs]

    def dists(self, rows):
        return self.reading(rows, every_next=True)


class _Ngram(_Reading):
    """Kneser-Ney n-gram: only the max_context + 1 predictions from the change on are computed."""

    def __init__(self, model, sequence):
        super().__init__(model, sequence)
        self.tables = model.tables
        self._depths: np.ndarray | None = None   # with keep_depths: the last pass's depths, as _values fills them
        self.reference = self._values([self.tokens])

    def keep_depths(self) -> None:
        """Also keep each call's depths (``last_depths``, reading order) from the same pass: a gated mixture's gate
        (its depths read the same max_context tokens before each prediction as its log-probabilities)."""
        self._depths = np.zeros(0, dtype=np.int64)
        self._values([self.tokens])
        self.reference_depths = self._depths
        self.last_depths: list[np.ndarray] = []

    def _values(self, pieces: list, every_next: bool = False) -> np.ndarray:
        """The value of every prediction of ``pieces`` (token arrays), concatenated: log-probabilities (with
        ``every_next``: (predictions, 5), every token's)."""
        if self._depths is None:
            return self.tables.logprobs(pieces, every_next=every_next)
        self._depths = np.full(sum(len(p) - 1 for p in pieces), -1, dtype=np.int64)
        return self.tables.logprobs(pieces, self._depths, every_next=every_next)

    @property
    def reference_dists(self):
        if getattr(self, "_reference_dists", None) is None:
            self._reference_dists = self._values([self.tokens], every_next=True)
        return self._reference_dists

    def dists(self, rows):
        return self.reading(rows, every_next=True)

    def reading(self, rows, every_next: bool = False):
        context = self.tables.max_context
        reach = context + 1
        pieces, spans = [], []
        for u, _, tokens in rows:
            q = u - 1                                   # the first prediction that can change (of token u)
            first = max(0, q - context)
            last = min(len(tokens), q + reach + 1)
            pieces.append(tokens[first:last])
            spans.append((q, first, min(q + reach, len(tokens) - 1)))
        reference = self.reference_dists if every_next else self.reference
        flat = self._values(pieces, every_next) if pieces else np.zeros((0,) + reference.shape[1:])
        bounds = np.cumsum([0] + [len(p) - 1 for p in pieces])

        def spliced(values, reference):
            out = []
            for (u, deletion, tokens), (q, first, stop), a in zip(rows, spans, bounds[:-1]):
                changed = values[a + q - first:a + stop - first]
                tail = reference[stop + (1 if deletion else 0):]
                out.append(np.concatenate([reference[:q], changed, tail]))
            return out
        if self._depths is not None:
            self.last_depths = spliced(self._depths if pieces else np.zeros(0, dtype=np.int64), self.reference_depths)
        return spliced(flat, reference)


class _Cached(_Reading):
    """A prefix cache over a base model: the base's variant arrays, then the cache over each whole variant
    (with the training relatives chosen for that variant read first, where the cache has them)."""

    def __init__(self, model, sequence):
        super().__init__(model, sequence)
        self.base = _reading_scorer(model.base, sequence)
        self.reference = self._cached([self.base.reference], [self.tokens])[0]

    def _cached(self, base: list, tokens: list) -> list:
        from genoview.core.lm_cache import apply_cache, cached_tokens

        model = self.model
        if model.relatives is None:
            lead = [0] * len(base)
        else:   # as cache_logprobs: each sequence's relatives (chosen from the whole sequence) read first
            genes = ["".join("ACGT"[t - 1] for t in row[1:-1].tolist()) for row in tokens]
            genes = [g[::-1] for g in genes] if self.reverse else genes
            tokens, lead = cached_tokens(genes, self.reverse, [model.relatives.nearest(g) for g in genes])
        flat = np.concatenate([np.concatenate([np.zeros(n), b]) for b, n in zip(base, lead)])
        cached = apply_cache(flat, tokens, model.contexts, model.alphas)
        bounds = np.cumsum([0] + [len(b) + n for b, n in zip(base, lead)])
        return [cached[a + n:b] for a, b, n in zip(bounds[:-1], bounds[1:], lead)]

    def reading(self, rows):
        base = self.base.reading(rows)
        return self._cached(base, [t for _, _, t in rows]) if base else []

    def _cached_dists(self, base: list, tokens: list) -> list:
        """As ``lm_cache.cache_distributions``, reading order: whole distributions through the cache chain."""
        import math

        from genoview.core.lm_cache import prefix_counts_every_next

        prob = np.exp(np.concatenate(base))
        for h, alpha in zip(self.model.contexts, self.model.alphas):
            if alpha is None or not math.isfinite(alpha):
                continue
            c_ctx, c_gram = prefix_counts_every_next(tokens, h)
            seen = c_ctx > 0
            prob[seen] = (c_gram[seen] + alpha * prob[seen]) / (c_ctx[seen] + alpha)[:, None]
        bounds = np.cumsum([0] + [len(b) for b in base])
        logp = np.log(prob)
        return [logp[a:b] for a, b in zip(bounds[:-1], bounds[1:])]

    @property
    def reference_dists(self):
        if self.model.relatives is not None:     # relatives chosen per variant: the model on the whole
            return super().reference_dists
        if getattr(self, "_reference_dists", None) is None:
            self._reference_dists = self._cached_dists([self.base.reference_dists], [self.tokens])[0]
        return self._reference_dists

    def dists(self, rows):
        if self.model.relatives is not None:
            return super().dists(rows)
        base = self.base.dists(rows)
        return self._cached_dists(base, [t for _, _, t in rows]) if base else []


def _torch():
    import torch

    return torch


class _Lstm(_Reading):
    """LSTM: the reference's predictions up to the change, then the LSTM from the reference's state there."""

    def __init__(self, model, sequence):
        super().__init__(model, sequence)
        torch = _torch()
        self.module, self.device = model.module, model.device
        inputs = torch.from_numpy(self.tokens[None, :-1]).to(self.device)
        with torch.inference_mode():
            logp = self.module(inputs)[0].double().cpu().numpy()       # (positions, 5)
        self.logp = logp
        self._reference_dists = logp
        self.reference = logp[np.arange(len(logp)), self.tokens[1:] - 1]
        self._states = {0: None}                 # place -> (h, c) after reading reference inputs [0, place)

    def state(self, a: int):
        """(h, c) after reading reference inputs [0, a), read on from the nearest place already known."""
        torch = _torch()
        if a not in self._states:
            known = max(k for k in self._states if k < a)
            piece = torch.from_numpy(self.tokens[None, known:a]).to(self.device)
            with torch.inference_mode():
                _, self._states[a] = self.module.lstm(self.module.embedding(piece), self._states[known])
        return self._states[a]

    def dists(self, rows):
        return self.reading(rows, every_next=True)

    def reading(self, rows, every_next: bool = False):
        limit = max(1, LSTM_BATCH_TOKENS // max(1, self.length))
        if len(rows) > limit:   # a long sequence: fewer rows per run, so the hidden states stay bounded
            return [o for k in range(0, len(rows), limit) for o in self.reading(rows[k:k + limit], every_next)]
        torch = _torch()
        F = torch.nn.functional
        a0 = min(u for u, _, _ in rows)           # first changed input
        width = max(len(t) - 1 for _, _, t in rows) - a0
        if width <= 0 and every_next:
            return [self.logp[:len(t) - 1] for _, _, t in rows]
        if width <= 0:                             # only the last base deleted: its end is predicted from the reference
            return [np.concatenate([self.reference[:a0 - 1], [self.logp[a0 - 1, t[a0] - 1]]]) for _, _, t in rows]
        inputs = np.full((len(rows), width), 6, dtype=np.int64)
        for r, (_, _, tokens) in enumerate(rows):
            inputs[r, :len(tokens) - 1 - a0] = tokens[a0:-1]
        state = self.state(a0)
        with torch.inference_mode():
            x = self.module.embedding(torch.from_numpy(inputs).to(self.device))
            if state is not None:
                state = tuple(s.expand(-1, len(rows), -1).contiguous() for s in state)
            hidden, _ = self.module.lstm(x, state)
            logp = F.log_softmax(self.module.head(self.module.drop(hidden)), dim=-1).double().cpu().numpy()
        out = []
        for r, (_, _, tokens) in enumerate(rows):
            n = len(tokens) - 1 - a0
            if every_next:
                out.append(np.concatenate([self.logp[:a0], logp[r, :n]]))
                continue
            picked = logp[r, np.arange(n), tokens[a0 + 1:] - 1]
            out.append(np.concatenate([self.reference[:a0 - 1], [self.logp[a0 - 1, tokens[a0] - 1]], picked]))
        return out


def gpt_windows(length: int, positions: int) -> list[tuple[int, int, int]]:
    """(first input, end, first output kept) of each window ``CausalGpt.forward`` reads a sequence with."""
    if length <= positions:
        return [(0, length, 0)]
    windows, end = [(0, positions, 0)], positions
    while end < length:
        new_end = min(end + positions // 2, length)
        windows.append((new_end - positions, new_end, end))
        end = new_end
    return windows


class _Gpt(_Reading):
    """GPT-2: per window, keys/values of the reference's unchanged inputs reused, the rest of the window run."""

    def __init__(self, model, sequence):
        super().__init__(model, sequence)
        torch = _torch()
        self.module, self.device = model.module, model.device
        self.gpt = self.module.gpt
        self.positions = int(self.module.config.n_positions)
        params = inspect.signature(self.gpt.forward).parameters
        self.cache_arg = "cache" if "cache" in params else "past_key_values"
        self.rows_per_call = 4          # CPU attention is faster per token in small batches (measured: 4 ~ 6 < 8 < 32)
        self.direct = None              # run the blocks directly (decided on first use)
        inputs = self.tokens[:-1]
        self.windows = {}                        # first input -> (end, log-probs (end - first, 5), keys/values)
        self.reference = np.zeros(len(inputs))
        self._reference_dists = np.zeros((len(inputs), 5))
        with torch.inference_mode():
            for first, end, keep in gpt_windows(len(inputs), self.positions):
                out = self.gpt(input_ids=torch.from_numpy(inputs[None, first:end]).to(self.device), use_cache=True)
                logp = _log_softmax(out.logits[0, :, 1:6])
                cache = getattr(out, "cache", None)
                cache = cache if cache is not None else getattr(out, "past_key_values", None)
                self.windows[first] = (end, logp, _cache_tensors(cache))
                self.reference[keep:end] = logp[np.arange(keep - first, end - first),
                                                self.tokens[keep + 1:end + 1] - 1]
                self._reference_dists[keep:end] = logp[keep - first:end - first]

    def _run(self, inputs: np.ndarray, first: int, start: int) -> np.ndarray:
        """Log-probabilities (batch, len, 5) of inputs at window places start.., the reference's keys and
        values of window ``first`` reused for places first..start - 1."""
        if self.direct is None:     # decided once, on the reference's first window
            self.direct = False
            try:
                end = min(self.windows[0][0], 48)
                if end >= 2:
                    half = end // 2
                    got = self._run_direct(self.tokens[None, half:end], 0, half)[0]
                    self.direct = bool(np.abs(got - self.windows[0][1][half:end]).max() < 1e-4)
            except Exception:       # noqa: BLE001 - another GPT-2 layout: transformers' own forward below
                self.direct = False
        if self.direct:
            return self._run_direct(inputs, first, start)
        torch = _torch()
        ids = torch.from_numpy(inputs).to(self.device)
        with torch.inference_mode():
            kwargs = {}
            if start > first:
                from transformers import DynamicCache

                kv = self.windows[first][2]
                n = inputs.shape[0]
                kwargs[self.cache_arg] = DynamicCache([(k[:, :, :start - first].expand(n, -1, -1, -1).contiguous(),
                                                        v[:, :, :start - first].expand(n, -1, -1, -1).contiguous())
                                                       for k, v in kv])
            logits = self.gpt(input_ids=ids, **kwargs).logits[..., 1:6]
            return _log_softmax(logits)

    @staticmethod
    def _take(logp: np.ndarray, following: np.ndarray, every_next: bool) -> np.ndarray:
        """Rows of window log-probabilities (places, 5): the tokens that follow (picked) or every token's."""
        return logp if every_next else logp[np.arange(len(logp)), following - 1]

    def dists(self, rows):
        return self.reading(rows, every_next=True)

    def reading(self, rows, every_next: bool = False):
        shape = (5,) if every_next else ()
        out = [np.zeros((len(t) - 1,) + shape) for _, _, t in rows]
        groups: dict[int, list[int]] = {}
        for r, (_, _, tokens) in enumerate(rows):
            groups.setdefault(len(tokens), []).append(r)
        for size, members in groups.items():
            for first, end, keep in gpt_windows(size - 1, self.positions):
                ref = self.windows.get(first)
                ref_end = ref[0] if ref is not None else -1
                reuse, run = [], []                       # rows copying the reference's window / running it
                for r in members:
                    u, deletion, _ = rows[r]
                    same = end <= u or (not deletion and first > u)
                    if same and ref_end >= end:
                        reuse.append(r)
                    else:
                        start = max(first, min(u, end))
                        run.append((r, start if ref_end >= start else first))
                for r in reuse:
                    tokens = rows[r][2]
                    out[r][keep:end] = self._take(ref[1][keep - first:end - first], tokens[keep + 1:end + 1],
                                                  every_next)
                for b in range(0, len(run), self.rows_per_call):
                    self._window(rows, out, run[b:b + self.rows_per_call], first, end, keep, ref, every_next)
        return out

    def _window(self, rows, out, run, first, end, keep, ref, every_next=False):
        """Rows ``run`` [(row, first input to run)] through window [first, end), outputs from ``keep``."""
        start = min(s for _, s in run)
        inputs = np.stack([rows[r][2][start:end] for r, _ in run])
        logp = self._run(inputs, first, start)
        for row, (r, _) in enumerate(run):
            tokens = rows[r][2]
            if keep < start:       # unchanged places before the run: the reference's window
                out[r][keep:start] = self._take(ref[1][keep - first:start - first], tokens[keep + 1:start + 1],
                                                every_next)
            a = max(keep, start)
            out[r][a:end] = self._take(logp[row, a - start:end - start], tokens[a + 1:end + 1], every_next)


    def _run_direct(self, inputs: np.ndarray, first: int, start: int) -> np.ndarray:
        """``_run`` without transformers' per-call machinery (mask building, cache objects): GPT-2's blocks
        (ln_1, attention, residual, ln_2, MLP, residual; ln_f; tied head) with the prefix keys/values, one
        scaled-dot-product attention per layer. Checked against transformers' forward before use."""
        torch = _torch()
        F = torch.nn.functional
        model = self.gpt.transformer
        ids = torch.from_numpy(np.ascontiguousarray(inputs)).to(self.device)
        batch, length = ids.shape
        prefix = start - first
        kv = self.windows[first][2] if prefix else None
        with torch.inference_mode():
            places = torch.arange(prefix, prefix + length, device=self.device)
            x = model.wte(ids) + model.wpe(places)
            mask = torch.ones(length, prefix + length, dtype=torch.bool, device=self.device).tril(prefix)
            for layer, block in enumerate(model.h):
                attn = block.attn
                q, k, v = attn.c_attn(block.ln_1(x)).split(attn.split_size, dim=2)
                q, k, v = (t.view(batch, length, attn.num_heads, attn.head_dim).transpose(1, 2) for t in (q, k, v))
                if kv is not None:
                    keys, values = kv[layer]
                    k = torch.cat([keys[:, :, :prefix].expand(batch, -1, -1, -1), k], dim=2)
                    v = torch.cat([values[:, :, :prefix].expand(batch, -1, -1, -1), v], dim=2)
                a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=attn.scaling)
                x = x + attn.c_proj(a.transpose(1, 2).reshape(batch, length, -1))
                x = x + block.mlp(block.ln_2(x))
            head = self.gpt.lm_head
            logits = F.linear(model.ln_f(x), head.weight[1:6], None if head.bias is None else head.bias[1:6])
            return _log_softmax(logits)


def _log_softmax(logits) -> np.ndarray:
    torch = _torch()
    return torch.nn.functional.log_softmax(logits, dim=-1).double().cpu().numpy()


def _cache_tensors(cache) -> list:
    """[(keys, values)] per layer of a transformers cache (shapes (1, heads, places, head size))."""
    layers = getattr(cache, "layers", None)
    if layers is not None:
        return [(layer.keys, layer.values) for layer in layers]
    return [(k, v) for k, v in cache]          # legacy tuples


def variant_totals(scorer: VariantScorer, variants: Sequence[Variant], block: int = 32,
                   check: Callable[[], None] | None = None,
                   done: Callable[[int], None] | None = None) -> np.ndarray:
    """Total log-probability of each variant, scored in blocks of ``block`` neighbouring positions
    (variants sorted by position share the LSTM state / GPT keys before the block)."""
    order = sorted(range(len(variants)), key=lambda k: variants[k][0])
    totals = np.zeros(len(variants))
    k = 0
    while k < len(order):
        if check is not None:
            check()
        first = variants[order[k]][0]
        stop = k
        while stop < len(order) and variants[order[stop]][0] < first + block:
            stop += 1
        part = order[k:stop]
        for index, lp in zip(part, scorer([variants[j] for j in part])):
            totals[index] = float(np.sum(lp))
        k = stop
        if done is not None:
            done(k)
    return totals
