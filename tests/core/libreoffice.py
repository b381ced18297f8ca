"""Print a deliverable through LibreOffice and read the printed text back (tests skip, with the
reason, where LibreOffice or pdftotext is missing or cannot open the format)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

APPS = {".docx": "Writer", ".pptx": "Impress", ".xlsx": "Calc"}


def printed_text(path: Path, folder: Path, layout: bool = False) -> str:
    """The text of ``path`` converted to PDF by LibreOffice in ``folder`` (pages end with a
    form feed); ``layout`` keeps the printed columns apart as pdftotext -layout does."""
    for tool in ("soffice", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not on PATH (LibreOffice / poppler-utils)")
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                   capture_output=True, text=True, timeout=180)
    printed = folder / f"{path.stem}.pdf"
    if not printed.exists():
        pytest.skip(f"this LibreOffice cannot open {path.suffix} files "
                    f"(no {APPS.get(path.suffix, 'application')} installed)")
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(printed), "-"],
                          check=True, capture_output=True, text=True, timeout=60).stdout
