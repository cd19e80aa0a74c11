"""Saved Blogger pages (issue 4, points 1 and 5): the real pages in tests/fixtures/formats, and small hand-made ones."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from blogimport.errors import ParseError
from blogimport.formats import html
from blogimport.records import AuthorRecord, CommentRecord, PostRecord
from tests.conftest import FIXTURES, run
from tests.dbdump import query

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

FORMATS = FIXTURES / "formats"
PAGES = {
    "derpapierplanet": "html_derpapierplanet.de.juni.html",
    "luxuryhaven": "html_luxuryhaven.co.hyatt.html",
    "abookshelf": "html_abookshelffullofsunshine.blogspot.com.interview.html",
    "plentylife": "html_plentylife.blogspot.pamela-reif.html",
    "bumsbutzener": "html_bumsbutzener-gumpfen.blogspot.com.tach-auch.html",
    "readability": "html_readability-blogger-siliconexposed.html",
}
# title, date, canonical URL, top-level comments, replies, distinct comment authors
EXPECTED = {
    "derpapierplanet": (
        "Through the Booking Glass: Juni & Genre-Vorstellung",
        date(2015, 6, 5),
        "https://www.derpapierplanet.de/2015/06/through-booking-glass-juni-genre.html",
        4,
        9,
        5,
    ),
    "luxuryhaven": (
        "Nam Nghi Phu Quoc, The Unbound Collection by Hyatt Officially Opens",
        date(2019, 5, 30),
        "https://www.luxuryhaven.co/2019/05/nam-nghi-phu-quoc-unbound-collection-by-hyatt-officially-opens.html",
        24,
        0,
        23,
    ),
    "abookshelf": (
        "(News) Viertes eigenes Blog-Interview: Dieses Mal mit Anne Lück",
        date(2013, 10, 5),
        "https://abookshelffullofsunshine.blogspot.com/2013/10/news-viertes-eigenes-blog-interview.html",
        1,
        1,
        2,
    ),
    "plentylife": (
        "Strong & Beautiful - Pamela Reif [Rezension]",
        date(2017, 5, 3),
        "https://plentylife.blogspot.com/2017/05/strong-beautiful-pamela-reif-rezension.html",
        1,
        0,
        1,
    ),
    "bumsbutzener": (
        "Tach auch!",
        date(2020, 4, 28),
        "http://bumsbutzener-gumpfen.blogspot.com/2020/04/tach-auch.html",
        0,
        0,
        0,
    ),
    "readability": (
        "Open Verilog flow for Silego GreenPak4 programmable logic devices",
        date(2016, 5, 8),
        "http://siliconexposed.blogspot.com/2016/05/open-verilog-flow-for-silego-greenpak4.html",
        0,
        0,
        0,
    ),
}


def parse_page(name: str) -> PostRecord:
    path = FORMATS / PAGES[name]
    with path.open("rb") as stream:
        (post,) = html.parse(stream, str(path)).entries
    assert isinstance(post, PostRecord)
    return post


@pytest.mark.parametrize("name", sorted(PAGES))
def test_real_pages(name: str) -> None:
    title, published_on, url, tops, replies, authors = EXPECTED[name]
    post = parse_page(name)
    assert (post.title, post.published_on, post.url) == (title, published_on, url)
    assert (len(post.comments), sum(len(c.replies) for c in post.comments)) == (tops, replies)
    everyone = [c for top in post.comments for c in (top, *top.replies)]
    assert len({c.author for c in everyone}) == authors


@pytest.mark.parametrize("name", sorted(PAGES))
def test_real_pages_import(name: str, db_url: str) -> None:
    title, published_on, url, tops, replies, authors = EXPECTED[name]
    result = run("import", FORMATS / PAGES[name], "--db", db_url)
    assert result.exit_code == 0, result.output
    (post,) = query(db_url, "SELECT title, published_on, url, source_rank FROM posts")
    assert post == {"title": title, "published_on": published_on.isoformat(), "url": url, "source_rank": 2}
    (counts,) = query(
        db_url,
        "SELECT sum(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END) AS tops, "
        "sum(CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END) AS replies, "
        "count(DISTINCT author_id) AS authors FROM comments",
    )
    assert (counts["tops"] or 0, counts["replies"] or 0, counts["authors"]) == (tops, replies, authors)


def comment_row(db_url: str, blogger_id: str) -> dict[str, Any]:
    (row,) = query(
        db_url,
        """
        SELECT c.blogger_id, c.depth, c.path, p.blogger_id AS parent, a.name AS author, a.profile_url,
               c.published_at, c.utc_offset_minutes, c.display_time, c.url, c.body_text, c.is_removed, c.source_rank
        FROM comments c JOIN authors a ON a.id = c.author_id LEFT JOIN comments p ON p.id = c.parent_id
        WHERE c.blogger_id = ?""",
        blogger_id,
    )
    return row


def test_whole_comment_rows_with_their_exact_utc_times(db_url: str) -> None:
    assert run("import", *(FORMATS / page for page in PAGES.values()), "--db", db_url).exit_code == 0
    profile = "https://www.blogger.com/profile/"
    assert comment_row(db_url, "8427118110834982712") == {
        "blogger_id": "8427118110834982712",
        "depth": 1,
        "path": "0001.0001",
        "parent": "7818214978921193094",
        "author": "Sana",
        "profile_url": f"{profile}04266735693772721297",
        "published_at": "2015-06-06 08:33:15.655000",
        "utc_offset_minutes": 120,
        "display_time": "6. Juni 2015 um 10:33",
        "url": "https://www.derpapierplanet.de/2015/06/through-booking-glass-juni-genre.html?showComment=1433579595655"
        "#c8427118110834982712",
        "body_text": "Übrigens höre ich gerade deine Playlists- verschafft mir Gänsehaut ♥",
        "is_removed": 0,
        "source_rank": 2,
    }
    assert comment_row(db_url, "7704569152969066600") == {
        "blogger_id": "7704569152969066600",
        "depth": 0,
        "path": "0001",
        "parent": None,
        "author": "Iwona",
        "profile_url": f"{profile}13833367703737810762",
        "published_at": "2019-05-30 05:06:04.955000",
        "utc_offset_minutes": 480,
        "display_time": "May 30, 2019 at 1:06 PM",
        "url": "https://www.luxuryhaven.co/2019/05/nam-nghi-phu-quoc-unbound-collection-by-hyatt-officially-opens"
        ".html?showComment=1559192764955#c7704569152969066600",
        "body_text": "Interesting place :)",
        "is_removed": 0,
        "source_rank": 2,
    }
    assert comment_row(db_url, "8091037830143968017") | {"body_text": ""} == {
        "blogger_id": "8091037830143968017",
        "depth": 1,
        "path": "0001.0001",
        "parent": "4265235981837780782",
        "author": "Unknown",
        "profile_url": f"{profile}17995061625121164959",
        "published_at": "2013-10-09 05:56:37.474000",
        "utc_offset_minutes": 120,
        "display_time": "07:56",
        "url": "https://abookshelffullofsunshine.blogspot.com/2013/10/news-viertes-eigenes-blog-interview.html"
        "?showComment=1381298197474#c8091037830143968017",
        "body_text": "",
        "is_removed": 0,
        "source_rank": 2,
    }
    assert comment_row(db_url, "5689936624652663696") | {"body_text": ""} == {
        "blogger_id": "5689936624652663696",
        "depth": 0,
        "path": "0001",
        "parent": None,
        "author": "Andjela Gligorijevic",
        "profile_url": f"{profile}03297226063805448630",
        "published_at": "2017-05-10 14:14:09.856000",
        "utc_offset_minutes": 120,
        "display_time": "Mittwoch, Mai 10, 2017 4:14:00 PM",
        "url": "https://plentylife.blogspot.com/2017/05/strong-beautiful-pamela-reif-rezension.html"
        "?showComment=1494425649856#c5689936624652663696",
        "body_text": "",
        "is_removed": 0,
        "source_rank": 2,
    }
    # Two pages name their post's id only in Blogger's data about the page (its postId): every post has one.
    assert query(db_url, "SELECT count(*) AS n FROM posts WHERE blogger_id IS NULL") == [{"n": 0}]


def test_the_post_authors_and_labels(db_url: str) -> None:
    run("import", *(FORMATS / page for page in PAGES.values()), "--db", db_url)
    rows = query(
        db_url,
        """SELECT p.title, a.name, a.profile_url, l.name AS label
                            FROM posts p LEFT JOIN authors a ON a.id = p.author_id
                            LEFT JOIN post_labels pl ON pl.post_id = p.id LEFT JOIN labels l ON l.id = pl.label_id
                            ORDER BY p.published_on""",
    )
    posts: dict[tuple[str, str | None, str | None], list[str]] = {}
    for r in rows:
        posts.setdefault((r["title"][:20], r["name"], r["profile_url"]), []).append(r["label"] or "")
    assert [(*post, sorted(labels)) for post, labels in posts.items()] == [
        (
            "(News) Viertes eigen",
            "Unknown",
            "https://www.blogger.com/profile/17995061625121164959",
            sorted(["Anne", "Der Weg des Unsterblichen", "Endless Life", "Interview", "Lück", "News"]),
        ),
        ("Through the Booking ", None, None, ["genres", "through the booking glass"]),
        (
            "Open Verilog flow fo",
            "Andrew Zonenberg",
            "https://www.blogger.com/profile/16821509563933020441",
            ["FPGA", "Tools"],
        ),
        (
            "Strong & Beautiful -",
            "Sandra",
            None,
            ["Buch", "Buchbesprechung", "Lifestyle", "Rezepte", "buchrezension", "fitness", "gesund", "workout"],
        ),
        (
            "Nam Nghi Phu Quoc, T",
            "Blackswan",
            "https://www.blogger.com/profile/04765892937555860461",
            ["Hotel Reviews / Staycation", "Luxury Indulgence", "Travel"],
        ),
        ("Tach auch!", "der Michel", None, [""]),
    ]


PAGE = """<!DOCTYPE html><html><head><title>Blog: {title}</title>
<link rel="canonical" href="https://example.blogspot.com/{path}"/>
<meta property="og:title" content="{title}"/></head><body>
<script type="text/javascript">window._WidgetManager={{}};</script>
{posts}
<div class="comments" id="comments"><h4>{count}</h4>{comments}</div></body></html>"""
POST = """<div class="date-outer"><h2 class="date-header"><span>{date}</span></h2><div class="post-outer">
<div class="post hentry"><h3 class="post-title entry-title"><a href="https://example.blogspot.com/{link}">{title}</a></h3>
<div class="post-body entry-content" id="post-body-{id}">{body}</div>
<div class="post-footer"><span class="post-labels">Labels: <a rel="tag" href="/search/label/x">{label}</a></span></div>
</div></div></div>"""


def parse_html(text: str) -> list[PostRecord]:
    return list(html.parse(io.BytesIO(text.encode()), "page.html").entries)  # type: ignore[arg-type]


def test_a_label_page_lists_posts_without_comments() -> None:
    posts = "".join(
        POST.format(date=d, link=f"2020/0{n}/p{n}.html", title=f"Post {n}", id=n, body=f"Body {n}", label="tea")
        for n, d in ((2, "Sunday, February 2, 2020"), (1, "1. Januar 2020"))
    )
    page = PAGE.format(title="Tea", path="search/label/Green%20tea", posts=posts, count="", comments="")
    assert [(p.title, p.published_on, p.url, p.labels, p.comments, p.blogger_id) for p in parse_html(page)] == [
        ("Post 2", date(2020, 2, 2), "https://example.blogspot.com/2020/02/p2.html", ("tea", "Green tea"), (), "2"),
        ("Post 1", date(2020, 1, 1), "https://example.blogspot.com/2020/01/p1.html", ("tea", "Green tea"), (), "1"),
    ]


def test_the_old_flat_comment_layout() -> None:
    comments = """<dl id="comments-block">
