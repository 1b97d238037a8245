"""H-ux7: an annotation whose sequence names are not the genome's ('chr1' where the FASTA says 'NC_000907', an
accession without its '.1') was a dead end in the window: the error's fix was an awk command for a terminal, and the
box cut every line over 300 characters in its middle, which took out the part that says which name is which. The box
now shows the message whole and offers to write a copy with the genome's names beside the file and open it (the
file itself is not changed; the training wizard, sessions and other tools read the copy)."""
from __future__ import annotations

from pathlib import Path

from genoview.core.genome import open_genome, sequence_renaming, write_renamed_annotation
from genoview.gui.dialogs.files import user_message
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def _renamed_annotation(tmp_path):
    text = EXAMPLE_ANNOTATION.read_text().replace("chrEx", "CHREX").replace("plasmidEx", "plasmidEx.1")
    path = tmp_path / "renamed.gff3"   # the name the hint's command writes to: it must name another file
    path.write_text(text)
    return path


def test_a_mismatched_annotation_is_read_with_the_genomes_names(qtbot, tmp_path, open_example_window, monkeypatch):
    annotation = _renamed_annotation(tmp_path)
    window = open_example_window(EXAMPLE_GENOME)   # the genome alone
    asked = []

    def ask(path, message, renaming):
        asked.append((message, renaming))
        return True

    monkeypatch.setattr(window, "ask_renaming", ask)
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_annotation(annotation)
    message, renaming = asked[0]
    assert renaming == {"CHREX": "chrEx", "plasmidEx.1": "plasmidEx"}
    features = window.session.genome.features
    assert len(features) > 90 and {f.seqid for f in features} == {"chrEx", "plasmidEx"}
    copy = tmp_path / "renamed.renamed.gff3"
    assert window.session.genome.annotation_path == str(copy)
    assert f"opened {copy}: a copy with 2 sequence names as the genome's" in window.statusBar().currentMessage()
    assert annotation.read_text().count("CHREX") > 90   # the file is not changed
    original = annotation.read_text().splitlines()
    renamed = copy.read_text().splitlines()   # every line as written but the names
    assert len(renamed) == len(original) and "##sequence-region chrEx 1 100000" in renamed
    names = {"CHREX": "chrEx", "plasmidEx.1": "plasmidEx"}
    expected = [line if line.startswith("#") else names.get(line.split("\t")[0], "?") + line[line.index("\t"):]
                for line in original if not line.startswith("##sequence-region")]
    assert [line for line in renamed if not line.startswith("##sequence-region")] == expected   # IDs as written
    assert window.settings.recent_annotations[window.settings.recent_files[0]] == str(copy)
    # the same when the genome and its annotation are opened together
    asked.clear()
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_genome(EXAMPLE_GENOME, annotation, confirm=False)
    assert asked and {f.seqid for f in window.session.genome.features} == {"chrEx", "plasmidEx"}
    assert window.session.genome.annotation_path == str(copy)   # the identical copy reused (rev13), no renamed-2
    assert window.loading == 0


def test_declined_it_is_the_error_as_before(qtbot, tmp_path, open_example_window, monkeypatch):
    annotation = _renamed_annotation(tmp_path)
    window = open_example_window(EXAMPLE_GENOME)
    monkeypatch.setattr(window, "ask_renaming", lambda *args: False)
    errors = []
    monkeypatch.setattr(window, "report_error", lambda title, message: errors.append(message))
    with qtbot.waitSignal(window.load_failed, timeout=20000):
        window.open_annotation(annotation)
    assert "'CHREX' is not in the genome" in errors[0] and not window.session.genome.features
    assert window.loading == 0


def test_the_question_shows_the_whole_message_and_the_choice(qtbot, tmp_path, open_example_window):
    from genoview.gui.main_window import renaming_box

    window = open_example_window(EXAMPLE_GENOME)
    genome = open_genome(EXAMPLE_GENOME)
    try:
        genome.load_annotation(_renamed_annotation(tmp_path))
    except Exception as exc:   # noqa: BLE001 - the mismatch is what is tested
        error = exc
    finally:
        genome.close()
    message = str(error)
    assert message.endswith("renamed.gff3 > renamed-names.gff3")   # '> renamed.gff3' emptied the file it reads
    message = "/home/someone/projects/genomes/haemophilus/" + message   # a real path: over 300 characters
    assert len(message) > 300 and error.renaming == {"CHREX": "chrEx", "plasmidEx.1": "plasmidEx"}
    box = renaming_box(window, "renamed.gff3", message, error.renaming)
    assert message in box.text() and "…" not in user_message(message)
    assert box.rename_button.text() == "Open a copy with its 2 names as the genome's (CHREX as chrEx, …)"
    box.deleteLater()
    assert sequence_renaming({"NC_1.1": 10, "NC_2.1": 5}, [type("F", (), {"seqid": "X"})()]) == {}   # no match


def test_long_unbroken_runs_are_still_shortened():
    text = user_message("bad line: " + "A" * 5000 + " in x.fa")
    assert len(text) < 400 and text.startswith("bad line: AAA") and text.endswith(" in x.fa")


def test_a_read_only_folder_gets_the_copy_in_genoviews_data_folder(tmp_path, monkeypatch):
    import gzip
    import os

    folder = tmp_path / "shared"
    folder.mkdir()
    source = folder / "genes.gff3.gz"
    source.write_bytes(gzip.compress(b"##gff-version 3\nchr1\tx\tgene\t1\t10\t.\t+\t.\tID=g1;Note=chr1 kept\n"))
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(folder) else real_access(p, mode))
    copy = write_renamed_annotation(source, {"chr1": "NC_1.1"}, tmp_path / "data")
    assert copy == str(tmp_path / "data" / "genes.renamed.gff3")
    assert Path(copy).read_text() == "##gff-version 3\nNC_1.1\tx\tgene\t1\t10\t.\t+\t.\tID=g1;Note=chr1 kept\n"
