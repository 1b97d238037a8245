"""H-rob (session 15): the go-to box read 1,000,000 but not 1.000.000 (German), 1'000'000 (Swiss) or 1 000 000 (French,
SI): those fell through to a gene-name search that found nothing. Positions are whole numbers, so three-digit groups
after '.', an apostrophe or a space are thousands, never decimals."""
from __future__ import annotations

import pytest

from genoview.core.locus import Locus, parse_locus

LENGTHS = {"chr1": 5_000_000, "NC_000913.3": 4_641_652}


@pytest.mark.parametrize("text", ["1,000,000-1,002,000", "1000000-1002000", "1.000.000-1.002.000",
                                  "1'000'000-1'002'000", "1’000’000–1’002’000", "1 000 000 - 1 002 000",
                                  "1\u00a0000\u00a0000-1\u00a0002\u00a0000", "1.000.000..1.002.000",
                                  "chr1:1.000.000-1.002.000"])
def test_thousands_as_each_locale_groups_them(text):
    assert parse_locus(text, LENGTHS, "chr1") == Locus("chr1", 999_999, 1_002_000)


@pytest.mark.parametrize("text", ["1.5-2", "1.00-2", "1.0000-2", "2.5"])
def test_decimals_are_not_positions(text):
    assert parse_locus(text, LENGTHS, "chr1") is None   # then a feature name is tried, as before


def test_a_dotted_sequence_name_is_still_a_name():
    assert parse_locus("NC_000913.3:1.000-2.000", LENGTHS, "chr1") == Locus("NC_000913.3", 999, 2000)