<dt class="comment-author" id="c111"><a name="c111"></a><a href="https://www.blogger.com/profile/42">Ada</a> said...</dt>
<dd class="comment-body"><p>First<br/>line two</p></dd>
<dd class="comment-footer"><span class="comment-timestamp"><a href="https://example.blogspot.com/2020/01/p.html?showComment=1577880000000#c111">1 January 2020 13:00</a></span></dd>
<dt class="comment-author" id="c222"><a name="c222"></a>Anonymous sagte...</dt>
<dd class="comment-body"><span class="deleted-comment">This comment has been removed by the author.</span></dd>
<dd class="comment-footer"><span class="comment-timestamp"><a href="x?showComment=1577883600000#c222">14:00</a></span></dd>
</dl>"""  # noqa: E501 - the layout's lines as Blogger wrote them
    post = POST.format(date="1 January 2020", link="2020/01/p.html", title="P", id=9, body="B", label="x")
    (record,) = parse_html(
        PAGE.format(title="P", path="2020/01/p.html", posts=post, count="2 comments:", comments=comments)
    )
    assert record.declared_comment_count == 2
    assert record.comments == (
        CommentRecord(
            body_text="First\nline two",
            author=AuthorRecord("Ada", "https://www.blogger.com/profile/42"),
            published_at=datetime(2020, 1, 1, 12, 0, tzinfo=UTC),
            utc_offset_minutes=60,
            display_time="1 January 2020 13:00",
            blogger_id="111",
            url="https://example.blogspot.com/2020/01/p.html?showComment=1577880000000#c111",
        ),
        CommentRecord(
            body_text="This comment has been removed by the author.",
            author=AuthorRecord("Anonymous"),
            published_at=datetime(2020, 1, 1, 13, 0, tzinfo=UTC),
            utc_offset_minutes=60,
            display_time="14:00",
            is_removed=True,
            blogger_id="222",
            url="https://example.blogspot.com/2020/01/p.html?showComment=1577883600000#c222",
        ),  # made again
    )


def test_page_markup_never_reaches_a_text_column(tmp_path: Path, db_url: str) -> None:
    body = (
        "<p>Safe <b>bold</b> text.</p><script>document.write('pwned')</script><style>p{color:red}</style>"
        "<img src=x onerror=alert(1)><iframe src='https://evil.example/'></iframe>"
        "<p>&lt;script&gt;alert(2)&lt;/script&gt; is how it is written.</p>"
    )
    post = POST.format(
        date="1 January 2020", link="2020/01/p.html", title="<i>Markup</i> title", id=5, body=body, label="x"
    )
    page = tmp_path / "page.html"
    page.write_text(PAGE.format(title="T", path="2020/01/p.html", posts=post, count="", comments=""))
    assert run("import", page, "--db", db_url).exit_code == 0
    (row,) = query(db_url, "SELECT title, body_text FROM posts")
    assert row == {
        "title": "Markup title",
        "body_text": "Safe bold text.\n\n<script>alert(2)</script> is how it is written.",
    }
    assert "pwned" not in row["body_text"] and "onerror" not in row["body_text"]


def test_an_html_page_not_made_by_blogger_is_refused() -> None:
    with pytest.raises(ParseError) as caught:
        parse_html("<!DOCTYPE html><html><body><h1>Hello</h1></body></html>")
    assert str(caught.value) == "page.html: HTML, but not a Blogger page (none of Blogger's markup)"
