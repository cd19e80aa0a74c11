"""The `blogimport` command: options in, a pipeline or report call, a summary out. No logic lives here.

One module per kind of command: import_command, read_commands (stats, search, runs), schema_commands (db ...), and
database, which opens the database for each of them and turns expected failures into one line."""

from __future__ import annotations

import logging
from typing import Any

import click

from blogimport import __version__, interrupts
from blogimport.cli.import_command import import_command
from blogimport.cli.read_commands import runs_command, search_command, stats_command
from blogimport.cli.schema_commands import db_group
from blogimport.interrupts import Interrupted


class _Commands(click.Group):
    """Every command: a signal recorded while it ran (blogimport.interrupts) ends it with one line and exit code 130 or
    143, at the next safe point or, at the latest, when it is done. `import` says more of its own."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            interrupts.check()  # recorded while the modules loaded
            result = super().invoke(ctx)
            interrupts.check()
            return result
        except Interrupted as interrupted:
            click.echo(f"interrupted by {interrupted.name}", err=True)
            ctx.exit(interrupted.exit_code)


@click.group(name="blogimport", cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="blogimport")
def cli() -> None:
    """Load a Blogger blog into a SQL database, again and again, without duplicates."""
    _quiet_drivers()


for command in (import_command, stats_command, search_command, runs_command, db_group):
    cli.add_command(command)


def main() -> None:
    cli()


def _quiet_drivers() -> None:
    """The drivers' own log lines (psycopg's about a pipeline on a connection just lost, SQLAlchemy's pool about
    a connection it drops) are not for the user: blogimport says what failed, in one line. Logging set up by the
    caller still gets them; unset, Python would print them raw on stderr."""
    for name in ("psycopg", "sqlalchemy"):
        logger = logging.getLogger(name)
        if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
            logger.addHandler(logging.NullHandler())
