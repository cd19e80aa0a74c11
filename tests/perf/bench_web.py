"""The benchmark's `--format web` (tests/perf/bench.py): the corpus blog served by a local HTTP server in the shapes
of Blogger's public feeds (tests/perf/blogserver.py), fetched and imported by `blogimport import URL`, against
floors measured in the same run:

* download: every URL the import asked for, fetched again with the same client (sources.client, the same
  politeness: 2 requests in flight, no pause between them here), nothing parsed or written;
* the import floor of the other formats: the responses parsed (parse-only) and the final rows inserted raw.

floor seconds = download + parse + insert, and `ratio` is floor seconds over the import's. The server runs in this
process, so both sides share the machine as a real crawl on a loaded laptop would not: the ratio is what matters.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from blogimport import formats, sources
from blogimport.sources.client import Client, Politeness
from tests.perf import floors
from tests.perf.blogserver import BlogServer
from tests.perf.corpus import SIZES
from tests.perf.feedblog import FeedBlog

POLITENESS = Politeness(max_requests=2, interval=0.0)


def measure(
    db: str,
    size: str,
    posts: int | None,
    seed: int,
    scratch: Path,
    database: Callable[[str, Path], AbstractContextManager[str]],
    importer: Callable[[list[str], str], Any],
    log: Callable[[str], None],
) -> dict[str, Any]:
    """The figures of one web import into `db`; `importer(arguments, url)` runs `blogimport import` timed."""
    work = scratch / "web"
    log(f"web: serving a blog of {posts or SIZES[size]:,} posts ...")
    blog = FeedBlog.from_corpus(work / "corpus", posts=posts or SIZES[size], seed=seed, pages=False)
    server = BlogServer(blog)
    engine = "sqlite" if db == "sqlite" else db.split(":", 1)[0].split("+")[0]
    with server.running(), database(db, work) as url, database(db, work) as empty:
        cache = work / "cache"
        log(f"web -> {engine}: first import ...")
        first = importer([server.url, "--cache", str(cache), "--interval", "0"], url)
        asked = [server.url + entry.path for entry in server.log]
        log(f"web -> {engine}: a re-run against the unchanged server ...")
        noop = importer([server.url, "--cache", str(cache), "--interval", "0"], url)
        log(f"web -> {engine}: download floor ({len(asked)} requests) ...")
        download = _download_seconds(asked)
        log(f"web -> {engine}: parse-only and raw insert ...")
        parse = _parse_seconds(cache)
        floors.migrate(empty)
        insert = floors.raw_insert_seconds(url, empty)
    comments = first.report["entities"]["comments"]["inserted"]
    floor_seconds = download + parse + insert
    return {
        "format": "web",
        "engine": engine,
        "comments": comments,
        "seconds": round(first.seconds, 4),
        "rate": round(comments / first.seconds),
        "parse_seconds": round(parse, 4),
        "insert_seconds": round(insert, 4),
        "download_seconds": round(download, 4),
        "floor_rate": round(comments / floor_seconds),
        "ratio": round(floor_seconds / first.seconds, 3),
        "noop_fraction": round(noop.seconds / first.seconds, 4),
        "changed_fraction": None,
        "peak_rss_mb": round(first.peak_rss_mb, 1),
        "requests": len(asked),
    }


def _download_seconds(urls: list[str]) -> float:
    """Every URL fetched with the client the import uses, as many at once as it allows, nothing kept."""
    client = Client(POLITENESS)
    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(POLITENESS.max_requests) as pool:
            for _ in pool.map(client.get, urls):
                pass
    finally:
        client.close()
    return time.perf_counter() - started


def _parse_seconds(cache: Path) -> float:
    """Every response in the cache parsed as the import parses it, every entry read."""
    started = time.perf_counter()
    for body in _bodies(cache):
        data = body.read_bytes()
        fmt = sources.sniff(data[: sources.SNIFF_BYTES], str(body))
        for _ in formats.parse_bytes(fmt, data, str(body)).entries:
            pass
    return time.perf_counter() - started


def _bodies(cache: Path) -> Iterator[Path]:
    return iter(sorted((cache / "responses").rglob("*.body")))
