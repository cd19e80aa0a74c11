"""`blogimport import URL`: the options that make fetching gentler, the cache's place, and progress on a terminal.
The fetching itself is blogimport.sources.web; this only turns options into its settings and shows its progress."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from blogimport import formats
from blogimport.sources import Source
from blogimport.store import DatabaseURL

F = TypeVar("F", bound=Callable[..., Any])


class PathOrAddress(click.ParamType):  # type: ignore[type-arg]  # generic in click's stubs only, not at run time
    """A path that exists, or an http(s) address (a live blog, or one of its posts)."""

    name = "PATH|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path | str:
        if isinstance(value, str) and is_address(value):
            return value
        path: Path = click.Path(exists=True, path_type=Path).convert(value, param, ctx)
        return path


def is_address(text: str) -> bool:
    """A command-line argument that names a live blog (or post) rather than a path. Told here, not by
    blogimport.sources.web: that loads httpx and asyncio (70 ms), which an import of files never needs."""
    return bool(re.match(r"(?i)^https?://[^/\s]+", text))


def web_options(function: F) -> F:
    for option in reversed(
        [
            click.option(
                "--cache",
                "cache_dir",
                type=click.Path(file_okay=False, path_type=Path),
                metavar="DIR",
                help="Where fetched responses are kept. Default: beside a SQLite database (blog.db.cache), "
                "else the user's cache directory.",
            ),
            click.option("--offline", is_flag=True, help="Import a blog's responses from the cache: no request."),
            click.option(
                "--max-requests",
                type=click.IntRange(min=1, max=8),
                default=2,
                show_default=True,
                metavar="N",
                help="Requests in flight to one host at most.",
            ),
            click.option(
                "--interval",
                type=click.FloatRange(min=0),
                default=0.25,
                show_default=True,
                metavar="SECONDS",
                help="Time between the starts of two requests to one host, at least.",
            ),
        ]
    ):
        function = option(function)
    return function


def fetch_addresses(
    addresses: list[str], url: DatabaseURL, options: dict[str, Any], quiet: bool
) -> tuple[list[Source], list[str]]:
    """The sources every address gives (fetched, or from the cache), and the notes the summary adds."""
    if not addresses:
        return [], []
    from blogimport.sources import web  # httpx and asyncio: loaded only when a URL is given (is_address)
    from blogimport.sources.cache import default_folder
    from blogimport.sources.client import Politeness

    sqlite_file = Path(url.given.database) if url.backend == "sqlite" and url.given.database else None
    settings = web.WebOptions(
        cache=options["cache_dir"] or default_folder(sqlite_file),
        offline=options["offline"],
        politeness=Politeness(max_requests=options["max_requests"], interval=options["interval"]),
    )
    found: list[Source] = []
    notes: list[str] = []
    terminal = not quiet and sys.stderr.isatty()
    for address in addresses:
        line = _ProgressLine(address) if terminal else None
        fetched = web.fetch(address, settings, formats.read_fetched, line or (lambda progress: None))
        if line is not None:
            line.end()
        found.extend(fetched.sources)
        notes.extend(f"{address}: {note}" for note in fetched.notes)
        notes.append(f"{address}: {fetched.requests} requests")
    return found, notes


class _ProgressLine:
    """A line redrawn on the terminal: requests, entries, their rate, and the time left from the feeds' totals. At
    most five times a second while the fetch goes on, then once more with its final counts."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.drawn_at = 0.0
        self.last: Any = None  # the crawl's Progress, which it keeps counting in

    def __call__(self, progress: Any) -> None:
        self.last = progress
        if time.monotonic() - self.drawn_at >= 0.2:
            self._draw(progress)

    def end(self) -> None:
        """The final counts, and the line left for the import's own progress below it."""
        if self.last is not None:
            self._draw(self.last)
            click.echo(file=sys.stderr)

    def _draw(self, progress: Any) -> None:
        self.drawn_at = now = time.monotonic()
        elapsed = max(now - progress.started, 1e-6)
        rate = progress.entries / elapsed
        line = f"{self.address}: {progress.requests} requests, {progress.entries:,} entries, {rate:,.0f}/s"
        if progress.expected > progress.entries and rate > 0:
            line += f", ~{(progress.expected - progress.entries) / rate:,.0f} s left"
        click.echo(f"\r{line}\x1b[K", file=sys.stderr, nl=False)
