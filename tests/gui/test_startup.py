"""The window shows before any heavy library loads (cold start stays well under 0.5 s)."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("networkx", "igraph", "matplotlib", "sqlalchemy", "openpyxl", "xlsxwriter", "scipy",
         "numpy", "pydantic", "ruamel")
SHOW_WINDOW = f"""
import sys
from workbench.gui.app import create_app
from workbench.gui.main_window import MainWindow
app = create_app()
window = MainWindow()
window.show()
app.processEvents()
print(",".join(m for m in {HEAVY!r} if m in sys.modules))
"""


def test_no_heavy_library_is_imported_before_the_window_shows(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WORKBENCH_DATA_DIR=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", SHOW_WINDOW], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
