"""The package as pip installs it (issue 14, point 1): the repository's importer/, models/ and migrations/ folders
install as one import package, `blogimport` (`blogimport.models`, `blogimport.migrations`), and nothing else lands
in site-packages: no `importer`, no `models` to collide with other projects' modules."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from blogimport.store.schema import HEAD_REVISION
from tests.conftest import PACKAGE_FOLDERS, REPO, copy_project

DIST_INFO = "blogimport-0.1.0.dist-info"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip wheel` builds of a copy of the project (the build leaves nothing in the checkout)."""
    top = tmp_path_factory.mktemp("wheel")
    project = copy_project(top / "project")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "--disable-pip-version-check",
            "-w",
            top / "dist",
            project,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (path,) = (top / "dist").glob("*.whl")
    return path


def names_in(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zipped:
        return zipped.namelist()


def test_the_wheel_installs_blogimport_and_its_dist_info_only(wheel: Path) -> None:
    assert sorted({name.split("/")[0] for name in names_in(wheel)}) == ["blogimport", DIST_INFO]


def test_the_wheel_holds_every_file_of_the_three_folders_under_blogimport(wheel: Path) -> None:
    """Every module, revision and data file (the Datasette metadata, Alembic's template), and nothing else."""
    expected = {
        "/".join((*package.split("."), *path.relative_to(REPO / folder).parts))
        for folder, package in PACKAGE_FOLDERS.items()
        for path in (REPO / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert {name for name in names_in(wheel) if not name.startswith(DIST_INFO)} == expected
    assert {
        "blogimport/__main__.py",
        "blogimport/models/__init__.py",
        "blogimport/migrations/env.py",
        "blogimport/migrations/script.py.mako",
    } <= expected


def test_the_console_script_is_blogimport_launch(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zipped:
        entry_points = zipped.read(f"{DIST_INFO}/entry_points.txt").decode()
    assert entry_points == "[console_scripts]\nblogimport = blogimport.launch:main\n"


def test_the_installed_package_runs_and_migrates(wheel: Path, tmp_path: Path) -> None:
    """`python -m blogimport` of the installed copy (not this checkout) makes a database from the revisions it
    ships."""
    target = tmp_path / "site"
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            "--target",
            target,
            wheel,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    environment = {**os.environ, "PYTHONPATH": str(target)}
    environment.pop("BLOGIMPORT_DB", None)
    where = subprocess.run(
        [sys.executable, "-c", "import blogimport.migrations as m; print(m.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
    )
    assert where.stdout == f"{target}/blogimport/migrations/__init__.py\n"
    upgraded = subprocess.run(
        [sys.executable, "-m", "blogimport", "db", "upgrade", "--db", "sqlite:///made.db"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
    )
    assert (upgraded.returncode, upgraded.stdout.splitlines()[-1]) == (0, f"{HEAD_REVISION} (head)"), upgraded.stderr
    assert (tmp_path / "made.db").is_file()
