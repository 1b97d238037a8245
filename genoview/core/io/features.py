"""Annotation features (0-based half-open) and a table that finds them by position and by name."""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np

from genoview.core.io.report import AnnotationReport

SEARCH_KEYS = ("Name", "gene", "ID", "locus_tag", "gene_name", "gene_id")


def search_aliases(attributes: dict[str, str], feature_id: str | None, name: str | None) -> tuple[str, ...]:
    """Values of the searchable attributes other than the id and name, kept so ``find`` needs no parsing."""
    values = []
    for key in SEARCH_KEYS:
        value = attributes.get(key)
        if value and value != feature_id and value != name and value not in values:
            values.append(value)
    return tuple(values)


def attribute_value(feature: "Feature", key: str) -> str | None:
    """``feature.attributes.get(key)`` without keeping the parsed dict of a raw GFF3 column 9 on the feature:
    what a table-wide column needs: ``parse_gff3_value_lists``'s values joined by ',', the dict not kept."""
    raw = feature._attributes
    if not isinstance(raw, str):
        return raw.get(key)
    if "%" not in raw:
        if key not in raw:
            return None
        if raw.count(key) == 1:   # one "key=" at a tag's start, nothing escaped: the value as written (no parse)
            at = 0 if raw.startswith(key + "=") else raw.find(f";{key}=") + 1
            if at or raw.startswith(key + "="):
                start = at + len(key) + 1
                end = raw.find(";", start)
                return raw[start:] if end < 0 else raw[start:end]
    from genoview.core.io.gff import parse_gff3_value_lists  # the text was checked when read

    values = parse_gff3_value_lists(raw).get(key)
    return ",".join(values) if values is not None else None


def go_to_name(feature: "Feature") -> str | None:
    """The name the go-to box jumps to for a listed feature: its Name, else its locus_tag, else its ID."""
    return feature.name or attribute_value(feature, "locus_tag") or feature.id


@dataclass
class _DescribedIndex:
    """Columns for finding features by type or product without a walk: per feature a type code, a product
    code (-1: none) and a go-to name code (-1: none, equal codes for equal names); the distinct products
    lower-cased, joined by newlines, with where each starts (``starts``, and the end as the last)."""

    type_codes: dict[str, int]
    types: np.ndarray
    products: np.ndarray
    targets: np.ndarray
    lowered: str
    starts: list[int]


