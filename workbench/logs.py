"""Logging for the app and the CLI: a rotating file in the user log folder, plus the console.

``configure_logging()`` is called once at start-up (``workbench.gui.app.run_gui`` and
``workbench.cli.main``); calling it again replaces the handlers it installed, so tests can point
the log at a temporary folder and :func:`stop_logging` afterwards.
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "workbench.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
_OURS = "_workbench_handler"
_log_file: Path | None = None


def log_file() -> Path | None:
    """The file the log is written to, or None when logging was not configured."""
    return _log_file


def configure_logging(folder: str | Path | None = None, *, console: bool | None = None,
                      level: int = logging.INFO) -> Path | None:
    """Log to ``folder``/workbench.log (default: the user log folder), rotating at 1 MB.

    ``console`` adds a stderr handler (default: when stderr is a terminal). Returns the log
    file, or None when the folder cannot be created (the app then runs without a log file).
    """
    global _log_file
    stop_logging()
    root = logging.getLogger()
    formatter = logging.Formatter(FORMAT)
    if folder is None:
        from workbench.paths import user_log_dir

        folder = user_log_dir()
    path: Path | None = Path(folder) / LOG_NAME
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(Path(folder) / LOG_NAME, maxBytes=MAX_BYTES,
                                      backupCount=BACKUPS, encoding="utf-8")
    except OSError as exc:
        print(f"workbench: cannot write the log to {folder} ({exc})", file=sys.stderr)
        path = None
    else:
        handler.setFormatter(formatter)
        _install(root, handler)
    if console is None:
        console = bool(getattr(sys.stderr, "isatty", lambda: False)())
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        stream.setLevel(logging.WARNING)
        _install(root, stream)
    root.setLevel(level)
    _log_file = path
    return path


def _install(root: logging.Logger, handler: logging.Handler) -> None:
    setattr(handler, _OURS, True)
    root.addHandler(handler)


def stop_logging() -> None:
    """Remove (and close) the handlers :func:`configure_logging` installed."""
    global _log_file
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False):
            root.removeHandler(handler)
            handler.close()
    _log_file = None
