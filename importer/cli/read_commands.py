"""The commands that only read: `stats`, `search`, `runs`."""

from __future__ import annotations

import json

import click

from blogimport import summaries
from blogimport.cli.database import database_url, db_option, guarded, open_database
from blogimport.report.search import SearchError, search, words_of
from blogimport.report.stats import collect_stats
from blogimport.store import recent_runs


@click.command("stats")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats_command(db_url: str, as_json: bool) -> None:
    """Show what the database holds.

    \b
    Example:
        blogimport stats --db sqlite:///blog.db
    """
    url = database_url(db_url)
    stats = guarded(lambda: collect_stats(open_database(url)), url)
    if as_json:
        click.echo(json.dumps(stats, indent=2))
        return
    for name, value in stats.items():
        click.echo(f"{name}: {value}")


@click.command("search")
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
    url = database_url(db_url)
    found = guarded(lambda: search(open_database(url), words, limit), url)
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


@click.command("runs")
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
    url = database_url(db_url)
    listed = guarded(lambda: recent_runs(open_database(url), limit), url)
    if as_json:
        click.echo(json.dumps({"runs": [summaries.run_as_json(run) for run in listed]}, indent=2))
        return
    for run in listed:
        click.echo(summaries.run_line(run))


def _words(value: tuple[str, ...]) -> str:
    """The words given, as one phrase: `search chief inspector` is `search "chief inspector"`."""
    phrase = " ".join(value)
    try:
        words_of(phrase)
    except SearchError as error:
        raise click.BadParameter(str(error)) from None
    return phrase
