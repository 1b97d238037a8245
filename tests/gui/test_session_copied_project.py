"""A session file keeps each file's absolute path and its path relative to the session. A project folder (session +
data) copied elsewhere opened the OLD copy's data, since the absolute paths still existed. The rule now: when the
session file is no longer where it was saved and the relative path leads to a file, that file opens, and the window
says which file it opened instead of the saved one; an unchanged project, or a session moved alone, opens as saved."""
from __future__ import annotations

import shutil

from genoview.gui import session_file
from genoview.gui.session_file import SessionState, read_session, write_session
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def _project(folder):
    folder.mkdir(parents=True)
    genome, annotation = folder / "genome.fa", folder / "genes.gff3"
    shutil.copy(EXAMPLE_GENOME, genome)
    shutil.copy(EXAMPLE_ANNOTATION, annotation)
    session = folder / "work.genoview.json"
    write_session(session, SessionState(str(genome), str(annotation)))
    return session, genome, annotation


def test_an_unchanged_project_opens_its_saved_files(tmp_path):
    session, genome, annotation = _project(tmp_path / "proj")
    state = read_session(session)
    assert (state.genome, state.annotation, state.relocated) == (str(genome), str(annotation), [])


def test_a_copied_project_opens_its_own_data_not_the_old_copys(tmp_path):
    session, genome, annotation = _project(tmp_path / "proj")
    shutil.copytree(tmp_path / "proj", tmp_path / "copy")
    state = read_session(tmp_path / "copy" / session.name)
    assert state.genome == str(tmp_path / "copy" / "genome.fa")
    assert state.annotation == str(tmp_path / "copy" / "genes.gff3")
    assert state.relocated == [("genome", state.genome, str(genome)), ("annotation", state.annotation, str(annotation))]
    assert read_session(session).relocated == []   # the original still opens its own


def test_a_moved_project_opens_its_data_where_it_is_now(tmp_path):
    session, genome, _ = _project(tmp_path / "proj")
    shutil.move(tmp_path / "proj", tmp_path / "archive" / "proj")
    state = read_session(tmp_path / "archive" / "proj" / session.name)
    assert state.genome == str(tmp_path / "archive" / "proj" / "genome.fa")
    assert state.relocated[0] == ("genome", state.genome, str(genome))


def test_a_session_moved_alone_still_opens_the_data_where_it_was(tmp_path):
    session, genome, annotation = _project(tmp_path / "proj")
    (tmp_path / "elsewhere" / "deeper").mkdir(parents=True)
    alone = tmp_path / "elsewhere" / "deeper" / session.name
    shutil.move(session, alone)
    state = read_session(alone)
    assert (state.genome, state.annotation, state.relocated) == (str(genome), str(annotation), [])


def test_a_copied_project_whose_data_lay_outside_it_opens_the_saved_data(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(EXAMPLE_GENOME, data / "genome.fa")
    (tmp_path / "lab" / "proj").mkdir(parents=True)
    session = tmp_path / "lab" / "proj" / "work.genoview.json"
    write_session(session, SessionState(str(data / "genome.fa")))   # relative: ../../data/genome.fa
    shutil.copytree(tmp_path / "lab", tmp_path / "home" / "me" / "lab")
    state = read_session(tmp_path / "home" / "me" / "lab" / "proj" / session.name)
    assert (state.genome, state.relocated) == (str(data / "genome.fa"), [])


def test_a_moved_project_whose_data_are_gone_names_both_places_it_looked(tmp_path):
    """Missing at the saved path and beside the moved session: the message names both (it named only the old one)."""
    import pytest

    from genoview.core.errors import GenoViewInputError

    session, genome, _ = _project(tmp_path / "proj")
    shutil.move(tmp_path / "proj", tmp_path / "moved")
    (tmp_path / "moved" / "genome.fa").unlink()
    with pytest.raises(GenoViewInputError) as exc:
        read_session(tmp_path / "moved" / session.name)
    text = str(exc.value)
    assert f"genome file {genome} is not there any more, nor beside the session file at " \
           f"{tmp_path / 'moved' / 'genome.fa'} (moved or deleted): find it" in text
    assert exc.value.missing == ("genome", str(genome))   # the window still asks where it is now
    unmoved, _, annotation = _project(tmp_path / "other")
    annotation.unlink()
    with pytest.raises(GenoViewInputError, match=r"genes.gff3 is not there any more \(moved"):   # not moved: one place
        read_session(unmoved)


def test_a_copy_without_its_annotation_says_the_annotation_came_from_the_saved_place(qtbot, tmp_path,
                                                                                     open_example_window):
    """The copy lacks genes.gff3: the original's opens beside the copy's genome (as a session moved alone would), and
    the window says so; it said only 'opened genome.fa in copy', which read as the whole project being the copy's."""
    session, genome, annotation = _project(tmp_path / "proj")
    shutil.copytree(tmp_path / "proj", tmp_path / "copy")
    (tmp_path / "copy" / "genes.gff3").unlink()
    state = read_session(tmp_path / "copy" / session.name)
    assert (state.genome, state.annotation) == (str(tmp_path / "copy" / "genome.fa"), str(annotation))
    assert state.kept == [("annotation", str(annotation))]
    assert read_session(session).kept == []   # not moved: nothing to say
    window = open_example_window()
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        assert window.open_session(tmp_path / "copy" / session.name)
    message = window.statusBar().currentMessage()
    assert (f"opened genome.fa in {tmp_path / 'copy'}, not in {genome.parent}; genes.gff3 from {annotation.parent} "
            "as saved (none beside the session)") in message


def test_the_window_opens_the_copy_and_says_which_file_it_opened(qtbot, tmp_path, open_example_window):
    session, genome, _ = _project(tmp_path / "proj")
    shutil.copytree(tmp_path / "proj", tmp_path / "copy")
    window = open_example_window()
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        assert window.open_session(tmp_path / "copy" / session.name)
    copied = str(tmp_path / "copy" / "genome.fa")
    assert window.session.genome.path == copied
    assert window.session.genome.annotation_path == str(tmp_path / "copy" / "genes.gff3")
    message = window.statusBar().currentMessage()
    assert f"moved or copied: opened genome.fa and genes.gff3 in {tmp_path / 'copy'}, not in {genome.parent}" in message
    assert session_file.SUFFIX in message
