"""A read-only login for reporting tools (`blogimport db reporting-role`): SELECT on every table and view, nothing
else, on PostgreSQL and MariaDB/MySQL.

Run again with the same name, it sets the password anew and takes back anything else the role was given here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, literal, text

from blogimport.errors import ImporterError

PASSWORD_ENV_VAR = "BLOGIMPORT_REPORTING_PASSWORD"
# Plain names only: they are written into DDL, where no bind parameters exist.
ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


class ReportingRoleError(ImporterError):
    """The engine has no roles, or the name cannot be one."""


@dataclass(frozen=True)
class Granted:
    role: str
    database: str
    warnings: tuple[str, ...] = ()


def check_role_name(role: str) -> str:
    if not ROLE_NAME.fullmatch(role):
        raise ReportingRoleError(f"not a role name: {role!r} (letters, digits and _, not starting with a digit)")
    return role


def grant_reporting_role(engine: Engine, role: str, password: str, host: str = "%") -> Granted:
    """Create or update `role` with `password`, able to SELECT every table and view of the database."""
    check_role_name(role)
    dialect = engine.dialect.name
    if dialect == "sqlite":
        raise ReportingRoleError(
            "SQLite has no roles: give reporting tools the file read-only instead (sqlite3 -readonly, datasette -i)"
        )
    with engine.begin() as conn:
        if dialect == "postgresql":
            return _postgresql(conn, role, password)
        return _mysql(conn, role, password, host)


def _postgresql(conn: Connection, role: str, password: str) -> Granted:
    quoted = conn.dialect.identifier_preparer.quote(role)
    database, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}).first()
    attributes = f"LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD {_literal(conn, password)}"
    conn.exec_driver_sql(f"{'ALTER' if exists else 'CREATE'} ROLE {quoted} {attributes}")
    database_q, schema_q = (conn.dialect.identifier_preparer.quote(name) for name in (database, schema))
    for statement in (
        f"GRANT CONNECT ON DATABASE {database_q} TO {quoted}",
        f"GRANT USAGE ON SCHEMA {schema_q} TO {quoted}",
        f"REVOKE CREATE, TEMPORARY ON DATABASE {database_q} FROM {quoted}",
        f"REVOKE CREATE ON SCHEMA {schema_q} FROM {quoted}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema_q} FROM {quoted}",  # column privileges with them
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema_q} TO {quoted}",  # views are tables here
        # Tables and views that later migrations create, as the user running them (this one).
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_q} GRANT SELECT ON TABLES TO {quoted}",
    ):
        conn.exec_driver_sql(statement)
    warnings: tuple[str, ...] = ()
    # Before PostgreSQL 15 every role may create tables in schema public; only the database's owner can stop it.
    if conn.execute(
        text("SELECT has_schema_privilege(:role, :schema, 'CREATE')"), {"role": role, "schema": schema}
    ).scalar_one():
        warnings = (
            f"{role} can still create tables in schema {schema}, as every role can there: "
            f"REVOKE CREATE ON SCHEMA {schema_q} FROM PUBLIC to stop it",
        )
    return Granted(role, database, warnings)


def _mysql(conn: Connection, role: str, password: str, host: str) -> Granted:
    database = conn.execute(text("SELECT DATABASE()")).scalar_one()
    database_q = conn.dialect.identifier_preparer.quote(database)
    # The MySQL drivers put parameters into the statement themselves, escaped as the server's mode wants, so
    # they work here in DDL too (PostgreSQL's drivers send them apart, which DDL does not take).
    account = {"role": role, "host": host, "password": password}
    for statement in (
        "CREATE USER IF NOT EXISTS :role@:host IDENTIFIED BY :password",
        "ALTER USER :role@:host IDENTIFIED BY :password",
        # Granting first makes the REVOKE valid however the account stood; SELECT on db.* covers views too.
        f"GRANT SELECT ON {database_q}.* TO :role@:host",
        f"REVOKE ALL PRIVILEGES ON {database_q}.* FROM :role@:host",
        f"GRANT SELECT ON {database_q}.* TO :role@:host",
    ):
        conn.execute(text(statement), account)
    # Grants on single tables (and their columns) are kept apart from the database's: take those back too.
    granted_tables = (
        conn.execute(
            text("SELECT Table_name FROM mysql.tables_priv WHERE User = :role AND Host = :host AND Db = :database"),
            {**account, "database": database},
        )
        .scalars()
        .all()
    )
    for table in granted_tables:
        table_q = conn.dialect.identifier_preparer.quote(table)
        conn.execute(text(f"REVOKE ALL PRIVILEGES ON {database_q}.{table_q} FROM :role@:host"), account)
    return Granted(role, database)


def _literal(conn: Connection, value: str) -> str:
    """A string as a quoted SQL literal, escaped the way this engine reads it."""
    return str(literal(value).compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
