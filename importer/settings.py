"""Settings shared by the CLI and Alembic's env.py, so both open the same database."""

from __future__ import annotations

import os

DB_ENV_VAR = "BLOGIMPORT_DB"
DEFAULT_DB_URL = "sqlite:///blog.db"


def database_url(explicit: str | None = None) -> str:
    """The URL to use: the explicit one, else $BLOGIMPORT_DB, else the local SQLite file."""
    return explicit or os.environ.get(DB_ENV_VAR) or DEFAULT_DB_URL
