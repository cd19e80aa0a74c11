""".ci/run finds README's two commands by their markers (issue 14, point 5), through .ci/readme_command.py: the
very script, run as .ci/run runs it, finds both in README and fails with one line on a README that lost a marker."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_project

SCRIPT = REPO / ".ci" / "readme_command.py"
README = (REPO / "README.md").read_text(encoding="utf-8")


def extract(*args: object) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, SCRIPT, *map(str, args)], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    return done.returncode, done.stdout, done.stderr


def test_it_finds_both_commands_in_readme() -> None:
    assert extract("main-command") == (
        0,
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && blogimport import seeds/\n",
        "",
    )
    assert extract("test-command") == (
        0,
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && pytest\n",
        "",
    )


def test_ci_run_runs_what_it_extracts() -> None:
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "main_command=$(python3 .ci/readme_command.py main-command)\n" in run
    assert "test_command=$(python3 .ci/readme_command.py test-command)\n" in run
    for name in ("main_command", "test_command"):
        assert run.count(f'bash -euo pipefail -c "${name}"') == 1, name


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (lambda text: text.replace("<!-- ci: main-command -->\n", ""), "no line holds <!-- ci: main-command -->"),
        (
            lambda text: text.replace("<!-- ci: main-command -->\n```sh", "<!-- ci: main-command -->\n\n```sh"),
            "the line after <!-- ci: main-command --> does not open a ```sh block",
        ),
        (
            lambda text: text.replace("<!-- ci: main-command -->\n```sh", "<!-- ci: main-command -->\n```text"),
            "the line after <!-- ci: main-command --> does not open a ```sh block",
        ),
        (
            lambda text: text + "\n<!-- ci: main-command -->\n```sh\nrm -rf /\n```\n",
            "2 lines hold <!-- ci: main-command -->; there must be exactly one",
        ),
        (
            lambda text: (
                text.split("<!-- ci: main-command -->")[0] + "<!-- ci: main-command -->\n```sh\npip install .\n"
            ),
            "the ```sh block after <!-- ci: main-command --> is never closed",
        ),
    ],
    ids=["no marker", "blank line", "not sh", "twice", "never closed"],
)
def test_it_fails_in_one_line_on_a_readme_without_the_marked_block(
    tmp_path: Path, edit: Callable[[str], str], error: str
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(edit(README), encoding="utf-8")
    assert extract("main-command", readme) == (1, "", f".ci/readme_command.py: {readme}: {error}\n")


def test_the_other_command_is_still_found_when_one_marker_is_gone(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README.replace("<!-- ci: main-command -->\n", ""), encoding="utf-8")
    assert extract("test-command", readme)[0] == 0


def test_ci_run_lints_after_the_tests_in_readmes_virtual_environment() -> None:
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    tests = run.index('bash -euo pipefail -c "$test_command"\n')
    activate = run.index("\n. .venv/bin/activate\n")
    lint = run.index("\nbash .ci/lint\n")
    assert tests < activate < lint < run.index('echo "== .ci/run: all passed"')
    assert run.startswith("#!/usr/bin/env bash\n") and "\nset -euo pipefail\n" in run  # a failing step ends it


PLANTED = '_PLANTED: int = identity.normalise("x")  # a str: mypy knows only through blogimport.identity\n'
MYPY_SAYS = 'error: Incompatible types in assignment (expression has type "str", variable has type "int")'


@pytest.mark.parametrize(
    ("old", "new", "failing", "says"),
    [
        (
            "from __future__ import annotations\n",
            "from __future__ import annotations\nimport os\n",
            "ruff check",
            "F401",
        ),
        ("merged = dict(old)\n", "merged = dict( old )\n", "ruff format --check", "File would be reformatted"),
        ("if author else None\n", f"if author else None\n\n\n{PLANTED}", "mypy", MYPY_SAYS),
    ],
    ids=["ruff check", "ruff format", "mypy"],
)
def test_lint_stops_ci_on_what_it_finds(tmp_path: Path, old: str, new: str, failing: str, says: str) -> None:
    """.ci/lint, as .ci/run runs it, on a copy of the project with one fault planted in the store's rows.py: the
    step that finds it fails the run (exit 1), and says what and where. mypy sees the fault only through the module
    names .ci/typecheck.py gives the folders: rows.py imports `blogimport.identity`."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(REPO / ".ci", project / ".ci")
    rows = project / "importer" / "store" / "rows.py"
    text = rows.read_text(encoding="utf-8")
    assert text.count(old) == 1
    planted = text.replace(old, new)
    line = planted[: planted.index(new)].count("\n") + new.count("\n")  # the planted line's number
    rows.write_text(planted, encoding="utf-8")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", project / ".ci" / "lint"], capture_output=True, text=True, env=env, timeout=900)
    output = done.stdout + done.stderr
    steps = [line.removeprefix("== ") for line in done.stdout.splitlines() if line.startswith("== ")]
    assert (done.returncode, steps[-1].split(" (")[0]) == (1, failing), output
    assert says in output and f"importer/store/rows.py:{line}:" in output, output
