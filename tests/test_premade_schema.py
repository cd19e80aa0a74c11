"""The databases of tests marked premade_schema (tests/conftest.py) are the databases an import makes.

On every engine: one database whose schema the import of the seeds creates, and the test's own, copied from the
session's template. The two must have the same tables, columns, keys, indexes and views, hold the same rows with
the same ids after the same import, and search alike (MySQL's FULLTEXT indexes keep the stopword setting they were
made with).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from tests.conftest import SEEDS, run, scratch_database, server_admin_url
from tests.dbdump import connect, natural_dump, query


@contextmanager
def empty_database(engine_name: str, tmp_path: Path) -> Iterator[str]:
    if engine_name == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        with scratch_database(server_admin_url(engine_name)) as url:
            yield url


def schema(url: str) -> dict[str, Any]:
    """Everything SQLAlchemy's inspector sees of a database's tables and views, by name."""
    engine = connect(url)
    inspector = inspect(engine)
    described: dict[str, Any] = {
        "views": {
            name: " ".join(inspector.get_view_definition(name).split()) for name in sorted(inspector.get_view_names())
        }
    }
    for table in sorted(inspector.get_table_names()):
        described[table] = [
            [{key: str(value) for key, value in column.items()} for column in inspector.get_columns(table)],
            inspector.get_pk_constraint(table),
            sorted(map(repr, inspector.get_foreign_keys(table))),
            sorted(map(repr, inspector.get_indexes(table))),
            sorted(map(repr, inspector.get_unique_constraints(table))),
            sorted(map(repr, inspector.get_check_constraints(table))),
            inspector.get_table_comment(table) if engine.dialect.supports_comments else None,
        ]
    engine.dispose()
    return described


@pytest.mark.premade_schema
def test_a_premade_database_is_the_one_an_import_makes(engine_name: str, db_url: str, tmp_path: Path) -> None:
    with empty_database(engine_name, tmp_path) as empty:
        assert run("import", SEEDS, "--db", empty).exit_code == 0  # the import makes its schema
        assert schema(db_url) == schema(empty)
        assert run("import", SEEDS, "--db", db_url).exit_code == 0
        assert natural_dump(db_url) == natural_dump(empty)
        ids = "SELECT p.id AS post, c.id AS comment, c.path FROM comments c JOIN posts p ON p.id = c.post_id ORDER BY 2"
        assert query(db_url, ids) == query(empty, ids)  # the same ids: the template used no sequence
        for words in ("the", "it was", "Interserve"):
            assert run("search", words, "--db", db_url).stdout == run("search", words, "--db", empty).stdout


@pytest.mark.premade_schema
def test_a_premade_seeded_database_is_the_one_an_import_of_the_seeds_makes(
    engine_name: str,
    seeded: str,
    tmp_path: Path,
) -> None:
    with empty_database(engine_name, tmp_path) as imported:
        assert run("import", SEEDS, "--db", imported).exit_code == 0
        assert schema(seeded) == schema(imported)
        assert natural_dump(seeded) == natural_dump(imported)
        ids = "SELECT p.id AS post, c.id AS comment, c.path FROM comments c JOIN posts p ON p.id = c.post_id ORDER BY 2"
        assert query(seeded, ids) == query(imported, ids)
        sources = "SELECT id, locator, sha256, status, first_run_id, last_run_id FROM sources ORDER BY id"
        assert query(seeded, sources) == query(imported, sources)
        for words in ("the", "it was", "Interserve"):
            assert run("search", words, "--db", seeded).stdout == run("search", words, "--db", imported).stdout
        # The next import goes on from the copy as from the import: the same run id, every source unchanged, and
        # rows added later take the ids the import's would (the copy kept its sequences' positions).
        again = [run("import", SEEDS, "--force", "--db", url).stdout for url in (seeded, imported)]
        assert again[0] == again[1] and "5 imported" in again[0]
        runs = "SELECT id, status, sources_imported FROM import_runs ORDER BY id"
        assert (
            query(seeded, runs)
            == query(imported, runs)
            == [
                {"id": 1, "status": "succeeded", "sources_imported": 5},
                {"id": 2, "status": "succeeded", "sources_imported": 5},
            ]
        )
