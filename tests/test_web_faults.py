"""A live blog's server misbehaving (issue 15, point 4), each fault served by a real HTTP server on 127.0.0.1: the
documented outcome (docs/web.md), the exit code DESIGN.md gives, one line and no traceback, never more than 2
requests in flight, and the waits the server asked for kept, measured on the server's own clock.

The behaviour does not depend on the engine: SQLite only."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dbdump import natural_dump, query
from tests.livesite import assert_clean, fetch, gaps_after, make_blog
from tests.perf.blogserver import BlogServer, Reply
from tests.perf.feedblog import FeedBlog

COUNTS = """SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM comments) AS comments,
    (SELECT count(*) FROM posts WHERE body_text = '') AS bodiless"""


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory) -> FeedBlog:
    return make_blog(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def reference(blog: FeedBlog, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[object, ...]]]:
    """The blog fetched from a server without faults."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'blog.db'}"
    server = BlogServer(blog)
    with server.running():
        assert fetch(server, db_url, tmp_path_factory.mktemp("cache")).exit_code == 0
    return natural_dump(db_url)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'blog.db'}"


@pytest.fixture
def server(blog: FeedBlog) -> Iterator[BlogServer]:
    site = BlogServer(blog.copy())
    with site.running():
        yield site


def posts_feed(target: str) -> bool:
    return target.startswith("/feeds/posts/default?")


def comments_feed(target: str) -> bool:
    return target.startswith("/feeds/comments/default?")


def test_429_with_retry_after_is_waited_for(server: BlogServer, sqlite_db: str, tmp_path: Path, reference) -> None:
    server.fault(posts_feed, Reply(429, {"Retry-After": "1"}, b"slow down"))
    result = fetch(server, sqlite_db, tmp_path / "cache")
    assert_clean(result, server, 0)
    assert [entry.status for entry in server.log][:2] == [429, 200]
    assert gaps_after(server, 429)[0] >= 1.0  # no request at all to the host within the second asked for
    assert natural_dump(sqlite_db) == reference


def test_503_twice_backs_off_exponentially(server: BlogServer, sqlite_db: str, tmp_path: Path, reference) -> None:
    server.fault(comments_feed, Reply(503, {}, b"busy"), Reply(503, {}, b"busy"))
    result = fetch(server, sqlite_db, tmp_path / "cache")
    assert_clean(result, server, 0)
    comments = [entry for entry in server.log if comments_feed(entry.path)]
    assert [entry.status for entry in comments] == [503, 503, 200]
    first, second = (later.start - earlier.answered for earlier, later in itertools.pairwise(comments))
    assert (first >= 1.0, second >= 2.0) == (True, True)  # 1 s, then 2 s: no Retry-After given
    assert natural_dump(sqlite_db) == reference


def test_a_response_cut_mid_entry_is_asked_again(server: BlogServer, sqlite_db: str, tmp_path: Path, reference) -> None:
    server.fault(comments_feed, Reply(passthrough=True, cut=20_000))  # the whole length declared, 20 KB sent
    result = fetch(server, sqlite_db, tmp_path / "cache")
    assert_clean(result, server, 0)
    comments = [entry for entry in server.log if comments_feed(entry.path)]
    assert len(comments) == 2
    assert comments[1].start - comments[0].answered >= 1.0
    assert natural_dump(sqlite_db) == reference


def test_a_redirect_to_the_custom_domain_is_followed(blog: FeedBlog, sqlite_db: str, tmp_path: Path, reference) -> None:
    domain = BlogServer(blog.copy())
    blogspot = BlogServer(blog.copy())
    blogspot.fault(lambda target: True, Reply(301, {"Location": "REPLACED"}), repeat=True)
    with domain.running(), blogspot.running():
        blogspot.faults[0].replies[0].headers["Location"] = domain.url + "/feeds/posts/default?redirect=false"
        result = fetch(blogspot, sqlite_db, tmp_path / "cache")
        assert_clean(result, blogspot, 0)
        assert_clean(result, domain, 0)
    assert [entry.status for entry in blogspot.log] == [301]  # then every request goes to the domain
    assert len(domain.log) == 3
    assert natural_dump(sqlite_db) == reference


def test_a_redirect_loop_is_one_line(server: BlogServer, sqlite_db: str, tmp_path: Path) -> None:
    server.fault(posts_feed, Reply(302, {"Location": "/feeds/posts/other"}), repeat=True)
    server.fault(lambda target: target == "/feeds/posts/other", Reply(302, {"Location": "/feeds/posts/default?a=1"}))
    server.fault(lambda target: target.endswith("a=1"), Reply(302, {"Location": "/feeds/posts/other"}))
    result = fetch(server, sqlite_db, tmp_path / "cache")
    assert_clean(result, server, 1)
    (line,) = result.stderr.splitlines()
    assert re.fullmatch(r"error: http://127\.0\.0\.1:\d+/?: redirect loop: .* -> \S+/feeds/posts/other", line), line
    assert query(sqlite_db, "SELECT status FROM sources") == [{"status": "failed"}]


def test_a_redirect_to_a_file_is_refused(server: BlogServer, sqlite_db: str, tmp_path: Path) -> None:
    server.fault(posts_feed, Reply(302, {"Location": "file:///etc/passwd"}))
    result = fetch(server, sqlite_db, tmp_path / "cache")
    assert_clean(result, server, 1)
    assert result.stderr == f"error: {server.url}: redirected to file: only http and https are followed\n"
    assert len(server.log) == 1


