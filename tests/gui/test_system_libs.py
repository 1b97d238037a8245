"""The check before Qt starts on Linux: missing xcb libraries become one apt-get line, not Qt's abort."""
from __future__ import annotations

from genoview.gui import system_libs


def test_advice_names_the_packages():
    text = system_libs.advice(["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libweird.so.9"])
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4\n" in text
    assert "libweird.so.9" in text and "apt-file" in text


def test_no_check_offscreen_or_elsewhere(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert not system_libs.needs_xcb() and system_libs.check() is None


def test_missing_libraries_read_from_ldd(monkeypatch, tmp_path):
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")

    class Done:
        stdout = ("\tlibxcb-icccm.so.4 => not found\n\tlibxcb.so.1 => /lib/libxcb.so.1 (0x1)\n"
                  "\tlibxcb-icccm.so.4 => not found\n")

    monkeypatch.setattr(system_libs.sys, "platform", "linux")
    monkeypatch.setattr(system_libs.shutil, "which", lambda name: "/usr/bin/ldd")
    monkeypatch.setattr(system_libs.subprocess, "run", lambda *a, **k: Done())
    assert system_libs.missing_libraries(plugin) == ["libxcb-icccm.so.4"]
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(system_libs, "xcb_plugin", lambda: plugin)
    assert "libxcb-icccm4" in system_libs.check()
