"""`blogimport db ...`: the schema's Alembic revisions, and a login for reporting tools."""

from __future__ import annotations

import os

import click

from blogimport.cli.database import database_url, db_option, guarded, open_database, run_alembic
from blogimport.report.role import PASSWORD_ENV_VAR, ReportingRoleError, check_role_name, grant_reporting_role


@click.group("db")
def db_group() -> None:
    """Manage the database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@db_option
def db_upgrade(revision: str, db_url: str) -> None:
    """Migrate the schema up to REVISION (default: the newest).

    \b
    Example:
        blogimport db upgrade
    """
    url = database_url(db_url)
    run_alembic(lambda command, config: command.upgrade(config, revision), url, create=True)
    run_alembic(lambda command, config: command.current(config), url)


@db_group.command("downgrade")
@click.argument("revision")
@db_option
def db_downgrade(revision: str, db_url: str) -> None:
    """Migrate the schema down to REVISION ("base" removes every table, and the data in them).

    \b
    Example:
        blogimport db downgrade base
    """
    url = database_url(db_url)
    run_alembic(lambda command, config: command.downgrade(config, revision), url)
    run_alembic(lambda command, config: command.current(config), url)


@db_group.command("current")
@db_option
def db_current(db_url: str) -> None:
    """Show the schema revision the database is at."""
    run_alembic(lambda command, config: command.current(config), database_url(db_url))


@db_group.command("history")
@db_option
def db_history(db_url: str) -> None:
    """List every schema revision, newest first."""
    run_alembic(lambda command, config: command.history(config), database_url(db_url))


@db_group.command("check")
@db_option
def db_check(db_url: str) -> None:
    """Fail if the models hold changes that no migration makes yet."""
    run_alembic(lambda command, config: command.check(config), database_url(db_url))


@db_group.command("reporting-role")
@click.argument("name", callback=lambda ctx, param, value: _role_name(value))
@db_option
@click.option(
    "--host",
    default="%",
    show_default=True,
    metavar="PATTERN",
    help="MariaDB/MySQL only: the hosts the role may connect from.",
)
def db_reporting_role(name: str, db_url: str, host: str) -> None:
    """Create or update NAME, a login that can SELECT every table and view and nothing else.

    PostgreSQL and MariaDB/MySQL; the password is read from $BLOGIMPORT_REPORTING_PASSWORD, never from the
    command line.

    \b
    Example:
        BLOGIMPORT_REPORTING_PASSWORD=... blogimport db reporting-role metabase --db postgresql+psycopg://...
    """
    password = os.environ.get(PASSWORD_ENV_VAR)
    if not password:
        raise click.UsageError(f"set {PASSWORD_ENV_VAR} to the password for {name}")
    url = database_url(db_url)
    granted = guarded(lambda: grant_reporting_role(open_database(url), name, password, host), url)
    for warning in granted.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{granted.role} can read every table and view of {granted.database}, and change nothing")


def _role_name(value: str) -> str:
    try:
        return check_role_name(value)
    except ReportingRoleError as error:
        raise click.BadParameter(str(error)) from None
