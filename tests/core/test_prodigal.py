"""The Prodigal baseline: a whole-sequence TrackModel whose values are gene confidences."""
from __future__ import annotations

import gzip

import numpy as np
import pytest

from genoview.core.errors import Cancelled
from genoview.core.evaluation import evaluate
from genoview.core.io.sequence import InMemoryRecord
from genoview.core.jobs import CancelToken
from genoview.core.models import load_model
from genoview.core.models.prodigal import ProdigalModel


@pytest.fixture(scope="module")
def ecoli_head(ecoli_fasta):
    """The first 300 kb of E. coli as an in-memory record."""
    text = []
    with gzip.open(ecoli_fasta, "rt") as fh:
        next(fh)
        size = 0
        while size < 300_000:
            line = fh.readline().strip()
            text.append(line)
            size += len(line)
    return InMemoryRecord("NC_000913.3", "E. coli head", "".join(text)[:300_000].encode())


def _gene_sequence(rng) -> str:
    """Random intergenic DNA around two long ORFs, so metagenomic mode has genes to find."""
    codons = [a + b + c for a in "ACGT" for b in "ACGT" for c in "ACGT"]
    stops = {"TAA", "TAG", "TGA"}
    orf = lambda n: "ATG" + "".join(rng.choice([c for c in codons if c not in stops], n)) + "TAA"
    spacer = lambda n: "".join(rng.choice(list("ACGT"), n))
    return spacer(300) + "AGGAGG" + spacer(7) + orf(400) + spacer(500) + "AGGAGG" + spacer(7) + orf(300) + spacer(300)


def test_short_sequence_uses_metagenomic_mode_and_reports_progress():
    rng = np.random.default_rng(0)
    record = InMemoryRecord("tiny", "", _gene_sequence(rng).encode())
    model = load_model("prodigal")
    assert isinstance(model, ProdigalModel) and model.whole_sequence
    assert model.info["architecture"] == "pyrodigal" and model.info["task"] == "gene-probability"
    seen = []
    probs = model.predict_record(record, 0, record.length, progress=lambda f, m=None: seen.append(f))
    assert probs.dtype == np.float32 and probs.shape == (record.length,)
    inside = probs[probs > 0]
    assert inside.size > 900 and inside.min() >= 0.5 and inside.max() <= 1.0
    assert probs[:200].max() == 0.0   # random spacer before the first ORF
    assert seen[0] == 0.0 and seen[-1] == 1.0
    part = model.predict_record(record, 250, 1800)
    assert part.shape == (1550,) and np.array_equal(part, probs[250:1800])


def test_cancel_before_the_call():
    token = CancelToken()
    token.cancel()
    record = InMemoryRecord("tiny", "", b"ACGT" * 100)
    with pytest.raises(Cancelled):
        ProdigalModel().predict_record(record, 0, 400, cancel=token)


@pytest.mark.realdata
def test_prodigal_on_ecoli_head(ecoli_head, ecoli_gff):
    from genoview.core.io import read_annotation

    features, _ = read_annotation(ecoli_gff)
    labels = np.zeros(ecoli_head.length, dtype=bool)
    for feature in features.on("NC_000913.3", ("gene", "pseudogene")):
        labels[feature.start:min(feature.end, ecoli_head.length)] = True
    model = ProdigalModel()
    probs = model.predict_record(ecoli_head, 0, ecoli_head.length)
    report = evaluate(labels, probs)
    assert report.mcc > 0.7 and report.roc_auc > 0.85
    # a region is predicted with the same training and enough flank: it matches the whole-record track
    region = model.predict_record(ecoli_head, 100_000, 150_000)
    assert np.mean(region == probs[100_000:150_000]) > 0.99
