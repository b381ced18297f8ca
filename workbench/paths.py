"""Where bundled resources and templates live: source checkout, installed wheel or frozen build.

In the repository ``templates/`` and ``resources/`` sit at the top level; the wheel and the
frozen app carry them inside the package as ``workbench/templates`` and ``workbench/resources``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def package_root() -> Path:
    """The folder holding the ``workbench`` package code (and its data, once installed)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:  # PyInstaller one-folder build: data is collected under workbench/
        return Path(frozen_root) / "workbench"
    return PACKAGE_DIR


def _data_dir(name: str) -> Path:
    """``name`` inside the installed or frozen package, else at the top of the checkout."""
    inside = package_root() / name
    if inside.is_dir() or getattr(sys, "_MEIPASS", None):
        return inside
    return PACKAGE_DIR.parent / name


def resources_dir() -> Path:
    return _data_dir("resources")


def templates_dir() -> Path:
    return _data_dir("templates")


def guide_file() -> Path:
    """The user guide: ``docs/guide.html`` in the checkout, shipped as
    ``workbench/guide/guide.html`` in the wheel and the frozen app."""
    inside = package_root() / "guide" / "guide.html"
    if inside.is_file() or getattr(sys, "_MEIPASS", None):
        return inside
    return PACKAGE_DIR.parent / "docs" / "guide.html"


def resource(name: str) -> Path:
    """Path of a bundled resource file; raises FileNotFoundError naming it when missing."""
    path = resources_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"bundled resource missing: {path}")
    return path


def user_data_dir() -> Path:
    """Per-user data folder (demo project, pseudonym keys); ``WORKBENCH_DATA_DIR`` overrides it."""
    override = os.environ.get("WORKBENCH_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir as platform_user_data_dir

    return Path(platform_user_data_dir("OrgDesignWorkbench", appauthor=False))


def user_log_dir() -> Path:
    """Per-user folder of the log files; ``WORKBENCH_LOG_DIR`` overrides it."""
    import os

    override = os.environ.get("WORKBENCH_LOG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_log_dir as platform_user_log_dir

    return Path(platform_user_log_dir("OrgDesignWorkbench", appauthor=False))
