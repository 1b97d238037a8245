"""Render resources/icons/genoview.svg to the PNG sizes desktops and PyInstaller use (256 px: genoview.png).

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icon.py
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(size: int, out: Path) -> None:
    renderer = QSvgRenderer(str(ICONS / "genoview.svg"))
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out)):
        raise SystemExit(f"could not write {out}")


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage text/SVG rendering wants an application
    render(256, ICONS / "genoview.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
