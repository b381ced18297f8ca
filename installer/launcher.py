"""Entry script of the frozen app: PyInstaller starts here, then hands over to the CLI.

Frozen-only setup: a windowed build (Windows, macOS) has no console, so print() output and
error reports go to a log file in the platform's user log folder; Qt settings are kept as an
INI file in the platform's user config folder (both found with platformdirs).
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

from platformdirs import user_config_dir, user_log_dir

from workbench import ORG_NAME
from workbench.cli import console


def redirect_missing_streams() -> None:
    """Send stdout/stderr to ``<user log dir>/workbench.log`` when there is no console."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    folder = Path(user_log_dir(ORG_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    log = open(folder / "workbench.log", "a", encoding="utf-8", buffering=1)  # noqa: SIM115
    sys.stdout = sys.stdout or log
    sys.stderr = sys.stderr or log


def keep_settings_in_user_config() -> None:
    """QSettings() of the app become ``<user config dir>/<org>/<app>.ini``."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      user_config_dir(appauthor=False))


if __name__ == "__main__":
    multiprocessing.freeze_support()  # exact measures start worker processes (exact_paths.py)
    redirect_missing_streams()
    keep_settings_in_user_config()
    console()
