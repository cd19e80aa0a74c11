"""Issue 16, points 2 and 3: saved pages in the shapes of blogger-formats.md §9, each a whole page as a real one is
(head, navbar, sidebar widgets, scripts), hand-made in tests/fixtures (see its README), import exactly; a post page
gives the post it is about and never a widget's items; listing pages still give every post they list.

- html-after-comment-script.html: a "Simple" page saved after Blogger's comment script ran (§9.1): li ids bc_0_…B,
  the c<ID> id on the inner div.comment-block; replies, the blog author's reply, a removed comment with a reply.
- html-google-template.html: Google's own template (§9.2): the body in <script type="text/template">, the date
  without a time, no comments on the page but a counter that says 4.
- html-news-template.html: a news template: the post under an h1 in div.blog-post (no .post-outer, no .post), a
  PopularPosts widget and a related-posts list that repeat div.post, .post-title and .published for five other posts.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from blogimport.formats import html
from blogimport.records import PostRecord
from tests.conftest import FIXTURES, run
from tests.dbdump import query

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

AFTER_SCRIPT = FIXTURES / "html-after-comment-script.html"
GOOGLE = FIXTURES / "html-google-template.html"
NEWS = FIXTURES / "html-news-template.html"
PROFILE = "https://www.blogger.com/profile/"
TIDEWATER = "https://tidewater-notes.blogspot.com/2015/02/low-tide-at-saltmarsh.html"
HARBOUR = "https://www.harbourdaily.example/2019/03/ferry-timetable-changes.html"

POSTS = """SELECT b."key" AS blog, b.blogger_id AS blog_id, b.url AS blog_url, b.title AS blog_title, p."key",
                  p.title, p.published_on, p.published_at, p.utc_offset_minutes, p.url, p.body_text,
                  p.declared_comment_count, p.source_rank, p.blogger_id, p.kind, p.status, a.name AS author,
                  a.profile_url FROM posts p JOIN blogs b ON b.id = p.blog_id LEFT JOIN authors a ON a.id = p.author_id
           ORDER BY p.published_on"""
COMMENTS = """SELECT c.path, c.depth, c.blogger_id, parent.blogger_id AS parent, a.name AS author, a.profile_url,
                     c.published_at, c.utc_offset_minutes, c.display_time, c.url, c.body_text, c.is_removed,
                     c.source_rank
              FROM comments c JOIN authors a ON a.id = c.author_id LEFT JOIN comments parent ON parent.id = c.parent_id
              ORDER BY c.path"""
LABELS = "SELECT l.name FROM post_labels pl JOIN labels l ON l.id = pl.label_id"


def labels(db_url: str) -> list[str]:
    return sorted(row["name"] for row in query(db_url, LABELS))  # sorted here: engines collate names apart


def comment(
    path: str,
    blogger_id: str,
    parent: str | None,
    author: str,
    profile: str | None,
    at: str,
    offset: int,
    shown: str,
    url: str,
    body: str,
    removed: int = 0,
) -> dict[str, Any]:
    return {
        "path": path,
        "depth": path.count("."),
        "blogger_id": blogger_id,
        "parent": parent,
        "author": author,
        "profile_url": profile,
        "published_at": at,
        "utc_offset_minutes": offset,
        "display_time": shown,
        "url": url,
        "body_text": body,
        "is_removed": removed,
        "source_rank": 2,
    }


def imported(db_url: str, page: Path) -> None:
    result = run("import", page, "--db", db_url)
    assert (result.exit_code, result.stderr) == (0, ""), result.output


def test_a_page_saved_after_the_comment_script_ran(db_url: str) -> None:
    imported(db_url, AFTER_SCRIPT)
    assert query(db_url, POSTS) == [
        {
            "blog": "tidewater-notes.blogspot.com",
            "blog_id": "7034582216511094327",
            "blog_url": "https://tidewater-notes.blogspot.com/",
            "blog_title": "Tidewater Notes",
            "key": "2015-02-01/Low tide at the saltmarsh",
            "title": "Low tide at the saltmarsh",
            "published_on": "2015-02-01",
            "published_at": "2015-02-02 01:20:00.000000",
            "utc_offset_minutes": -480,
            "url": TIDEWATER,
            "body_text": "The tide went out further than I have seen it all winter.\n\n"
            "A grey heron stood in the channel "
            "for an hour, and the curlews worked the mud right up to the sea wall.\n\nMore photos next week.",
            "declared_comment_count": 6,
            "source_rank": 2,
            "blogger_id": "2917461805533109288",
            "kind": "post",
            "status": "live",
            "author": "Maren Ostby",
            "profile_url": f"{PROFILE}08941175206621730015",
        }
    ]
    hollis, maren, pieter = (
        f"{PROFILE}12298745512304418870",
        f"{PROFILE}08941175206621730015",
        f"{PROFILE}05519943287602371182",
    )
    assert query(db_url, COMMENTS) == [
        comment(
            "0001",
            "515501214389986316",
            None,
            "Hollis Reed",
            hollis,
            "2015-02-02 11:36:11.228000",
            -480,
            "February 2, 2015 at 3:36 AM",
            f"{TIDEWATER}?showComment=1422876971228#c515501214389986316",
            "The heron photo is wonderful.\nWhich lens did you use?",
        ),
        comment(
            "0001.0001",
            "1496783606946925164",
            "515501214389986316",
            "Maren Ostby",
            maren,
            "2015-02-02 17:05:42.107000",
            -480,
            "February 2, 2015 at 9:05 AM",
            f"{TIDEWATER}?showComment=1422896742107#c1496783606946925164",
            "A 300mm, handheld. Thanks, Hollis!",
        ),
        comment(
            "0001.0002",
            "8072206531190448213",
            "515501214389986316",
            "Anonymous",
            None,
            "2015-02-04 03:12:03.554000",
            -480,
            "February 3, 2015 at 7:12 PM",
            f"{TIDEWATER}?showComment=1423019523554#c8072206531190448213",
            "Same question here, thanks for answering.",
        ),
        comment(
            "0002",
            "3318070249316554720",
            None,
            "Pieter",
            pieter,
            "2015-02-05 06:48:37.020000",
            -480,
            "February 4, 2015 at 10:48 PM",
            f"{TIDEWATER}?showComment=1423118917020#c3318070249316554720",
            "This comment has been removed by the author.",
            removed=1,
        ),
        comment(
            "0002.0001",
            "6720951344122718536",
            "3318070249316554720",
            "Hollis Reed",
            hollis,
            "2015-02-05 16:01:19.871000",
            -480,
            "February 5, 2015 at 8:01 AM",
            f"{TIDEWATER}?showComment=1423152079871#c6720951344122718536",
            "Pieter, your note came through by email anyway.",
        ),
        comment(
            "0003",
            "2240617715561928040",
            None,
            "Anonymous",
            None,
            "2015-02-09 20:15:50.300000",
            -480,
            "February 9, 2015 at 12:15 PM",
            f"{TIDEWATER}?showComment=1423512950300#c2240617715561928040",
            "Lovely evening light in the last one.",
        ),
    ]
    assert labels(db_url) == ["birds", "saltmarsh"]
    assert query(db_url, "SELECT status, error FROM sources") == [{"status": "imported", "error": None}]


def test_a_post_of_googles_own_template(db_url: str) -> None:
    imported(db_url, GOOGLE)
    assert query(db_url, POSTS) == [
        {
            "blog": "example.googleblog.com",
            "blog_id": "2339474403390245863",
            "blog_url": "https://example.googleblog.com/",
            "blog_title": "Example Developers Blog",
            "key": "2021-06-04/Notifications that follow up",
            "title": "Notifications that follow up",
            "published_on": "2021-06-04",
            "published_at": None,
            "utc_offset_minutes": None,
            "url": "https://example.googleblog.com/2021/06/notifications-that-follow-up.html",
            "body_text": "Posted by Toni Klopfer, Developer Advocate\n\nSmart home devices can now send a notification "
            "when something happens, and follow it with a response once the user acts on it.\n\nA door "
            "lock, for example, tells the user it was left open, and then that it locked itself.\n\n"
            "Notifications are sent through the Home Graph API.\nFollow-up responses name the request "
            "they answer.\n\nRead the guide to get started.",
            "declared_comment_count": 4,
            "source_rank": 2,
            "blogger_id": "8323149447185926145",
            "kind": "post",
            "status": "live",
            "author": None,
            "profile_url": None,
        }
    ]
    assert query(db_url, COMMENTS) == []
    assert labels(db_url) == ["Smart Home", "notifications"]
    # Its comments are drawn from elsewhere (an iframe): the page is whole, and says so.
    assert query(db_url, "SELECT status, error FROM sources") == [
        {"status": "imported", "error": "comments not on the page"}
    ]


def test_the_same_post_after_googles_script_ran_keeps_the_whole_body() -> None:
    """The script replaces the template by a truncated summary and the original (§9.2): the original is the body."""
    page = GOOGLE.read_text(encoding="utf-8")
    start, end = page.index("<div class='post-content' itemprop='articleBody'>"), page.index("<div class='share'>")
    rendered = (
        '<div class="post-content post-summary"><p>Smart home devices can now send a notification...</p>'
        '<a href="#" class="read-more">Read More</a></div><div class="post-content post-original" '
        'itemprop="articleBody"><p>Smart home devices can now send a notification when something '
        "happens.</p><p>A door lock tells the user it was left open.</p></div></div>\n"
    )
    (post,) = parse_html(page[:start] + rendered + page[end:])
    assert (
        post.body_text == "Smart home devices can now send a notification when something happens.\n\n"
        "A door lock tells the user it was left open."
    )


def test_a_news_template_whose_widgets_repeat_the_post_classes(db_url: str) -> None:
    imported(db_url, NEWS)
    assert query(db_url, POSTS) == [
        {
            "blog": "www.harbourdaily.example",
            "blog_id": "4951807762815533301",
            "blog_url": "https://www.harbourdaily.example/",
            "blog_title": "Harbour Daily",
            "key": "2019-03-03/Ferry timetable changes from Monday",
            "title": "Ferry timetable changes from Monday",
            "published_on": "2019-03-03",
            "published_at": "2019-03-03 06:09:00.000000",
            "utc_offset_minutes": 60,
            "url": HARBOUR,
            "body_text": "The winter timetable ends on Monday; the first boat now leaves at 6:40.\n\nThe last crossing "
            "of the evening moves from 21:10 to 22:30 on Fridays and Saturdays.\n\nSeason tickets bought "
            "before March stay valid until they expire.",
            "declared_comment_count": 3,
            "source_rank": 2,
            "blogger_id": "5547281190032918734",
            "kind": "post",
            "status": "live",
            "author": "Newsroom",
            "profile_url": f"{PROFILE}17728350051166339012",
        }
    ]
    assert query(db_url, COMMENTS) == [
        comment(
            "0001",
            "4100187213771040861",
            None,
            "Ines Vidal",
            f"{PROFILE}03390482216905177411",
            "2019-03-03 08:14:27.410000",
            60,
            "March 3, 2019 at 9:14 AM",
            f"{HARBOUR}?showComment=1551600867410#c4100187213771040861",
            "Does the 6:40 boat run on Sundays too?",
        ),
        comment(
            "0001.0001",
            "9024671165380512203",
            "4100187213771040861",
            "Newsroom",
            f"{PROFILE}17728350051166339012",
            "2019-03-03 09:02:55.006000",
            60,
            "March 3, 2019 at 10:02 AM",
            f"{HARBOUR}?showComment=1551603775006#c9024671165380512203",
            "No: on Sundays the first boat leaves at 8:00.",
        ),
        comment(
            "0002",
            "1710950294421358845",
            None,
            "Anonymous",
            None,
            "2019-03-04 17:45:09.733000",
            60,
            "March 4, 2019 at 6:45 PM",
            f"{HARBOUR}?showComment=1551721509733#c1710950294421358845",
            "About time the late boat came back.",
        ),
    ]
    assert labels(db_url) == ["Local News", "Transport"]
    assert query(db_url, "SELECT status, error FROM sources") == [{"status": "imported", "error": None}]


# -- point 3: which posts a page gives ----------------------------------------------------------------------------


def parse_html(text: str) -> list[PostRecord]:
    return list(html.parse(io.BytesIO(text.encode()), "page.html").entries)  # type: ignore[arg-type]


INDEX_POST = """<div class='blog-post hentry index-post'>
<h2 class='post-title'><a href='https://www.harbourdaily.example/2019/0{n}/story-{n}.html'>Story {n}</a></h2>
<div class='post-meta'><span class='post-date published' datetime='2019-0{n}-1{n}T08:00:00+01:00'>date</span></div>
<div class='post-snippet'>Snippet {n}.</div></div>"""


def listing(kind: str, url: str) -> str:
    """The news template as a listing page: three posts in the Blog widget, the sidebar's widgets left as they are."""
    page = NEWS.read_text(encoding="utf-8")
    start, end = page.index("<div class='blog-posts hfeed"), page.index("<div id='sidebar-wrapper'>")
    posts = "".join(INDEX_POST.format(n=n) for n in (3, 2, 1))
    page = (
        page[:start]
        + f"<div class='blog-posts hfeed container index-post-wrap'>{posts}</div></div></div></div>\n"
        + page[end:]
    )
    return page.replace("'pageType': 'item'", f"'pageType': '{kind}'").replace(HARBOUR, url)


