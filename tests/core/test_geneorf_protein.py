"""Protein-likeness scores (geneorf/protein.py): translation, per-frame running sums, table learning and I/O."""
import numpy as np
import pytest

from genoview.core import genecalls as gc
from genoview.core.genome import encode
from genoview.core.models.geneorf import protein as pr


def _codes(text):
    return encode(np.frombuffer(text.encode(), dtype=np.uint8))


def _naive_sum(codes, table, a, b, genetic_code=11):
    """Sum of table values of every k-peptide inside [a, b) that stops before the last codon (the stop)."""
    prot = gc.translate(codes[a:b], genetic_code, first_is_start=False)
    letters = "ACDEFGHIKLMNPQRSTVWY"
    idx = [letters.index(c) if c in letters else (pr.STOP_AA if c == "*" else pr.UNKNOWN_AA) for c in prot]
    idx = idx[:-1]    # drop the stop codon
    k = table.ndim
    return sum(table[tuple(idx[i:i + k])] for i in range(len(idx) - k + 1)), max(len(idx) - k + 1, 0)


def test_aa_map_reads_tga_as_w_in_code_4():
    m11, m4 = pr.aa_map(11), pr.aa_map(4)
    tga = 16 * 3 + 4 * 2 + 0
    assert m11[tga] == pr.STOP_AA and m4[tga] == "ACDEFGHIKLMNPQRSTVWY".index("W")
    assert m11[64] == pr.UNKNOWN_AA
    aa = pr.aa_indices(_codes("ATGGCTTAA"))
    assert aa[0] == "ACDEFGHIKLMNPQRSTVWY".index("M") and aa[3] == 0 and aa[6] == pr.STOP_AA
    assert aa[7] == aa[8] == pr.UNKNOWN_AA


@pytest.mark.parametrize("k", [1, 2, 3])
def test_running_sums_match_a_naive_sum_on_both_strands(k):
    rng = np.random.default_rng(k)
    text = "".join(rng.choice(list("ACGT"), 301))
    codes = _codes(text)
    table = np.zeros((pr.N_AA,) * k)
    block = (slice(0, 20),) * k
    table[block] = rng.normal(size=(20,) * k)
    for strand_codes in (codes, gc.reverse_complement(codes)):
        cum = pr.frame_cumsum(pr.position_scores(strand_codes, table))
        a = np.array([0, 1, 2, 30, 31, 100, 5, 0])
        b = np.array([30, 31, 32, 300, 301, 112, 11, 3])
        total, n = pr.call_sums(cum, a, b, k)
        for j in range(len(a)):
            want, want_n = _naive_sum(strand_codes, table, int(a[j]), int(b[j]))
            assert n[j] == want_n
            assert total[j] == pytest.approx(want, abs=1e-9)
        means = pr.call_means(strand_codes, table, a, b)
        assert np.allclose(means, total / np.maximum(n, 1))


def test_count_peptides_positive_inside_cds_frame_only():
    # ATG GCT GCT TAA on +, then noise: positives are the dipeptides M-A, A-A (stop excluded)
    codes = _codes("ATGGCTGCTTAACCCGGG")
    pos, neg = pr.count_peptides(codes, np.array([0]), np.array([12]), k=2)
    M, A = "ACDEFGHIKLMNPQRSTVWY".index("M"), 0
    assert pos.sum() == 2 and pos[M, A] == 1 and pos[A, A] == 1
    # negatives: every other stop-free dipeptide of the strand, never a CDS one
    assert neg.sum() > 0 and neg[:, pr.STOP_AA].sum() == 0 and neg[pr.STOP_AA].sum() == 0
    table = pr.table_from_counts(pos, neg)
    assert table[M, A] > 0 and table[pr.STOP_AA].sum() == 0


def test_table_round_trip(tmp_path):
    table = np.zeros((pr.N_AA,) * 2)
    table[:20, :20] = np.arange(400).reshape(20, 20) / 7.0
    pr.save_table(tmp_path, table, {"trained_on": ["x"]})
    back = pr.load_table(tmp_path)
    assert back.shape == table.shape and np.allclose(back, table, atol=1e-5)
    assert pr.load_table(tmp_path / "none") is None
