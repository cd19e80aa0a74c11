"""Alembic environment: the models' metadata, and the same database URL the CLI would use."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, pool

from blogimport import models
from blogimport.settings import database_url
from blogimport.store.db import DatabaseURL, new_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name)

target_metadata = models.Base.metadata


def _skip_empty_revisions(context: MigrationContext, revision: object, directives: list[MigrationScript]) -> None:
    """`alembic revision --autogenerate` with no model change writes nothing (Alembic cookbook)."""
    autogenerate = config.cmd_opts is not None and getattr(config.cmd_opts, "autogenerate", False)
    if autogenerate and directives[0].upgrade_ops is not None and directives[0].upgrade_ops.is_empty():
        directives[:] = []


def _include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave full-text search out of the comparison with the models: it lives in migrations only (0005), as
    SQLite's FTS5 tables (search_*) and PostgreSQL's and MySQL's indexes (ft_*)."""
    if type_ == "table" and name and name.startswith("search_"):
        return False
    return not (type_ == "index" and name and name.startswith("ft_"))


def _configure(connection: Connection | None = None, url: DatabaseURL | None = None) -> None:
    dialect = connection.dialect.name if connection is not None else url.backend if url else ""
    context.configure(
        connection=connection,
        url=url.target if url else None,
        target_metadata=target_metadata,
        render_as_batch=dialect == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
        process_revision_directives=_skip_empty_revisions,
        include_name=_include_name,
        literal_binds=connection is None,
    )


def _url() -> DatabaseURL:
    """The CLI's URL (blogimport.store.schema.alembic_config), or, for `alembic` run from the repository, the one the
    CLI would use."""
    given: DatabaseURL | None = config.attributes.get("url")
    return given or DatabaseURL.parse(database_url())


def run_migrations_offline() -> None:
    _configure(url=_url())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # the CLI lends its own connection
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = new_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
