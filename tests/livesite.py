"""What the tests of a live blog share: a small corpus blog served on 127.0.0.1 (tests/perf/blogserver.py), the
import run against it, and what every such run must show (no traceback, at most 2 requests in flight)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import Result

from tests.conftest import run
from tests.perf.blogserver import BlogServer
from tests.perf.feedblog import FeedBlog

POSTS = 8  # a small blog: 8 posts, 112 comments (seed 0)


def make_blog(folder: Path) -> FeedBlog:
    return FeedBlog.from_corpus(folder, posts=POSTS)


def fetch(server: BlogServer | str, db_url: str, cache: Path, *args: object) -> Result:
    """`blogimport import URL` against the server, with no pause between requests unless `args` ask for one."""
    address = server.url if isinstance(server, BlogServer) else server
    extra = [] if "--interval" in args else ["--interval", "0"]
    return run("import", address, "--db", db_url, "--cache", cache, *extra, *args)


def assert_clean(result: Result, server: BlogServer, exit_code: int) -> None:
    assert result.exit_code == exit_code, result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    assert server.max_in_flight() <= 2
    assert server.errors == []


def without_rank(dump: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """A natural dump without source_rank: a feed's rows rank 5, the same rows from an export 4 (records.py)."""
    return {
        table: sorted((tuple(c for c in row if c[0] != "source_rank") for row in rows), key=repr)
        for table, rows in dump.items()
    }


def gaps_after(server: BlogServer, status: int) -> list[float]:
    """For each answer of `status`, the time from when the server began to send it to the start of the next
    request, on the server's clock."""
    log = sorted(server.log, key=lambda r: r.start)
    return [
        min(later.start for later in log if later.start > entry.start) - entry.answered
        for entry in log
        if entry.status == status and any(later.start > entry.start for later in log)
    ]
