"""Every database URL form people type works or gets one line (issue 13, point 4).

`mysql://`, `mariadb://`, `postgresql://` and Heroku's `postgres://` open with the driver the extras install; a
driver that is not installed is one line naming the extra, checked in a virtual environment holding blogimport
without any extra, as `pip install .` leaves it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import make_url

from blogimport.store import DatabaseURL
from blogimport.store.schema import HEAD_REVISION
from tests.conftest import SEEDS, copy_project, run, scratch_database, server_admin_url

SEEDS_SUMMARY = (
    "5 sources: 5 imported, 0 unchanged, 0 failed; new: blogs 1, authors 1, labels 1, posts 7, "
    "post_labels 3, comments 96, comment_references 13; updated: none\n"
)
MYSQL = "pip install 'blogimport[mysql]'"
POSTGRES = "pip install 'blogimport[postgres]'"
# Each form as typed, and the one line a blogimport without the extras answers with.
AT_MYSQL = "root@127.0.0.1:3306/test"
AT_POSTGRES = "postgres@127.0.0.1:5432/postgres"
WITHOUT_DRIVERS = {
    f"mysql://{AT_MYSQL}": f"Error: no driver for mysql+pymysql (No module named 'pymysql'): {MYSQL}",
    f"mariadb://{AT_MYSQL}": f"Error: no driver for mariadb+pymysql (No module named 'pymysql'): {MYSQL}",
    f"mysql+pymysql://{AT_MYSQL}": f"Error: no driver for mysql+pymysql (No module named 'pymysql'): {MYSQL}",
    f"mysql+mysqldb://{AT_MYSQL}": "Error: no driver for mysql+mysqldb (No module named 'MySQLdb'): "
    f"{MYSQL} and write mysql:// (or install MySQLdb)",
    f"postgresql+psycopg://{AT_POSTGRES}": "Error: no driver for postgresql+psycopg (No module named 'psycopg'): "
    f"{POSTGRES}",
    f"postgresql://{AT_POSTGRES}": f"Error: no driver for postgresql+psycopg (No module named 'psycopg'): {POSTGRES}",
    f"postgres://{AT_POSTGRES}": f"Error: no driver for postgresql+psycopg (No module named 'psycopg'): {POSTGRES}",
    f"postgresql+psycopg2://{AT_POSTGRES}": "Error: no driver for postgresql+psycopg2 (No module named 'psycopg2'): "
    f"{POSTGRES} and write postgresql:// (or install psycopg2)",
}
# Every command that opens the database; the first two each open it their own way (the import's schema check,
# Alembic's env.py), and are run with every form of URL.
COMMANDS = [("import", str(SEEDS)), ("db", "upgrade"), ("stats",), ("search", "Interserve"), ("db", "current")]


@pytest.fixture(scope="session")
def bare_blogimport(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`blogimport` of a virtual environment made by `pip install .`, without extras: no database driver. Built
    from a copy of the project, so the build leaves nothing in the checkout (about 20 s, once per session)."""
    top = tmp_path_factory.mktemp("bare")
    project = copy_project(top / "project")
    venv = top / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    # This environment's pip installs into the new one: no copy of pip to bootstrap there.
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            venv / "bin" / "python",
            "install",
            "-q",
            "--disable-pip-version-check",
            project,
        ],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    return venv / "bin" / "blogimport"


def bare_run(blogimport: Path, folder: Path, *args: str) -> tuple[int, str, str]:
    """`blogimport ARGS` of that environment, in `folder`, without $BLOGIMPORT_DB: (exit code, stdout, stderr)."""
    environment = {key: value for key, value in os.environ.items() if key != "BLOGIMPORT_DB"}
    done = subprocess.run([blogimport, *args], capture_output=True, text=True, cwd=folder, env=environment, timeout=60)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("url", WITHOUT_DRIVERS)
def test_without_the_extras_each_url_form_is_one_line_naming_the_extra(
    bare_blogimport: Path, tmp_path: Path, url: str
) -> None:
    for command in COMMANDS[:2]:
        assert bare_run(bare_blogimport, tmp_path, *command, "--db", url) == (1, "", WITHOUT_DRIVERS[url] + "\n")
    assert list(tmp_path.iterdir()) == []


def test_without_the_extras_every_command_says_so(bare_blogimport: Path, tmp_path: Path) -> None:
    url = "mysql://root@127.0.0.1:3306/test"
    for command in COMMANDS[2:]:
        assert bare_run(bare_blogimport, tmp_path, *command, "--db", url) == (1, "", WITHOUT_DRIVERS[url] + "\n")


