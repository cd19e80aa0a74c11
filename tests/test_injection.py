"""Content that looks like code (issue 8, point 6): SQL, markup and format strings are a blog's text like any
other. Stored verbatim, on every engine, and nothing else changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from blogimport.records import CommentRecord, PostRecord
from tests.conftest import SEEDS, run
from tests.dbdump import query
from tests.render import render_text

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

SQL = "Robert'); DROP TABLE posts;-- \" OR 1=1; --"
MARKUP = "<script>alert('x')</script><img src=x onerror=alert(1)> &amp; &lt;b&gt;"
FORMATS = "%s %d %(title)s {0} {title!r} ${HOME} `id` $(id) \\n \\x00 %%"
LIKE = "100% _sure_ \\ back\\slash"


def test_code_like_content_is_stored_verbatim_and_changes_nothing_else(tmp_path: Path, db_url: str) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (seed,) = SEEDS.glob("003_*.txt")
    (crawl / seed.name).write_bytes(seed.read_bytes())
    post = PostRecord(
        published_on=date(2019, 5, 21),
        title=SQL,
        body_text=f"{MARKUP}\n\n{FORMATS}",
        comments=(CommentRecord(SQL, replies=(CommentRecord(MARKUP),)), CommentRecord(FORMATS), CommentRecord(LIKE)),
    )
    (crawl / "code.txt").write_text(render_text(post), encoding="utf-8")
    result = run("import", crawl, "--db", db_url)
    assert result.exit_code == 0, result.output
    assert query(db_url, "SELECT title, body_text FROM posts WHERE title = ?", SQL) == [
        {"title": SQL, "body_text": f"{MARKUP}\n\n{FORMATS}"}
    ]
    assert query(
        db_url,
        "SELECT c.path, c.body_text FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.title = ? ORDER BY c.path",
        SQL,
    ) == [
        {"path": "0001", "body_text": SQL},
        {"path": "0001.0001", "body_text": MARKUP},
        {"path": "0002", "body_text": FORMATS},
        {"path": "0003", "body_text": LIKE},
    ]
    assert query(db_url, "SELECT count(*) AS posts, (SELECT count(*) FROM comments) AS comments FROM posts") == [
        {"posts": 2, "comments": 19 + 4}
    ]
    again = run("import", crawl, "--db", db_url, "--force")
    assert again.exit_code == 0 and again.stdout.endswith("new: none; updated: none\n"), again.output
