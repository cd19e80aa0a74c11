"""Issue 16, point 1: the saved pages of a 2017+ theme (Contempo), an HTTrack copy and a wget copy, from
tests/fixtures/formats (provenance in its SOURCES.md), give the posts, comments, replies and labels they hold.

The counts are SOURCES.md's, made with BeautifulSoup, not with blogimport; one differs, and says why. Merging
each page with the comments feed of its post waits for the public-feed parser (branch feed-files)."""

from __future__ import annotations

from typing import Any

import pytest

from blogimport.formats import html
from blogimport.records import PostRecord
from tests.conftest import FIXTURES, run
from tests.dbdump import query

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

FORMATS = FIXTURES / "formats"
BLACKPOWDER = "html_blackpowderwildflower.com_2020.html"
PERSOMAG = "html_persomag-theme1.blogspot.com_2015.html"
JORGE = "html_jorgeelconstructor.blogspot.com_2010.html"
# Per page: the post's row (as the database shows it), its labels, the beginning of its body, and
# (top-level comments, replies, distinct comment authors). A post page's own URL is its canonical one, also where
# the copier rewrote the <link rel=canonical> to a relative file name (Blogger's og:url and data say it whole).
EXPECTED: dict[str, tuple[dict[str, Any], list[str], str, tuple[int, int, int]]] = {
    BLACKPOWDER: (
        {
            "title": "Shoot the Gap: Bridging the Imaginary Divide Between Grit and Femininity",
            "published_on": "2020-09-28",
            "published_at": "2020-09-28 20:43:00.000000",
            "utc_offset_minutes": -420,
            "url": "https://www.blackpowderwildflower.com/2020/09/shooting-gap-grit-and-femininity.html",
            "blogger_id": "7563278405910317001",
            "declared_comment_count": 19,
            "author": "Katie Payne",
            "blog": "www.blackpowderwildflower.com",
        },
        ["bpw", "femininity", "freedom", "lifestyle", "sportswomen", "thoughts"],
        "Do you ever see those lists?\n\nYou know the ones. They’re on your social media feed every other day",
        (10, 9, 10),
    ),
    # SOURCES.md counts 0 labels (`.post-labels a`); the page shows one, a[rel=tag] "Travel" in the post's header.
    PERSOMAG: (
        {
            "title": "Under cherry tree",
            "published_on": "2015-11-13",
            "published_at": "2015-11-13 13:45:00.000000",
            "utc_offset_minutes": -480,
            "url": "http://persomag-theme1.blogspot.com/2015/11/under-cherry-tree.html",
            "blogger_id": "3847317825126657075",
            "declared_comment_count": 2,
            "author": "persomag",
            "blog": "persomag-theme1.blogspot.com",
        },
        ["Travel"],
        "Lorem Ipsum is simply dummy text of the printing and typesetting industry.",
        (1, 1, 1),
    ),
    JORGE: (
        {
            "title": "Bienvenidos",
            "published_on": "2010-07-08",
            "published_at": "2010-07-08 18:12:00.000000",
            "utc_offset_minutes": 120,
            "url": "http://jorgeelconstructor.blogspot.com/2010/07/bienvendos.html",
            "blogger_id": "3425845675518558571",
            "declared_comment_count": 3,
            "author": "Jorge el constructor",
            "blog": "jorgeelconstructor.blogspot.com",
        },
        [],
        "Hola, soy Jorge. Espero que os guste este espacio. Todos los niños estáis invitados. Gracias",
        (3, 0, 3),
    ),
}


def parse_page(name: str) -> PostRecord:
    path = FORMATS / name
    with path.open("rb") as stream:
        (post,) = html.parse(stream, str(path)).entries
    assert isinstance(post, PostRecord)
    return post


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_page_parses_to_its_post_and_comments(name: str) -> None:
    row, labels, body, (tops, replies, _) = EXPECTED[name]
    post = parse_page(name)
    assert (post.title, post.published_on.isoformat(), post.url, post.blogger_id, post.declared_comment_count) == (
        row["title"],
        row["published_on"],
        row["url"],
        row["blogger_id"],
        row["declared_comment_count"],
    )
    assert sorted(post.labels) == labels
    assert post.body_text.startswith(body)
    assert (len(post.comments), sum(len(c.replies) for c in post.comments)) == (tops, replies)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_page_imports_whole(name: str, db_url: str) -> None:
    row, labels, body, (tops, replies, authors) = EXPECTED[name]
    result = run("import", FORMATS / name, "--db", db_url)
    assert (result.exit_code, result.stderr) == (0, "")
    (post,) = query(
        db_url,
        """
        SELECT p.title, p.published_on, p.published_at, p.utc_offset_minutes, p.url, p.blogger_id,
               p.declared_comment_count, a.name AS author, b."key" AS blog, p.body_text
        FROM posts p JOIN blogs b ON b.id = p.blog_id LEFT JOIN authors a ON a.id = p.author_id""",
    )
    assert post.pop("body_text").startswith(body)
    assert post == row
    assert [r["name"] for r in query(db_url, "SELECT name FROM labels ORDER BY name")] == sorted(labels)
    (counts,) = query(
        db_url,
        """SELECT sum(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END) AS tops,
                                        sum(CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END) AS replies,
                                        count(DISTINCT author_id) AS authors FROM comments""",
    )
    assert (counts["tops"], counts["replies"] or 0, counts["authors"]) == (tops, replies, authors)
    assert query(db_url, "SELECT status, error FROM sources") == [{"status": "imported", "error": None}]


def test_rewritten_comment_links_give_the_exact_times_and_blogger_permalinks() -> None:
    """wget wrote `bienvendos.html%3FshowComment=1280031868312.html#c990…`, HTTrack `under-cherry-treee8a4.html?…`:
    the time and the id are in them all the same, and the permalink is made again from the post's URL."""
    (first, *_) = parse_page(JORGE).comments
    assert (
        first.blogger_id,
        first.published_at.isoformat(),
        first.utc_offset_minutes,
        first.display_time,
        first.url,
    ) == (
        "990297206814160916",
        "2010-07-25T04:24:28.312000+00:00",
        120,
        "25 de julio de 2010, 6:24",
        "http://jorgeelconstructor.blogspot.com/2010/07/bienvendos.html?showComment=1280031868312#c990297206814160916",
    )
    (top,) = parse_page(PERSOMAG).comments
    (reply,) = top.replies
    assert (reply.blogger_id, reply.url, reply.body_text) == (
        "8387947159123987094",
        "http://persomag-theme1.blogspot.com/2015/11/under-cherry-tree.html?showComment=1448410279914"
        "#c8387947159123987094",
        "This is example of Replay",
    )


def test_contempo_times_are_shown_with_plain_spaces() -> None:
    """Contempo writes U+202F before AM/PM (blogger-formats.md §9.4); the feed of the same comments a plain space."""
    first = parse_page(BLACKPOWDER).comments[0]
    assert (first.display_time, first.utc_offset_minutes) == ("September 28, 2020 at 2:40 PM", -420)
