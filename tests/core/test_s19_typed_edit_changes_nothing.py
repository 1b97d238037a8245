"""Typed edits that change nothing are refused (H-walk19 under Xvfb, PRM1 in Real vs mutated): '100G>G' on a G and
an empty Typed edits field both ran Mutate & compare on the real sequence against itself, 'edits: 100G>G' /
'no edits', with verdicts and a mutated - real of 0 read as the model finding no effect."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.mutation import parse_edits

SEQUENCE = "ACGTACGTGG"


@pytest.mark.parametrize("text, said", [
    ("3G>G", "edit '3G>G' changes nothing: the sequence has G at 3; write the base it becomes"),
    ("3_4GT>GT", "edit '3_4GT>GT' changes nothing: the sequence has GT at 3; write the bases it becomes"),
    ("1A>C, 9g>g", "edit '9g>g' changes nothing: the sequence has G at 9"),
    ("", "no edits typed; write 12A>G"),
    (" , ;", "no edits typed"),
])
def test_edits_that_change_nothing_are_refused(text, said):
    with pytest.raises(GenoViewInputError, match=said):
        parse_edits(text, SEQUENCE)


def test_edits_that_change_something_still_read():
    assert [e.describe() for e in parse_edits("3G>A, 5del, 7insT, 9_10GG>TT", SEQUENCE)] == [
        "3G>A", "5delA", "6_7insT", "9_10GG>TT"]

