"""The go-to indexes built at load (FeatureTable.prepare_search, on the load worker) are the same as before the
speed-up (1.5 M synthetic features: 13.3 -> ~5.5 s): attribute_value reads a plainly written value without parsing
column 9, and the name index makes no set per feature."""
from __future__ import annotations

from genoview.core.io.features import SEARCH_KEYS, Feature, FeatureTable, attribute_value
from genoview.core.io import read_annotation
from genoview.core.io.gff import parse_gff3_value_lists


def reference_value(feature, key):
    raw = feature._attributes
    if not isinstance(raw, str):
        return raw.get(key)
    values = parse_gff3_value_lists(raw).get(key)
    return ",".join(values) if values is not None else None


def reference_names(features):
    names = {}
    for feature in features:
        keys = {feature.id, feature.name, *feature.aliases}
        if isinstance(feature._attributes, dict):
            keys.update(feature._attributes.get(key) for key in SEARCH_KEYS)
        for key in keys:
            if key:
                names.setdefault(key.lower(), []).append(feature)
    return names


TRICKY = ["ID=a;product=x y", "product=abc;ID=b", "ID=c;Note=product=z", "ID=d; product=q", "ID=e;product =r",
          "ID=f;product=a,b", "ID=g;product=", "ID=h;myproduct=1", "ID=i;product=1;product=2", "ID=j", "product=x;",
          "ID=k;product=a;Note=b", "ID=l;product=x%2Cy", "ID=m;products=1", "ID=n;locus_tag=b1;Name=thrA"]


def test_attribute_value_as_the_full_parse():
    for raw in TRICKY:
        feature = Feature("c", 0, 1, attributes=raw)
        for key in ("product", "locus_tag", "Name", "ID", "Note"):
            assert attribute_value(feature, key) == reference_value(feature, key), (raw, key)


def test_real_annotation_indexes_unchanged(ecoli_gff):
    features = list(read_annotation(ecoli_gff)[0])
    features += [Feature("x", 0, 5, 1, "gene", id="G1", name="g1"), Feature("x", 0, 5, 1, "gene", id="Q", name="Q"),
                 Feature("x", 0, 5, 1, "gene", attributes={"locus_tag": "LT9", "gene": "abcD"})]
    for feature in features[:20000]:
        for key in ("product", "locus_tag", "gene", "Name"):
            assert attribute_value(feature, key) == reference_value(feature, key)
    table = FeatureTable(features)
    table.prepare_search()
    want = reference_names(features)
    assert table._names.keys() == want.keys()
    assert all(sorted(map(id, table._names[k])) == sorted(map(id, want[k])) for k in want)
