"""Saving a session typed as "s1.genoview" wrote "s1.genoview.genoview.json"; it now writes "s1.genoview.json"."""
from __future__ import annotations


def test_a_session_name_ending_in_genoview_gets_json_only(tmp_path, open_example_window):
    window = open_example_window()
    assert window.save_session(tmp_path / "s1.genoview")
    assert [p.name for p in tmp_path.iterdir()] == ["s1.genoview.json"]
    assert window.save_session(tmp_path / "s2")
    assert (tmp_path / "s2.genoview.json").is_file()
