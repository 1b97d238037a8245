"""GeneORF fine-tune recipe select, own_rna: every cross-fitted score reads a half of the training part with RNA
references built without that half's annotation (the parent's plus the other half's RNA genes), for the fitted
candidates and the label-free ones alike. Tiny synthetic genome (engine_tiny), seconds."""
from __future__ import annotations

from tests.core.test_finetune_own_rna import FIRST_HALF_TRNA, SECOND_HALF_TRNA, TRAINING_5S, _holds, rna_gff  # noqa: F401
from tests.conftest import fine_tune_geneorf


def record_confusions(monkeypatch) -> list:
    """Every cross-fitted score of a fine-tune: (the regions it read, the RNA references it read them with)."""
    from genoview.core.training import geneorf

    calls = []
    confusions = geneorf._Scorer.confusions

    def spy(self, model, region_lists, references=None):
        calls.append(([r for regions in region_lists for r in regions], references))
        return confusions(self, model, region_lists, references)

    monkeypatch.setattr(geneorf._Scorer, "confusions", spy)
    return calls


def _inside(where, regions) -> bool:
    seqid, start, end, _ = where   # 1-based closed
    return any(r.seqid == seqid and r.start <= start - 1 and end <= r.end for r in regions)


def test_each_half_is_scored_with_references_not_built_from_its_own_annotation(geneorf_parent, rna_gff, tmp_path,
                                                                              monkeypatch):
    calls = record_confusions(monkeypatch)
    parent_dir, fasta, _ = geneorf_parent
    _, info = fine_tune_geneorf(parent_dir, fasta, str(rna_gff), tmp_path / "child", candidates="parent,adapt,last")
    tuning = info["fine_tuning"]
    assert set(tuning["candidates"]) == {"parent", "adapt", "last"}
    scored = [(regions, refs) for regions, refs in calls if refs is not None]
    # parent and adapt: each half once; last: the model of each half on the other: 2 calls per candidate
    assert len(scored) == 6
    for regions, refs in scored:
        for gene in (FIRST_HALF_TRNA, SECOND_HALF_TRNA, TRAINING_5S):
            if _inside(gene, regions):   # a gene of the half being scored is never a reference for it
                assert not _holds(refs, fasta, gene), (gene, regions)
    halves = {True: 0, False: 0}
    for regions, refs in scored:
        first = _inside(FIRST_HALF_TRNA, regions)
        assert first != _inside(SECOND_HALF_TRNA, regions)   # one half per call, read with the other's genes
        halves[first] += 1
        if first:
            assert _holds(refs, fasta, SECOND_HALF_TRNA)
        else:
            assert _holds(refs, fasta, FIRST_HALF_TRNA) and _holds(refs, fasta, TRAINING_5S)
    assert halves == {True: 3, False: 3}
