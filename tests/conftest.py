"""Shared fixtures: the sample files, a fresh SQLite file per test, and the CLI run in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from importer.cli import cli

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A real SQLite file in the test's own folder (created by the first command that opens it)."""
    return f"sqlite:///{tmp_path / 'blog.db'}"


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    """`blogimport ARGS...` in-process; stdout and stderr are kept apart as a terminal would show them."""
    return CliRunner().invoke(cli, [str(arg) for arg in args], env=env, catch_exceptions=False)


@pytest.fixture
def seeded(db_url: str) -> str:
    """A database holding the five seeds."""
    result = run("import", SEEDS, "--db", db_url)
    assert result.exit_code == 0, result.output
    return db_url
