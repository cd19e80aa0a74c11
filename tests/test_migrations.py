"""Alembic, used the standard way and through `blogimport db` (point 6), and schema checks on open."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.exc import DatabaseError

from blogimport import models
from blogimport.store import schema
from blogimport.store.db import DatabaseURL
from tests.conftest import REPO, SEEDS, run
from tests.dbdump import connect, query, tables

ALEMBIC = str(Path(sys.executable).with_name("alembic"))
TABLES = [
    "authors",
    "blogs",
    "comment_references",
    "comments",
    "identity_rules",
    "import_run_counts",
    "import_runs",
    "labels",
    "pending_comments",
    "post_labels",
    "posts",
    "sources",
]
HEAD = "0010"


def alembic(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`alembic ARGS` from the repository root, the database named by $BLOGIMPORT_DB."""
    env = {**os.environ, "BLOGIMPORT_DB": db_url}
    result = subprocess.run([ALEMBIC, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def migrate(db_url: str, direction: str, revision: str) -> None:
    """`blogimport db upgrade|downgrade REVISION` in-process: the revisions Alembic's own command runs (the test
    below runs that command), without starting Python, SQLAlchemy and Alembic in a process of their own each time."""
    result = run("db", direction, revision, "--db", db_url)
    assert result.exit_code == 0, result.stderr


def test_alembic_from_the_repository_root(db_url: str) -> None:
    alembic(db_url, "upgrade", "head")
    assert tables(db_url) == TABLES
    assert alembic(db_url, "current").stdout.strip() == f"{HEAD} (head)"
    assert "No new upgrade operations detected." in alembic(db_url, "check").stdout


def test_downgrade_to_base_and_up_again_with_data(seeded: str) -> None:
    migrate(seeded, "downgrade", "base")
    assert tables(seeded) == []
    migrate(seeded, "upgrade", "head")
    assert tables(seeded) == TABLES
    result = run("import", SEEDS, "--db", seeded)
    assert result.exit_code == 0
    assert result.stdout.startswith("5 sources: 5 imported")


def test_one_head_and_the_importer_knows_it() -> None:
    config = schema.alembic_config(DatabaseURL.parse("sqlite://"))
    assert ScriptDirectory.from_config(config).get_heads() == [schema.HEAD_REVISION]


def test_blogimport_db_commands(db_url: str) -> None:
    assert run("db", "upgrade", "--db", db_url).stdout == f"{HEAD} (head)\n"
    assert run("db", "current", "--db", db_url).stdout == f"{HEAD} (head)\n"
    assert run("db", "history", "--db", db_url).stdout.splitlines() == [
        "0009 -> 0010 (head), Identity rules 2: a host many blogs share (www.blogger.com) is never a blog's key; "
        "partial sources say why.",
        "0008 -> 0009, Runs give signs of life (import_runs.heartbeat_at, lease_until); the view "
        "run_summary shows abandoned ones.",
        "0007 -> 0008, Natural keys are a stored contract: identity_rules records the version of the identity "
        "rules that made them.",
        "0006 -> 0007, Runs may end interrupted (Ctrl-C or SIGTERM): import_runs.status allows 'interrupted'.",
        "0005 -> 0006, Sources keep a signature read without opening them (size and modification time), "
        "to skip unchanged files.",
        "0004 -> 0005, Full-text search over posts (title and text) and comments, in each engine's own way.",
        "0003 -> 0004, Reporting views: post_summary, comment_threads, reply_chains, author_activity, "
        "monthly_activity.",
        "0002 -> 0003, Comments keep the time as the page showed it (saved pages and text renderings), to "
        "match mentions against.",
        "0001 -> 0002, Blogger exports: Blogger ids and URLs, post kind and status, time offsets, waiting comments.",
        "<base> -> 0001, Initial schema: blogs, authors, labels, posts, comments, references, sources, import runs.",
    ]
    assert run("db", "check", "--db", db_url).stdout == "No new upgrade operations detected.\n"
    assert run("db", "downgrade", "base", "--db", db_url).stdout == ""
    assert tables(db_url) == []
    assert run("db", "current", "--db", db_url).stdout == ""


def test_an_empty_database_is_brought_to_head_by_import(db_url: str) -> None:
    assert run("import", SEEDS, "--db", db_url).exit_code == 0
    assert query(db_url, "SELECT version_num FROM alembic_version") == [{"version_num": HEAD}]


def test_the_database_url_comes_from_the_environment(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'env.db'}"
    result = run("import", SEEDS, env={"BLOGIMPORT_DB": db_url})
    assert result.exit_code == 0
    assert query(db_url, "SELECT count(*) AS n FROM posts") == [{"n": 7}]


@pytest.fixture
def newer_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This project's migrations plus a revision 9999, as a later version of blogimport would ship them."""
    folder = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9999_add_note.py").write_text(
        '"""Add posts.note."""\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
        f'revision = "9999"\ndown_revision = "{HEAD}"\nbranch_labels = None\ndepends_on = None\n\n\n'
        'def upgrade():\n    with op.batch_alter_table("posts") as batch:\n'
        '        batch.add_column(sa.Column("note", sa.Text(), nullable=True))\n\n\n'
        'def downgrade():\n    with op.batch_alter_table("posts") as batch:\n        batch.drop_column("note")\n'
    )
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", folder)
    monkeypatch.setattr(schema, "HEAD_REVISION", "9999")  # what a blogimport shipping this revision would know
    return folder


@pytest.mark.premade_schema  # starts at the head revision: what it checks is what comes after, or the head itself
def test_an_older_database_is_refused_until_upgraded(newer_migrations: Path, db_url: str) -> None:
    assert run("db", "upgrade", HEAD, "--db", db_url).exit_code == 0
    refused = run("import", SEEDS, "--db", db_url)
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"Error: the database is at revision {HEAD}, this blogimport needs 9999: run `blogimport db upgrade` first\n"
    )
    assert run("db", "upgrade", "--db", db_url).stdout == "9999 (head)\n"
    assert run("import", SEEDS, "--db", db_url).exit_code == 0


