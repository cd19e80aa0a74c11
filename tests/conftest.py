"""Shared fixtures: the sample files, the CLI run in-process, and fresh databases on every engine.

Every test that takes `db_url` (or `seeded`, or `new_db`) runs once per engine: a SQLite file, and fresh
databases on the PostgreSQL and MariaDB servers named by BLOGIMPORT_TEST_POSTGRES_URL and BLOGIMPORT_TEST_MYSQL_URL
(admin URLs). Without one, those tests are skipped, naming the variable; with BLOGIMPORT_REQUIRE_SERVERS set (as
.ci/run does) they fail instead.

A fresh database is empty: its first command creates the schema, as a user's would. That costs a second or two a
test on the servers, so tests of what an import stores, not of how a database gets its schema, are marked
`premade_schema` (a whole module with `pytestmark`): theirs start at the head revision, a copy of one database that
`blogimport db upgrade` made once per session and engine.
"""

from __future__ import annotations

import compileall
import itertools
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Connection, create_engine, make_url, text

from blogimport.cli import cli

REPO = Path(__file__).resolve().parent.parent
# The repository's folders and the packages they install as (pyproject.toml's package-dir).
PACKAGE_FOLDERS = {"importer": "blogimport", "models": "blogimport.models", "migrations": "blogimport.migrations"}
SEEDS = REPO / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_FILES = sorted(SEEDS.glob("*.txt"))

ENGINES = ("sqlite", "postgresql", "mysql")
SERVER_URL_VARS = {"postgresql": "BLOGIMPORT_TEST_POSTGRES_URL", "mysql": "BLOGIMPORT_TEST_MYSQL_URL"}
REQUIRE_SERVERS = "BLOGIMPORT_REQUIRE_SERVERS"


def _one_tls_context_for_pymysql() -> None:
    """PyMySQL (2.x) makes a new TLS context, reading the system's CA store, for every connection it opens without
    TLS options, to try TLS where the server offers it: 22 ms of CPU a connection, thousands of connections in this
    suite. The same context serves every connection (Python's ssl allows it); what is negotiated is unchanged."""
    try:
        from pymysql.connections import Connection as PyMySQLConnection
    except ImportError:  # installed without the mysql extra
        return
    made = PyMySQLConnection._create_ssl_ctx
    shared: dict[str, Any] = {}

    def create_ssl_ctx(self: Any, sslp: dict[str, Any]) -> Any:
        if sslp:  # options given: a context of their own
            return made(self, sslp)
        if "context" not in shared:
            shared["context"] = made(self, sslp)
        return shared["context"]

    PyMySQLConnection._create_ssl_ctx = create_ssl_ctx  # type: ignore[method-assign]


_one_tls_context_for_pymysql()


