"""`workbench import` (not available in this version yet)."""

from __future__ import annotations

import argparse

from workbench.core.errors import WorkbenchError


def run(args: argparse.Namespace) -> int:
    raise WorkbenchError("'import' is not available in this version yet.")
