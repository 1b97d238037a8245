"""Typed settings: round trip in GENOVIEW_HOME, recent files, environment overrides, a damaged file."""
from __future__ import annotations

import json

from genoview.settings import MAX_RECENT_FILES, Settings, load_settings, save_settings, settings_path


def test_defaults_when_nothing_saved(_isolated_home):
    assert load_settings() == Settings()
    assert str(settings_path()).startswith(str(_isolated_home))


def test_round_trip(tmp_path):
    settings = Settings(threshold=0.7, show_translation=True, window_geometry="AAAB")
    settings.add_recent_file(tmp_path / "a.fa", annotation=tmp_path / "a.gff")
    save_settings(settings)
    loaded = load_settings()
    assert loaded == settings
    assert loaded.recent_files == [str((tmp_path / "a.fa").resolve())]
    assert loaded.recent_annotations[loaded.recent_files[0]] == str((tmp_path / "a.gff").resolve())
    assert loaded.last_directory == str(tmp_path.resolve())


def test_recent_files_newest_first_and_capped(tmp_path):
    settings = Settings()
    for i in range(MAX_RECENT_FILES + 3):
        settings.add_recent_file(tmp_path / f"{i}.fa")
    settings.add_recent_file(tmp_path / "5.fa")
    assert len(settings.recent_files) == MAX_RECENT_FILES
    assert settings.recent_files[0].endswith("5.fa")
    assert sum(p.endswith("/5.fa") for p in settings.recent_files) == 1


def test_environment_override_is_not_saved(monkeypatch):
    save_settings(Settings(device="cuda"))
    monkeypatch.setenv("GENOVIEW_SETTING_DEVICE", "cpu")
    monkeypatch.setenv("GENOVIEW_SETTING_SHOW_TRANSLATION", "yes")
    settings = load_settings()
    assert settings.device == "cpu" and settings.show_translation is True
    settings.threshold = 0.3
    save_settings(settings)
    saved = json.loads(settings_path().read_text())
    assert saved["device"] == "cuda" and saved["show_translation"] is False and saved["threshold"] == 0.3


def test_damaged_file_is_set_aside():
    settings_path().write_text("{not json")
    assert load_settings() == Settings()
    assert settings_path().with_suffix(".json.bad").exists()


def test_wrong_types_fall_back_to_defaults():
    settings_path().write_text(json.dumps({"threshold": "high", "recent_files": ["x.fa"], "show_translation": 1}))
    settings = load_settings()
    assert settings.threshold == 0.5 and settings.recent_files == ["x.fa"] and settings.show_translation is False
