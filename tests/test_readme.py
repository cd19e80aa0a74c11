"""README and docs/ say what is true: the commands, the example queries' output, the schema (point 7).

The examples are checked wherever they live: README.md and docs/*.md are read as one text (DOCS), README first."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from blogimport.report.schema_doc import END, START, schema_markdown
from blogimport.report.search import MATCH
from tests.conftest import REPO, SEEDS, run
from tests.dbdump import connect, plain

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

README = (REPO / "README.md").read_text(encoding="utf-8")
DOC_FILES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
DOCS = "\n\n".join(path.read_text(encoding="utf-8") for path in DOC_FILES)
SCHEMA_DOC = REPO / "docs" / "schema.md"
# A query every engine runs, directly followed by the table it prints (no block may span another: (?:(?!```).)).
EXAMPLES = re.findall(r"```sql\n(?!-- )((?:(?!```).)*?)```\n\n(\|.*?)\n\n", DOCS, re.DOTALL)
EXAMPLE_IDS = ["thread", "per-post", "mentions", "most-discussed", "chain-lengths"]
# The full-text search: one query per engine, each starting "-- ENGINE", then the one table they all print.
SEARCH_BLOCKS, SEARCH_SHOWN = re.findall(r"((?:```sql\n-- (?:(?!```).)*?```\n\n)+)(\|.*?)\n\n", DOCS, re.DOTALL)[0]
SEARCH_SQL = {
    {"SQLite": "sqlite", "PostgreSQL": "postgresql", "MariaDB / MySQL": "mysql"}[engine]: sql
    for engine, sql in re.findall(r"```sql\n-- (.*?)\n(.*?)```", SEARCH_BLOCKS, re.DOTALL)
}


def markdown_table(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    def cell(value: Any) -> str:
        return "NULL" if value is None else str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def test_readme_begins_with_the_two_commands() -> None:
    before_first_section = README.split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", before_first_section, re.DOTALL)
    assert len(commands) == 2
    assert "pip install ." in commands[0] and commands[0].endswith("blogimport import seeds/")
    assert "pip install -e '.[test]'" in commands[1] and commands[1].endswith("pytest")


def test_the_summary_line_shown_is_the_real_one(db_url: str) -> None:
    (shown,) = re.findall(r"The first prints:\n\n```text\n(.*?)\n```", README, re.DOTALL)
    assert run("import", SEEDS, "--db", db_url).stdout == shown + "\n"


def test_there_are_five_example_queries_and_a_search_for_each_engine() -> None:
    assert len(EXAMPLES) == len(EXAMPLE_IDS)
    assert sorted(SEARCH_SQL) == ["mysql", "postgresql", "sqlite"]


def test_every_sql_block_of_the_docs_is_one_the_tests_run() -> None:
    """A query written otherwise (no table under it, or one searched block too many) would escape the tests."""
    assert DOCS.count("```sql\n") == len(EXAMPLES) + len(SEARCH_SQL) == 8


def test_readme_says_near_the_top_how_long_the_tests_take_and_what_brings_in_the_servers() -> None:
    top = README.split("\n## ", 1)[0]
    assert re.search(r"The tests take about \d+ minutes on this project's 2-core CI machine", top)
    for variable in ("BLOGIMPORT_TEST_POSTGRES_URL", "BLOGIMPORT_TEST_MYSQL_URL", "BLOGIMPORT_REQUIRE_SERVERS=1"):
        assert f"`{variable}" in top, variable


def test_readme_is_short() -> None:
    assert len(README.splitlines()) <= 250


@pytest.mark.parametrize(("sql", "shown"), EXAMPLES, ids=EXAMPLE_IDS)
def test_example_queries_print_what_readme_shows(seeded: str, sql: str, shown: str) -> None:
    """On every engine: the examples are plain SQL that SQLite, PostgreSQL and MySQL all accept."""
    engine = connect(seeded)
    with engine.connect() as conn:
        result = conn.execute(text(sql))
        columns, rows = list(result.keys()), [tuple(map(plain, row)) for row in result]
    engine.dispose()
    assert markdown_table(columns, rows) == shown


def test_schema_doc_is_generated_from_the_models() -> None:
    section = SCHEMA_DOC.read_text(encoding="utf-8").split(START, 1)[1].split(END, 1)[0]
    assert section.strip() == schema_markdown().strip(), "run: python -m blogimport.report.schema_doc --write"


def test_each_engines_search_prints_what_readme_shows(engine_name: str, seeded: str) -> None:
    engine = connect(seeded)
    with engine.connect() as conn:
        result = conn.execute(text(SEARCH_SQL[engine_name]))
        columns, rows = list(result.keys()), [tuple(map(plain, row)) for row in result]
    engine.dispose()
    assert markdown_table(columns, rows) == SEARCH_SHOWN


def test_readme_searches_as_blogimport_search_does() -> None:
    """The condition README shows is the one the command uses, so it finds the same and uses the index."""
    literal = {"sqlite": "'interserve*'", "postgresql": "'interserve:*'", "mysql": "'+interserve*'"}
    for engine, sql in SEARCH_SQL.items():
        assert MATCH[engine]["comments"].replace(":query", literal[engine]) in sql, engine


def test_the_search_output_shown_is_the_real_one(tmp_path: Path) -> None:
    (shown,) = re.findall(r"```text\n\$ blogimport search Interserve\n(.*?)\n```", DOCS, re.DOTALL)
    db_url = f"sqlite:///{tmp_path / 'blog.db'}"
    assert run("import", SEEDS, "--db", db_url).exit_code == 0
    assert run("search", "Interserve", "--db", db_url).stdout == shown + "\n"
