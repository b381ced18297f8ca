"""Where bundled resources and templates live: source checkout, installed wheel or frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def package_root() -> Path:
    """The folder holding the ``workbench`` package data (``resources/``, ``templates/``)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:  # PyInstaller one-folder build: data is collected under workbench/
        return Path(frozen_root) / "workbench"
    return Path(__file__).resolve().parent


def resources_dir() -> Path:
    return package_root() / "resources"


def templates_dir() -> Path:
    return package_root() / "templates"


def resource(name: str) -> Path:
    """Path of a bundled resource file; raises FileNotFoundError naming it when missing."""
    path = resources_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"bundled resource missing: {path}")
    return path


def user_data_dir() -> Path:
    """Per-user data folder (demo project, pseudonym keys); ``WORKBENCH_DATA_DIR`` overrides it."""
    import os

    override = os.environ.get("WORKBENCH_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir as platform_user_data_dir

    return Path(platform_user_data_dir("OrgDesignWorkbench", appauthor=False))