@pytest.mark.parametrize(
    ("kind", "url", "label"),
    [
        ("index", "https://www.harbourdaily.example/", None),
        ("index", "https://www.harbourdaily.example/search/label/Local%20News", "Local News"),
        ("index", "https://www.harbourdaily.example/search?q=ferry", None),
        ("archive", "https://www.harbourdaily.example/2019/", None),
    ],
)
def test_a_listing_page_gives_every_post_it_lists_and_no_widget_item(kind: str, url: str, label: str | None) -> None:
    posts = parse_html(listing(kind, url))
    assert [(p.title, p.published_on.isoformat(), p.url, p.body_text, p.labels, p.comments) for p in posts] == [
        (
            f"Story {n}",
            f"2019-0{n}-1{n}",
            f"https://www.harbourdaily.example/2019/0{n}/story-{n}.html",
            "",
            (label,) if label else (),
            (),
        )
        for n in (3, 2, 1)
    ]


OTHER_FIRST = """<div class='post-outer'><div class='post hentry'>
<h3 class='post-title entry-title'>
<a href='https://example.blogspot.com/2020/01/pinned.html'>Pinned: house rules</a></h3>
<abbr class='published' title='2020-01-01T09:00:00+01:00'>9:00</abbr>
<div class='post-body entry-content' id='post-body-111'>Be kind.</div></div></div>"""
OWN = """<div class='post-outer'><div class='post hentry'>
<h3 class='post-title entry-title'>The page's own post</h3>
<a class='timestamp-link' href='https://example.blogspot.com/2020/02/own.html' rel='bookmark'><abbr class='published'
 title='2020-02-02T10:00:00+01:00'>10:00</abbr></a>
<div class='post-body entry-content' id='post-body-222'>Its own text.</div></div></div>"""


def test_a_post_page_gives_the_post_it_is_about_when_the_blog_widget_holds_another() -> None:
    """A template that pins another post above the page's own, inside the Blog widget: the page's canonical URL
    (also its permalink's) says which is the page's, whichever comes first."""
    head = "<html><head><link rel='canonical' href='https://example.blogspot.com/2020/02/own.html'/></head><body>"
    for posts in (OTHER_FIRST + OWN, OWN + OTHER_FIRST):
        page = f"{head}<div class='widget Blog' id='Blog1'>{posts}</div><script>_WidgetManager</script></body></html>"
        (post,) = parse_html(page)
        assert (post.title, post.blogger_id, post.body_text, post.url) == (
            "The page's own post",
            "222",
            "Its own text.",
            "https://example.blogspot.com/2020/02/own.html",
        )
