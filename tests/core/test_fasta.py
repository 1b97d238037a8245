"""FASTA index: plain, gzip and bgzip give the same bases; line layouts; errors name file and line."""
from __future__ import annotations

import gzip

import numpy as np
import pytest
from Bio.SeqUtils import gc_fraction

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import encode, windowed_gc
from genoview.core.io import fasta as fasta_module
from genoview.core.io.fasta import index_fasta, index_fasta_bytes

SMALL = {
    "chr1": "ACGTACGTACGTNNNNacgtacgtGGCCAAAATTTTCCCCGGGGAAAATTTTCCCCACGTRYKM",
    "chr2": "GGGGGGGGGGCCCCCCCCCCAAAAAAAAAATTTTTTTTTTNNNNNnnnnn",
    "chr3": "acgtACGT",
}


@pytest.mark.parametrize("name", ["io_small.fa", "io_small.fa.gz", "io_small.fa.bgz"])
def test_plain_gzip_and_bgzip_give_the_same_records(data_dir, name):
    records = index_fasta(data_dir / name)
    assert list(records) == list(SMALL)
    assert records["chr1"].description == "first test sequence"
    assert records["chr2"].description == ""
    for seqid, bases in SMALL.items():
        rec = records[seqid]
        assert rec.length == len(bases)
        assert rec.text() == bases
        for start in range(0, len(bases), 3):
            for end in range(start, len(bases) + 1, 5):
                assert rec.text(start, end) == bases[start:end]
    fetched = records["chr1"].fetch(10, 20)
    assert fetched.dtype == np.uint8 and fetched.tobytes() == SMALL["chr1"][10:20].encode()


def test_crlf_line_endings_and_blank_lines(data_dir):
    crlf = index_fasta(data_dir / "io_crlf.fa")
    assert crlf["crlf"].text() == "ACGTACGTAC" and crlf["crlf"].description == "one"
    assert crlf["crlf2"].text() == "NNAA"
    blank = index_fasta(data_dir / "io_blank_lines.fa")
    assert blank["blank1"].text() == "ACGTACGTACGG"
    assert blank["blank1"].text(3, 11) == "TACGTACG"
    assert blank["blank2"].text() == "TTTTTTTTTT"


def test_irregular_lines_fetch_across_segments_and_pieces(tmp_path, monkeypatch):
    monkeypatch.setattr(fasta_module, "FETCH_PIECE", 7)
    lines = ["ACGTA", "CCGTA", "GG", "TTTTTTT", "TTTTTTT", "", "AC", "ACGTACGTAC", "A"]
    path = tmp_path / "irregular.fa"
    path.write_text(">x\n" + "\n".join(lines))  # no final newline
    bases = "".join(lines)
    rec = index_fasta(path)["x"]
    assert rec.length == len(bases)
    for start in range(len(bases)):
        for end in range(start, len(bases) + 1):
            assert rec.text(start, end) == bases[start:end]


def test_fetch_outside_the_record_is_an_index_error(data_dir):
    rec = index_fasta(data_dir / "io_small.fa")["chr3"]
    with pytest.raises(IndexError):
        rec.fetch(0, 9)
    with pytest.raises(IndexError):
        rec.fetch(-1, 3)
    assert rec.fetch(8, 8).size == 0


def test_gc_and_n_counts_agree_with_biopython(data_dir):
    records = index_fasta(data_dir / "io_small.fa")
    for seqid, bases in SMALL.items():
        assert records[seqid].gc_fraction == pytest.approx(gc_fraction(bases, "remove"))
        assert records[seqid].n_count == bases.upper().count("N")
    assert records["chr2"].n_count == 10


def test_encode_and_windowed_gc():
    codes = encode(np.frombuffer(b"ACGTacgtNnRY-", dtype=np.uint8))
    assert codes.tolist() == [0, 1, 2, 3, 0, 1, 2, 3, 4, 4, 4, 4, 4]
    gc = windowed_gc(np.frombuffer(b"GGCCAATTNNNNGA", dtype=np.uint8), 4)
    assert gc[0] == 1.0 and gc[1] == 0.0 and np.isnan(gc[2]) and gc[3] == 0.5


