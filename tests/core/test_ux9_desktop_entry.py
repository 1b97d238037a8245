"""packaging/linux/genoview.desktop as a lab installs it (packaging/README.md): one main menu category (Science and
Education both were, so menus listed GenoView twice; desktop-file-validate's hint), Exec the `genoview` command that
the install links, and the icon it names shipped under resources/icons."""
from __future__ import annotations

import configparser

from genoview.paths import ROOT

MAIN_CATEGORIES = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics", "Network", "Office",
                   "Science", "Settings", "System", "Utility"}   # the freedesktop menu specification's main categories


def test_the_desktop_entry_installs_as_documented():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ROOT / "packaging" / "linux" / "genoview.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    categories = [c for c in desktop["Categories"].split(";") if c]
    assert len(set(categories) & MAIN_CATEGORIES) == 1, categories
    assert desktop["Exec"].split()[0] == "genoview" and desktop["Type"] == "Application"
    assert (ROOT / "resources" / "icons" / f"{desktop['Icon']}.png").is_file()
    readme = (ROOT / "packaging" / "README.md").read_text(encoding="utf-8")
    assert "ln -sf /opt/GenoView/genoview /usr/local/bin/genoview" in readme   # so Exec=genoview finds the bundle
