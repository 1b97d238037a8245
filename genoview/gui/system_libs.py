"""Before Qt starts on Linux: are the system libraries its xcb platform plugin needs installed?

Without them Qt aborts with "could not load the Qt platform plugin 'xcb'" and a wall of text. This module
runs ``ldd`` on PySide6's xcb plugin (without importing Qt), and names the Debian/Ubuntu packages that
provide what is missing, as one ``apt-get install`` line. ``python -m genoview.gui.system_libs`` exits 1
with that line (``make run`` calls it); ``genoview gui`` prints the same before giving up.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

# shared library (as ldd names it) -> Debian 12 / Ubuntu 22.04+ package; from `ldd libqxcb.so` with PySide6 6.11
LIBRARY_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
# everything the xcb plugin needs on a bare Debian/Ubuntu system (the README's list)
ALL_PACKAGES = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-randr0",
                "libxcb-render-util0", "libxcb-shape0", "libxcb-sync1", "libxcb-xfixes0", "libxcb-xkb1",
                "libxkbcommon-x11-0", "libx11-xcb1", "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3")


def xcb_plugin() -> Path | None:
    """PySide6's libqxcb.so, found without importing Qt; None when PySide6 is not installed."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        plugin = Path(location) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def missing_libraries(plugin: Path | None = None) -> list[str]:
    """Libraries ``ldd`` reports 'not found' for the plugin and the Qt libraries it loads; [] when all are there
    (or when this cannot be checked: not Linux, no ldd, no plugin)."""
    plugin = plugin or xcb_plugin()
    if plugin is None or not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return []
    try:
        output = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    missing = []
    for line in output.splitlines():
        if "not found" in line:
            name = line.split("=>")[0].strip()
            if name not in missing:
                missing.append(name)
    return missing


def needs_xcb() -> bool:
    """True when Qt would use the xcb plugin: Linux, with an X display, and no other platform chosen."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform and not platform.startswith("xcb"):
        return False
    return bool(os.environ.get("DISPLAY")) or platform.startswith("xcb")


def advice(missing: list[str]) -> str:
    """What to tell the user: the missing libraries and the apt-get line that installs them."""
    packages = sorted({LIBRARY_PACKAGES.get(name, "?") for name in missing} - {"?"})
    unknown = [name for name in missing if name not in LIBRARY_PACKAGES]
    lines = [f"GenoView's window needs system libraries that are not installed: {', '.join(missing)}."]
    if packages:
        lines.append(f"On Debian or Ubuntu:  sudo apt-get install {' '.join(packages)}")
    if unknown:
        lines.append(f"(find the package for {', '.join(unknown)} with: apt-file search <name>)")
    lines.append("All the GUI needs on a bare system:  sudo apt-get install " + " ".join(ALL_PACKAGES))
    lines.append("The command-line tools (genoview predict, evaluate, train, ...) work without them.")
    return "\n".join(lines)


def check() -> str | None:
    """The advice when the window cannot start for missing libraries, else None."""
    if not needs_xcb():
        return None
    missing = missing_libraries()
    return advice(missing) if missing else None


def main() -> int:
    message = check()
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