class Feature:
    """One annotated feature, 0-based half-open.

    ``parts`` lists the pieces of a feature written on several lines with one ID (or a GenBank join);
    ``start``..``end`` is their union, except across the origin of a circular sequence, where the piece
    from 0 is only in ``parts`` (see :func:`genoview.core.genome.check_annotation`).
    A GFF3 reader may pass ``attributes`` as the raw column-9 text: it is parsed on first access, which
    keeps a million-feature annotation to a fraction of the memory a dict per feature would take.
    """

    __slots__ = ("seqid", "start", "end", "strand", "type", "id", "name", "parent", "phase", "_attributes",
                 "line", "source", "score", "_parts", "pieces", "aliases", "parents", "_lists")

    def __init__(self, seqid: str, start: int, end: int, strand: int = 0, type: str = "region",
                 id: str | None = None, name: str | None = None, parent: str | None = None,
                 phase: int | None = None, attributes: dict[str, str] | str | None = None,
                 line: int | None = None, source: str = ".", score: float | None = None,
                 parts: list[tuple[int, int]] | None = None, aliases: tuple[str, ...] = (),
                 parents: tuple[str, ...] | None = None):
        self.seqid = seqid
        self.start = start
        self.end = end
        self.strand = strand
        self.type = type
        self.id = id
        self.name = name
        self.parent = parent  # the first Parent id; ``parents`` holds them all when there are several
        self.phase = phase
        self._attributes = attributes if attributes is not None else {}
        self.line = line
        self.source = source
        self.score = score
        self._parts = parts if parts and len(parts) > 1 else None
        self.pieces = len(parts) if parts else 1  # lines (GFF) or join() parts (GenBank) it was written as
        self.aliases = aliases  # other searchable names (gene, locus_tag, ...), see search_aliases
        self.parents = parents if parents and len(parents) > 1 else None
        self._lists: dict[str, list[str]] | None = None  # tags with several values, for dict attributes

    @property
    def attributes(self) -> dict[str, str]:
        """All attributes, unescaped; several values stay one comma-separated string."""
        if isinstance(self._attributes, str):
            self._parse_attributes()
        return self._attributes

    def _parse_attributes(self) -> None:
        from genoview.core.io.gff import parse_gff3_value_lists  # the text was checked when read

        lists = parse_gff3_value_lists(self._attributes)
        self._attributes = {key: ",".join(values) for key, values in lists.items()}
        self._lists = {key: values for key, values in lists.items() if len(values) > 1} or None

    @attributes.setter
    def attributes(self, value: dict[str, str]) -> None:
        self._attributes = value
        self._lists = None

    def attribute_values(self, key: str) -> list[str]:
        """Every value of one attribute, as a list: GFF3 ``Dbxref=a,b`` gives ``["a", "b"]``, while a value
        with an escaped comma (``Note=x%2Cy``) stays one value. ``attributes[key]`` is these joined by ','."""
        if isinstance(self._attributes, str):
            self._parse_attributes()
        if self._lists is not None and key in self._lists:
            return list(self._lists[key])
        value = self._attributes.get(key)
        return [] if value is None else [value]

    def set_value_lists(self, lists: dict[str, list[str]]) -> None:
        """For dict attributes (GTF, GenBank): the tags that have several values, each as its list."""
        self._lists = lists or None

    @property
    def parts(self) -> list[tuple[int, int]]:
        """The (start, end) pieces of the feature, sorted; one piece for an ordinary feature."""
        return self._parts if self._parts is not None else [(self.start, self.end)]

    def add_part(self, start: int, end: int) -> None:
        """Join another line of the same feature (same ID): extends the span to the union."""
        parts = self.parts + [(start, end)]
        parts.sort()
        self._parts = parts
        self.start = min(self.start, start)
        self.end = max(self.end, end)
        self.pieces += 1

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def label(self) -> str:
        """What to show the user: name, else id, else type."""
        return self.name or self.id or self.type

    def __repr__(self) -> str:
        strand = {1: "+", -1: "-"}.get(self.strand, ".")
        return f"Feature({self.type} {self.label} {self.seqid}:{self.start}-{self.end} {strand})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Feature):
            return NotImplemented
        same = ("seqid", "start", "end", "strand", "type", "id", "name", "parent", "phase", "source", "score",
                "parts", "attributes")
        return all(getattr(self, name) == getattr(other, name) for name in same)

    __hash__ = object.__hash__


class _SeqidIndex:
    """Features of one sequence sorted by start, with a running maximum of ends for overlap queries.

    Very long features (a whole-chromosome ``region``) would make the running maximum useless, so
    features longer than a cutoff are kept aside and checked directly: there are only a few.
    """

    def __init__(self, features: list[Feature]):
        starts = np.fromiter((f.start for f in features), dtype=np.int64, count=len(features))
        ends = np.fromiter((f.end for f in features), dtype=np.int64, count=len(features))
        lengths = ends - starts
        cutoff = max(10_000, 8 * int(np.percentile(lengths, 99))) if len(features) else 0
        long = lengths > cutoff
        self.long = [f for f, is_long in zip(features, long) if is_long]
        self.long_starts, self.long_ends = starts[long], ends[long]
        order = np.argsort(starts[~long], kind="stable")
        short = [f for f, is_long in zip(features, long) if not is_long]
        self.features = [short[i] for i in order]
        self.starts = starts[~long][order]
        self.ends = ends[~long][order]
        self.max_end = np.maximum.accumulate(self.ends) if len(self.ends) else self.ends

    def query(self, start: int, end: int) -> list[Feature]:
        lo = int(np.searchsorted(self.max_end, start, side="right"))
        hi = int(np.searchsorted(self.starts, end, side="left"))
        hits = [self.features[lo + i] for i in np.flatnonzero(self.ends[lo:hi] > start).tolist()]
        if self.long:
            mask = (self.long_starts < end) & (self.long_ends > start)
            hits = [self.long[i] for i in np.flatnonzero(mask).tolist()] + hits
            hits.sort(key=lambda f: f.start)
        return hits


