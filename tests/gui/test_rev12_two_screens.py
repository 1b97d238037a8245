"""rev12: with two monitors, the model library, the training wizard and the user guide open on the main window's
screen, sized for it (the library opened on the first screen, away from a main window on a laptop screen). Run in a
child process: Qt's offscreen platform is given two screens there (a 2560 x 1440 monitor, a 1280 x 800 laptop)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from genoview.app import create_main_window
from genoview.settings import Settings
window = create_main_window(Settings())
window.interactive = False
window.remember_layout = False
window.resize(1000, 650)
window.move(2600, 60)          # on the laptop, right of the big monitor
window.show()
app.processEvents()
shown = {"main": window.screen().name()}
library = window.open_model_library()
wizard = window.open_training_wizard({})
wizard.ask_before_closing = False
window.guide_action.trigger()
guide = window.help_dialog
app.processEvents()
laptop = [s for s in app.screens() if s.name() == "laptop"][0].availableGeometry()
for name, widget in (("library", library), ("wizard", wizard), ("guide", guide)):
    g = widget.frameGeometry()
    shown[name] = [widget.screen().name(), laptop.contains(g.center()), g.width() <= laptop.width(),
                   g.height() <= laptop.height()]
wizard.reject(); guide.reject(); library.close(); window.close()
print("RESULT " + json.dumps(shown))
"""


def test_owned_windows_open_on_the_main_windows_screen(tmp_path):
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [
        {"name": "big", "x": 0, "y": 0, "width": 2560, "height": 1440, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1},
        {"name": "laptop", "x": 2560, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "GENOVIEW_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=240)
    lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, out.stderr[-3000:]
    shown = json.loads(lines[-1][len("RESULT "):])
    assert shown["main"] == "laptop"
    for name in ("library", "wizard", "guide"):
        assert shown[name] == ["laptop", True, True, True], (name, shown)
