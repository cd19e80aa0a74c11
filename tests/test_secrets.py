"""A password in the database URL is never shown, logged or stored (issue 5, point 5)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests.conftest import SEEDS, scratch_database, server_admin_url
from tests.dbdump import connect, raw_dump

BLOGIMPORT = str(Path(sys.executable).with_name("blogimport"))
SECRET = "hunter2"


def blogimport(*args: str, db_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BLOGIMPORT_DB"}
    if db_url:
        env["BLOGIMPORT_DB"] = db_url
    return subprocess.run([BLOGIMPORT, *args], capture_output=True, text=True, env=env, timeout=300)


COMMANDS = [["import", str(SEEDS)], ["stats"], ["db", "upgrade"], ["db", "current"], ["db", "check"]]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args[:2]))
@pytest.mark.parametrize("how", ["--db", "BLOGIMPORT_DB"])
def test_an_unreachable_server_is_named_without_its_password(args: list[str], how: str) -> None:
    url = f"postgresql+psycopg://u:{SECRET}@127.0.0.1:1/x"
    done = blogimport(*args, "--db", url) if how == "--db" else blogimport(*args, db_url=url)
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith("Error: cannot open postgresql+psycopg://u:***@127.0.0.1:1/x: ")
    assert SECRET not in done.stdout + done.stderr


# What each server says to a login it refuses, quoting the user name; the rest of the line is the URL.
REFUSED_LOGIN = {
    "postgresql": 'connection failed: connection to server at "{host}", port {port} failed: FATAL:  '
    'role "***" does not exist',
    "mysql": "(1045, \"Access denied for user '***'@'{client}' (using password: YES)\")",  # MariaDB and MySQL
}


@pytest.mark.parametrize("engine", ["postgresql", "mysql"])
def test_a_password_the_server_quotes_is_blanked(engine: str) -> None:
    """A password that is also the user name (postgres:postgres, root:root: common enough) is quoted by the server
    when it refuses the login; the line shows it as ***. Needs the real server (BLOGIMPORT_REQUIRE_SERVERS: fails
    without one): only a real refusal quotes it."""
    admin = make_url(server_admin_url(engine))
    url = admin.set(username=SECRET, password=SECRET)
    done = blogimport("import", str(SEEDS), "--db", url.render_as_string(hide_password=False))
    assert (done.returncode, done.stdout) == (1, "")
    (line,) = done.stderr.splitlines()
    shown = url.render_as_string(hide_password=True)
    assert shown.startswith(f"{url.drivername}://{SECRET}:***@")  # the user name, not the password, is shown
    expected = f"Error: cannot open {shown}: " + REFUSED_LOGIN[engine].format(
        host=admin.host, port=admin.port, client="CLIENT"
    )
    assert re.fullmatch(re.escape(expected).replace("CLIENT", "[^']+"), line), line  # MariaDB names the client


@pytest.mark.parametrize("engine", ["postgresql", "mysql"])
def test_a_working_password_leaves_no_trace(engine: str) -> None:
    with scratch_database(server_admin_url(engine)) as url, _AccountWithPassword(engine, url) as secret_url:
        outputs = [blogimport(*args, "--db", secret_url) for args in COMMANDS]
        outputs.append(blogimport("import", str(SEEDS), "--json", db_url=secret_url))
        assert [done.returncode for done in outputs] == [0] * len(outputs)
        everything = "".join(done.stdout + done.stderr for done in outputs) + repr(raw_dump(url))
        assert SECRET not in everything
        assert "posts: 7" in outputs[1].stdout


class _AccountWithPassword:
    """A database account with the secret password (PostgreSQL's trust login accepts any: a URL with it works)."""

    def __init__(self, engine: str, url: str) -> None:
        self.engine, self.url = engine, make_url(url)

    def __enter__(self) -> str:
        if self.engine == "postgresql":
            return self.url.set(password=SECRET).render_as_string(hide_password=False)
        admin = connect(self.url.render_as_string(hide_password=False))
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE USER 'bi_secret'@'%%' IDENTIFIED BY '{SECRET}'")
            conn.exec_driver_sql(f"GRANT ALL ON `{self.url.database}`.* TO 'bi_secret'@'%%'")
        admin.dispose()
        return self.url.set(username="bi_secret", password=SECRET).render_as_string(hide_password=False)

    def __exit__(self, *exc: object) -> None:
        if self.engine == "mysql":
            admin = connect(self.url.render_as_string(hide_password=False))
            with admin.begin() as conn:
                conn.exec_driver_sql("DROP USER IF EXISTS 'bi_secret'@'%%'")
            admin.dispose()
