"""Opening a database: the engine, and making sure its schema is the one this version writes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect

import migrations
from importer.errors import SchemaError

SQLITE_BUSY_SECONDS = 60  # wait for another writer's lock instead of failing at once
MIGRATIONS_DIR = Path(migrations.__file__).parent


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        event.listen(engine, "connect", _sqlite_foreign_keys)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    # SQLite enforces foreign keys only when asked, per connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def alembic_config(url: str) -> Config:
    """Alembic's configuration without alembic.ini, so installed copies find their migrations."""
    config = Config(stdout=sys.stdout)  # Alembic's default is the stdout of import time, not of this command
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    config.attributes["configure_logging"] = False
    return config


def ensure_schema(engine: Engine, url: str) -> None:
    """An empty database is brought to head; any other revision is refused with what to do about it."""
    config = alembic_config(url)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
        tables = set(inspect(conn).get_table_names()) - {"alembic_version"}  # left behind by `downgrade base`
    if current == heads:
        return
    if not current and not tables:
        command.upgrade(config, "head")
        return
    if not current:
        raise SchemaError("the database has tables but no Alembic revision: it is not a blogimport database")
    known = {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}
    have, want = ", ".join(sorted(current)), ", ".join(sorted(heads))
    if current <= known:
        raise SchemaError(f"the database is at revision {have}, this blogimport needs {want}: "
                          "run `blogimport db upgrade` first")
    raise SchemaError(f"the database is at revision {have}, which this blogimport does not know: "
                      "it was written by a newer version")
