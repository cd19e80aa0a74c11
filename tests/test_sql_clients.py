"""README's example queries print its tables through the real command-line clients, not only through SQLAlchemy.

README says "Any SQL client works: `sqlite3 blog.db`, `psql`, `mariadb`". For each engine this test imports the
seeds, feeds each example query, exactly as README writes it, on stdin to that engine's own client (`sqlite3`,
`psql`, `mariadb`), reads the client's tab-separated output back into rows of text, and checks they are the rows of
the Markdown table README shows under the query (NULL written as NULL, as README writes it).

A missing client skips the test, naming the program; with BLOGIMPORT_REQUIRE_SERVERS set it fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from sqlalchemy.engine import URL, make_url

from blogimport import models
from tests.conftest import REQUIRE_SERVERS, run
from tests.test_readme import EXAMPLE_IDS, EXAMPLES, SEARCH_SHOWN, SEARCH_SQL

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

Table = tuple[list[str], list[list[str]]]

CLIENT_PROGRAMS = {"sqlite": "sqlite3", "postgresql": "psql", "mysql": "mariadb"}
CLIENT_TIMEOUT_SECONDS = 60
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@pytest.fixture
def client_program(engine_name: str) -> str:
    """The path of this engine's command-line client; asked for before `seeded`, so a missing one costs no import."""
    program = CLIENT_PROGRAMS[engine_name]
    path = shutil.which(program)
    if path is None:
        message = f"the {engine_name} client `{program}` is not on PATH"
        if os.environ.get(REQUIRE_SERVERS):
            pytest.fail(f"{message} ({REQUIRE_SERVERS} is set)")
        pytest.skip(message)
    return path


def sqlite3_command(program: str, url: URL) -> list[str]:
    """Tab-separated rows under a header line; no ~/.sqliterc; stop at the first error."""
    assert url.database, f"no database file in {url!r}"
    return [
        program,
        "-init",
        os.devnull,
        "-batch",
        "-bail",
        "-header",
        "-separator",
        "\t",
        "-cmd",
        ".nullvalue NULL",
        url.database,
    ]


def psql_command(program: str, url: URL) -> list[str]:
    """Unaligned, tab-separated, NULL as NULL, no row-count footer; no ~/.psqlrc, no password prompt."""
    command = [
        program,
        "-X",
        "-q",
        "-w",
        "-A",
        "-F",
        "\t",
        "-P",
        "null=NULL",
        "-P",
        "footer=off",
        "-v",
        "ON_ERROR_STOP=1",
    ]
    command += server_address_options(url, host="-h", port="-p", user="-U")
    return [*command, "-d", str(url.database), "-f", "-"]


def mariadb_command(program: str, url: URL) -> list[str]:
    """Batch mode: tab-separated with a header line, NULL as NULL; no option files, the URL's character set."""
    command = [program, "--no-defaults", "--batch"]
    charset = url.query.get("charset")
    if isinstance(charset, str):
        command.append(f"--default-character-set={charset}")
    command += server_address_options(url, host="-h", port="-P", user="-u")
    return [*command, str(url.database)]


def server_address_options(url: URL, host: str, port: str, user: str) -> list[str]:
    options: list[str] = []
    if url.host:
        options += [host, url.host]
    if url.port:
        options += [port, str(url.port)]
    if url.username:
        options += [user, url.username]
    return options


def client_command(engine_name: str, program: str, db_url: str) -> list[str]:
    url = make_url(db_url)
    if engine_name == "sqlite":
        return sqlite3_command(program, url)
    if engine_name == "postgresql":
        return psql_command(program, url)
    return mariadb_command(program, url)


def password_environment(db_url: str) -> dict[str, str]:
    """The clients' own variables for the URL's password, so it never appears on a command line."""
    password = make_url(db_url).password
    environment = dict(os.environ)
    if password:
        environment["PGPASSWORD"] = environment["MYSQL_PWD"] = str(password)
    return environment


def run_client(command: list[str], sql: str, environment: dict[str, str]) -> str:
    completed = subprocess.run(
        command,
        input=sql,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=CLIENT_TIMEOUT_SECONDS,
        check=False,
    )
    assert completed.returncode == 0, f"{command[0]} exited {completed.returncode}: {completed.stderr}"
    assert not completed.stderr.strip(), f"{command[0]} complained: {completed.stderr}"
    return completed.stdout


def client_table(output: str) -> Table:
    """A client's tab-separated output: its first line names the columns, each further line is one row."""
    header, *rows = output.splitlines()
    return header.split("\t"), [row.split("\t") for row in rows]


def markdown_cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [cell.strip().replace("\\|", "|") for cell in UNESCAPED_PIPE.split(inner)]


def markdown_rows(shown: str) -> Table:
    """README's table: a header line, a |---| line, then one line per row."""
    header, separator, *rows = shown.strip().splitlines()
    assert set(separator) <= set("|-: "), f"not a Markdown table separator: {separator!r}"
    return markdown_cells(header), [markdown_cells(row) for row in rows]


@pytest.mark.parametrize(("sql", "shown"), EXAMPLES, ids=EXAMPLE_IDS)
def test_readme_examples_through_the_real_client(
    engine_name: str, client_program: str, seeded: str, sql: str, shown: str
) -> None:
    command = client_command(engine_name, client_program, seeded)
    output = run_client(command, sql, password_environment(seeded))
    expected_columns, expected_rows = markdown_rows(shown)
    columns, rows = client_table(output)
    assert columns == expected_columns
    assert rows == expected_rows


def test_readme_search_through_the_real_client(engine_name: str, client_program: str, seeded: str) -> None:
    command = client_command(engine_name, client_program, seeded)
    output = run_client(command, SEARCH_SQL[engine_name], password_environment(seeded))
    assert client_table(output) == markdown_rows(SEARCH_SHOWN)


DESCRIBE = {
    "postgresql": ("\\d+ {table}", "Column", "Description"),
    "mysql": ("SHOW FULL COLUMNS FROM {table};", "Field", "Comment"),
}


@pytest.mark.parametrize("engine_name", ["postgresql", "mysql"])
def test_the_clients_show_every_column_description(engine_name: str, client_program: str, db_url: str) -> None:
    """psql's \\d+ (and MariaDB's SHOW FULL COLUMNS, which DBeaver and Metabase read too) show the models' comments."""
    assert run("db", "upgrade", "--db", db_url).exit_code == 0
    command = client_command(engine_name, client_program, db_url)
    statement, name_column, description_column = DESCRIBE[engine_name]
    for table in models.Base.metadata.sorted_tables:
        output = run_client(command, statement.format(table=table.name), password_environment(db_url))
        if engine_name == "postgresql":
            title, output = output.split("\n", 1)
            assert title == f'Table "public.{table.name}"'
        columns, rows = client_table(output)
        rows = [row for row in rows if len(row) == len(columns)]  # psql goes on with indexes and keys
        shown = {row[columns.index(name_column)]: row[columns.index(description_column)] for row in rows}
        assert shown == {column.name: column.comment for column in table.columns}, table.name
