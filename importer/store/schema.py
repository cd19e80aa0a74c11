"""The schema: an empty database is brought to the head revision (under a lock, so that imports starting together
do not race), any other revision is refused with what to do about it, and so are natural keys that other identity
rules made. Alembic runs the migrations; it is loaded only when they are to run."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import OperationalError

from blogimport import identity
from blogimport.errors import DatabaseUnavailable, SchemaError
from blogimport.store.db import SQLITE_BUSY_SECONDS, DatabaseURL, single_use_engine

if TYPE_CHECKING:
    from alembic.config import Config

# The schema revision this blogimport writes: Alembic's head (tests/test_migrations.py checks). Known here so that
# opening an up-to-date database needs no Alembic, which takes a good part of a second to load.
HEAD_REVISION = "0010"
# The revisions are data to the store, which Alembic reads by path (its env.py is never imported by the package).
MIGRATIONS_DIR = Path(str(resources.files("blogimport.migrations")))
SCHEMA_LOCK = 7_466_361  # PostgreSQL advisory-lock number for creating the schema (any number only we use)


def alembic_config(url: DatabaseURL) -> Config:
    """Alembic's configuration without alembic.ini, so installed copies find their migrations."""
    from alembic.config import Config

    config = Config(stdout=sys.stdout)  # Alembic's default is the stdout of import time, not of this command
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    config.attributes["configure_logging"] = False
    return config


def ensure_schema(engine: Engine, url: DatabaseURL) -> None:
    """An empty database is brought to head; any other revision is refused with what to do about it, and so are
    natural keys that other identity rules made.

    Deciding (and creating the schema) happens under a database-wide lock, so imports that start together on an
    empty database do not race: one creates the schema, the others wait and find it made."""
    heads = {HEAD_REVISION}
    try:
        with engine.connect() as conn:
            current, _ = _state(conn)
            if current == heads:
                _check_identity_rules(conn)
                return
    except OperationalError as error:  # the first connection: say where, never with the password
        raise DatabaseUnavailable(f"cannot open {url}: {url.describe(error)}") from None
    with _schema_lock(url) as conn:
        current, tables = _state(conn)
        if not current and not tables:
            from alembic import command

            config = alembic_config(url)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            current = heads
        if current == heads:  # made now, or by another import while this one waited
            _check_identity_rules(conn)
            return
    _refuse(alembic_config(url), current, heads, tables)


def _state(conn: Connection) -> tuple[set[str], set[str]]:
    """(the revisions the database is at, its tables but Alembic's own, which `downgrade base` leaves)."""
    tables = set(inspect(conn).get_table_names())
    current = (
        set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        if "alembic_version" in tables
        else set()
    )
    return current, tables - {"alembic_version"}


def _check_identity_rules(conn: Connection) -> None:
    """Keys made by other identity rules than this blogimport's would not be found again: every re-import would
    add its rows a second time. The revision that changes the rules re-keys the rows (blogimport.store.rekeying)."""
    stored = sorted(conn.execute(text("SELECT version FROM identity_rules")).scalars())
    ours = identity.IDENTITY_VERSION
    if stored == [ours]:
        return
    made = ", ".join(map(str, stored)) or "none"
    if all(version < ours for version in stored):
        raise SchemaError(
            f"the database's natural keys were made by identity rules {made}, this blogimport makes "
            f"{ours}: run `blogimport db upgrade` first, which re-keys them"
        )
    raise SchemaError(
        f"the database's natural keys were made by identity rules {made}, newer than this "
        f"blogimport's {ours}: run `blogimport db upgrade` with the blogimport that made "
        "them, and import with it"
    )


@contextmanager
def _schema_lock(url: DatabaseURL) -> Iterator[Connection]:
    """A connection holding the database's schema lock (PostgreSQL advisory lock, MySQL named lock, SQLite's write
    lock) for as long as the block runs; Alembic migrates on this very connection."""
    engine = single_use_engine(url)
    mysql = engine.dialect.name in ("mysql", "mariadb")
    try:
        with engine.connect() as conn:
            if mysql:  # a named lock belongs to the session: taken before the transaction, released after it
                conn.execute(
                    text("SELECT GET_LOCK(:name, :seconds)"),
                    {"name": "blogimport_schema", "seconds": SQLITE_BUSY_SECONDS},
                )
                conn.commit()
            try:
                with conn.begin():
                    if engine.dialect.name == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
                    yield conn
            finally:
                if mysql:  # only now that the new revision is committed may another import look at it
                    conn.execute(text("SELECT RELEASE_LOCK('blogimport_schema')"))
                    conn.commit()
    finally:
        engine.dispose()


def _refuse(config: Config, current: set[str], heads: set[str], tables: set[str]) -> None:
    if not current:
        from blogimport import models

        ours = set(models.Base.metadata.tables)
        if tables <= ours:  # MySQL and MariaDB commit each CREATE TABLE: a first creation cut short leaves some
            raise SchemaError(
                f"the database holds {len(tables)} of blogimport's {len(ours)} tables "
                f"({', '.join(sorted(tables))}) but no Alembic revision, as a first schema creation "
                "stopped half way leaves MySQL and MariaDB; if so, drop them, else use an empty database"
            )
        raise SchemaError("the database has tables but no Alembic revision: it is not a blogimport database")
    from alembic.script import ScriptDirectory

    known = {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}
    have, want = ", ".join(sorted(current)), ", ".join(sorted(heads))
    if current <= known:
        raise SchemaError(
            f"the database is at revision {have}, this blogimport needs {want}: run `blogimport db upgrade` first"
        )
    raise SchemaError(
        f"the database is at revision {have}, which this blogimport does not know: it was written by a newer version"
    )
