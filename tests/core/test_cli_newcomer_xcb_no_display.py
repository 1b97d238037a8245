"""`QT_QPA_PLATFORM=xcb` in the environment (common on Wayland desktops) and an ssh session without X: Qt aborted
with its wall of text (exit 134) instead of README's one line "no display to open the window on"."""
from genoview.cli.gui import no_display


def test_xcb_chosen_without_a_display_is_no_display():
    assert no_display({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert no_display({"QT_QPA_PLATFORM": "wayland"}, "linux")
    assert not no_display({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}, "linux")
    assert not no_display({"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not no_display({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not no_display({"QT_QPA_PLATFORM": "xcb"}, "darwin")
