"""The `blogimport` command: options in, a pipeline or report call, a summary out. No logic lives here.

One module per kind of command: import_command, read_commands (stats, search, runs), schema_commands (db ...), and
database, which opens the database for each of them and turns expected failures into one line."""

from __future__ import annotations

import importlib
import logging
from typing import Any

import click

from blogimport import __version__, interrupts
from blogimport.interrupts import Interrupted

# Each command, as "module:object", loaded when it is run or listed (`blogimport --help`): `blogimport --version`
# and a command's own --help do not pay for loading SQLAlchemy, the parsers and the store for commands they do not
# run (a tenth of a second against more than one on a 2-core machine; click's documented lazy group).
COMMANDS = {
    "import": "blogimport.cli.import_command:import_command",
    "stats": "blogimport.cli.read_commands:stats_command",
    "search": "blogimport.cli.read_commands:search_command",
    "runs": "blogimport.cli.read_commands:runs_command",
    "db": "blogimport.cli.schema_commands:db_group",
}


class _Commands(click.Group):
    """Every command, loaded on demand (COMMANDS). A signal recorded while one ran (blogimport.interrupts) ends it
    with one line and exit code 130 or 143, at the next safe point or, at the latest, when it is done. `import` says
    more of its own."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name].split(":")
        command: click.Command = getattr(importlib.import_module(module), name)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        found = super().resolve_command(ctx, args)
        interrupts.check()  # recorded while the command's modules loaded
        return found

    def invoke(self, ctx: click.Context) -> Any:
        try:
            interrupts.check()  # recorded while click loaded
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
