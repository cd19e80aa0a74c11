"""`blogimport import`: sources in, the pipeline run, a summary line (or JSON) out, progress on a terminal."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from blogimport import formats, interrupts, sources, summaries
from blogimport.cli.database import database_url, db_option, guarded, open_database
from blogimport.cli.fetching import PathOrAddress, fetch_addresses, web_options
from blogimport.interrupts import Interrupted
from blogimport.pipeline import BATCH_SECONDS, ImportOptions, RunResult, run_import
from blogimport.records import Counts, SourceRecord
from blogimport.workers import default_jobs


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=PathOrAddress())
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
@click.option(
    "--commit-every",
    "commit_seconds",
    type=click.FloatRange(min=0.001, max=3600),
    default=BATCH_SECONDS,
    show_default=True,
    metavar="SECONDS",
    help="Commit small sources at least this often: shorter loses less to a crash and shows progress sooner, "
    "longer is a little faster.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the summary line.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line; errors still go to stderr.")
@web_options
def import_command(
    paths: tuple[Path | str, ...],
    db_url: str,
    blog: str | None,
    blog_author: str | None,
    timezone: str | None,
    fmt: str,
    force: bool,
    checksum: bool,
    jobs: int,
    commit_seconds: float,
    as_json: bool,
    quiet: bool,
    **web: Any,
) -> None:
    """Import files or folders (searched recursively), or a live blog by its address, into the database.

    \b
    Example:
        blogimport import seeds/
        blogimport import crawl/ --db postgresql+psycopg://localhost/blog --json
        blogimport import https://NAME.blogspot.com --db blog.db
    """
    with interrupts.recorded():
        try:
            result, notes = _import(
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
                    commit_seconds=commit_seconds,
                ),
                quiet,
                web,
            )
            if as_json:
                fetched = {"web": notes} if notes else {}  # only when an address was given
                click.echo(json.dumps({**summaries.result_as_json(result), **fetched}, indent=2))
            elif not quiet:
                click.echo("; ".join([summaries.summary_line(result), *notes]))
            if result.stopped:
                click.echo(summaries.stopped_line(result), err=True)
        except Interrupted as interrupted:  # before the run began, or while it recorded that it stopped
            click.echo(f"interrupted by {interrupted.name}", err=True)
            sys.exit(interrupted.exit_code)
    if result.interrupted:
        sys.exit(128 + result.interrupted)  # as a shell reports a process the signal ended: 130, 143
    sys.exit(1 if result.failed or result.database_error else 0)


def _import(
    paths: tuple[Path | str, ...], db_url: str, options: ImportOptions, quiet: bool, web: dict[str, Any]
) -> tuple[RunResult, list[str]]:
    url = database_url(db_url)
    engine = open_database(url, create=True)
    files = sources.discover(path for path in paths if isinstance(path, Path))
    fetched, notes = fetch_addresses([path for path in paths if isinstance(path, str)], url, web, quiet)
    files = [*files, *fetched]
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

        return guarded(lambda: run_import(engine, url, files, options, on_source), url), notes


class _Rate:
    """Comments written per second so far, for the progress bar."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.comments = 0

    def add(self, counts: Counts) -> str:
        tally = counts["comments"]
        self.comments += tally.inserted + tally.updated + tally.unchanged
        return f"{self.comments / max(time.monotonic() - self.started, 1e-6):,.0f} comments/s"


def _zone(value: str | None) -> str | None:
    if value is not None:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise click.BadParameter(f"unknown time zone {value!r} (try e.g. Europe/London)") from None
    return value
