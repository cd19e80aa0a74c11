"""A live blog whose feeds are switched off (issue 15: "where the feeds are switched off ... it fetches the post
pages themselves and parses them with the html format, and says so in the summary"): every /feeds/ URL answers
404, and the blog is read from its post pages, found through its sitemap, served by a real HTTP server on
127.0.0.1. Then read again (only the sitemaps asked while their lastmod stays), and from the cache alone.

The behaviour does not depend on the engine: SQLite only."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import run
from tests.dbdump import CONTENT_TABLES, natural_dump, query, raw_dump
from tests.livesite import assert_clean, fetch, make_blog
from tests.perf.blogserver import BlogServer, Reply
from tests.perf.feedblog import FeedBlog

COUNTS = """SELECT (SELECT count(*) FROM blogs) AS blogs, (SELECT count(*) FROM posts) AS posts,
    (SELECT count(*) FROM comments) AS comments, (SELECT count(*) FROM comments WHERE parent_id IS NOT NULL) AS replies,
    (SELECT count(*) FROM labels) AS labels, (SELECT count(*) FROM authors) AS authors"""
BLOG_COUNTS = {"blogs": 1, "posts": 8, "comments": 112, "replies": 41, "labels": 13, "authors": 37}
FEED = "/feeds/posts/default?max-results=150&start-index=1&redirect=false"
SITEMAPS = ["/sitemap.xml", "/sitemap.xml?page=1", "/sitemap.xml?page=2", "/sitemap-pages.xml"]  # 5 posts a page


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory) -> FeedBlog:
    return make_blog(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def from_pages(blog: FeedBlog, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[object, ...]]]:
    """The database the blog's post pages give, saved to files and imported as such."""
    folder, db_folder = tmp_path_factory.mktemp("pages"), tmp_path_factory.mktemp("pages-db")
    for path, page in blog.pages.items():
        (folder / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (folder / path.lstrip("/")).write_bytes(page)
    db_url = f"sqlite:///{db_folder / 'pages.db'}"
    assert run("import", folder, "--db", db_url).exit_code == 0
    assert query(db_url, COUNTS) == [BLOG_COUNTS]
    return natural_dump(db_url)


def feeds_off(blog: FeedBlog, sitemap_size: int | None = 5) -> BlogServer:
    server = BlogServer(blog.copy())
    server.feeds_off = True
    server.sitemap_size = sitemap_size
    return server


def post_paths(blog: FeedBlog) -> list[str]:
    assert len(blog.pages) == 8
    return list(blog.pages)


@pytest.mark.parametrize(
    ("size", "sitemaps"),
    [(5, SITEMAPS), (None, ["/sitemap.xml", "/sitemap-pages.xml"])],
    ids=["index-of-2-pages", "plain-list"],
)
def test_feeds_off_reads_every_post_and_comment_from_the_pages(
    size: int | None, sitemaps: list[str], blog: FeedBlog, from_pages, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'blog.db'}"
    server = feeds_off(blog, size)
    with server.running():
        result = fetch(server, db_url, tmp_path / "cache")
        assert_clean(result, server, 0)
    requests = 1 + len(sitemaps) + 1 + 8  # the feed's 404, the sitemaps, robots.txt, the pages
    assert result.stdout.endswith(
        f"; {server.url}: the blog's feeds are off: 8 posts read from their pages (sitemap); "
        f"{server.url}: {requests} requests\n"
    )
    assert result.stdout.startswith("8 sources: 8 imported, 0 unchanged, 0 failed; ")
    assert result.stderr == ""  # no progress line: stderr is no terminal
    assert sorted(server.paths()) == sorted([FEED, *sitemaps, "/robots.txt", *post_paths(blog)])
    assert [entry.status for entry in server.log if entry.path == FEED] == [404]
    assert query(db_url, COUNTS) == [BLOG_COUNTS]
    assert natural_dump(db_url) == from_pages
    assert query(db_url, "SELECT DISTINCT format, status FROM sources") == [{"format": "html", "status": "imported"}]
    assert sorted(row["locator"] for row in query(db_url, "SELECT locator FROM sources")) == sorted(
        server.url + path for path in post_paths(blog)
    )


def test_a_rerun_asks_only_the_sitemaps_then_a_changed_page_and_offline_asks_nothing(
    blog: FeedBlog, tmp_path: Path
) -> None:
    db_url, offline = f"sqlite:///{tmp_path / 'blog.db'}", f"sqlite:///{tmp_path / 'offline.db'}"
    cache = tmp_path / "cache"
    server = feeds_off(blog)
    with server.running():
        assert_clean(fetch(server, db_url, cache), server, 0)
        before = raw_dump(db_url)

        asked = len(server.log)
        again = fetch(server, db_url, cache)
        assert_clean(again, server, 0)
        assert sorted(entry.path for entry in server.log[asked:]) == sorted([FEED, *SITEMAPS])
        assert again.stdout == (
            "8 sources: 0 imported, 8 unchanged, 0 failed; new: none; updated: none; "
            f"{server.url}: the blog's feeds are off: 0 posts read from their pages (sitemap), "
            f"8 unchanged since the last run (their sitemap lastmod); {server.url}: 5 requests\n"
        )
        assert {t: raw_dump(db_url)[t] for t in CONTENT_TABLES} == {t: before[t] for t in CONTENT_TABLES}

        # The owner edits a post: its lastmod moves, and that page alone is asked again.
        edited = server.blog.posts[3]
        server.blog.posts[3] = replace(edited, updated=edited.updated + timedelta(hours=1))
        asked = len(server.log)
        changed = fetch(server, db_url, cache)
        assert_clean(changed, server, 0)
        page = server.blog.page_path(edited)
        assert sorted(entry.path for entry in server.log[asked:]) == sorted([FEED, *SITEMAPS, "/robots.txt", page])
        assert (
            "the blog's feeds are off: 1 posts read from their pages (sitemap), 7 unchanged since the last run"
            in changed.stdout
        )

        asked = len(server.log)
        result = fetch(server, offline, cache, "--offline")
        assert_clean(result, server, 0)
        assert len(server.log) == asked  # not one request
    assert result.stdout.startswith("8 sources: 8 imported, 0 unchanged, 0 failed; ")
    assert natural_dump(offline) == natural_dump(db_url)
    assert query(offline, COUNTS) == [BLOG_COUNTS]


def test_a_sitemap_page_that_fails_is_one_line_and_the_other_s_posts_are_imported(
    blog: FeedBlog, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'blog.db'}"
    server = feeds_off(blog)
    server.fault(lambda target: target == "/sitemap.xml?page=2", Reply(404, {}, b"no"))
    with server.running():
        result = fetch(server, db_url, tmp_path / "cache")
        assert_clean(result, server, 1)
    assert result.stderr == f"error: {server.url}/sitemap.xml?page=2: not found (404)\n"
    assert "the blog's feeds are off: 5 posts read from their pages (sitemap)" in result.stdout
    assert query(db_url, "SELECT count(*) AS n FROM posts") == [{"n": 5}]  # the newest five: page 1
    assert query(db_url, "SELECT status, count(*) AS n FROM sources GROUP BY status ORDER BY status") == [
        {"status": "failed", "n": 1},
        {"status": "imported", "n": 5},
    ]


def test_a_sitemap_that_is_not_one_is_one_line(blog: FeedBlog, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'blog.db'}"
    server = feeds_off(blog)
    html = Reply(200, {"Content-Type": "text/html"}, b"<html><body>a theme's own page</body></html>")
    server.fault(lambda target: target == "/sitemap.xml", html)
    with server.running():
        result = fetch(server, db_url, tmp_path / "cache")
        assert_clean(result, server, 1)
    assert result.stderr == f"error: {server.url}/sitemap.xml: not a sitemap: the document is <html>\n"
    assert server.paths() == [FEED, "/sitemap.xml"]  # nothing more to follow
    assert query(db_url, "SELECT count(*) AS n FROM posts") == [{"n": 0}]
