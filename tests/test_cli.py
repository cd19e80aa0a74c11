"""The command line's conventions: help everywhere, exit codes, quiet and machine output, clear errors."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from blogimport.cli import cli
from tests.conftest import REPO, SEED_FILES, SEEDS, run
from tests.terminal import on_a_terminal
from tests.test_readme import README

COMMANDS_DOC = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        found += all_commands(command, (*prefix, name)) if isinstance(command, click.Group) else [(*prefix, name)]
    return found


@pytest.mark.parametrize("path", all_commands(cli), ids=lambda p: " ".join(p) or "blogimport")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: blogimport {' '.join(path)}".rstrip())
    assert len(result.stdout.splitlines()) > 3


def test_commands_are_the_documented_ones() -> None:
    assert sorted(" ".join(p) for p in all_commands(cli) if p) == [
        "db",
        "db check",
        "db current",
        "db downgrade",
        "db history",
        "db reporting-role",
        "db upgrade",
        "import",
        "runs",
        "search",
        "stats",
    ]


def test_the_commands_doc_has_a_section_for_every_command() -> None:
    headings = re.findall(r"^## `blogimport (.*?)`$", COMMANDS_DOC, re.MULTILINE)
    words = [set(re.split(r"[ |]", heading)) for heading in headings]
    commands = [path for path in all_commands(cli) if path and path != ("db",)]  # the group has no section
    for path in commands:
        assert any(set(path) <= heading for heading in words), path


def test_readme_has_a_row_for_every_command() -> None:
    """README's table of commands; a row may name several (`blogimport db upgrade`, `downgrade REV`, ...)."""
    cells = re.findall(r"^\| (`blogimport .*?) \|", README, re.MULTILINE)
    words = [set(re.split(r"[ ,`]+", cell)) for cell in cells]
    commands = [path for path in all_commands(cli) if path and path != ("db",)]
    for path in commands:
        assert any(set(path) <= row for row in words), path


def test_the_commands_doc_lists_every_option_of_import() -> None:
    section = COMMANDS_DOC.split("## `blogimport import PATH...`", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `(--[a-z-]+)[ `]", section, re.MULTILINE))
    command = cli.get_command(click.Context(cli), "import")
    assert command is not None
    options = {opt for param in command.params for opt in param.opts if opt.startswith("--")}
    assert documented == options


@pytest.mark.parametrize(
    "args",
    [
        ["import"],
        ["import", "seeds", "--no-such-option"],
        ["import", "seeds", "--format", "pdf"],
        ["import", "seeds", "--commit-every", "0"],
        ["nope"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args).exit_code == 2


def test_version() -> None:
    assert run("--version").stdout == "blogimport, version 0.1.0\n"


# What `blogimport --version`, `blogimport import --help` and an import of files load, in a process of their own:
# no database layer, parser or pipeline for the first (issue 17's start-up; each command's module is loaded when it
# runs), no HTTP client for the last (only a URL argument needs one).
LOADED = """
import sys
from blogimport.cli import cli
try:
    cli(sys.argv[1:])
except SystemExit:
    pass
print(sorted({name for name in sys.modules if name.startswith(%r)}))
"""
HEAVY = ("sqlalchemy", "alembic", "bs4", "lxml", "blogimport.pipeline", "blogimport.store", "blogimport.formats")


def loaded(*args: object, heavy: tuple[str, ...] = HEAVY) -> tuple[str, list[str]]:
    """What the command printed, and which of the `heavy` modules it loaded."""
    script = LOADED % (heavy,)
    ran = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True, check=True)
    *printed, modules = ran.stdout.splitlines()
    return "".join(f"{line}\n" for line in printed), ast.literal_eval(modules)


def test_the_version_loads_no_command() -> None:
    assert loaded("--version") == ("blogimport, version 0.1.0\n", [])


def test_a_command_is_loaded_only_when_asked_for() -> None:
    _, modules = loaded("import", "--help")
    assert "blogimport.pipeline" in modules and "sqlalchemy" in modules


def test_an_import_of_files_loads_no_http_client(tmp_path: Path) -> None:
    printed, modules = loaded(
        "import", SEED_FILES[0], "--db", f"sqlite:///{tmp_path / 'blog.db'}", heavy=("httpx", "blogimport.sources.web")
    )
    assert printed.startswith("1 sources: 1 imported, 0 unchanged, 0 failed; new: blogs 1, ")
    assert modules == []


@pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)
def test_quiet_prints_nothing_on_success(db_url: str) -> None:
    result = run("import", SEEDS, "--db", db_url, "--quiet")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)
def test_no_progress_output_when_stderr_is_not_a_terminal(db_url: str) -> None:
    result = run("import", SEEDS, "--db", db_url)
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1


def test_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    code, out, err = on_a_terminal("import", SEEDS, "--db", f"sqlite:///{tmp_path / 'blog.db'}")
    assert code == 0 and out.startswith("5 sources: 5 imported")
    last = re.sub(r"\x1b\[[?\d;]*[A-Za-z]", "", err).replace("\r", "\n").strip().splitlines()[-1]
    assert re.fullmatch(r"Importing  \[#+\]  5/5  [\d,]+ comments/s", last.strip()), last
    code, out, err = on_a_terminal("import", SEEDS, "--db", f"sqlite:///{tmp_path / 'blog.db'}", "--quiet")
    assert (code, out, err) == (0, "", "")


def test_a_database_that_cannot_be_opened_is_one_line_and_exit_1(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}"
    result = run("import", SEEDS, "--db", url)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: cannot open {url}: unable to open database file\n"


@pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)
def test_stats(seeded: str) -> None:
    result = run("stats", "--db", seeded)
    assert result.stdout.splitlines() == [
        "blogs: 1",
        "posts: 7",
        "pages: 0",
        "drafts: 0",
        "comments: 96",
        "top_level_comments: 53",
        "replies: 43",
        "removed_comments: 0",
        "authors: 1",
        "labels: 1",
        "post_labels: 3",
        "mentions: 13",
        "resolved_mentions: 0",
        "waiting_comments: 0",
        "sources: 5",
        "failed_sources: 0",
        "import_runs: 1",
    ]
    assert '"comments": 96' in run("stats", "--db", seeded, "--json").stdout
