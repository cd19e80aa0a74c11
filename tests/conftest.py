"""Shared fixtures: the sample files, the CLI run in-process, and fresh databases on every engine.

Every test that takes `db_url` (or `seeded`, or `new_db`) runs once per engine: a SQLite file, and fresh
databases on the PostgreSQL and MariaDB servers named by BLOGIMPORT_TEST_POSTGRES_URL and BLOGIMPORT_TEST_MYSQL_URL
(admin URLs). Without one, those tests are skipped, naming the variable; with BLOGIMPORT_REQUIRE_SERVERS set (as
.ci/run does) they fail instead.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, make_url, text

from importer.cli import cli

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_FILES = sorted(SEEDS.glob("*.txt"))

ENGINES = ("sqlite", "postgresql", "mysql")
SERVER_URL_VARS = {"postgresql": "BLOGIMPORT_TEST_POSTGRES_URL", "mysql": "BLOGIMPORT_TEST_MYSQL_URL"}
REQUIRE_SERVERS = "BLOGIMPORT_REQUIRE_SERVERS"


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    """`blogimport ARGS...` in-process; stdout and stderr are kept apart as a terminal would show them."""
    return CliRunner().invoke(cli, [str(arg) for arg in args], env=env, catch_exceptions=False)


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def new_db(engine_name: str, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes fresh, empty databases on this test's engine (a file, or a database on the server); drops them after."""
    numbers = itertools.count()
    with ExitStack() as cleanup:
        def make() -> str:
            if engine_name == "sqlite":
                return f"sqlite:///{tmp_path / f'blog{next(numbers)}.db'}"
            return cleanup.enter_context(scratch_database(server_admin_url(engine_name)))
        yield make


@pytest.fixture
def db_url(new_db: Callable[[], str]) -> str:
    """A fresh database (created by the first command that opens it)."""
    return new_db()


@pytest.fixture
def seeded(db_url: str) -> str:
    """A database holding the five seeds."""
    result = run("import", SEEDS, "--db", db_url)
    assert result.exit_code == 0, result.output
    return db_url


@pytest.fixture(params=sorted(SERVER_URL_VARS))
def server_db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh database on a real server, beside a test's own `db_url`, for comparisons across engines."""
    with scratch_database(server_admin_url(request.param)) as url:
        yield url


def server_admin_url(engine: str) -> str:
    variable = SERVER_URL_VARS[engine]
    admin_url = os.environ.get(variable)
    if not admin_url:
        message = f"set {variable} to an admin URL of a {engine} server to run this test on {engine}"
        if os.environ.get(REQUIRE_SERVERS):
            pytest.fail(f"{message} ({REQUIRE_SERVERS} is set)")
        pytest.skip(message)
    return admin_url


@contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    """A new database on the server, dropped afterwards (its server's default character set: the tables set theirs)."""
    name = f"blogimport_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    mysql = admin.dialect.name in ("mysql", "mariadb")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name}" + ("" if mysql else " WITH (FORCE)")))
        admin.dispose()


LONGEST_FIRST = ("tests/test_export_memory.py",)  # minutes on its own: started first, the rest run beside it


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))  # a stable sort: the rest keep order


CORPUS_POSTS = 240  # an import of them takes a few seconds: long enough to stop one half way


@dataclass(frozen=True)
class Corpus:
    """A generated blog as text renderings, one post to a file, and what an uninterrupted import of it holds."""

    folder: Path
    files: int
    reference_url: str  # a SQLite database it was imported into, in one run
    reference: dict[str, list[tuple[Any, ...]]]  # that database's natural_dump


@pytest.fixture(scope="session")
def text_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return _corpus(tmp_path_factory, CORPUS_POSTS, seed=8)


@pytest.fixture(scope="session")
def small_text_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """A quarter of text_corpus: for tests that import it many times."""
    return _corpus(tmp_path_factory, CORPUS_POSTS // 4, seed=13)


def _corpus(tmp_path_factory: pytest.TempPathFactory, posts: int, seed: int) -> Corpus:
    from tests.dbdump import natural_dump
    from tests.perf.corpus import generate

    top = tmp_path_factory.mktemp("corpus")
    manifest = generate(top, size="S", seed=seed, posts=posts, formats=["text"])
    reference_url = f"sqlite:///{top / 'reference.db'}"
    assert run("import", manifest.paths["text"], "--db", reference_url).exit_code == 0
    return Corpus(manifest.paths["text"], manifest.files["text"], reference_url, natural_dump(reference_url))