def pytest_configure(config: pytest.Config) -> None:
    """Byte-compile the project's modules once, before the workers start. The suite starts hundreds of `blogimport`
    processes, and an editable install runs the checkout's sources: where PYTHONDONTWRITEBYTECODE is set (it is on
    this project's CI machine), each of them compiled its 50 modules again (0.1-0.2 s of CPU each). Python reads
    compiled files whatever that variable says; __pycache__ is ignored by git and by copy_project."""
    if "PYTEST_XDIST_WORKER" not in os.environ:  # the controller: before any worker imports anything
        for folder in (*PACKAGE_FOLDERS, "tests"):
            compileall.compile_dir(REPO / folder, quiet=1)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (pyproject.toml): two workers a core. A test spends about half its time waiting on the database
    servers (MariaDB's schema statements each wait for the disk), not on a core: a second worker fills it."""
    return 2 * len(os.sched_getaffinity(0))


def copy_project(destination: Path) -> Path:
    """What a build of the project reads, copied, so that a build (pip install ., pip wheel) leaves nothing in the
    checkout."""
    destination.mkdir(parents=True)
    for folder in PACKAGE_FOLDERS:
        shutil.copytree(REPO / folder, destination / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, destination / name)
    return destination


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    """`blogimport ARGS...` in-process; stdout and stderr are kept apart as a terminal would show them."""
    return CliRunner().invoke(cli, [str(arg) for arg in args], env=env, catch_exceptions=False)


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def new_db(engine_name: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[[], str]]:
    """Makes fresh databases on this test's engine (a file, or a database on the server); drops them after. They
    are empty, or at the head revision for a test marked premade_schema."""
    numbers = itertools.count()
    templates = premade_schema(request)
    with ExitStack() as cleanup:

        def make() -> str:
            if engine_name == "sqlite":
                path = tmp_path / f"blog{next(numbers)}.db"
                if templates is not None:
                    shutil.copyfile(templates.sqlite_file(), path)
                return f"sqlite:///{path}"
            admin_url = server_admin_url(engine_name)
            template = templates.server(engine_name, admin_url) if templates is not None else None
            return cleanup.enter_context(scratch_database(admin_url, template))

        yield make


@pytest.fixture
def db_url(new_db: Callable[[], str]) -> str:
    """A fresh database (created by the first command that opens it)."""
    return new_db()


@pytest.fixture
def seeded(engine_name: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database holding the five seeds: imported by this test's first command, or, for a test marked
    premade_schema, a copy of the one database per session and engine they were imported into (an import costs a
    second a test on the servers; tests/test_premade_schema.py proves the copy is the import)."""
    templates = premade_schema(request)
    if templates is None:
        db_url = request.getfixturevalue("db_url")
        result = run("import", SEEDS, "--db", db_url)
        assert result.exit_code == 0, result.output
        yield db_url
    elif engine_name == "sqlite":
        shutil.copyfile(templates.sqlite_file(seeds=True), tmp_path / "seeded.db")
        yield f"sqlite:///{tmp_path / 'seeded.db'}"
    else:
        admin_url = server_admin_url(engine_name)
        with scratch_database(admin_url, templates.server(engine_name, admin_url, seeds=True)) as url:
            yield url


@pytest.fixture(params=sorted(SERVER_URL_VARS))
def server_db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh database on a real server, beside a test's own `db_url`, for comparisons across engines."""
    admin_url = server_admin_url(request.param)
    templates = premade_schema(request)
    with scratch_database(admin_url, templates.server(request.param, admin_url) if templates else None) as url:
        yield url


def premade_schema(request: pytest.FixtureRequest) -> SchemaTemplates | None:
    """The session's schema templates, for a test marked premade_schema; None for the others."""
    if request.node.get_closest_marker("premade_schema") is None:
        return None
    templates: SchemaTemplates = request.getfixturevalue("schema_templates")
    return templates


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
def scratch_database(admin_url: str, template: ServerTemplate | None = None) -> Iterator[str]:
    """A new database on the server, dropped afterwards (its server's default character set: the tables set theirs);
    a copy of `template` when given."""
    name = f"blogimport_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    mysql = admin.dialect.name in ("mysql", "mariadb")
    with admin.connect() as conn:
        if template is not None and not mysql:
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template.name}"))
        else:
            conn.execute(text(f"CREATE DATABASE {name}"))
        if template is not None and mysql:
            replay_schema(conn, name, template)
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name}" + ("" if mysql else " WITH (FORCE)")))
        admin.dispose()


@dataclass(frozen=True)
class ServerTemplate:
    """A database at the head revision on a server. PostgreSQL copies it (CREATE DATABASE ... TEMPLATE); MySQL and
    MariaDB cannot, so its tables and views are made again from what the server says of them (SHOW CREATE)."""

    name: str
    statements: tuple[str, ...]  # MySQL: its tables' CREATE TABLE, then its views' CREATE VIEW
    rows: tuple[tuple[str, tuple[dict[str, Any], ...]], ...]  # MySQL: every row, table by table (what the
    # migrations wrote: alembic_version, identity_rules; and the seeds, when imported)


def replay_schema(conn: Connection, name: str, template: ServerTemplate) -> None:
    conn.exec_driver_sql(f"USE {name}")
    conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")  # the tables refer to each other in any order
    # A FULLTEXT index keeps the stopword setting it was made with: migration 0005 makes its own without stopwords.
    conn.exec_driver_sql("SET SESSION innodb_ft_enable_stopword = OFF")
    # MariaDB 10.11 now and then answers a full-text search of rows committed a moment before into a table just
    # made with nothing, while other databases are made and dropped beside it (2-5% of the searches of such copies
    # in four threads; none once the copy is a second old, nor after an import, whose process starts after the
    # table is made). So a filled table gets its FULLTEXT keys after its rows, built over them on disk, as
    # migration 0005 builds them (ALGORITHM=COPY).
    filled = {table for table, _ in template.rows}
    fulltext_keys: list[str] = []
    cursor = conn.connection.cursor()  # the statements as the server wrote them: no parameter syntax applies
    for statement in template.statements:
        table = CREATE_TABLE.match(statement)
        if table and table[1] in filled:
            fulltext_keys += [
                f"ALTER TABLE `{table[1]}` ADD {key}, ALGORITHM=COPY" for key in FULLTEXT.findall(statement)
            ]
            statement = FULLTEXT.sub("", statement)
        cursor.execute(statement)
    for table, rows in template.rows:  # tables in any order, so still without the foreign key checks
        names = list(rows[0])
        cursor.executemany(
            f"INSERT INTO `{table}` ({', '.join(f'`{n}`' for n in names)}) "
            f"VALUES ({', '.join(f'%({n})s' for n in names)})",
            rows,
        )
    for statement in fulltext_keys:
        cursor.execute(statement)
    cursor.close()
    conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")


