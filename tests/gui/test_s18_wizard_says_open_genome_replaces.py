"""The training wizard reopened with another genome open says that genome replaced the last run's: it said 'Your last
training settings are filled in on every page' above the open genome (H-walk18 under Xvfb: trained on example.fa,
then E. coli open; the Genome field read E. coli's file under that line, example.fa named nowhere)."""
from __future__ import annotations

from pathlib import Path

from tests.gui.test_hfix_wizard_remembers import _open


def test_the_subtitle_names_the_open_genome_and_the_last_one(qtbot, session, data_dir):
    first = _open(qtbot)
    first.data_page.fasta_edit.setText(str(data_dir / "engine_tiny.fa"))
    first.close()
    opened = _open(qtbot, session)
    assert opened.data_page.fasta_edit.text() == str(session.genome.path)
    subtitle = opened.data_page.subTitle()
    assert "last training settings" in subtitle
    assert f"The open genome, {Path(str(session.genome.path)).name}, replaces the last one (engine_tiny.fa)" in subtitle
    opened.close()
    again = _open(qtbot)   # no genome open: the last one stays, nothing replaced
    assert again.data_page.fasta_edit.text() == str(session.genome.path) and "replaces" not in again.data_page.subTitle()
    again.close()


def test_an_unfinished_run_keeps_its_genome(qtbot, session, data_dir):
    """H-walk18: genecnn-example-3 paused on example.fa, the wizard closed, E. coli open: the reopened wizard said the
    unfinished run 'can be continued on the Review page' with E. coli in the Genome field, so Resume would have been a
    run of other settings. The unfinished run's genome stays, and the subtitle says so."""
    import json

    from genoview.gui.wizard.window import last_settings_path

    first = _open(qtbot)
    first.data_page.fasta_edit.setText(str(data_dir / "engine_tiny.fa"))
    first.close()
    path = last_settings_path()
    settings = json.loads(path.read_text())
    settings["review"] = {"name": "paused-model", "unfinished": True}   # what closing a paused run keeps
    path.write_text(json.dumps(settings))
    opened = _open(qtbot, session)
    assert opened.data_page.fasta_edit.text() == str(data_dir / "engine_tiny.fa")
    assert opened.review_page.name_edit.text() == "paused-model"
    subtitle = opened.data_page.subTitle()
    assert "unfinished run of paused-model can be continued" in subtitle and "own genome" in subtitle
    assert "replaces" not in subtitle
    opened.close()


def test_a_run_paused_before_its_first_checkpoint_is_not_offered_to_continue(qtbot, monkeypatch, data_dir):
    """H-walk18: genecnn-example-3 paused at step 15 (a checkpoint is saved every 50), the wizard closed and opened
    again: 'The unfinished run of genecnn-example-3 can be continued on the Review page', and the Review page offered
    no Continue (there is no checkpoint): a dead end. The settings now keep whether a checkpoint was there."""
    import json

    from genoview.gui.wizard.window import last_settings_path

    first = _open(qtbot)
    first.data_page.fasta_edit.setText(str(data_dir / "engine_tiny.fa"))
    first.values["name"] = "early-pause"
    first.run_page.outcome = "paused"   # what the Run page records when Pause ended the process
    first.close()
    review = json.loads(last_settings_path().read_text())["review"]
    assert review == {"name": "early-pause", "unfinished": True, "checkpoint": False}
    opened = _open(qtbot)
    subtitle = opened.data_page.subTitle()
    assert "paused before its first checkpoint" in subtitle and "can be continued" not in subtitle
    assert opened.review_page.name_edit.text() == "early-pause"
    opened.close()
