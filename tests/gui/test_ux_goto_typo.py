"""Go-to with a typing slip: "did you mean" from the feature table's name index (dictionary look-ups of the one-slip
variants, never a walk over the features), in the status bar and as a list under the box; fast on 1.5 M features."""
from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QMessageBox

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome
from genoview.core.io.features import Feature, FeatureTable
from genoview.core.locus import resolve_locus


def table_of(names):
    return FeatureTable(Feature("chr1", i * 10, i * 10 + 5, 1, "gene", id=f"gene-{n}", name=n,
                                attributes=f"ID=gene-{n};Name={n}") for i, n in enumerate(names))


def test_similar_names_one_slip_away():
    table = table_of(["dnaA", "dnaB", "thrA", "KRTAP21-3", "rpoB"])
    assert table.similar_names("dnaAA") == ["dnaA"]          # extra letter
    assert table.similar_names("tHRa") == []                    # the name itself (any case) is no suggestion
    assert table.similar_names("trhA") == ["thrA"]              # swapped
    assert table.similar_names("KRTAP21_3") == ["KRTAP21-3"]    # changed, as the file writes it
    assert table.similar_names("rpB") == ["rpoB"]               # missing
    assert table.similar_names("dnaC") == ["dnaA", "dnaB"]
    assert table.similar_names("xyzzy") == [] and table.similar_names("ab") == []


def test_resolve_locus_says_did_you_mean(tmp_path):
    (tmp_path / "g.fa").write_text(">chr1\n" + "ACGT" * 100 + "\n")
    (tmp_path / "g.gff3").write_text("##gff-version 3\nchr1\t.\tgene\t11\t100\t.\t+\t.\tID=gene-1;Name=dnaA;locus_tag=b0001\n")
    genome = open_genome(tmp_path / "g.fa", tmp_path / "g.gff3")
    with pytest.raises(GenoViewInputError, match=r"'b00001': no region.*; did you mean b0001\?"):
        resolve_locus("b00001", genome, "chr1")
    with pytest.raises(GenoViewInputError, match=r"of that name$"):
        resolve_locus("zzzz", genome, "chr1")
    genome.close()


def test_typo_fast_on_a_million_names():
    names = [f"GENE{i}" for i in range(300_000)]
    table = table_of(names)
    table.prepare_search()
    started = time.perf_counter()
    for text in ("GNE12345", "GENE12345x", "GENE1234S", "xyzzy-typo"):
        table.similar_names(text)
    assert (time.perf_counter() - started) / 4 < 0.05   # 0.4-0.6 ms each here; a walk took 0.4-9 s on 1.5 M
    assert table.similar_names("GNE12345") == ["GENE12345"]


def test_go_to_box_offers_the_similar_names(qtbot, make_window, data_dir, monkeypatch):
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: None)
    window = make_window()
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.open_genome(data_dir / "gui_tiny.fa", data_dir / "gui_tiny.gff3")
    assert not window.go_to("alphaa")
    assert "did you mean alpha?" in window.statusBar().currentMessage()
    box = window.go_to_box
    assert box._described_names.stringList() == ["alpha"]
    box._go_described("alpha")   # clicking it goes there
    assert window.session.region[0] <= 100