def test_the_bare_environment_has_no_driver(bare_blogimport: Path) -> None:
    """The environment above is what it claims to be: blogimport and its base dependencies, no driver."""
    python = bare_blogimport.with_name("python")
    probe = (
        "import importlib.util as u; "
        "print([m for m in ('psycopg', 'psycopg2', 'pymysql', 'MySQLdb') if u.find_spec(m)])"
    )
    assert subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True).stdout == "[]\n"


def as_typed(url: str, scheme: str) -> str:
    """A scratch database's URL with the driver left out, as people type it: `mysql://...`."""
    return make_url(url).set(drivername=scheme).render_as_string(hide_password=False)


@pytest.mark.parametrize("scheme", ["mysql", "mariadb"])
def test_mysql_and_mariadb_urls_import_into_mariadb(scheme: str) -> None:
    with scratch_database(server_admin_url("mysql")) as url:
        typed = as_typed(url, scheme)
        assert typed.startswith(f"{scheme}://root@")
        upgraded = run("db", "upgrade", "--db", typed)  # Alembic's env.py opens the database itself
        assert (upgraded.exit_code, upgraded.stdout.splitlines()[-1]) == (0, f"{HEAD_REVISION} (head)")
        imported = run("import", SEEDS, "--db", typed)
        assert (imported.exit_code, imported.stdout, imported.stderr) == (0, SEEDS_SUMMARY, "")
        assert "comments: 96" in run("stats", "--db", typed).stdout.splitlines()


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgresql_and_postgres_urls_import_into_postgresql(scheme: str) -> None:
    with scratch_database(server_admin_url("postgresql")) as url:
        typed = as_typed(url, scheme)
        assert typed.startswith(f"{scheme}://postgres@")
        imported = run("import", SEEDS, "--db", typed)
        assert (imported.exit_code, imported.stdout, imported.stderr) == (0, SEEDS_SUMMARY, "")
        current = run("db", "current", "--db", typed)
        assert (current.exit_code, current.stdout) == (0, f"{HEAD_REVISION} (head)\n")


def test_a_driver_this_environment_lacks_is_one_line_here_too() -> None:
    """MySQLdb is no extra's: even with both extras installed, mysql+mysqldb:// says what to do instead."""
    url = "mysql+mysqldb://root@127.0.0.1:3306/test"
    for command in COMMANDS:
        result = run(*command, "--db", url)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", WITHOUT_DRIVERS[url] + "\n"), command


def test_a_url_is_parsed_once_and_shows_itself_without_its_password() -> None:
    """store.DatabaseURL: shown as given, password hidden; blanked in a driver's message; connected to with the
    driver blogimport's extra installs."""
    url = DatabaseURL.parse("postgres://reader:hunter2@db.example:5432/blog")
    assert (str(url), repr(url)) == (
        "postgres://reader:***@db.example:5432/blog",
        "DatabaseURL('postgres://reader:***@db.example:5432/blog')",
    )
    assert f"cannot open {url}" == "cannot open postgres://reader:***@db.example:5432/blog"
    assert (url.target.drivername, url.backend) == ("postgresql+psycopg", "postgresql")
    refused = OSError('FATAL:  password "hunter2" refused for "reader"\nDETAIL: the second line')
    assert url.describe(refused) == 'FATAL:  password "***" refused for "reader"'
    assert DatabaseURL.parse("sqlite:///blog.db").describe(OSError("")) == "OSError"
    assert str(DatabaseURL.parse("mariadb://root@127.0.0.1/test")) == "mariadb://root@127.0.0.1/test"
    assert DatabaseURL.parse("mariadb://root@127.0.0.1/test").target.drivername == "mariadb+pymysql"
    assert str(DatabaseURL.parse("blog.db")) == "sqlite:///blog.db"  # a path alone: the SQLite file
    assert str(DatabaseURL.parse("data/blog.db")) == "sqlite:///data/blog.db"
    assert str(DatabaseURL.parse("/srv/blog.db")) == "sqlite:////srv/blog.db"


def test_a_path_alone_is_a_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("import", SEEDS, "--db", "blog.db")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("5 sources: 5 imported, 0 unchanged, 0 failed; ")
    assert run("stats", "--db", str(tmp_path / "blog.db")).stdout.splitlines()[:1] == ["blogs: 1"]
    assert run("stats", "--db", "nope.db").stderr.startswith("Error: ")  # a reading command still creates nothing
    assert sorted(path.name for path in tmp_path.iterdir()) == ["blog.db"]
