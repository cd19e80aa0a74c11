"""Nothing is created or written unless asked (issue 13, point 5): commands that only read refuse a SQLite file
that is not there, and every `python -m` entry point has --help and writes no file without being told to."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from blogimport.report.datasette import METADATA_FILE
from blogimport.report.schema_doc import END, START
from tests.conftest import PACKAGE_FOLDERS, REPO, run

NOT_CREATING = [
    ("stats",),
    ("search", "Interserve"),
    ("runs",),
    ("db", "current"),
    ("db", "history"),
    ("db", "check"),
    ("db", "downgrade", "base"),
]


@pytest.mark.parametrize("command", NOT_CREATING, ids=" ".join)
def test_a_command_that_only_reads_refuses_a_missing_sqlite_file(tmp_path: Path, command: tuple[str, ...]) -> None:
    path = tmp_path / "mistyped.db"
    result = run(*command, "--db", f"sqlite:///{path}")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"Error: no database at {path} (import something first, or check --db)\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_a_relative_path_is_named_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("stats", env={"BLOGIMPORT_DB": "sqlite:///blgo.db"})
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: no database at blgo.db (import something first, or check --db)\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_import_and_db_upgrade_still_create_it(tmp_path: Path) -> None:
    upgraded, imported = tmp_path / "upgraded.db", tmp_path / "imported.db"
    assert run("db", "upgrade", "--db", f"sqlite:///{upgraded}").exit_code == 0
    assert run("import", REPO / "seeds", "--db", f"sqlite:///{imported}").exit_code == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["imported.db", "upgraded.db"]
    assert run("stats", "--db", f"sqlite:///{upgraded}").stdout.startswith("blogs: 0\nposts: 0\n")


def main_modules() -> list[str]:
    """Every module of the package that runs as `python -m`: a __main__.py, or an `if __name__ == "__main__":`."""
    found = []
    for folder, package in PACKAGE_FOLDERS.items():
        for path in sorted((REPO / folder).rglob("*.py")):
            if path.name == "__main__.py" or 'if __name__ == "__main__":' in path.read_text(encoding="utf-8"):
                parts = (*package.split("."), *path.relative_to(REPO / folder).with_suffix("").parts)
                found.append(".".join(parts[:-1] if path.name == "__main__.py" else parts))
    return found


MAIN_MODULES = ["blogimport", "blogimport.report.datasette", "blogimport.report.schema_doc"]
# As printed 80 columns wide (python_m sets COLUMNS), where argparse would wrap a longer one.
USAGE = {
    "blogimport": "Usage: python -m blogimport [OPTIONS] COMMAND [ARGS]...",
    "blogimport.report.datasette": "usage: python -m blogimport.report.datasette [-h] [NAME]",
    "blogimport.report.schema_doc": "usage: python -m blogimport.report.schema_doc [-h] [--write | --check] [FILE]",
}


def test_the_entry_points_are_these() -> None:
    assert main_modules() == MAIN_MODULES


def python_m(module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env={**os.environ, "COLUMNS": "80"},
    )


def contents(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


SCHEMA_DOC = REPO / "docs" / "schema.md"


@pytest.fixture
def stale_readme_folder(tmp_path: Path) -> Path:
    """A folder holding a docs/schema.md whose schema section is out of date, as a --write would change it."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "schema.md").write_text(f"# A project\n\n{START}\nold\n{END}\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("module", MAIN_MODULES)
def test_every_entry_point_has_help_and_writes_nothing(module: str, stale_readme_folder: Path) -> None:
    folder = stale_readme_folder
    before = contents(folder), SCHEMA_DOC.read_bytes(), METADATA_FILE.read_bytes()
    helped = python_m(module, "--help", cwd=folder)
    assert (helped.returncode, helped.stderr) == (0, "")
    assert helped.stdout.startswith(USAGE[module] + "\n") and len(helped.stdout.splitlines()) > 3
    bare = python_m(module, cwd=folder)
    assert "Traceback" not in bare.stderr
    assert (contents(folder), SCHEMA_DOC.read_bytes(), METADATA_FILE.read_bytes()) == before


def test_schema_doc_without_arguments_prints_the_section(tmp_path: Path) -> None:
    section = SCHEMA_DOC.read_text(encoding="utf-8").split(START, 1)[1].split(END, 1)[0]
    printed = python_m("blogimport.report.schema_doc", cwd=tmp_path)
    assert (printed.returncode, "\n" + printed.stdout, printed.stderr) == (0, section, "")


def test_schema_doc_checks_and_writes_only_when_asked(stale_readme_folder: Path) -> None:
    readme = stale_readme_folder / "docs" / "schema.md"
    stale = readme.read_text(encoding="utf-8")
    checked = python_m("blogimport.report.schema_doc", "--check", cwd=stale_readme_folder)
    assert (checked.returncode, checked.stdout, checked.stderr) == (
        1,
        "",
        "docs/schema.md: out of date; run: python -m blogimport.report.schema_doc --write\n",
    )
    assert readme.read_text(encoding="utf-8") == stale
    written = python_m("blogimport.report.schema_doc", "--write", cwd=stale_readme_folder)
    assert (written.returncode, written.stdout) == (0, "docs/schema.md: updated\n")
    section = SCHEMA_DOC.read_text(encoding="utf-8").split(START, 1)[1].split(END, 1)[0]
    assert readme.read_text(encoding="utf-8") == f"# A project\n\n{START}{section}{END}\n"
    again = python_m("blogimport.report.schema_doc", "--check", str(readme), cwd=REPO)
    assert (again.returncode, again.stdout) == (0, f"{readme}: up to date\n")
    missing = python_m("blogimport.report.schema_doc", "--check", "nope.md", cwd=stale_readme_folder)
    assert (missing.returncode, missing.stdout, missing.stderr) == (
        1,
        "",
        "error: nope.md: [Errno 2] No such file or directory: 'nope.md'\n",
    )


def test_datasette_prints_the_metadata_it_keeps() -> None:
    printed = python_m("blogimport.report.datasette", cwd=REPO)
    assert (printed.returncode, printed.stdout, printed.stderr) == (0, METADATA_FILE.read_text(encoding="utf-8"), "")
