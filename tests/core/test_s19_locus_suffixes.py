"""The go-to box (and `--region`) read k and M suffixes, as genome browsers are typed: H-walk19 under Xvfb typed
chrEx:1k-2k, chrEx:1.5k-2.5k and chrEx:0.01M-0.02M into the example genome's box and got "'...' is not a region"
each time. A decimal is read only before a suffix: 1.5-2 and 2.5 stay no positions (test_rob15_locus_locales)."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.locus import Locus, parse_locus

LENGTHS = {"chr1": 5_000_000, "chrEx": 100_000}


@pytest.mark.parametrize("text, locus", [
    ("chrEx:1k-2k", Locus("chrEx", 999, 2000)),
    ("chrEx:1K-2K", Locus("chrEx", 999, 2000)),
    ("chrEx:1.5k-2.5k", Locus("chrEx", 1499, 2500)),
    ("chrEx:0.01M-0.02M", Locus("chrEx", 9999, 20000)),
    ("chr1:1.2Mb-1.3Mb", Locus("chr1", 1_199_999, 1_300_000)),
    ("chr1:250kb..260kb", Locus("chr1", 249_999, 260_000)),
    ("1k-2k", Locus("chr1", 999, 2000)),
    ("chrEx:50k", Locus("chrEx", 49_999, 50_000)),
    ("chrEx:1-10M", Locus("chrEx", 0, 100_000)),   # past the end: to the end, as 1-10,000,000 is
])
def test_k_and_m_suffixes(text, locus):
    assert parse_locus(text, LENGTHS, "chr1") == locus


@pytest.mark.parametrize("text", ["1.5-2", "2.5", "abck", "1kbp", "k1-2"])
def test_what_is_still_not_a_position(text):
    assert parse_locus(text, LENGTHS, "chr1") is None


def test_a_suffixed_start_past_the_end_is_said():
    with pytest.raises(GenoViewInputError, match="position 200,000 is beyond the end of chrEx"):
        parse_locus("chrEx:200k-210k", LENGTHS, "chr1")

