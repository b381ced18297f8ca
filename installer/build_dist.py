"""Build the one-folder app with PyInstaller, and on Linux the AppDir tarball around it.

Usage: ``python installer/build_dist.py`` (what ``make dist`` runs). Writes ``dist/workbench/``
(the app), on macOS ``dist/Organisation Design Workbench.app``, on Linux
``dist/OrgDesignWorkbench-<version>-linux-<arch>.tar.gz``, and ``dist/build-info.json`` with the
build time and sizes.
"""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

INSTALLER = Path(__file__).resolve().parent
ROOT = INSTALLER.parent
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP_FOLDER = DIST / "workbench"
LINUX_NAME = "org-design-workbench"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
sys.path.insert(0, str(ROOT))
from workbench import __version__  # noqa: E402


def executable() -> Path:
    """The frozen program inside the one-folder build."""
    return APP_FOLDER / ("workbench.exe" if sys.platform == "win32" else "workbench")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def run_pyinstaller() -> float:
    """Run the spec; returns the seconds it took."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                    "--distpath", str(DIST), "--workpath", str(WORK),
                    str(INSTALLER / "workbench.spec")], check=True)
    return time.perf_counter() - began


def linux_appdir() -> Path:
    """Lay out an AppImage-style AppDir (AppRun, .desktop, icons, MIME type, install.sh)."""
    appdir = DIST / f"OrgDesignWorkbench-{__version__}-linux-{platform.machine()}"
    shutil.rmtree(appdir, ignore_errors=True)
    shutil.copytree(APP_FOLDER, appdir / "usr" / "lib" / "workbench", symlinks=True)
    linux = INSTALLER / "linux"
    for name in ("AppRun", "install.sh", f"{LINUX_NAME}.desktop"):
        shutil.copy2(linux / name, appdir / name)
    mime = appdir / "usr" / "share" / "mime" / "packages"
    mime.mkdir(parents=True)
    shutil.copy2(linux / f"{LINUX_NAME}.xml", mime)
    icons = ROOT / "resources" / "icons"
    for size in ICON_SIZES:
        target = appdir / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy2(icons / f"workbench-{size}.png", target / f"{LINUX_NAME}.png")
    shutil.copy2(icons / "workbench-256.png", appdir / f"{LINUX_NAME}.png")
    (appdir / ".DirIcon").symlink_to(f"{LINUX_NAME}.png")
    return appdir


def tarball(folder: Path) -> Path:
    archive = folder.with_name(folder.name + ".tar.gz")
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=folder.name)
    return archive


def main() -> int:
    seconds = run_pyinstaller()
    info: dict[str, object] = {
        "version": __version__, "platform": f"{sys.platform}-{platform.machine()}",
        "build_seconds": round(seconds, 1), "app_folder_mb": round(folder_size(APP_FOLDER) / 1e6, 1),
    }
    if sys.platform.startswith("linux"):
        archive = tarball(linux_appdir())
        info["archive"] = archive.name
        info["archive_mb"] = round(archive.stat().st_size / 1e6, 1)
    (DIST / "build-info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    for key, value in info.items():
        print(f"{key:>15}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
