"""Go-to box parsing: 1-based text in, 0-based half-open regions out; names, locus tags, bad input."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.locus import Locus, centered_window, format_locus, padded, parse_locus, resolve_locus

LENGTHS = {"NC_000913.3": 4_641_652, "plasmid1": 5_000}


@dataclass
class FakeFeature:
    seqid: str
    start: int
    end: int
    type: str = "gene"
    name: str = ""
    id: str = ""
    attributes: dict = field(default_factory=dict)


class FakeFeatures:
    def __init__(self, features):
        self.features = features

    def find(self, text):
        text = text.lower()
        names = lambda f: {n.lower() for n in (f.name, f.id, f.attributes.get("locus_tag", "")) if n}  # noqa: E731
        exact = [f for f in self.features if text in names(f)]
        return exact or [f for f in self.features if any(n.startswith(text) for n in names(f))]


def fake_genome():
    features = [
        FakeFeature("NC_000913.3", 189, 255, name="thrL", id="gene-b0001", attributes={"locus_tag": "b0001"}),
        FakeFeature("NC_000913.3", 336, 2799, name="thrA", id="gene-b0002", attributes={"locus_tag": "b0002"}),
        FakeFeature("plasmid1", 10, 100, name="repA", id="gene-p1", attributes={"locus_tag": "p0001"}),
    ]
    sequences = {seqid: SimpleNamespace(length=length) for seqid, length in LENGTHS.items()}
    return SimpleNamespace(sequences=sequences, features=FakeFeatures(features))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NC_000913.3:1,000-2,000", Locus("NC_000913.3", 999, 2000)),
        ("NC_000913.3:1000..2000", Locus("NC_000913.3", 999, 2000)),
        ("  nc_000913.3 : 1000 - 2000 ", Locus("NC_000913.3", 999, 2000)),
        ("NC_000913:5000", Locus("NC_000913.3", 4999, 5000)),
        ("NC_000913.3:5000", Locus("NC_000913.3", 4999, 5000)),
        ("1000-2000", Locus("NC_000913.3", 999, 2000)),
        ("plasmid1", Locus("plasmid1", 0, 5000)),
        ("plasmid1:4,000-9,999", Locus("plasmid1", 3999, 5000)),
    ],
)
def test_parse_coordinates(text, expected):
    assert parse_locus(text, LENGTHS, "NC_000913.3") == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "type a region"),
        ("chr9:1-100", "no sequence named 'chr9'"),
        ("NC_000913.3:2000-1000", "the end (1,000) is before the start (2,000)"),
        ("NC_000913.3:0-10", "positions start at 1"),
        ("plasmid1:6000", "beyond the end of plasmid1 (5,000 bp)"),
    ],
)
def test_parse_rejects_bad_coordinates(text, message):
    with pytest.raises(GenoViewInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_locus(text, LENGTHS, "NC_000913.3")


def test_bare_range_needs_a_sequence():
    with pytest.raises(GenoViewInputError, match="open a genome first"):
        parse_locus("10-20", LENGTHS, None)


def test_names_are_not_coordinates():
    assert parse_locus("thrL", LENGTHS, "NC_000913.3") is None
    assert parse_locus("gene:thrL", LENGTHS, "NC_000913.3") is None


@pytest.mark.parametrize("text", ["thrL", "THRL", "b0001", "gene-b0001"])
def test_resolve_gene_name_and_locus_tag(text):
    locus = resolve_locus(text, fake_genome(), "NC_000913.3")
    assert (locus.seqid, locus.start, locus.end) == ("NC_000913.3", 189, 255)
    assert locus.feature.name == "thrL"


def test_resolve_feature_on_another_sequence():
    locus = resolve_locus("repA", fake_genome(), "NC_000913.3")
    assert (locus.seqid, locus.start, locus.end) == ("plasmid1", 10, 100)


def test_resolve_unknown_name():
    with pytest.raises(GenoViewInputError, match="'nosuchgene': no region, sequence, gene name or locus tag"):
        resolve_locus("nosuchgene", fake_genome(), "NC_000913.3")


def test_format_is_one_based_closed():
    assert format_locus("NC_000913.3", 999, 2000) == "NC_000913.3:1,000-2,000"


def test_windows():
    assert centered_window(4999, 5000, 20, 10_000) == (4990, 5010)
    assert centered_window(0, 1, 20, 10_000) == (0, 20)
    assert centered_window(9_995, 10_000, 20, 10_000) == (9_980, 10_000)
    assert centered_window(0, 10, 20, 12) == (0, 12)
    assert padded(100, 200, 0.1, 1_000) == (90, 210)
