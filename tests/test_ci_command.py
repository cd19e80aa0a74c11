""".ci/run finds README's two commands by their markers (issue 14, point 5), through .ci/readme_command.py: the
very script, run as .ci/run runs it, finds both in README and fails with one line on a README that lost a marker."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO

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
