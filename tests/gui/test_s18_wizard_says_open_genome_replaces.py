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