CREATE_TABLE = re.compile(r"CREATE TABLE `(\w+)`")
FULLTEXT = re.compile(r",\n  (FULLTEXT KEY `\w+` \([^)]*\))")  # a line of SHOW CREATE TABLE, with its comma


class SchemaTemplates:
    """Databases at the head revision, made by `blogimport db upgrade` once per session and engine, on demand; and
    the same with the seeds imported (`seeds=True`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sqlite: dict[bool, Path] = {}
        self.servers: dict[tuple[str, bool], ServerTemplate] = {}
        self.cleanup = ExitStack()  # drops the servers' templates

    def sqlite_file(self, seeds: bool = False) -> Path:
        if seeds not in self.sqlite:
            path = self.folder / ("seeded.db" if seeds else "template.db")
            made_by_blogimport(f"sqlite:///{path}", seeds)
            self.sqlite[seeds] = path
        return self.sqlite[seeds]

    def server(self, engine: str, admin_url: str, seeds: bool = False) -> ServerTemplate:
        if (engine, seeds) not in self.servers:
            url = self.cleanup.enter_context(scratch_database(admin_url))
            made_by_blogimport(url, seeds)
            self.servers[engine, seeds] = server_template(url)
        return self.servers[engine, seeds]


def made_by_blogimport(url: str, seeds: bool) -> None:
    """`blogimport db upgrade`, or `blogimport import seeds/`, in a process of its own, so no connection to the
    template outlives it (PostgreSQL copies only a database nobody is connected to)."""
    command = ["import", str(SEEDS)] if seeds else ["db", "upgrade"]
    done = subprocess.run(
        [sys.executable, "-m", "blogimport", *command, "--db", url], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr


def server_template(url: str) -> ServerTemplate:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            name = conn.exec_driver_sql(
                "SELECT current_database()" if engine.dialect.name == "postgresql" else "SELECT DATABASE()"
            ).scalar_one()
            if engine.dialect.name == "postgresql":
                return ServerTemplate(name, (), ())
            kinds = conn.exec_driver_sql("SHOW FULL TABLES").all()
            base = [table for table, kind in kinds if kind == "BASE TABLE"]
            tables = [conn.exec_driver_sql(f"SHOW CREATE TABLE `{table}`").one()[1] for table in base]
            views = {
                view: conn.exec_driver_sql(f"SHOW CREATE VIEW `{view}`").one()[1]
                for view, kind in kinds
                if kind == "VIEW"
            }
            filled = [
                (table, tuple(dict(row) for row in conn.exec_driver_sql(f"SELECT * FROM `{table}`").mappings()))
                for table in base
            ]
            return ServerTemplate(
                name,
                (*tables, *views_in_dependency_order(views)),
                tuple((table, rows) for table, rows in filled if rows),
            )
    finally:
        engine.dispose()


def views_in_dependency_order(views: dict[str, str]) -> list[str]:
    """The views' definitions, each after those of the views it selects from."""
    ordered: list[str] = []
    placed: set[str] = set()
    while len(placed) < len(views):
        ready = [
            view
            for view in sorted(views)
            if view not in placed
            and not any(f"`{other}`" in views[view] for other in views if other not in placed and other != view)
        ]
        assert ready, f"views that refer to each other: {sorted(set(views) - placed)}"
        ordered += [views[view] for view in ready]
        placed.update(ready)
    return ordered


@pytest.fixture(scope="session")
def schema_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SchemaTemplates]:
    templates = SchemaTemplates(tmp_path_factory.mktemp("schema"))
    with templates.cleanup:
        yield templates


CORPUS_POSTS = 60  # about 2,700 comments: tests that stop an import commit often (tests/processes.py)


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