class FeatureTable:
    """All features of a genome, in file order, with overlap queries per sequence and name search."""

    def __init__(self, features: Iterable[Feature] = ()):
        self._features = list(features)
        by_seqid: dict[str, list[Feature]] = {}
        types: set[str] = set()
        for feature in self._features:
            by_seqid.setdefault(feature.seqid, []).append(feature)
            types.add(feature.type)
        self._by_seqid = by_seqid
        # the feature types present, known from the reader's (worker) thread: the GUI asks without a walk
        self.types: frozenset[str] = frozenset(types)
        self._indexes: dict[str, _SeqidIndex] = {}
        # what a lenient read skipped or repaired (empty: the file loaded as written); set by the readers
        self.report = AnnotationReport()
        self._names: dict[str, list[Feature]] | None = None
        self._sorted_names: list[str] = []
        self._name_letters = ""
        self._described: _DescribedIndex | None = None

    def __len__(self) -> int:
        return len(self._features)

    def __iter__(self) -> Iterator[Feature]:
        return iter(self._features)

    def __bool__(self) -> bool:
        return bool(self._features)

    @property
    def seqids(self) -> list[str]:
        """Sequence ids that carry at least one feature, in file order."""
        return list(self._by_seqid)

    def on(self, seqid: str, types: Iterable[str] | None = None) -> list[Feature]:
        """All features of one sequence (optionally of some types), in file order."""
        features = self._by_seqid.get(seqid, [])
        if types is None:
            return list(features)
        wanted = {types} if isinstance(types, str) else set(types)
        return [f for f in features if f.type in wanted]

    def query(self, seqid: str, start: int, end: int, types: Iterable[str] | None = None) -> list[Feature]:
        """Features overlapping [start, end) on ``seqid``, sorted by start."""
        if seqid not in self._by_seqid:
            return []
        index = self._indexes.get(seqid)
        if index is None:
            index = self._indexes[seqid] = _SeqidIndex(self._by_seqid[seqid])
        hits = index.query(int(start), int(end))
        if types is not None:
            wanted = {types} if isinstance(types, str) else set(types)
            hits = [f for f in hits if f.type in wanted]
        return hits

    def _build_names(self) -> None:
        names: dict[str, list[Feature]] = {}
        bucket_of = names.get
        for feature in self._features:
            attributes = feature._attributes
            if feature.aliases or (attributes and isinstance(attributes, dict)):
                keys = {feature.id, feature.name, *feature.aliases}
                if isinstance(attributes, dict):  # built in code rather than read: no aliases
                    keys.update(attributes.get(key) for key in SEARCH_KEYS)
            else:   # most features: an ID and maybe a Name; no set per feature (1.5 M features: 5.3 -> ~3 s)
                fid, name = feature.id, feature.name
                keys = (fid,) if name is None or name == fid else (fid, name)
            for key in keys:
                if key:
                    lowered = key.lower()
                    bucket = bucket_of(lowered)
                    if bucket is None:
                        names[lowered] = [feature]
                    else:
                        bucket.append(feature)
        self._names = names
        self._sorted_names = sorted(names)
        self._name_letters = "".join(sorted(set("".join(names))))

    def similar_names(self, text: str, limit: int = 5) -> list[str]:
        """Names one typing slip away from ``text`` (a letter missing, extra, changed or two swapped; any case),
        as the file writes them, for "did you mean": dictionary look-ups of the variants, never a walk."""
        if self._names is None:
            self._build_names()
        key = text.strip().lower()
        if len(key) < 3:
            return []
        splits = [(key[:i], key[i:]) for i in range(len(key) + 1)]
        variants = {a + b[1:] for a, b in splits if b}
        variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        for a, b in splits:
            for letter in self._name_letters:
                variants.add(a + letter + b)
                if b:
                    variants.add(a + letter + b[1:])
        variants.discard(key)
        found: list[str] = []
        for variant in sorted(v for v in variants if v in self._names):
            feature = self._names[variant][0]
            for name in (feature.name, feature.id, *feature.aliases, *self._dict_names(feature)):
                if name and name.lower() == variant:
                    found.append(name)
                    break
            if len(found) >= limit:
                break
        return found

    @staticmethod
    def _dict_names(feature: Feature) -> list[str]:
        if isinstance(feature._attributes, dict):   # built in code rather than read: no aliases
            return [feature._attributes.get(key) for key in SEARCH_KEYS]
        return []

    def find(self, text: str, limit: int = 100) -> list[Feature]:
        """Features whose Name, gene, ID or locus_tag equals ``text`` (any case), then those starting with it."""
        if self._names is None:
            self._build_names()
        key = text.strip().lower()
        if not key:
            return []
        found = list(self._names.get(key, []))
        seen = {id(f) for f in found}
        at = bisect.bisect_left(self._sorted_names, key)
        while at < len(self._sorted_names) and len(found) < limit:
            name = self._sorted_names[at]
            if not name.startswith(key):
                break
            for feature in self._names[name]:
                if id(feature) not in seen:
                    seen.add(id(feature))
                    found.append(feature)
            at += 1
        return found[:limit]

    def prepare_search(self) -> None:
        """Build the name index (``find``) and the type/product columns (``described``) now: call it on the
        reader's worker thread, so the GUI's first look-up in a million-feature table does not walk it."""
        if self._names is None:
            self._build_names()
        if self._described is None:
            self._build_described()

    def _build_described(self) -> None:
        type_codes = {name: code for code, name in enumerate(sorted(self.types))}
        n = len(self._features)
        types = np.empty(n, dtype=np.int32)
        products = np.empty(n, dtype=np.int32)
        targets = np.empty(n, dtype=np.int32)
        product_codes: dict[str, int] = {}
        target_codes: dict[str, int] = {}
        for i, feature in enumerate(self._features):
            types[i] = type_codes[feature.type]
            product = attribute_value(feature, "product")
            products[i] = product_codes.setdefault(product, len(product_codes)) if product else -1
            target = go_to_name(feature)
            targets[i] = target_codes.setdefault(target, len(target_codes)) if target else -1
        lowered = [product.lower() for product in product_codes]   # dicts keep the codes' order
        starts = [0]
        for text in lowered:
            starts.append(starts[-1] + len(text) + 1)
        self._described = _DescribedIndex(type_codes, types, products, targets, "\n".join(lowered), starts)

    def described(self, text: str, type: str | None = None, limit: int = 500) -> list[Feature]:
        """Features of ``type`` or whose product contains ``text`` (any case), in file order: the first one with
        each go-to name (:func:`go_to_name`; features without one are left out), at most ``limit``.
        Vectorised over columns built once (``prepare_search``): milliseconds on millions of features."""
        if self._described is None:
            self._build_described()
        index = self._described
        mask = np.zeros(len(self._features), dtype=bool)
        if type is not None and type in index.type_codes:
            mask |= index.types == index.type_codes[type]
        needle = text.lower()
        if needle:
            hit = np.zeros(len(index.starts), dtype=bool)   # one per product, and a last False for -1 (none)
            at = index.lowered.find(needle)
            while at >= 0:
                code = bisect.bisect_right(index.starts, at) - 1
                if at + len(needle) < index.starts[code + 1]:   # inside this product, not across the newline
                    hit[code] = True
                    at = index.lowered.find(needle, index.starts[code + 1])
                else:
                    at = index.lowered.find(needle, at + 1)
            if hit.any():
                mask |= hit[index.products]
        mask &= index.targets >= 0
        rows = np.flatnonzero(mask)
        take = max(4 * limit, 1024)
        while True:   # the first ``limit`` distinct names lie in a prefix of the rows: grow it until they do
            part = rows[:take]
            _, first = np.unique(index.targets[part], return_index=True)
            if len(first) >= limit or take >= len(rows):
                break
            take *= 4
        return [self._features[i] for i in np.sort(part[first])[:limit].tolist()]

    def children(self, feature: Feature) -> list[Feature]:
        """Features whose Parent list names this feature's ID."""
        if feature.id is None:
            return []
        return [f for f in self._by_seqid.get(feature.seqid, [])
                if f.parent == feature.id or (f.parents is not None and feature.id in f.parents)]

    def count_by_type(self) -> dict[str, int]:
        """Pieces of each type, most frequent first: a feature written on 3 lines with one ID counts 3.

        This is the figure GFF users know (``cut -f3 | sort | uniq -c``), also for GenBank join() locations.
        """
        counts: Counter[str] = Counter()
        for feature in self._features:
            counts[feature.type] += feature.pieces
        return dict(counts.most_common())
