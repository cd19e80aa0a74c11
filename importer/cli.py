"""The `blogimport` command: options in, a pipeline call, a summary out. No logic lives here."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from blogimport import __version__, formats, interrupts, sources, summaries
from blogimport.errors import ImporterError
from blogimport.interrupts import Interrupted
from blogimport.pipeline import ImportOptions, RunResult, run_import
from blogimport.records import Counts, SourceRecord
from blogimport.report.role import PASSWORD_ENV_VAR, ReportingRoleError, check_role_name, grant_reporting_role
from blogimport.report.search import SearchError, search, words_of
from blogimport.report.stats import collect_stats
from blogimport.settings import DB_ENV_VAR, DEFAULT_DB_URL
from blogimport.store import (
    DatabaseURL,
    alembic_config,
    check_reachable,
    ensure_schema,
    make_engine,
    recent_runs,
    require_existing,
)
from blogimport.workers import default_jobs

F = TypeVar("F", bound=Callable[..., Any])


def db_option(function: F) -> F:
    return click.option(
        "--db",
        "db_url",
        envvar=DB_ENV_VAR,
        default=DEFAULT_DB_URL,
        show_default=True,
        metavar="URL",
        help=f"SQLAlchemy database URL; also read from ${DB_ENV_VAR}.",
    )(function)


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


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@db_option
@click.option(
    "--blog",
    metavar="KEY",
    help="The blog these sources belong to. Default: the blog a source names (an export's host or id), "
    "else 'default'. Give the same KEY to text renderings and exports of one blog.",
)
@click.option("--blog-author", metavar="NAME", help="Author of the blog's own posts; guest posts keep their signer.")
@click.option(
    "--timezone",
    metavar="ZONE",
    callback=lambda ctx, param, value: _zone(value),
    help="The blog's time zone (e.g. Europe/London), for Takeout exports, whose times are UTC.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", *formats.FORMATS]),
    default="auto",
    show_default=True,
    help="Read every source as this format instead of telling it from the content.",
)
@click.option("--force", is_flag=True, help="Parse sources again even when their content was already imported.")
@click.option(
    "--checksum",
    "-c",
    is_flag=True,
    help="Read and hash every source even when its size and modification time are unchanged.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=default_jobs(),
    show_default="the number of cores",
    metavar="N",
    help="Processes that parse sources at once, beside the one that writes.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the summary line.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line; errors still go to stderr.")
def import_command(
    paths: tuple[Path, ...],
    db_url: str,
    blog: str | None,
    blog_author: str | None,
    timezone: str | None,
    fmt: str,
    force: bool,
    checksum: bool,
    jobs: int,
    as_json: bool,
    quiet: bool,
) -> None:
    """Import files or folders (searched recursively) into the database.

    \b
    Example:
        blogimport import seeds/
        blogimport import crawl/ --db postgresql+psycopg://localhost/blog --json
    """
    with interrupts.recorded():
        try:
            result = _import(
                paths,
                db_url,
                ImportOptions(
                    blog=blog,
                    blog_author=blog_author,
                    timezone=timezone,
                    format=fmt,
                    force=force,
                    checksum=checksum,
                    jobs=jobs,
                ),
                quiet,
            )
            if as_json:
                click.echo(json.dumps(summaries.result_as_json(result), indent=2))
            elif not quiet:
                click.echo(summaries.summary_line(result))
            if result.stopped:
                click.echo(summaries.stopped_line(result), err=True)
        except Interrupted as interrupted:  # before the run began, or while it recorded that it stopped
            click.echo(f"interrupted by {interrupted.name}", err=True)
            sys.exit(interrupted.exit_code)
    if result.interrupted:
        sys.exit(128 + result.interrupted)  # as a shell reports a process the signal ended: 130, 143
    sys.exit(1 if result.failed or result.database_error else 0)


def _import(paths: tuple[Path, ...], db_url: str, options: ImportOptions, quiet: bool) -> RunResult:
    url = _url(db_url)
    engine = _open(url, create=True)
    files = sources.discover(paths)
    # On a terminal only: click would still print the label once into a pipe or a log file.
    show = not quiet and sys.stderr.isatty()
    progress = (
        click.progressbar(
            length=len(files), label="Importing", file=sys.stderr, show_pos=True, item_show_func=lambda rate: rate
        )
        if show
        else None
    )
    with progress or contextlib.nullcontext() as bar:
        rate = _Rate()

        def on_source(source: SourceRecord, counts: Counts) -> None:
            if source.status == "failed":
                click.echo(f"error: {source.error}", err=True)
            elif line := summaries.partial_line(source):
                click.echo(line, err=True)
            if bar is not None:
                bar.update(1, rate.add(counts))

        return _guard(lambda: run_import(engine, url, files, options, on_source), url)


class _Rate:
    """Comments written per second so far, for the progress bar."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.comments = 0

    def add(self, counts: Counts) -> str:
        tally = counts["comments"]
        self.comments += tally.inserted + tally.updated + tally.unchanged
        return f"{self.comments / max(time.monotonic() - self.started, 1e-6):,.0f} comments/s"


@cli.command("stats")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats_command(db_url: str, as_json: bool) -> None:
    """Show what the database holds.

    \b
    Example:
        blogimport stats --db sqlite:///blog.db
    """
    url = _url(db_url)
    stats = _guard(lambda: collect_stats(_open(url)), url)
    if as_json:
        click.echo(json.dumps(stats, indent=2))
        return
    for name, value in stats.items():
        click.echo(f"{name}: {value}")