@pytest.mark.premade_schema  # starts at the head revision: what it checks is what comes after, or the head itself
def test_a_newer_database_is_refused(newer_migrations: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("db", "upgrade", "--db", db_url).exit_code == 0
    monkeypatch.undo()
    refused = run("import", SEEDS, "--db", db_url)
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == (
        "Error: the database is at revision 9999, which this blogimport does not know: "
        "it was written by a newer version\n"
    )


def test_a_database_that_is_not_ours_is_left_alone(db_url: str) -> None:
    engine = connect(db_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    engine.dispose()
    refused = run("import", SEEDS, "--db", db_url)
    assert refused.exit_code == 1
    assert refused.stderr == "Error: the database has tables but no Alembic revision: it is not a blogimport database\n"
    assert tables(db_url) == ["notes"]


@pytest.mark.premade_schema  # starts at the head revision: what it checks is what comes after, or the head itself
def test_db_check_fails_when_models_and_migrations_differ(newer_migrations: Path, db_url: str) -> None:
    run("db", "upgrade", "--db", db_url)  # the schema now has posts.note, which the models do not
    result = run("db", "check", "--db", db_url)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the models differ from the migrations: New upgrade operations detected:")
    assert "'remove_column'" in result.stderr and "'note'" in result.stderr


def test_upgrading_a_0001_database_keeps_its_data_and_fills_new_columns(db_url: str) -> None:
    migrate(db_url, "upgrade", "0001")
    at = datetime(2026, 1, 1)
    engine = connect(db_url)
    with engine.begin() as conn:  # rows as blogimport 0001 wrote them
        old = MetaData()
        old.reflect(conn)
        conn.execute(old.tables["blogs"].insert(), [{"id": 1, "key": "default", "created_at": at, "updated_at": at}])
        conn.execute(
            old.tables["posts"].insert(),
            [
                {
                    "id": 1,
                    "blog_id": 1,
                    "key": "2015-02-07/T",
                    "title": "T",
                    "published_on": date(2015, 2, 7),
                    "body_text": "b",
                    "source_rank": 1,
                    "created_at": at,
                    "updated_at": at,
                }
            ],
        )
        conn.execute(
            old.tables["comments"].insert(),
            [
                {
                    "id": 1,
                    "post_id": 1,
                    "key": "k",
                    "depth": 0,
                    "path": "0001",
                    "body_text": "c",
                    "is_removed": False,
                    "source_rank": 1,
                    "created_at": at,
                    "updated_at": at,
                }
            ],
        )
        conn.execute(
            old.tables["comment_references"].insert(),
            [
                {"comment_id": 1, "key": f"{m}:0", "mention": m, "created_at": at, "updated_at": at}
                for m in ("re 20:15", "Anon 9.11", "1525", "8 24", "Anon at 23:33")
            ],
        )
    engine.dispose()
    migrate(db_url, "upgrade", "head")
    assert query(db_url, "SELECT mention, mentioned_time FROM comment_references ORDER BY id") == [
        {"mention": "re 20:15", "mentioned_time": "20:15"},
        {"mention": "Anon 9.11", "mentioned_time": "09:11"},
        {"mention": "1525", "mentioned_time": "15:25"},
        {"mention": "8 24", "mentioned_time": "08:24"},
        {"mention": "Anon at 23:33", "mentioned_time": "23:33"},
    ]
    assert query(db_url, 'SELECT "key", kind, status, blogger_id, updated_at FROM posts') == [
        {
            "key": "2015-02-07/T",
            "kind": "post",
            "status": "live",
            "blogger_id": None,
            "updated_at": "2026-01-01 00:00:00.000000",
        }
    ]
    migrate(db_url, "downgrade", "0001")
    assert query(db_url, "SELECT count(*) AS n FROM comment_references") == [{"n": 5}]


@pytest.mark.premade_schema  # starts at the head revision: what it checks is what comes after, or the head itself
def test_every_table_and_column_is_described_in_the_database(db_url: str) -> None:
    """The models' comments, stored where the engine keeps them (SQLite keeps none: the README has them)."""
    tables = models.Base.metadata.sorted_tables
    assert all(table.comment for table in tables)
    assert all(column.comment for table in tables for column in table.columns)
    assert run("db", "upgrade", "--db", db_url).exit_code == 0
    engine = connect(db_url)
    if engine.dialect.name != "sqlite":
        inspector = inspect(engine)
        for table in tables:
            assert inspector.get_table_comment(table.name)["text"] == table.comment
            assert {c["name"]: c["comment"] for c in inspector.get_columns(table.name)} == {
                c.name: c.comment for c in table.columns
            }
    engine.dispose()


@pytest.mark.premade_schema  # starts at the head revision: what it checks is what comes after, or the head itself
def test_every_foreign_key_leads_an_index(db_url: str) -> None:
    """Joins and deletes along a foreign key find their rows by index, on every engine."""
    assert run("db", "upgrade", "--db", db_url).exit_code == 0
    engine = connect(db_url)
    inspector = inspect(engine)
    for table in models.Base.metadata.sorted_tables:
        leading = {index["column_names"][0] for index in inspector.get_indexes(table.name)}
        leading |= {constraint["column_names"][0] for constraint in inspector.get_unique_constraints(table.name)}
        leading.add(inspector.get_pk_constraint(table.name)["constrained_columns"][0])
        for key in inspector.get_foreign_keys(table.name):
            assert key["constrained_columns"][0] in leading, f"{table.name}.{key['constrained_columns']}"
    for table, column in (("posts", "published_on"), ("posts", "published_at"), ("comments", "published_at")):
        assert column in {index["column_names"][0] for index in inspector.get_indexes(table)}, (table, column)
    engine.dispose()


def test_0007_lets_a_run_end_interrupted_and_downgrading_makes_it_failed(db_url: str) -> None:
    migrate(db_url, "upgrade", "0006")
    at = datetime(2026, 1, 1)
    run_row = {"started_at": at, "sources_imported": 0, "sources_unchanged": 0, "sources_failed": 0}
    engine = connect(db_url)
    runs = MetaData()
    runs.reflect(engine, only=["import_runs"])
    import_runs = runs.tables["import_runs"]
    with (
        pytest.raises(DatabaseError),
        engine.begin() as conn,
    ):  # 0006 knows no such status (MariaDB says so with an OperationalError)
        conn.execute(import_runs.insert(), [{**run_row, "status": "interrupted"}])
    migrate(db_url, "upgrade", "0007")
    with engine.begin() as conn:
        conn.execute(import_runs.insert(), [{**run_row, "status": "interrupted"}, {**run_row, "status": "succeeded"}])
    migrate(db_url, "downgrade", "0006")
    assert query(db_url, "SELECT status FROM import_runs ORDER BY id") == [
        {"status": "failed"},
        {"status": "succeeded"},
    ]
    with pytest.raises(DatabaseError), engine.begin() as conn:
        conn.execute(import_runs.insert(), [{**run_row, "status": "interrupted"}])
    engine.dispose()


def test_0009_takes_the_last_sign_of_life_of_older_runs_as_their_end_or_start(db_url: str) -> None:
    """A run an older version left 'running' never beat: it is shown abandoned at once; the others as they ended."""
    migrate(db_url, "upgrade", "0007")
    engine = connect(db_url)
    runs = MetaData()
    runs.reflect(engine, only=["import_runs"])
    started, finished = datetime(2026, 1, 1, 10), datetime(2026, 1, 1, 10, 5)
    counts = {"sources_imported": 0, "sources_unchanged": 0, "sources_failed": 0}
    with engine.begin() as conn:
        conn.execute(
            runs.tables["import_runs"].insert(),
            [
                {"started_at": started, "finished_at": finished, "status": "succeeded", **counts},
                {"started_at": started, "finished_at": None, "status": "running", **counts},
            ],
        )
    engine.dispose()
    migrate(db_url, "upgrade", "0009")
    assert query(db_url, "SELECT id, heartbeat_at, lease_until FROM import_runs ORDER BY id") == [
        {"id": 1, "heartbeat_at": "2026-01-01 10:05:00.000000", "lease_until": "2026-01-01 10:05:00.000000"},
        {"id": 2, "heartbeat_at": "2026-01-01 10:00:00.000000", "lease_until": "2026-01-01 10:00:00.000000"},
    ]
    assert query(db_url, "SELECT run_id, status, state FROM run_summary ORDER BY run_id") == [
        {"run_id": 1, "status": "succeeded", "state": "succeeded"},
        {"run_id": 2, "status": "running", "state": "abandoned"},
    ]
    migrate(db_url, "downgrade", "0007")
    engine = connect(db_url)
    assert "run_summary" not in inspect(engine).get_view_names()
    engine.dispose()
    assert query(db_url, "SELECT * FROM import_runs ORDER BY id") == [
        {
            "id": 1,
            "started_at": "2026-01-01 10:00:00.000000",
            "finished_at": "2026-01-01 10:05:00.000000",
            "status": "succeeded",
            **counts,
            "sources_partial": 0,
        },
        {
            "id": 2,
            "started_at": "2026-01-01 10:00:00.000000",
            "finished_at": None,
            "status": "running",
            **counts,
            "sources_partial": 0,
        },
    ]


def test_a_schema_creation_cut_short_is_named_as_such(db_url: str) -> None:
    """MySQL and MariaDB cannot roll back CREATE TABLE: an import killed while it made the schema leaves some tables
    and no revision. The next run says what happened, and leaves them for the user to drop."""
    from blogimport import models

    engine = connect(db_url)
    made = [models.Base.metadata.tables[name] for name in ("blogs", "authors")]
    models.Base.metadata.create_all(engine, tables=made)
    engine.dispose()
    refused = run("import", SEEDS, "--db", db_url)
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == (
        f"Error: the database holds 2 of blogimport's {len(models.Base.metadata.tables)} "
        "tables (authors, blogs) but no Alembic revision, as a first schema creation stopped "
        "half way leaves MySQL and MariaDB; if so, drop them, else use an empty database\n"
    )
    assert tables(db_url) == ["authors", "blogs"]


def test_0010_rekeys_blogs_keyed_by_a_host_many_blogs_share(db_url: str) -> None:
    """Rules 1 keyed the 2008 export's blog 'www.blogger.com'; 0010 keys it by its blog id, as an import now does,
    and leaves other keys alone; the export then finds its blog again."""
    alembic(db_url, "upgrade", "0009")
    engine = connect(db_url)
    blogs = MetaData()
    blogs.reflect(engine, only=["blogs"])
    now = datetime(2026, 1, 1, 10)
    with engine.begin() as conn:
        conn.execute(
            blogs.tables["blogs"].insert(),
            [
                {"key": "www.blogger.com", "blogger_id": "3113891067179933828", "created_at": now, "updated_at": now},
                {"key": "draft.blogger.com", "blogger_id": None, "created_at": now, "updated_at": now},
                {"key": "example.blogspot.com", "blogger_id": "42", "created_at": now, "updated_at": now},
            ],
        )
    engine.dispose()
    alembic(db_url, "upgrade", "0010")
    assert query(db_url, 'SELECT id, "key", blogger_id FROM blogs ORDER BY id') == [
        {"id": 1, "key": "blogger-3113891067179933828", "blogger_id": "3113891067179933828"},
        {"id": 2, "key": "draft.blogger.com", "blogger_id": None},  # no id to key it by: left as it was
        {"id": 3, "key": "example.blogspot.com", "blogger_id": "42"},
    ]
    assert query(db_url, "SELECT version FROM identity_rules") == [{"version": 2}]
    export = REPO / "tests" / "fixtures" / "formats" / "classic-export_google-blog-converters_2008.xml"
    assert run("import", export, "--db", db_url).exit_code == 0
    assert query(db_url, "SELECT blog_id, count(*) AS n FROM posts GROUP BY blog_id") == [{"blog_id": 1, "n": 4}]
