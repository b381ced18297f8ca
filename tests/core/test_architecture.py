"""The core stays Qt-free so it can be scripted and tested headless."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "workbench" / "core"


def test_no_core_module_imports_qt_or_gui():
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names
                          if n.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
                          or n.startswith("workbench.gui")]
    assert offenders == []


def test_importing_the_core_loads_no_qt():
    code = ("import sys, workbench.core.project, workbench.core.services; "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_code_cites_only_documents_inside_the_repository():
    """Docstrings point to docs/ in this repository, never to design files kept elsewhere."""
    root = CORE.parents[1]
    citing = [str(p.relative_to(root)) for p in (root / "workbench").rglob("*.py")
              if "DESIGN.md" in p.read_text(encoding="utf-8")]
    assert citing == []
    assert (root / "docs" / "architecture.md").is_file()