@cli.command("search")
@click.argument("words", nargs=-1, required=True, callback=lambda ctx, param, value: _words(value))
@db_option
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N posts and N comments.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def search_command(words: str, db_url: str, limit: int | None, as_json: bool) -> None:
    """Find the posts and comments that hold every one of WORDS (each the start of a word, any case).

    \b
    Example:
        blogimport search Interserve leicester
        blogimport search "chief inspector" --json
    """
    url = _url(db_url)
    found = _guard(lambda: search(_open(url), words, limit), url)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "words": words,
                    "posts": found.posts,
                    "comments": found.comments,
                    "limit": limit,
                    "hits": [hit.as_json() for hit in found.hits],
                },
                indent=2,
            )
        )
        return
    for hit in found.hits:
        click.echo(summaries.hit_line(hit))
    click.echo(summaries.count_line(found, limit))


@cli.command("runs")
@db_option
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, metavar="N", help="The N most recent runs."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def runs_command(db_url: str, limit: int, as_json: bool) -> None:
    """List the most recent imports, newest first: when each ran (UTC), how it ended, what it did.

    One line each: the run's id, start, end, state, then its sources and rows as the import's summary line gave
    them. A run still running that has given no sign of life for its lease (3 minutes) is abandoned: it was
    killed, or lost its database, before it could record its end.

    \b
    Example:
        blogimport runs --limit 5
    """
    url = _url(db_url)
    listed = _guard(lambda: recent_runs(_open(url), limit), url)
    if as_json:
        click.echo(json.dumps({"runs": [summaries.run_as_json(run) for run in listed]}, indent=2))
        return
    for run in listed:
        click.echo(summaries.run_line(run))


@cli.group("db")
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
    url = _url(db_url)
    _alembic(lambda command, config: command.upgrade(config, revision), url, create=True)
    _alembic(lambda command, config: command.current(config), url)


@db_group.command("downgrade")
@click.argument("revision")
@db_option
def db_downgrade(revision: str, db_url: str) -> None:
    """Migrate the schema down to REVISION ("base" removes every table, and the data in them).

    \b
    Example:
        blogimport db downgrade base
    """
    url = _url(db_url)
    _alembic(lambda command, config: command.downgrade(config, revision), url)
    _alembic(lambda command, config: command.current(config), url)


@db_group.command("current")
@db_option
def db_current(db_url: str) -> None:
    """Show the schema revision the database is at."""
    _alembic(lambda command, config: command.current(config), _url(db_url))


@db_group.command("history")
@db_option
def db_history(db_url: str) -> None:
    """List every schema revision, newest first."""
    _alembic(lambda command, config: command.history(config), _url(db_url))


@db_group.command("check")
@db_option
def db_check(db_url: str) -> None:
    """Fail if the models hold changes that no migration makes yet."""
    _alembic(lambda command, config: command.check(config), _url(db_url))


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
    url = _url(db_url)
    granted = _guard(lambda: grant_reporting_role(_open(url), name, password, host), url)
    for warning in granted.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{granted.role} can read every table and view of {granted.database}, and change nothing")


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


def _url(text: str) -> DatabaseURL:
    """The --db URL, parsed once for the command; text that is not a URL is one line."""
    try:
        return DatabaseURL.parse(text)
    except ArgumentError as error:
        raise click.ClickException(f"not a database URL: the database URL given ({error})") from None


def _open(url: DatabaseURL, create: bool = False) -> Engine:
    """The database, its schema made or checked; only `create` makes a SQLite file that is not there."""
    if not create:
        _guard(lambda: require_existing(url), url)
    engine = _guard(lambda: make_engine(url), url)
    _guard(lambda: ensure_schema(engine, url), url)
    return engine


T = TypeVar("T")


def _guard(action: Callable[[], T], url: DatabaseURL) -> T:
    """Expected failures become one line on stderr and exit code 1 (click's ClickException)."""
    try:
        return action()
    except ImporterError as error:
        raise click.ClickException(str(error)) from None
    except ArgumentError as error:  # a URL SQLAlchemy reads, naming an engine it does not know
        raise click.ClickException(f"not a database URL: {url} ({error})") from None
    except SQLAlchemyError as error:
        raise click.ClickException(f"database error: {url.describe(error)}") from None


def _alembic(action: Callable[[Any, Any], None], url: DatabaseURL, create: bool = False) -> None:
    """Run an Alembic command (`action(alembic.command, config)`); Alembic loads only for these commands. Only
    `create` makes a SQLite file that is not there."""
    from alembic import command
    from alembic.util.exc import AutogenerateDiffsDetected, CommandError

    if not create:
        _guard(lambda: require_existing(url), url)
    _guard(lambda: check_reachable(url), url)
    try:
        _guard(lambda: action(command, alembic_config(url)), url)
    except AutogenerateDiffsDetected as error:
        raise click.ClickException(f"the models differ from the migrations: {error}") from None
    except CommandError as error:
        raise click.ClickException(str(error)) from None


def _role_name(value: str) -> str:
    try:
        return check_role_name(value)
    except ReportingRoleError as error:
        raise click.BadParameter(str(error)) from None


def _words(value: tuple[str, ...]) -> str:
    """The words given, as one phrase: `search chief inspector` is `search "chief inspector"`."""
    phrase = " ".join(value)
    try:
        words_of(phrase)
    except SearchError as error:
        raise click.BadParameter(str(error)) from None
    return phrase


def _zone(value: str | None) -> str | None:
    if value is not None:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise click.BadParameter(f"unknown time zone {value!r} (try e.g. Europe/London)") from None
    return value
