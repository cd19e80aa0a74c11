"""The same import on PostgreSQL and MariaDB as on SQLite: the store's upserts are dialect-aware."""

from __future__ import annotations

import os
import subprocess

from sqlalchemy import create_engine, inspect

from tests.conftest import FIXTURES, REPO, SEEDS, run
from tests.dbdump import natural_dump
from tests.test_migrations import ALEMBIC


def test_seeds_give_the_same_rows_as_on_sqlite(server_db_url: str, seeded: str) -> None:
    first = run("import", SEEDS, "--db", server_db_url)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("5 sources: 5 imported, 0 unchanged, 0 failed; new: blogs 1, authors 1,")
    assert natural_dump(server_db_url) == natural_dump(seeded)
    again = run("import", SEEDS, "--db", server_db_url, "--force")
    assert again.stdout == "5 sources: 5 imported, 0 unchanged, 0 failed; new: none; updated: none\n"


def test_alembic_upgrade_check_downgrade(server_db_url: str) -> None:
    env = {**os.environ, "BLOGIMPORT_DB": server_db_url}

    def alembic(*args: str) -> str:
        done = subprocess.run([ALEMBIC, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    alembic("upgrade", "head")
    assert run("import", SEEDS, "--db", server_db_url).exit_code == 0
    assert "No new upgrade operations detected." in alembic("check")
    alembic("downgrade", "base")
    engine = create_engine(server_db_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    alembic("upgrade", "head")
    assert run("import", SEEDS, "--db", server_db_url).exit_code == 0


def test_exports_give_the_same_rows_as_on_sqlite(server_db_url: str, db_url: str) -> None:
    formats = FIXTURES / "formats"
    inputs = [formats / "classic-export_wgdd.de_2019.xml", formats / "takeout-2018ns_epistemic-forge_excerpt.atom",
              FIXTURES / "takeout-epistemic-forge-missing-thread.atom", *sorted(formats.glob("html_*.html")),
              *sorted(FIXTURES.glob("text-*.txt"))]
    for url in (db_url, server_db_url):
        result = run("import", *inputs, "--db", url)
        assert result.exit_code == 0, result.output
    assert natural_dump(server_db_url) == natural_dump(db_url)
    assert len(natural_dump(server_db_url)["comments"]) == 110 + 40 + 15  # exports, pages, text fixtures
    assert sum(1 for row in natural_dump(server_db_url)["comment_references"] if dict(row)["target_comment_id"]) == 3
