"""Render the application icon's PNG sizes (and the Windows .ico) from the SVG.

The SVG in ``resources/icons/annotator.svg`` is the one drawing; the PNGs beside it are
committed so that neither the wheel nor the Debian package needs a renderer at build
time. Run this after editing the SVG:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # noqa: F841
    renderer = QSvgRenderer(str(ICONS / "annotator.svg"))
    if not renderer.isValid():
        print(f"render_icons: error: {ICONS / 'annotator.svg'} is not a valid SVG",
              file=sys.stderr)
        return 2
    for size in SIZES:
        out = ICONS / f"annotator-{size}.png"
        if not render(renderer, size).save(str(out)):
            print(f"render_icons: error: could not write {out}", file=sys.stderr)
            return 2
        print(out.relative_to(ICONS.parent.parent))
    # Windows wants one .ico for the .exe; Qt's ICO writer stores one size, the largest
    # that Explorer scales well from.
    ico = ICONS / "annotator.ico"
    if render(renderer, 256).save(str(ico), "ICO"):
        print(ico.relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
