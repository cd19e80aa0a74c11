"""Issue 16, point 5: which blog a source belongs to (DESIGN.md, Identity). A blog's key is its own host, never a
host many blogs share; two exports with different Blogger blog ids are two blogs whatever their links say; and a
source whose blog id is not that of the blog its key names is refused with one line, the rows left as they were.

The 2008 classic export links everything to www.blogger.com (`http://www.blogger.com/blogspot/jjsfavoritethings/`):
under identity rules 1 its blog was keyed 'www.blogger.com', and a copy with another blog id merged into it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run
from tests.dbdump import natural_dump, query, raw_dump

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

EXPORT_2008 = FIXTURES / "formats" / "classic-export_google-blog-converters_2008.xml"
BLOG_ID = "3113891067179933828"
OTHER_ID = "5550000000000000017"
BLOGS = 'SELECT "key", blogger_id, url, title FROM blogs ORDER BY "key"'
PER_BLOG = """SELECT b."key", (SELECT count(*) FROM posts p WHERE p.blog_id = b.id) AS posts,
                     (SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id
                      WHERE p.blog_id = b.id) AS comments,
                     (SELECT count(*) FROM labels l WHERE l.blog_id = b.id) AS labels
              FROM blogs b ORDER BY b."key\""""


def copy_with(tmp_path: Path, name: str, blog_id: str = BLOG_ID, home: str | None = None) -> Path:
    """The 2008 export with another blog id (everywhere it is written), and its links to another home, if given."""
    text = EXPORT_2008.read_text(encoding="utf-8").replace(BLOG_ID, blog_id)
    if home:
        text = text.replace("http://www.blogger.com/blogspot/jjsfavoritethings/", home)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("order", ["original first", "copy first"])
def test_two_exports_of_two_blogs_linked_to_www_blogger_com_are_two_blogs(
    tmp_path: Path, db_url: str, order: str
) -> None:
    copy = copy_with(tmp_path, "other-blog.xml", OTHER_ID)
    sources = [EXPORT_2008, copy] if order == "original first" else [copy, EXPORT_2008]
    for source in sources:
        result = run("import", source, "--db", db_url)
        assert (result.exit_code, result.stderr) == (0, "")
    home = "http://www.blogger.com/blogspot/jjsfavoritethings/"
    assert query(db_url, BLOGS) == [
        {"key": f"blogger-{BLOG_ID}", "blogger_id": BLOG_ID, "url": home, "title": "JJ's Favorite Things"},
        {"key": f"blogger-{OTHER_ID}", "blogger_id": OTHER_ID, "url": home, "title": "JJ's Favorite Things"},
    ]
    assert query(db_url, PER_BLOG) == [
        {"key": f"blogger-{BLOG_ID}", "posts": 4, "comments": 3, "labels": 4},
        {"key": f"blogger-{OTHER_ID}", "posts": 4, "comments": 3, "labels": 4},
    ]


def test_either_order_leaves_the_same_database(tmp_path: Path, new_db) -> None:  # type: ignore[no-untyped-def]
    copy = copy_with(tmp_path, "other-blog.xml", OTHER_ID)
    dumps = []
    for sources in ([EXPORT_2008, copy], [copy, EXPORT_2008]):
        url = new_db()
        for source in sources:
            assert run("import", source, "--db", url).exit_code == 0
        dumps.append(natural_dump(url))
    assert dumps[0] == dumps[1]


@pytest.mark.parametrize("order", ["original first", "copy first"])
def test_a_source_whose_blog_id_contradicts_its_blog_is_refused(tmp_path: Path, db_url: str, order: str) -> None:
    """Both copies name the same own host, with different blog ids: the one that comes second is refused, and
    nothing of it is written."""
    host = "http://jjsfavoritethings.blogspot.com/"
    original, copy = copy_with(tmp_path, "original.xml", home=host), copy_with(tmp_path, "copy.xml", OTHER_ID, host)
    first, second = (original, copy) if order == "original first" else (copy, original)
    assert run("import", first, "--db", db_url).exit_code == 0
    before = query(db_url, PER_BLOG), raw_dump(db_url)["posts"]
    refused = run("import", second, "--db", db_url)
    kept, other = (BLOG_ID, OTHER_ID) if first is original else (OTHER_ID, BLOG_ID)
    reason = (
        f"{second}: refused: its blog id {other} is not that of the blog 'jjsfavoritethings.blogspot.com' "
        f"that its address names (blog id {kept}); a blog id never changes"
    )
    assert (refused.exit_code, refused.stderr) == (1, f"error: {reason}\n")
    assert (query(db_url, PER_BLOG), raw_dump(db_url)["posts"]) == before
    assert query(db_url, BLOGS) == [
        {"key": "jjsfavoritethings.blogspot.com", "blogger_id": kept, "url": host, "title": "JJ's Favorite Things"}
    ]
    assert query(db_url, "SELECT locator, status, error FROM sources ORDER BY id") == [
        {"locator": str(first), "status": "imported", "error": None},
        {"locator": str(second), "status": "failed", "error": reason},
    ]


def test_a_blog_named_by_blog_option_keeps_its_blog_id(tmp_path: Path, db_url: str) -> None:
    copy = copy_with(tmp_path, "other-blog.xml", OTHER_ID)
    assert run("import", EXPORT_2008, "--blog", "jj", "--db", db_url).exit_code == 0
    refused = run("import", copy, "--blog", "jj", "--db", db_url)
    assert (refused.exit_code, refused.stderr) == (
        1,
        f"error: {copy}: refused: its blog id {OTHER_ID} is not that of the blog 'jj' that --blog names "
        f"(blog id {BLOG_ID}); a blog id never changes\n",
    )
    # Named apart, it is a blog of its own.
    assert run("import", copy, "--blog", "jj-copy", "--db", db_url).exit_code == 0
    assert [(r["key"], r["blogger_id"]) for r in query(db_url, BLOGS)] == [("jj", BLOG_ID), ("jj-copy", OTHER_ID)]