def test_in_memory_fasta_keeps_line_numbers():
    with pytest.raises(GenoViewInputError) as err:
        index_fasta_bytes(b">a\nACGT\nAC!T\n", "x.gff3", line_offset=10)
    assert err.value.line == 13 and "'!'" in str(err.value)


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (b"ACGT\n>x\nACGT\n", 1, "not a FASTA file"),
        (b"\n\n  hello\n", 3, "not a FASTA file"),
        (b">a\nACGT\n>b\n>c\nAC\n", 3, "has no bases"),
        (b">a\nACGT\n>b\n", 3, "has no bases"),
        (b">a\nACGT\nACXT\n", 3, "'X' is not a nucleotide"),
        (b">a\nAC GT\n", 2, "' ' is not a nucleotide"),
        (b">a\nACGT\n>a\nAC\n", 3, "appears twice"),
        (b">\nACGT\n", 1, "no sequence id"),
        (b">a\nAC\rGT\n", 2, "carriage return"),
        (b">a\nACGT\n\x00\x01\x02binary\n", 3, "not a nucleotide"),
        (b">a\nAC>GT\n", 2, "'>' is not a nucleotide"),
        (b"\xef\xbb\xbf>a\nACGT\n", 1, "byte-order mark"),
    ],
)
def test_bad_fasta_is_a_clear_error(tmp_path, content, line, words):
    path = tmp_path / "bad.fa"
    path.write_bytes(content)
    with pytest.raises(GenoViewInputError) as err:
        index_fasta(path)
    assert err.value.path == str(path) and err.value.line == line
    assert words in str(err.value)


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.fa"
    path.write_bytes(b"\n \n")
    with pytest.raises(GenoViewInputError, match="empty"):
        index_fasta(path)


def test_damaged_gzip_and_bgzip_are_errors(tmp_path, data_dir):
    whole = (data_dir / "io_small.fa.gz").read_bytes()
    truncated = tmp_path / "truncated.fa.gz"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(GenoViewInputError, match="damaged or truncated"):
        index_fasta(truncated)
    garbage = tmp_path / "garbage.fa.gz"
    garbage.write_bytes(b"\x1f\x8b" + bytes(range(256)) * 4)
    with pytest.raises(GenoViewInputError):
        index_fasta(garbage)
    bgz = (data_dir / "io_small.fa.bgz").read_bytes()
    cut = tmp_path / "cut.fa.bgz"
    cut.write_bytes(bgz[:-40])
    with pytest.raises(GenoViewInputError, match="BGZF"):
        index_fasta(cut)


def test_gzip_of_many_records_and_spill_to_disk(tmp_path, monkeypatch):
    from genoview.core.io import sources

    monkeypatch.setattr(sources, "SPOOL_IN_RAM_BYTES", 100)
    monkeypatch.setattr(sources, "CHUNK_BYTES", 64)
    rng = np.random.default_rng(1)
    expected = {f"r{i}": "".join(rng.choice(list("ACGTNacgt"), size=int(rng.integers(1, 300)))) for i in range(40)}
    text = "".join(f">{k}\n" + "\n".join(v[j:j + 61] for j in range(0, len(v), 61)) + "\n" for k, v in expected.items())
    path = tmp_path / "many.fa.gz"
    path.write_bytes(gzip.compress(text.encode()))
    records = index_fasta(path)
    assert {k: r.text() for k, r in records.items()} == expected
    records["r0"].close()


def test_progress_and_cancel(data_dir):
    from genoview.core.errors import Cancelled
    from genoview.core.jobs import CancelToken

    seen = []
    index_fasta(data_dir / "io_small.fa", progress=lambda f, m=None: seen.append(f))
    assert seen[-1] == 1.0
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        index_fasta(data_dir / "io_small.fa.gz", cancel=token)


@pytest.mark.parametrize("name", ["io_small.fa", "io_small.fa.gz", "io_small.fa.bgz"])
def test_records_pickle_into_worker_processes(data_dir, name):
    import pickle

    records = index_fasta(data_dir / name)
    records["chr1"].fetch(0, 5)  # opens a handle, which must not travel
    copy = pickle.loads(pickle.dumps(records))
    assert {k: r.text() for k, r in copy.items()} == SMALL


def test_write_fasta_round_trips(tmp_path):
    from genoview.core.io.fasta import write_fasta

    records = {"a": "ACGT" * 40 + "A", "b": np.frombuffer(b"nnACGTac", dtype=np.uint8), "c": b"G"}
    write_fasta(tmp_path / "out.fa", records, width=7)
    found = index_fasta(tmp_path / "out.fa")
    assert {k: r.text() for k, r in found.items()} == {"a": "ACGT" * 40 + "A", "b": "nnACGTac", "c": "G"}
