"""A GFF3 written by GenoView reads back identically, strict and with an empty report (hypothesis)."""
from __future__ import annotations

import io
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genoview.core.inference import write_gene_gff
from genoview.core.io.features import Feature
from genoview.core.io.gff import read_gff
from genoview.core.io.gff_writer import write_gff3

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# characters GFF3 must escape in column 9 (; = & , % tab newline) and some it need not (space, quotes, non-ASCII)
value_text = st.text(st.sampled_from(list("aZ09 ;=%,&\t\n\"'#>é漢.:")), min_size=1, max_size=10)


@st.composite
def feature_lists(draw):
    features: list[Feature] = []
    for number in range(draw(st.integers(1, 12))):
        seqid = draw(st.sampled_from(["chr1", "chr 2", "c%3|x"]))
        type_ = draw(st.sampled_from(["gene", "mRNA", "exon", "CDS", "repeat_region"]))
        start = draw(st.integers(0, 5000))
        parts, at = [], start
        for _ in range(draw(st.integers(1, 3))):
            length = draw(st.integers(1, 300))
            parts.append((at, at + length))
            at += length + draw(st.integers(1, 50))
        feature_id = f"f{number}" if len(parts) > 1 or draw(st.booleans()) else None
        earlier = [f.id for f in features if f.id and f.seqid == seqid]
        parent = draw(st.sampled_from(earlier)) if earlier and type_ != "CDS" and draw(st.booleans()) else None
        phase = draw(st.integers(0, 2)) if type_ == "CDS" else draw(st.sampled_from([None, 0, 1, 2]))
        name = draw(st.one_of(st.none(), value_text))
        lists = {key: draw(st.lists(value_text, min_size=1, max_size=3))
                 for key in draw(st.lists(st.sampled_from(["note", "product", "Dbxref", "Alias"]), unique=True))}
        attributes = {}
        if feature_id:
            attributes["ID"] = feature_id
        if name:
            attributes["Name"] = name
        if parent:
            attributes["Parent"] = parent
        attributes.update({key: ",".join(values) for key, values in lists.items()})
        score = draw(st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)))
        source = draw(st.sampled_from(["GenoView", "RefSeq", "Prodigal:002006", "."]))
        feature = Feature(seqid, parts[0][0], parts[-1][1], draw(st.sampled_from([1, -1, 0])), type_, feature_id,
                          name or None, parent, phase, attributes, None, source, score, parts=parts)
        feature.set_value_lists({key: values for key, values in lists.items() if len(values) > 1})
        features.append(feature)
    return features


def _read_back(text: str, strict: bool = True):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "written.gff3")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return read_gff(path, strict=strict)


@SETTINGS
@given(feature_lists())
def test_written_features_read_back_identically(features):
    out = io.StringIO()
    assert write_gff3(out, features, {"chr1": (0, 10_000)}) == len(features)
    annotation = _read_back(out.getvalue())  # strict: the writer writes nothing a checker refuses
    assert not annotation.report and annotation.sequence_regions == {"chr1": (0, 10_000)}
    assert list(annotation.features) == features
    for written, read in zip(features, annotation.features):
        for key in written.attributes:
            assert read.attribute_values(key) == written.attribute_values(key)
        assert read.pieces == len(written.parts)


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 500)), min_size=1, max_size=20),
       st.sampled_from(["chr1", "NC_000913.3"]))
def test_predicted_genes_written_by_genoview_read_back(runs, seqid):
    intervals = [(start, start + length) for start, length in runs]
    out = io.StringIO()
    write_gene_gff(out, seqid, intervals, scores=[0.5] * len(intervals))
    annotation = _read_back(out.getvalue())
    assert not annotation.report
    assert [(f.seqid, f.start, f.end, f.type, f.score) for f in annotation.features] == \
        [(seqid, a, b, "gene", 0.5) for a, b in intervals]
