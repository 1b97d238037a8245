"""Saturation mutagenesis with a gated mixture scores the gate's n-gram once per variant batch: its depths come from
the pass that scores the member (the gate re-ran the same n-gram lookups for the depths alone), results unchanged."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")

from test_lm_gate_mutagenesis import _gated  # noqa: E402 - same folder (no packages in tests/)
from test_variant_effects_lmfast import LONG, SHORT, _check  # noqa: E402


@pytest.mark.parametrize("cached_gate", [False, True])
def test_gate_ngram_scored_once_per_variant_batch(cached_gate, monkeypatch):
    from genoview.core.lm_gate import _ngram_base
    from genoview.core.lm_mutagenesis import prepare_variants

    model = _gated(gate_reverse=True, cached_gate=cached_gate)
    tables = _ngram_base(model.members[model.gate]).tables
    scorer = prepare_variants(model, LONG)
    calls = []
    real = type(tables).logprobs

    def counted(self, *args, **kwargs):
        if self is tables:
            calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(type(tables), "logprobs", counted)
    scorer([(3, 2), (40, 0), (81, 4)])
    assert len(calls) == 1, f"the gate's n-gram ran {len(calls)} times for one batch"
    monkeypatch.undo()
    _check(model, SHORT, range(len(SHORT)))   # still equal to full re-scoring
    _check(model, LONG, [0, 1, 40, len(LONG) - 1])
