"""`blogimport db reporting-role` (issue 6, point 5): a login that reads every table and view and changes nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from blogimport import models
from blogimport.models.views import VIEWS
from tests.conftest import run
from tests.dbdump import connect

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

PASSWORD = "s3cret: 'quoted' %s \\ back"  # every character a careless statement would trip over
# What each engine says when a statement needs a privilege the role lacks.
DENIED = {"postgresql": lambda e: e.orig.sqlstate == "42501", "mysql": lambda e: e.orig.args[0] in (1142, 1044)}
SERVERS = pytest.mark.parametrize("engine_name", ["postgresql", "mysql"])
ATTEMPTS = [
    "INSERT INTO labels (blog_id, \"key\", name, created_at, updated_at) SELECT blog_id, 'x', 'x', created_at, "
    "updated_at FROM labels",
    "UPDATE posts SET title = 'changed'",
    "DELETE FROM comment_references",
    "CREATE TABLE notes (id INTEGER PRIMARY KEY)",
    "CREATE VIEW my_view AS SELECT 1 AS one",
]


def role_url(db_url: str, role: str, password: str) -> str:
    return make_url(db_url).set(username=role, password=password).render_as_string(hide_password=False)


def grant(db_url: str, role: str, password: str = PASSWORD) -> None:
    result = run("db", "reporting-role", role, "--db", db_url, env={"BLOGIMPORT_REPORTING_PASSWORD": password})
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    database = db_url.rsplit("/", 1)[1].split("?")[0]
    assert result.stdout == f"{role} can read every table and view of {database}, and change nothing\n"


@pytest.fixture
def role(engine_name: str, seeded: str) -> Iterator[str]:
    """A role name of its own, dropped afterwards (roles outlive the test's database on PostgreSQL)."""
    name = f"reporting_{uuid.uuid4().hex[:8]}"
    yield name
    engine = connect(seeded)
    with engine.begin() as conn:
        if engine_name == "postgresql":
            conn.execute(text(f"DROP OWNED BY {name}"))
            conn.execute(text(f"DROP ROLE {name}"))
        elif engine_name == "mysql":
            conn.execute(text("DROP USER IF EXISTS :name@'%'"), {"name": name})
    engine.dispose()


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_sqlite_has_no_roles(seeded: str) -> None:
    result = run("db", "reporting-role", "reader", "--db", seeded, env={"BLOGIMPORT_REPORTING_PASSWORD": "x"})
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: SQLite has no roles: give reporting tools the file read-only instead "
        "(sqlite3 -readonly, datasette -i)\n"
    )


@SERVERS
def test_the_role_reads_everything_and_changes_nothing(engine_name: str, seeded: str, role: str) -> None:
    grant(seeded, role)
    grant(seeded, role)  # again: the same role, updated
    reader = connect(role_url(seeded, role, PASSWORD), ansi=True)
    admin = connect(seeded, ansi=True)
    names = [*models.Base.metadata.tables, *VIEWS.tables, "alembic_version"]
    with reader.connect() as conn, admin.connect() as admin_conn:
        for name in names:
            count = f"SELECT count(*) FROM {name}"
            assert conn.execute(text(count)).scalar_one() == admin_conn.execute(text(count)).scalar_one(), name
        assert conn.execute(text("SELECT count(*) FROM post_summary")).scalar_one() == 7
        for statement in ATTEMPTS:
            with pytest.raises(DBAPIError) as refused:
                conn.execute(text(statement))
            assert DENIED[engine_name](refused.value), f"{statement}: {refused.value}"
            conn.rollback()
    assert "notes" not in inspect(admin).get_table_names()
    reader.dispose()
    admin.dispose()


@SERVERS
def test_a_second_run_takes_back_anything_more(engine_name: str, seeded: str, role: str) -> None:
    grant(seeded, role)
    admin = connect(seeded)
    with admin.begin() as conn:
        target = f"{role}" if engine_name == "postgresql" else f"'{role}'@'%'"
        conn.execute(text(f"GRANT UPDATE ON posts TO {target}"))
    grant(seeded, role)
    reader = connect(role_url(seeded, role, PASSWORD))
    with reader.connect() as conn, pytest.raises(DBAPIError) as refused:
        conn.execute(text("UPDATE posts SET title = 'changed'"))
    assert DENIED[engine_name](refused.value)
    reader.dispose()
    admin.dispose()


@SERVERS
def test_tables_and_views_made_later_are_readable_too(engine_name: str, seeded: str, role: str) -> None:
    """A later migration's new view (made by the same admin) needs no second run."""
    grant(seeded, role)
    admin = connect(seeded)
    with admin.begin() as conn:
        conn.execute(text("CREATE VIEW later_view AS SELECT count(*) AS posts FROM posts"))
    reader = connect(role_url(seeded, role, PASSWORD))
    with reader.connect() as conn:
        assert conn.execute(text("SELECT posts FROM later_view")).scalar_one() == 7
    reader.dispose()
    with admin.begin() as conn:
        conn.execute(text("DROP VIEW later_view"))
    admin.dispose()


@SERVERS
def test_the_password_is_the_one_given(engine_name: str, seeded: str, role: str) -> None:
    """MariaDB checks it at login; this PostgreSQL trusts local logins, so its stored SCRAM verifier is checked."""
    grant(seeded, role, "first password")
    grant(seeded, role)
    if engine_name == "mysql":
        with pytest.raises(DBAPIError):
            connect(role_url(seeded, role, "first password")).connect()
        connect(role_url(seeded, role, PASSWORD)).connect().close()
        return
    admin = connect(seeded)
    with admin.connect() as conn:
        verifier = conn.execute(text("SELECT rolpassword FROM pg_authid WHERE rolname = :r"), {"r": role}).scalar_one()
    admin.dispose()
    assert scram_matches(verifier, PASSWORD)
    assert not scram_matches(verifier, "first password")


def scram_matches(verifier: str, password: str) -> bool:
    """RFC 5802: SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>."""
    method, iterations_salt, keys = verifier.split("$")
    assert method == "SCRAM-SHA-256"
    iterations, salt = iterations_salt.split(":")
    stored_key = keys.split(":")[0]
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key


def test_the_password_comes_only_from_the_environment(db_url: str) -> None:
    result = run("db", "reporting-role", "reader", "--db", db_url, env={"BLOGIMPORT_REPORTING_PASSWORD": ""})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == "Error: set BLOGIMPORT_REPORTING_PASSWORD to the password for reader"
    result = run(
        "db", "reporting-role", "x; DROP TABLE posts", "--db", db_url, env={"BLOGIMPORT_REPORTING_PASSWORD": "pw"}
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for 'NAME': not a role name: 'x; DROP TABLE "
        "posts' (letters, digits and _, not starting with a digit)"
    )
