"""Shared fixtures: the sample files, a fresh SQLite file per test, and the CLI run in-process."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, make_url, text

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


# Server databases: an admin URL per engine from the environment. Without one the test is skipped, naming the
# variable; with REQUIRE_SERVERS set (as .ci/run does) a missing server fails the test instead.
SERVER_URL_VARS = {"postgresql": "BLOGIMPORT_TEST_POSTGRES_URL", "mysql": "BLOGIMPORT_TEST_MYSQL_URL"}
REQUIRE_SERVERS = "BLOGIMPORT_REQUIRE_SERVERS"


@pytest.fixture(params=sorted(SERVER_URL_VARS))
def server_db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database on a real server, dropped afterwards."""
    variable = SERVER_URL_VARS[request.param]
    admin_url = os.environ.get(variable)
    if not admin_url:
        message = f"set {variable} to an admin URL of a {request.param} server to run this test"
        if os.environ.get(REQUIRE_SERVERS):
            pytest.fail(f"{message} ({REQUIRE_SERVERS} is set)")
        pytest.skip(message)
    with scratch_database(admin_url) as url:
        yield url


@contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    name = f"blogimport_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    mysql = admin.dialect.name in ("mysql", "mariadb")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}" + (" CHARACTER SET utf8mb4" if mysql else "")))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name}" + ("" if mysql else " WITH (FORCE)")))
        admin.dispose()
