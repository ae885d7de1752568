"""The desktop entry, AppStream metainfo, MIME type and icons agree with each other and
pass the freedesktop validators where those are installed."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DESKTOP = REPO / "resources" / "desktop"
ICONS = REPO / "resources" / "icons"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
MIME_TYPE = "application/x-annotator-project"


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP / "annotator.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_opens_project_files() -> None:
    entry = _entry()
    assert entry["Exec"] == "annotator %f"
    assert entry["Icon"] == "annotator"
    assert MIME_TYPE in entry["MimeType"].split(";")
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(DESKTOP / "annotator.desktop")],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_mime_type_matches_the_project_extension() -> None:
    root = ET.parse(DESKTOP / "annotator-project.xml").getroot()
    (mime,) = root.findall(f"{MIME_NS}mime-type")
    assert mime.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == ["*.annotator"]
    assert mime.find(f"{MIME_NS}sub-class-of").get("type") == "application/vnd.sqlite3"  # type: ignore[union-attr]


def test_metainfo_names_the_desktop_entry_and_the_mime_type() -> None:
    root = ET.parse(DESKTOP / "annotator.metainfo.xml").getroot()
    assert root.findtext("launchable") == "annotator.desktop"
    assert root.findtext("provides/mediatype") == MIME_TYPE
    if shutil.which("appstreamcli"):
        result = subprocess.run(["appstreamcli", "validate", "--no-net",
                                 str(DESKTOP / "annotator.metainfo.xml")],
                                capture_output=True, text=True)
        # Errors fail; the one warning left is the id, which is not reverse-DNS because
        # the project has no domain of its own (packaging/README.md).
        problems = [line for line in result.stdout.splitlines()
                    if line[:2] in ("E:", "W:") and "cid-desktopapp-is-not-rdns" not in line]
        assert not problems, result.stdout


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256])
def test_icon_png_sizes_are_rendered_from_the_svg(size: int) -> None:
    from PySide6.QtGui import QImage

    image = QImage(str(ICONS / f"annotator-{size}.png"))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def test_icon_svg_is_valid() -> None:
    from PySide6.QtSvg import QSvgRenderer

    assert QSvgRenderer(str(ICONS / "annotator.svg")).isValid()
