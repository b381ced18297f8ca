"""The wheel carries the bundled resources, templates and migrations that paths.py finds."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from workbench import paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True, capture_output=True)
    (wheel,) = out.glob("workbench-*.whl")
    return wheel


def _bundled(folder: Path) -> set[str]:
    """Files of a data or code folder, named as they sit inside the package."""
    return {f"{folder.name}/{p.relative_to(folder)}".replace("\\", "/")
            for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_wheel_contains_every_bundled_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = (_bundled(paths.resources_dir()) | _bundled(paths.templates_dir())
                | {f"core/store/{f}" for f in _bundled(paths.package_root() / "core" / "store"
                                                       / "migrations")
                   if f.endswith((".py", ".mako"))})
    assert expected, "nothing bundled?"
    missing = {f"workbench/{name}" for name in expected} - names
    assert missing == set()


def test_wheel_declares_the_console_script(wheel):
    with zipfile.ZipFile(wheel) as zf:
        entry_points = next(n for n in zf.namelist() if n.endswith("entry_points.txt"))
        assert "workbench = workbench.cli:console" in zf.read(entry_points).decode()


def test_paths_find_resources_in_a_source_checkout():
    assert paths.resource("demo/recipe.yaml").is_file()
    with pytest.raises(FileNotFoundError, match="missing"):
        paths.resource("no/such/file")


def test_frozen_layout_is_honoured(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "workbench" / "resources"


def test_wheel_contains_every_code_module(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    code = {str(p.relative_to(ROOT)).replace("\\", "/") for p in (ROOT / "workbench").rglob("*.py")
            if "__pycache__" not in p.parts}
    assert code - names == set(), "add the package to [tool.setuptools] packages"


def test_data_folders_sit_at_the_top_of_the_checkout():
    assert paths.templates_dir() == ROOT / "templates"
    assert paths.resources_dir() == ROOT / "resources"


def test_wheel_ships_the_user_guide_and_nothing_else_of_docs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "workbench/guide/guide.html" in names
    assert not any(n.startswith("workbench/guide/") and n.endswith(".png") for n in names)
    assert paths.guide_file() == ROOT / "docs" / "guide.html"
