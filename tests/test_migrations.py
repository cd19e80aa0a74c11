"""Alembic, used the standard way and through `blogimport db` (point 6), and schema checks on open."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from importer import db
from tests.conftest import REPO, SEEDS, run
from tests.test_import_seeds import query

ALEMBIC = str(Path(sys.executable).with_name("alembic"))
TABLES = ["authors", "blogs", "comment_references", "comments", "import_run_counts", "import_runs", "labels",
          "post_labels", "posts", "sources"]


def alembic(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`alembic ARGS` from the repository root, the database named by $BLOGIMPORT_DB."""
    env = {**os.environ, "BLOGIMPORT_DB": db_url}
    result = subprocess.run([ALEMBIC, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def tables(db_url: str) -> list[str]:
    rows = query(db_url, "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version' "
                         "ORDER BY name")
    return [r["name"] for r in rows]


def test_alembic_from_the_repository_root(db_url: str) -> None:
    alembic(db_url, "upgrade", "head")
    assert tables(db_url) == TABLES
    assert alembic(db_url, "current").stdout.strip() == "0001 (head)"
    assert "No new upgrade operations detected." in alembic(db_url, "check").stdout


def test_downgrade_to_base_and_up_again_with_data(seeded: str) -> None:
    alembic(seeded, "downgrade", "base")
    assert tables(seeded) == []
    alembic(seeded, "upgrade", "head")
    assert tables(seeded) == TABLES
    result = run("import", SEEDS, "--db", seeded)
    assert result.exit_code == 0
    assert result.stdout.startswith("5 sources: 5 imported")


def test_one_head() -> None:
    assert len(ScriptDirectory.from_config(db.alembic_config("sqlite://")).get_heads()) == 1


def test_blogimport_db_commands(db_url: str) -> None:
    assert run("db", "upgrade", "--db", db_url).stdout == "0001 (head)\n"
    assert run("db", "current", "--db", db_url).stdout == "0001 (head)\n"
    assert run("db", "history", "--db", db_url).stdout.startswith("<base> -> 0001 (head), Initial schema")
    assert run("db", "check", "--db", db_url).stdout == "No new upgrade operations detected.\n"
    assert run("db", "downgrade", "base", "--db", db_url).stdout == ""
    assert tables(db_url) == []
    assert run("db", "current", "--db", db_url).stdout == ""


def test_an_empty_database_is_brought_to_head_by_import(db_url: str) -> None:
    assert run("import", SEEDS, "--db", db_url).exit_code == 0
    assert query(db_url, "SELECT version_num FROM alembic_version") == [{"version_num": "0001"}]


def test_the_database_url_comes_from_the_environment(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'env.db'}"
    result = run("import", SEEDS, env={"BLOGIMPORT_DB": db_url})
    assert result.exit_code == 0
    assert query(db_url, "SELECT count(*) AS n FROM posts") == [{"n": 7}]


@pytest.fixture
def newer_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This project's migrations plus a revision 0002, as a later version of blogimport would ship them."""
    folder = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "0002_add_note.py").write_text(
        '"""Add posts.note."""\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
        'revision = "0002"\ndown_revision = "0001"\nbranch_labels = None\ndepends_on = None\n\n\n'
        'def upgrade():\n    with op.batch_alter_table("posts") as batch:\n'
        '        batch.add_column(sa.Column("note", sa.Text(), nullable=True))\n\n\n'
        'def downgrade():\n    with op.batch_alter_table("posts") as batch:\n        batch.drop_column("note")\n'
    )
    monkeypatch.setattr(db, "MIGRATIONS_DIR", folder)
    return folder


def test_an_older_database_is_refused_until_upgraded(newer_migrations: Path, db_url: str) -> None:
    assert run("db", "upgrade", "0001", "--db", db_url).exit_code == 0
    refused = run("import", SEEDS, "--db", db_url)
    assert refused.exit_code == 1
    assert refused.stderr == ("Error: the database is at revision 0001, this blogimport needs 0002: "
                              "run `blogimport db upgrade` first\n")
    assert run("db", "upgrade", "--db", db_url).stdout == "0002 (head)\n"
    assert run("import", SEEDS, "--db", db_url).exit_code == 0


def test_a_newer_database_is_refused(newer_migrations: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("db", "upgrade", "--db", db_url).exit_code == 0
    monkeypatch.undo()
    refused = run("import", SEEDS, "--db", db_url)
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == ("Error: the database is at revision 0002, which this blogimport does not know: "
                              "it was written by a newer version\n")


def test_a_database_that_is_not_ours_is_left_alone(db_url: str) -> None:
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    refused = run("import", SEEDS, "--db", db_url)
    assert refused.exit_code == 1
    assert refused.stderr == "Error: the database has tables but no Alembic revision: it is not a blogimport database\n"
    assert tables(db_url) == ["notes"]


def test_db_check_fails_when_models_and_migrations_differ(newer_migrations: Path, db_url: str) -> None:
    run("db", "upgrade", "--db", db_url)  # the schema now has posts.note, which the models do not
    result = run("db", "check", "--db", db_url)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the models differ from the migrations: New upgrade operations detected:")
    assert "'remove_column'" in result.stderr and "'note'" in result.stderr
