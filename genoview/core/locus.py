"""Turn what a user types into a go-to box into a region: `NC_000913.3:1,000-2,000`, `1000-2000`, `thrL`, `b0001`.

Users type 1-based, closed coordinates (as genome browsers show them); a :class:`Locus` holds
0-based half-open ones like the rest of the code. No Qt here: the GUI and tests share this.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from genoview.core.errors import GenoViewInputError

# 1,000 or 1000; and as other locales group thousands (positions are whole numbers, so a group of three digits
# after '.', an apostrophe or a space is never a decimal): 1.000.000 (de), 1'000'000 (ch), 1 000 000 (fr, SI)
_GROUPED = r"\d{1,3}(?:[.'’\u00a0\u202f ]\d{3})+(?![\d,_])"
# 1.5k, 2M, 250kb, 1.2Mb (k = 1,000, M = 1,000,000): as genome browsers are typed; a decimal only before a suffix
_SUFFIXED = r"\d+(?:\.\d+)?[kKmM][bB]?"
_NUMBER = rf"(?:{_SUFFIXED}|{_GROUPED}|\d[\d,_]*)"
_SUFFIX = re.compile(r"^(?P<value>\d+(?:\.\d+)?)(?P<unit>[kKmM])[bB]?$")
_SEPARATORS = re.compile(r"[,_.'’\u00a0\u202f ]")
_RANGE = re.compile(rf"^(?P<start>{_NUMBER})(?:\s*(?:-|\.\.|–|—)\s*(?P<end>{_NUMBER}))?$")


@dataclass(frozen=True)
class Locus:
    """A region to show: 0-based half-open ``[start, end)`` on ``seqid``; ``feature`` when found by name."""

    seqid: str
    start: int
    end: int
    feature: Any = None

    @property
    def length(self) -> int:
        return self.end - self.start


def format_locus(seqid: str, start: int, end: int) -> str:
    """The 1-based text a user reads for ``[start, end)``: ``NC_000913.3:1,000-2,000``."""
    return f"{seqid}:{start + 1:,}-{end:,}"


def _number(text: str) -> int:
    suffixed = _SUFFIX.match(text)
    if suffixed:   # 1.5k = 1,500 (a decimal point only: 1,500k could mean 1.5 M or 1,500 k)
        scale = 1_000 if suffixed["unit"] in "kK" else 1_000_000
        return round(float(suffixed["value"]) * scale)
    return int(_SEPARATORS.sub("", text))


def _match_seqid(name: str, lengths: Mapping[str, int]) -> str | None:
    if name in lengths:
        return name
    lowered = name.lower()
    for seqid in lengths:
        if seqid.lower() == lowered:
            return seqid
    # "NC_000913" for "NC_000913.3": an accession without its version
    matches = [seqid for seqid in lengths if seqid.lower().split(".")[0] == lowered]
    return matches[0] if len(matches) == 1 else None


def _range_on(seqid: str, text: str, length: int, original: str) -> Locus:
    match = _RANGE.match(text.strip())
    if match is None:
        raise GenoViewInputError(
            f"'{original}' is not a region; type e.g. {seqid}:1,000-2,000, 1000-2000, 1.5k-2k, a gene name or a "
            "locus tag"
        )
    start1 = _number(match["start"])
    end1 = _number(match["end"]) if match["end"] else start1
    if start1 < 1:
        raise GenoViewInputError(f"'{original}': positions start at 1")
    if end1 < start1:
        raise GenoViewInputError(f"'{original}': the end ({end1:,}) is before the start ({start1:,})")
    if start1 > length:
        raise GenoViewInputError(f"'{original}': position {start1:,} is beyond the end of {seqid} ({length:,} bp)")
    return Locus(seqid, start1 - 1, min(end1, length))


def parse_locus(text: str, lengths: Mapping[str, int], current_seqid: str | None) -> Locus | None:
    """Coordinates or a sequence id, or None when ``text`` looks like neither (then try a feature name).

    ``lengths`` maps sequence ids to lengths. Raises GenoViewInputError for coordinates that are out
    of range or a sequence id that does not exist.
    """
    text = text.strip()
    if not text:
        raise GenoViewInputError("type a region (e.g. NC_000913.3:1,000-2,000), a gene name or a locus tag")
    seqid = _match_seqid(text, lengths)
    if seqid is not None:
        return Locus(seqid, 0, lengths[seqid])
    if ":" in text:
        name, _, where = text.rpartition(":")
        seqid = _match_seqid(name.strip(), lengths)
        if seqid is None:
            if _RANGE.match(where.strip()):
                known = ", ".join(list(lengths)[:5])
                raise GenoViewInputError(f"'{text}': no sequence named '{name.strip()}' (this genome has {known})")
            return None
        return _range_on(seqid, where, lengths[seqid], text)
    if _RANGE.match(text):
        if current_seqid is None or current_seqid not in lengths:
            raise GenoViewInputError(f"'{text}': open a genome first, or name the sequence ({text} needs one)")
        return _range_on(current_seqid, text, lengths[current_seqid], text)
    return None


def _no_features(features) -> bool:
    try:
        return len(features) == 0
    except TypeError:   # a stand-in without a length: say nothing
        return False


def resolve_locus(text: str, genome: Any, current_seqid: str | None = None) -> Locus:
    """A region from coordinates, a sequence id, or a feature's name / locus_tag / ID (case-insensitive).

    ``genome`` is a :class:`genoview.core.genome.Genome`. Named features prefer genes on the current
    sequence; the region is the feature's extent.
    """
    lengths = {seqid: record.length for seqid, record in genome.sequences.items()}
    locus = parse_locus(text, lengths, current_seqid)
    if locus is not None:
        return locus
    name = text.strip()
    hits = list(genome.features.find(name))
    if not hits:
        similar_names = getattr(genome.features, "similar_names", None)   # a FeatureTable's; stand-ins may lack it
        similar = similar_names(name, limit=3) if similar_names else []
        hint = f"; did you mean {' or '.join(similar)}?" if similar else ""
        if not hint and _no_features(genome.features):   # a gene name with no annotation open: say why
            hint = ("; no annotation is open, so genes cannot be found by name (open one: File > Open annotation..., "
                    "or --gff FILE on the command line)")
        error = GenoViewInputError(f"'{name}': no region, sequence, gene name or locus tag of that name{hint}")
        error.suggestions = similar   # the names themselves, for a list to click (GUI go-to box)
        raise error
    exact = [f for f in hits if _names_of(f) & {name.lower()}]
    pool = exact or hits
    best = min(pool, key=lambda f: _preference(f, current_seqid))
    return Locus(best.seqid, best.start, best.end, feature=best)


def _preference(feature: Any, current_seqid: str | None) -> tuple:
    """Which of several features of one name is taken: on the current sequence, a gene, the first."""
    return (feature.seqid != current_seqid, feature.type != "gene", feature.start)


def namesakes(text: str, genome: Any, current_seqid: str | None = None) -> list[Any]:
    """The distinct places (one feature each, a gene where there is one) named exactly ``text``, in the order
    :func:`resolve_locus` prefers them (the first is the one it takes). Two or more: the name is shared (the
    example genome has two yfgG), and the user should be told or choose. A gene and its CDS are one place."""
    name = (text or "").strip()
    if not name or genome is None:
        return []
    places: dict[tuple, Any] = {}
    for feature in genome.features.find(name):
        if not _names_of(feature) & {name.lower()}:
            continue
        key = (feature.seqid, feature.start, feature.end, feature.strand)
        if key not in places or _preference(feature, current_seqid) < _preference(places[key], current_seqid):
            places[key] = feature
    return sorted(places.values(), key=lambda f: _preference(f, current_seqid))


def place_label(feature: Any) -> str:
    """A named feature as a choice: its locus tag (else ID, else name), where it is (1-based) and its strand."""
    strand = {1: "+", -1: "−"}.get(feature.strand, "")
    return f"{place_key(feature)} ({feature.seqid}:{feature.start + 1:,}-{feature.end:,}{f' {strand}' if strand else ''})"


def shared_name_words(name: str, places: list[Any], hint: str = "type its locus tag") -> str:
    """What a jump to a name several places share says (``places`` as :func:`namesakes` orders them, the first
    taken): which one was taken, the others, and ``hint``; "" for a name of one place."""
    if len(places) < 2:
        return ""
    labels = [place_label(f) for f in places]
    return (f"{len(places)} genes are named {name.strip()}: took {labels[0]}; the other{'s' if len(labels) > 2 else ''}"
            f": {', '.join(labels[1:])} ({hint})")


def place_key(feature: Any) -> str:
    """What to type to name this one place: its locus tag, else its ID (shared names pick one)."""
    attributes = getattr(feature, "attributes", {}) or {}
    return attributes.get("locus_tag") or feature.id or feature.name


def _names_of(feature: Any) -> set[str]:
    names = {feature.name, feature.id, feature.attributes.get("gene"), feature.attributes.get("locus_tag")}
    return {n.lower() for n in names if n}


def centered_window(start: int, end: int, min_span: int, length: int) -> tuple[int, int]:
    """Widen ``[start, end)`` around its centre to at least ``min_span`` bases, kept inside ``[0, length)``."""
    span = max(end - start, min(min_span, length))
    centre = (start + end) / 2
    new_start = int(round(centre - span / 2))
    new_start = max(0, min(new_start, length - span))
    return new_start, new_start + span


def padded(start: int, end: int, fraction: float, length: int) -> tuple[int, int]:
    """``[start, end)`` with ``fraction`` of its span added on both sides (a feature with some context)."""
    pad = int((end - start) * fraction)
    return max(0, start - pad), min(length, end + pad)
