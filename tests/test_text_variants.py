"""Text renderings other than the samples' numbered form (issue 4, points 3 and 4), from tests/fixtures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from blogimport.records import AuthorRecord, CommentRecord, MentionRecord
from tests.conftest import FIXTURES, SEEDS, run
from tests.dbdump import query
from tests.test_text_parser import parse_bytes

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)


def parse_fixture(name: str) -> list:
    path = FIXTURES / name
    return list(parse_bytes(path.read_bytes(), str(path)))


def test_a_browser_copy_with_names_and_times_glued() -> None:
    (post,) = parse_fixture("text-variant-a-browser-copy.txt")
    assert (post.title, post.published_on, post.declared_comment_count) == (
        "Layer-2 extension is hard",
        date(2014, 10, 6),
        3,
    )
    assert post.body_text == (
        "Stretched VLANs look easy on a whiteboard and are anything but easy in a data centre."
        "\n\nAsk anyone who had to debug a bridging loop at 3 AM."
    )
    assert post.comments == (
        CommentRecord(
            body_text="Hi Ivan,\nwhat about VXLAN with a proper control plane?",
            author=AuthorRecord("Ofer"),
            display_time="06 October, 2014 10:09",
            replies=(
                CommentRecord(
                    body_text="Hi Ofer,\nit moves the problem, it does not remove it.",
                    author=AuthorRecord("Ivan Pepelnjak"),
                    display_time="06 October, 2014 12:47",
                ),
                CommentRecord(
                    body_text="re 10:09 - and EVPN does not help either.",
                    author=AuthorRecord("WildSubnet"),
                    display_time="06 October, 2014 17:14",
                    mentions=(MentionRecord("re 10:09", 10, 9),),
                ),
            ),
        ),
        CommentRecord(
            body_text="This comment has been removed by the author.",
            author=AuthorRecord("Anonymous"),
            display_time="07 October, 2014 08:02",
            is_removed=True,
        ),
    )


def test_plain_text_with_reply_delete_running_into_the_next_comment() -> None:
    (post,) = parse_fixture("text-variant-c-plain.txt")
    assert (post.title, post.declared_comment_count) == ("Benchmarks lie", 3)
    assert post.comments == (
        CommentRecord(body_text="Great write-up, thanks."),
        CommentRecord(body_text="This comment has been removed by the author.", is_removed=True),
        CommentRecord(body_text="The part I am having trouble with is the warm-up.\nWhich JIT settings did you use?"),
    )


def test_the_old_said_layout_with_time_lines() -> None:
    (post,) = parse_fixture("text-variant-d-said.txt")
    assert (post.title, post.published_on, post.declared_comment_count) == (
        "The old comment form",
        date(2007, 6, 28),
        2,
    )
    assert post.comments == (
        CommentRecord(
            body_text="This post has been removed by a blog administrator.",
            author=AuthorRecord("Carlos"),
            display_time="2:18 PM",
            is_removed=True,
        ),
        CommentRecord(
            body_text="Nice one.\nStill works in 2007.",
            author=AuthorRecord("Pepper Potts"),
            display_time="June 28, 2007 6:38 PM",
        ),
    )


def test_an_untitled_post_and_the_other_headers() -> None:
    untitled, titled = parse_fixture("text-untitled.txt")
    assert (
        untitled.title,
        untitled.published_on,
        untitled.body_text,
        untitled.declared_comment_count,
        untitled.labels,
        untitled.comments,
    ) == ("", date(2015, 2, 7), "Just a quick note today: the office is closed on Monday.", 0, ("notes",), ())
    assert (titled.title, titled.declared_comment_count, titled.comments) == (
        "A titled post",
        1,
        (CommentRecord(body_text="Only one comment here.", position=1),),
    )


def test_variants_import_as_rows(db_url: str) -> None:
    names = [
        "text-variant-a-browser-copy.txt",
        "text-variant-c-plain.txt",
        "text-variant-d-said.txt",
        "text-untitled.txt",
    ]
    result = run("import", *(FIXTURES / name for name in names), "--db", db_url)
    assert result.exit_code == 0, result.output
    rows = query(
        db_url,
        """
        SELECT p.title, c.path, c.depth, a.name AS author, c.display_time, c.is_removed, c.body_text
        FROM comments c JOIN posts p ON p.id = c.post_id LEFT JOIN authors a ON a.id = c.author_id
        ORDER BY p.published_on, c.path""",
    )
    assert rows == [
        {
            "title": "The old comment form",
            "path": "0001",
            "depth": 0,
            "author": "Carlos",
            "display_time": "2:18 PM",
            "is_removed": 1,
            "body_text": "This post has been removed by a blog administrator.",
        },
        {
            "title": "The old comment form",
            "path": "0002",
            "depth": 0,
            "author": "Pepper Potts",
            "display_time": "June 28, 2007 6:38 PM",
            "is_removed": 0,
            "body_text": "Nice one.\nStill works in 2007.",
        },
        {
            "title": "Layer-2 extension is hard",
            "path": "0001",
            "depth": 0,
            "author": "Ofer",
            "display_time": "06 October, 2014 10:09",
            "is_removed": 0,
            "body_text": "Hi Ivan,\nwhat about VXLAN with a proper control plane?",
        },
        {
            "title": "Layer-2 extension is hard",
            "path": "0001.0001",
            "depth": 1,
            "author": "Ivan Pepelnjak",
            "display_time": "06 October, 2014 12:47",
            "is_removed": 0,
            "body_text": "Hi Ofer,\nit moves the problem, it does not remove it.",
        },
        {
            "title": "Layer-2 extension is hard",
            "path": "0001.0002",
            "depth": 1,
            "author": "WildSubnet",
            "display_time": "06 October, 2014 17:14",
            "is_removed": 0,
            "body_text": "re 10:09 - and EVPN does not help either.",
        },
        {
            "title": "Layer-2 extension is hard",
            "path": "0002",
            "depth": 0,
            "author": "Anonymous",
            "display_time": "07 October, 2014 08:02",
            "is_removed": 1,
            "body_text": "This comment has been removed by the author.",
        },
        {
            "title": "A titled post",
            "path": "0001",
            "depth": 0,
            "author": None,
            "display_time": None,
            "is_removed": 0,
            "body_text": "Only one comment here.",
        },
        {
            "title": "Benchmarks lie",
            "path": "0001",
            "depth": 0,
            "author": None,
            "display_time": None,
            "is_removed": 0,
            "body_text": "Great write-up, thanks.",
        },
        {
            "title": "Benchmarks lie",
            "path": "0002",
            "depth": 0,
            "author": None,
            "display_time": None,
            "is_removed": 1,
            "body_text": "This comment has been removed by the author.",
        },
        {
            "title": "Benchmarks lie",
            "path": "0003",
            "depth": 0,
            "author": None,
            "display_time": None,
            "is_removed": 0,
            "body_text": "The part I am having trouble with is the warm-up.\nWhich JIT settings did you use?",
        },
    ]
    (untitled,) = query(db_url, """SELECT "key", title FROM posts WHERE title = ''""")
    assert untitled["key"].startswith("2015-02-07/#")
    # The reply's "re 10:09" finds the 10:09 comment by its displayed time.
    assert query(
        db_url,
        """SELECT r.mention, t.display_time FROM comment_references r
                            JOIN comments t ON t.id = r.target_comment_id""",
    ) == [{"mention": "re 10:09", "display_time": "06 October, 2014 10:09"}]


def test_mentions_resolve_by_display_time(tmp_path: Path, db_url: str) -> None:
    result = run("import", FIXTURES / "text-mentions-with-times.txt", SEEDS, "--db", db_url)
    assert result.exit_code == 0, result.output
    rows = query(
        db_url,
        """
        SELECT c.display_time AS at, r.mention, t.display_time AS target FROM comment_references r
        JOIN comments c ON c.id = r.comment_id JOIN posts p ON p.id = c.post_id
        LEFT JOIN comments t ON t.id = r.target_comment_id WHERE p.title = 'Open thread' ORDER BY c.path, r.id""",
    )
    assert rows == [
        {"at": "07 September, 2020 21:30", "mention": "re 20:15", "target": "07 September, 2020 20:15"},
        {"at": "08 September, 2020 22:10", "mention": "Anon@21:00", "target": None},  # two comments at 21:00
        {"at": "08 September, 2020 22:10", "mention": "@20:15", "target": "07 September, 2020 20:15"},
    ]
    # The seeds' 13 mentions stay recorded, unresolved: the seeds show no times.
    assert query(
        db_url,
        """SELECT count(*) AS n, count(r.target_comment_id) AS resolved FROM comment_references r
                            JOIN comments c ON c.id = r.comment_id JOIN posts p ON p.id = c.post_id
                            WHERE p.title != 'Open thread'""",
    ) == [{"n": 13, "resolved": 0}]


def test_a_name_is_not_a_mention() -> None:
    from blogimport.formats.mentions import find_mentions

    assert find_mentions("Thanks Andy, and thanks Anon too.") == ()


# -- issue 16, point 6 --------------------------------------------------------------------------------------------


def test_said_comments_without_time_lines_or_a_header() -> None:
    """The old layout as some renderings give it: no "3 comments:" header, and no time line under a comment."""
    (post,) = parse_fixture("text-variant-d-said-no-times.txt")
    assert (post.title, post.published_on, post.declared_comment_count) == ("Spring cleaning", date(2008, 3, 4), None)
    assert post.body_text == (
        "The shed is empty at last. Three bags of old seed trays went to the tip, and the rake "
        "has a new handle.\n\nNext week: the compost bins."
    )
    assert post.comments == (
        CommentRecord(body_text="You have been busy! Save me a seed tray or two.", author=AuthorRecord("Margaret")),
        CommentRecord(
            body_text="Which tip takes garden waste on a Sunday?\nIt is not the one by the station.",
            author=AuthorRecord("Anonymous"),
        ),
        CommentRecord(body_text="A new handle is a new rake.", author=AuthorRecord("Tom Hale")),
    )


def test_a_body_line_that_says_said_is_not_a_comment() -> None:
    page = (
        b"Tuesday, March 4, 2008\n\nQuotes\n\nI asked the gardener what went wrong, and he said...\n"
        b"nothing at all.\n\nPost a Comment\n"
    )
    (post,) = parse_bytes(page, "quotes.txt")
    assert (post.body_text, post.comments) == (
        "I asked the gardener what went wrong, and he said...\nnothing at all.",
        (),
    )


def test_a_date_line_that_runs_into_the_first_sentence() -> None:
    """The date header and the post's text on one line, glued ("2007Today") or after a space ("2007 Rain"): an
    untitled post whose body starts there. A sentence that starts with a date is not a date line."""
    glued, spaced = parse_fixture("text-date-runs-on.txt")
    assert (glued.title, glued.published_on, glued.body_text, glued.labels, glued.comments) == (
        "",
        date(2007, 6, 28),
        "Today the first beans came up, two weeks after sowing.\nThe slugs have not found them yet.",
        ("garden",),
        (),
    )
    assert (spaced.title, spaced.published_on, spaced.body_text, spaced.declared_comment_count, spaced.comments) == (
        "",
        date(2007, 6, 29),
        "Rain all day, so no work outside.",
        1,
        (CommentRecord(body_text="Good for the beans, though.", position=1),),
    )
    (one,) = parse_bytes(
        b"Sunday, 3 April 2016\n\nA title\n\nSunday, 3 April 2016, the clocks went forward.\n", "sentence.txt"
    )
    assert (one.title, one.body_text) == ("A title", "Sunday, 3 April 2016, the clocks went forward.")
    (two,) = parse_bytes(
        b"Sunday, 3 April 2016\n\nA title\n\nText.\n\n1 comment:\n\n  1. I remember it:\n"
        b"    Sunday, 3 April 2016 The clocks went forward.\n",
        "comment.txt",
    )  # a comment's line
    assert [c.body_text for c in two.comments] == ["I remember it:\nSunday, 3 April 2016 The clocks went forward."]


def test_the_new_variants_import_as_rows(db_url: str) -> None:
    names = ["text-variant-d-said-no-times.txt", "text-date-runs-on.txt"]
    result = run("import", *(FIXTURES / name for name in names), "--db", db_url)
    assert (result.exit_code, result.stderr) == (0, "")
    assert query(
        db_url,
        """SELECT p.title, p.published_on, c.path, a.name AS author, c.body_text
                            FROM posts p LEFT JOIN comments c ON c.post_id = p.id
                            LEFT JOIN authors a ON a.id = c.author_id ORDER BY p.published_on, c.path""",
    ) == [
        {"title": "", "published_on": "2007-06-28", "path": None, "author": None, "body_text": None},
        {
            "title": "",
            "published_on": "2007-06-29",
            "path": "0001",
            "author": None,
            "body_text": "Good for the beans, though.",
        },
        {
            "title": "Spring cleaning",
            "published_on": "2008-03-04",
            "path": "0001",
            "author": "Margaret",
            "body_text": "You have been busy! Save me a seed tray or two.",
        },
        {
            "title": "Spring cleaning",
            "published_on": "2008-03-04",
            "path": "0002",
            "author": "Anonymous",
            "body_text": "Which tip takes garden waste on a Sunday?\nIt is not the one by the station.",
        },
        {
            "title": "Spring cleaning",
            "published_on": "2008-03-04",
            "path": "0003",
            "author": "Tom Hale",
            "body_text": "A new handle is a new rake.",
        },
    ]
