"""A live blog read by its address (issue 15, points 3 and 5): a corpus blog served as Blogger serves its public
feeds, by a real HTTP server on 127.0.0.1, fetched into every engine, compared with the same blog's classic export;
then read again: unchanged, changed, and from the cache alone."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import run
from tests.dbdump import CONTENT_TABLES, natural_dump, query, raw_dump
from tests.livesite import assert_clean, fetch, make_blog, without_rank
from tests.perf.blogserver import BlogServer
from tests.perf.feedblog import FeedBlog
from tests.terminal import on_a_terminal

COUNTS = """SELECT (SELECT count(*) FROM blogs) AS blogs, (SELECT count(*) FROM posts) AS posts,
    (SELECT count(*) FROM comments) AS comments, (SELECT count(*) FROM comments WHERE parent_id IS NOT NULL) AS replies,
    (SELECT count(*) FROM labels) AS labels, (SELECT count(*) FROM pending_comments) AS waiting"""
BLOG_COUNTS = {"blogs": 1, "posts": 8, "comments": 112, "replies": 41, "labels": 13, "waiting": 0}


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory) -> FeedBlog:
    return make_blog(tmp_path_factory.mktemp("corpus"))


@pytest.mark.premade_schema
@pytest.mark.parametrize(
    ("shape", "engine_name"),
    # JSON becomes the same records as Atom before any engine sees them: SQLite shows it.
    [("atom", "sqlite"), ("atom", "postgresql"), ("atom", "mysql"), ("json", "sqlite")],
    indirect=["engine_name"],
)
def test_a_fetched_blog_is_its_export_and_both_together_one_set_of_rows(
    shape: str, blog: FeedBlog, engine_name: str, new_db: Callable[[], str], tmp_path: Path
) -> None:
    assert blog.export is not None
    server = BlogServer(blog, shape)  # Blogger's cap, 150 entries a page: each feed in one page
    exported, fetched, export_then_fetch = new_db(), new_db(), new_db()
    assert run("import", blog.export, "--db", exported).exit_code == 0
    assert run("import", blog.export, "--db", export_then_fetch).exit_code == 0
    with server.running():
        result = fetch(server, fetched, tmp_path / "cache")
        assert_clean(result, server, 0)
        assert len(server.log) == 3  # posts, pages, comments
        assert fetch(server, export_then_fetch, tmp_path / "cache2").exit_code == 0
    assert query(fetched, COUNTS) == [BLOG_COUNTS]
    assert query(fetched, "SELECT DISTINCT format, status FROM sources") == [
        {"format": "feed_atom" if shape == "atom" else "feed_json", "status": "imported"}
    ]
    assert without_rank(natural_dump(fetched)) == without_rank(natural_dump(exported))
    # The export ranks above a feed (records.RICHNESS): after it, or before it, its values stand.
    assert natural_dump(export_then_fetch) == natural_dump(exported)
    assert run("import", blog.export, "--db", fetched).exit_code == 0
    assert natural_dump(fetched) == natural_dump(exported)


def test_a_blog_read_a_page_at_a_time_is_its_export_but_for_identical_comments_on_two_pages(
    blog: FeedBlog, tmp_path: Path
) -> None:
    """Pages of 10: the comments feed in 12 pages, imported oldest first, each a source. Paths are numbered among
    every stored sibling, so they are the export's. Keys count identical siblings (two "removed" markers) within
    one source only (identity.comment_keys, a stored contract): where two such comments of a post come on two
    pages, the later one is keyed by its Blogger id ('~' and the id) where the export counts it (':1')."""
    assert blog.export is not None
    exported, fetched = f"sqlite:///{tmp_path / 'export.db'}", f"sqlite:///{tmp_path / 'fetched.db'}"
    assert run("import", blog.export, "--db", exported).exit_code == 0
    server = BlogServer(blog)
    server.cap = 10
    with server.running():
        assert_clean(fetch(server, fetched, tmp_path / "cache"), server, 0)
    assert len(server.log) == 14  # posts 1 page, pages 1, comments 12
    assert query(fetched, COUNTS) == [BLOG_COUNTS]
    ours, theirs = without_rank(natural_dump(fetched)), without_rank(natural_dump(exported))
    assert {table: rows for table, rows in ours.items() if table != "comments"} == {
        table: rows for table, rows in theirs.items() if table != "comments"
    }
    differ = sorted(
        (dict(row)["blogger_id"], dict(row)["key"].split(":", 1)[1])
        for row in set(ours["comments"]) - set(theirs["comments"])
    )
    assert differ == [("6361359101137095060", "0~6361359101137095060"), ("783083775619971284", "0~783083775619971284")]
    unchanged = [row for row in ours["comments"] if dict(row)["blogger_id"] not in {b for b, _ in differ}]
    assert len(unchanged) == 110 and set(unchanged) <= set(theirs["comments"])


def test_a_post_the_blog_wide_feed_misses_is_read_from_its_own_comments_feed(blog: FeedBlog, tmp_path: Path) -> None:
    """Blogger's blog-wide comments feed may stop short; a post's thr:total says so, and its own feed has them."""
    db_url = f"sqlite:///{tmp_path / 'blog.db'}"
    short = blog.copy(blogwide_limit=40)
    server = BlogServer(short)
    with server.running():
        assert_clean(fetch(server, db_url, tmp_path / "cache"), server, 0)
    per_post = [path for path in server.paths() if "/comments/default" in path and "/feeds/comments/" not in path]
    assert len(per_post) == 7  # the posts with comments older than the newest 40
    assert query(db_url, COUNTS) == [BLOG_COUNTS]


def test_a_rerun_asks_only_what_changed_and_offline_asks_nothing(blog: FeedBlog, tmp_path: Path) -> None:
    """What is asked does not depend on the engine: SQLite."""
    db_url, offline = f"sqlite:///{tmp_path / 'blog.db'}", f"sqlite:///{tmp_path / 'offline.db'}"
    live = blog.copy()
    server = BlogServer(live)
    cache = tmp_path / "cache"
    with server.running():
        assert_clean(fetch(server, db_url, cache), server, 0)
        before = raw_dump(db_url)
        for run_number in (1, 2):  # the first re-run asks with updated-min; the second one's 304s come from ETags
            asked = len(server.log)
            again = fetch(server, db_url, cache, "--json")
            assert_clean(again, server, 0)
            new = server.log[asked:]
            assert len(new) == 3
            assert all("updated-min=" in entry.path for entry in new)
            assert [entry.status for entry in new] == ([200] * 3 if run_number == 1 else [304] * 3)
            assert {t: raw_dump(db_url)[t] for t in CONTENT_TABLES} == {t: before[t] for t in CONTENT_TABLES}

        newest = max(entry.updated for entry in live.posts + live.comments)
        live.new_post("1000000000000000001", "A post written since", newest + timedelta(days=1))
        old = live.posts[5].id  # 36 comments
        live.new_comment(
            "2000000000000000001", old, "Written after the first crawl.", newest + timedelta(days=1, hours=1)
        )
        live.new_comment("2000000000000000002", old, "And another one after it.", newest + timedelta(days=1, hours=2))
        dump = natural_dump(db_url)
        asked = len(server.log)
        changed = fetch(server, db_url, cache, "--json")
        assert_clean(changed, server, 0)
        assert len(server.log) - asked == 3
        entities = json.loads(changed.stdout)["entities"]
        assert {name: entities[name]["inserted"] for name in ("posts", "comments", "authors", "labels")} == {
            "posts": 1,
            "comments": 2,
            "authors": 0,
            "labels": 0,
        }
        after = natural_dump(db_url)
        added = {table: sorted(set(after[table]) - set(dump[table]), key=repr) for table in after}
        assert {table: len(rows) for table, rows in added.items() if rows} == {"posts": 1, "comments": 2}
        assert {dict(row)["blogger_id"] for row in added["comments"]} == {"2000000000000000001", "2000000000000000002"}
        assert all(set(dump[table]) <= set(after[table]) for table in dump)

        asked = len(server.log)
        result = fetch(server, offline, cache, "--offline")
        assert_clean(result, server, 0)
        assert len(server.log) == asked  # not one request
    assert natural_dump(offline) == natural_dump(db_url)
    again = run("import", server.url, "--db", db_url, "--cache", cache, "--offline")
    assert again.exit_code == 0
    # The first crawl's 3 responses and the re-runs' 3 (asked with the same updated-min, as nothing had changed).
    assert again.stdout == (
        f"6 sources: 0 imported, 6 unchanged, 0 failed; new: none; updated: none; {server.url}: 0 requests\n"
    )


def test_offline_without_a_cache_is_one_line(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'blog.db'}"
    result = run("import", "http://127.0.0.1:9/", "--db", db_url, "--cache", tmp_path / "none", "--offline")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: http://127.0.0.1:9: nothing in the cache for it: fetch it once without --offline\n"
    )


def test_a_post_address_means_that_post_and_its_comments(blog: FeedBlog, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'blog.db'}"
    post = blog.posts[1]  # 14 comments
    link = re.search(r"<link rel='alternate' type='text/html' href='https://[^/']+(/[^']+)'", post.xml)
    assert link is not None
    path = link[1]
    server = BlogServer(blog)
    with server.running():
        result = fetch(server.url + path, db_url, tmp_path / "cache")
        assert_clean(result, server, 0)
    assert server.paths() == [
        "/robots.txt",
        path,
        f"/feeds/posts/default/{post.id}",
        f"/feeds/{post.id}/comments/default?max-results=150&start-index=1",
    ]
    assert query(db_url, "SELECT blogger_id FROM posts") == [{"blogger_id": post.id}]
    assert query(db_url, "SELECT count(*) AS n FROM comments") == [{"n": 14}]
    assert query(db_url, "SELECT format FROM sources ORDER BY id") == [
        {"format": "html"},
        {"format": "feed_atom"},
        {"format": "feed_atom"},
    ]


def test_the_progress_line_on_a_terminal_ends_with_the_final_counts(blog: FeedBlog, tmp_path: Path) -> None:
    """A real `blogimport import URL` with stderr on a pseudo-terminal: the fetch's line, redrawn in place, is left
    with the requests the server answered and every entry of the feeds; stdout, a pipe, has the summary alone. With
    stderr a pipe, no progress is written at all."""
    server = BlogServer(blog)
    with server.running():
        url = server.url
        code, out, err = on_a_terminal("import", url, "--db", f"sqlite:///{tmp_path / 'a.db'}", "--interval", "0")
        on_the_terminal = len(server.log)
        args = ["import", url, "--db", f"sqlite:///{tmp_path / 'b.db'}", "--interval", "0"]
        piped = subprocess.run(
            [Path(sys.executable).with_name("blogimport"), *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
    assert server.errors == [] and server.max_in_flight() <= 2
    assert (on_the_terminal, len(server.log)) == (3, 6)  # posts, pages, comments: each feed in one page
    assert (code, out.count("\n"), "\r" in out) == (0, 1, False)
    assert out.startswith("3 sources: 3 imported, 0 unchanged, 0 failed; ") and out.endswith(f"; {url}: 3 requests\n")
    shown = re.sub(r"\x1b\[[?\d;]*[A-Za-z]", "", err)
    segments = [segment for segment in re.split(r"[\r\n]+", shown) if segment.strip()]
    fetching = [segment for segment in segments if segment.startswith(f"{url}: ")]
    line = re.escape(url) + r": \d+ requests, [\d,]+ entries, [\d,]+/s(, ~[\d,]+ s left)?"
    assert fetching and all(re.fullmatch(line, segment) for segment in fetching), fetching
    # 8 posts, no static page, 112 comments: the final counts, nothing left, the line ended before the import's bar.
    assert re.fullmatch(re.escape(url) + r": 3 requests, 120 entries, [\d,]+/s", fetching[-1]), fetching[-1]
    assert re.search(re.escape(fetching[-1]) + r"\r*\n", shown)
    assert segments[segments.index(fetching[-1]) + 1].startswith("Importing  [")
    assert (piped.returncode, piped.stderr, piped.stdout) == (0, "", out)