def test_a_response_over_the_size_limit_is_refused_and_the_rest_imported(
    server: BlogServer, sqlite_db: str, tmp_path: Path
) -> None:
    server.fault(comments_feed, Reply(200, {"Content-Type": "application/atom+xml"}, length=50 << 20))
    result = fetch(server, sqlite_db, tmp_path / "cache")
    assert_clean(result, server, 1)
    (line,) = result.stderr.splitlines()
    assert line.endswith(": response of 52,428,800 bytes, over the limit of 33,554,432")
    # The posts' thr:total then says every comment is missing: each post's own comments feed brings them.
    assert query(sqlite_db, COUNTS) == [{"posts": 8, "comments": 112, "bodiless": 0}]
    assert query(sqlite_db, "SELECT status, count(*) AS n FROM sources GROUP BY status ORDER BY status") == [
        {"status": "failed", "n": 1},
        {"status": "imported", "n": 9},  # posts, pages, and 7 posts' comments feeds
    ]


def test_comments_feed_off_falls_back_to_the_post_pages(server: BlogServer, sqlite_db: str, tmp_path: Path) -> None:
    server.comments_feed_off = True
    result = fetch(server, sqlite_db, tmp_path / "cache")
    assert_clean(result, server, 0)
    assert "the comments feed is off: comments read from 7 post pages" in result.stdout
    assert sum(entry.path.endswith(".html") for entry in server.log) == 7  # the post without comments is not asked
    assert "/robots.txt" in server.paths()
    assert query(sqlite_db, COUNTS) == [{"posts": 8, "comments": 112, "bodiless": 0}]


def test_robots_txt_is_honoured_for_post_pages(server: BlogServer, sqlite_db: str, tmp_path: Path) -> None:
    server.comments_feed_off = True
    server.robots = b"User-agent: blogimport\nDisallow: /2019/04/\n\nUser-agent: *\nAllow: /\n"
    result = fetch(server, sqlite_db, tmp_path / "cache")
    assert_clean(result, server, 0)
    assert "robots.txt disallows 6 post pages: not read" in result.stdout
    pages = [entry.path for entry in server.log if entry.path.endswith(".html")]
    assert len(pages) == 1
    assert not any(path.startswith("/2019/04/") for path in pages)


def test_a_summary_only_feed_takes_bodies_from_the_post_pages(
    blog: FeedBlog, sqlite_db: str, tmp_path: Path, reference
) -> None:
    server = BlogServer(blog.copy(summary_only=True))
    with server.running():
        result = fetch(server, sqlite_db, tmp_path / "cache")
        assert_clean(result, server, 0)
    assert "the feed gives summaries only: 8 post bodies read from their pages" in result.stdout
    assert query(sqlite_db, COUNTS) == [{"posts": 8, "comments": 112, "bodiless": 0}]
    bodies = {dict(row)["key"]: dict(row)["body_text"] for row in natural_dump(sqlite_db)["posts"]}
    assert bodies == {dict(row)["key"]: dict(row)["body_text"] for row in reference["posts"]}


@pytest.mark.parametrize(("total", "pages"), [(1000, 12), (3, 12)])
def test_a_total_that_lies_does_not_decide_where_to_stop(
    total: int, pages: int, server: BlogServer, sqlite_db: str, tmp_path: Path, reference
) -> None:
    server.cap = 10
    server.total_lie = total
    result = fetch(server, sqlite_db, tmp_path / "cache")
    assert_clean(result, server, 0)
    assert sum(comments_feed(entry.path) for entry in server.log) == pages
    assert query(sqlite_db, COUNTS) == [{"posts": 8, "comments": 112, "bodiless": 0}]
    # Every comment the one-page read has (two identical ones keyed by their ids when on two pages: test_web.py).
    ours = natural_dump(sqlite_db)
    assert {t: rows for t, rows in ours.items() if t != "comments"} == {
        t: rows for t, rows in reference.items() if t != "comments"
    }
    assert sorted(dict(row)["blogger_id"] for row in ours["comments"]) == sorted(
        dict(row)["blogger_id"] for row in reference["comments"]
    )


FEED = "/feeds/posts/default?max-results=150&start-index=1&redirect=false"


@pytest.mark.parametrize(
    ("status", "home", "line", "asked"),
    [
        (401, 401, "private blog: the server asks for a login (401)", [FEED]),
        (404, 404, "blog not found (404): deleted, or never there", [FEED, "/sitemap.xml", "/"]),
        (
            404,
            200,
            "the blog's feeds are off (404 on /feeds/posts/default) and it has no sitemap (404 on /sitemap.xml): "
            "nothing to read",
            [FEED, "/sitemap.xml", "/"],
        ),
    ],
    ids=["private", "deleted", "feeds-off-no-sitemap"],
)
def test_a_blog_that_cannot_be_read_is_one_line(
    status: int, home: int, line: str, asked: list[str], server: BlogServer, sqlite_db: str, tmp_path: Path
) -> None:
    """With its feeds off and a sitemap, a blog is read from its pages: tests/test_web_feeds_off.py."""
    server.fault(lambda target: target.startswith(("/feeds/", "/sitemap")), Reply(status, {}, b"no"), repeat=True)
    server.fault(lambda target: target == "/", Reply(home, {}, b"<html></html>"), repeat=True)
    result = fetch(server, sqlite_db, tmp_path / "cache")
    assert_clean(result, server, 1)
    assert result.stderr == f"error: {server.url}: {line}\n"
    assert server.paths() == asked


def test_a_network_error_is_one_line(sqlite_db: str, tmp_path: Path) -> None:
    result = fetch("http://127.0.0.1:9", sqlite_db, tmp_path / "cache")
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    assert re.fullmatch(r"error: http://127\.0\.0\.1:9: network error: .+\n", result.stderr), result.stderr
