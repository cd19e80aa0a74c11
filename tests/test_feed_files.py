"""Feed files (issue 15, point 1): every public feed, JSON and JSONP feed in ../shared/formats imports with the counts
SOURCES.md gives, on every engine, and again changes nothing; nothing is skipped without a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run
from tests.dbdump import CONTENT_TABLES, natural_dump, query, raw_dump

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

FORMATS = FIXTURES / "formats"
ZXCE3 = FORMATS / "feedjsonp-label_zxce3.blogspot.com_2020.js"
LAFUITE_COMMENTS = FORMATS / "publicfeed-comments_lafuiteautourdumonde.com_2023.xml"

# SOURCES.md's counts: posts, comments, replies, labels (distinct), post-label pairs. A comments feed alone holds
# no post: its comments wait in pending_comments for it (the source is partial), and are counted there.
FILES = {
    "publicfeed-posts_cornucopia.cornubot.se_2017.xml": ("feed_atom", "imported", 25, 0, 0, 80, 119),
    "publicfeed-posts-feedburner_googleadsdeveloper.blogspot.com_2016.xml": ("feed_atom", "imported", 25, 0, 0, 31, 72),
    "publicfeed-posts_jorgeelconstructor.blogspot.com_2023.xml": ("feed_atom", "imported", 25, 0, 0, 1, 1),
    "publicfeed-posts_lafuiteautourdumonde.com_2024.xml": ("feed_atom", "imported", 25, 0, 0, 19, 68),
    "publicfeed-comments_blackpowderwildflower.com_2020.xml": ("feed_atom", "partial", 0, 17, 9, 0, 0),
    "publicfeed-comments_persomag-theme1.blogspot.com_2016.xml": ("feed_atom", "partial", 0, 2, 1, 0, 0),
    "publicfeed-comments_lafuiteautourdumonde.com_2023.xml": ("feed_atom", "partial", 0, 16, 0, 0, 0),
    "publicfeed-comments_jorgeelconstructor.blogspot.com_2014.xml": ("feed_atom", "partial", 0, 3, 0, 0, 0),
    "feedjsonp-label_zxce3.blogspot.com_2020.js": ("feed_json", "imported", 5, 0, 0, 4, 11),
    "feedjson-comments-empty_wayyvgh.blogspot.com_2025.json": ("feed_json", "imported", 0, 0, 0, 0, 0),
}
COUNTS = """
    SELECT (SELECT count(*) FROM posts) AS posts,
           (SELECT count(*) FROM comments) + (SELECT count(*) FROM pending_comments) AS comments,
           (SELECT count(*) FROM comments WHERE parent_id IS NOT NULL)
             + (SELECT count(*) FROM pending_comments WHERE parent_blogger_id IS NOT NULL) AS replies,
           (SELECT count(*) FROM labels) AS labels, (SELECT count(*) FROM post_labels) AS pairs,
           (SELECT count(*) FROM pending_comments) AS waiting, (SELECT count(*) FROM blogs) AS blogs"""


def import_json(*args: object, exit_code: int = 0) -> dict:
    result = run("import", *args, "--json")
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def test_every_new_sample_is_in_the_table() -> None:
    samples = {path.name for pattern in ("publicfeed-*", "feedjson*") for path in FORMATS.glob(pattern)}
    assert samples == set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_each_feed_file_imports_with_its_counts_and_again_changes_nothing(name: str, db_url: str) -> None:
    fmt, status, posts, comments, replies, labels, pairs = FILES[name]
    summary = import_json(FORMATS / name, "--db", db_url)
    assert summary["sources"] == {"imported": 0, "unchanged": 0, "partial": 0, "failed": 0, status: 1}
    waiting = comments if status == "partial" else 0
    assert query(db_url, COUNTS) == [
        {
            "posts": posts,
            "comments": comments,
            "replies": replies,
            "labels": labels,
            "pairs": pairs,
            "waiting": waiting,
            "blogs": 1,
        }
    ]
    assert query(db_url, "SELECT format, status FROM sources") == [{"format": fmt, "status": status}]

    before = raw_dump(db_url)
    again = import_json(FORMATS / name, "--db", db_url)
    after = raw_dump(db_url)
    content = (*CONTENT_TABLES, "pending_comments")
    assert {t: after[t] for t in content} == {t: before[t] for t in content}
    # A partial source is read again (its comments may have found their post); an imported one is unchanged.
    assert again["sources"][status if status == "partial" else "unchanged"] == 1


def test_the_empty_comments_feed_is_no_error_and_then_unchanged(db_url: str) -> None:
    empty = FORMATS / "feedjson-comments-empty_wayyvgh.blogspot.com_2025.json"
    first = run("import", empty, "--db", db_url)
    assert (first.exit_code, first.stderr) == (0, "")
    assert first.stdout == "1 sources: 1 imported, 0 unchanged, 0 failed; new: blogs 1; updated: none\n"
    second = run("import", empty, "--db", db_url)
    assert (second.exit_code, second.stderr) == (0, "")
    assert second.stdout == "1 sources: 0 imported, 1 unchanged, 0 failed; new: none; updated: none\n"
    assert query(db_url, 'SELECT "key", blogger_id, url, title FROM blogs') == [
        {
            "key": "wayyvgh.blogspot.com",
            "blogger_id": "7187799420844146687",
            "url": "http://wayyvgh.blogspot.com/",
            "title": "تحميل واتساب الكاسر، واتساب عمر، واتساب النجم",
        }
    ]


def test_a_short_feed_stores_no_summary_and_says_so(db_url: str) -> None:
    result = run("import", ZXCE3, "--db", db_url)
    assert result.exit_code == 0
    assert result.stdout == (
        "1 sources: 1 imported, 0 unchanged, 0 failed; new: blogs 1, authors 1, labels 4, "
        "posts 5, post_labels 11; updated: none; skipped: post body missing 5\n"
    )
    rows = query(
        db_url,
        "SELECT blogger_id, title, published_at, utc_offset_minutes, edited_at, url, body_text, "
        "declared_comment_count, source_rank FROM posts ORDER BY published_at",
    )
    assert rows[-1] == {
        "blogger_id": "8855174250172162215",
        "title": "The Monkey House",
        "published_at": "2020-08-03 22:16:00.002000",
        "utc_offset_minutes": -420,
        "edited_at": "2020-08-18 10:46:26.515000",
        "url": "https://zxce3.blogspot.com/2020/08/the-monkey-house.html",
        "body_text": "",
        "declared_comment_count": 1,
        "source_rank": 0,
    }
    assert {row["body_text"] for row in rows} == {""}
    assert [row["title"] for row in rows] == [
        "Alton Coleman",
        "Debra Brown",
        "Sad Satan",
        "Red Wolf",
        "The Monkey House",
    ]


FULL_POST = """<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'
xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' xmlns:thr='http://purl.org/syndication/thread/1.0'>
<id>tag:blogger.com,1999:blog-6089853026371963148</id><updated>2020-09-15T12:55:13.228-07:00</updated>
<title type='text'>zxce3</title>
<link rel='alternate' type='text/html' href='https://zxce3.blogspot.com/'/>
<openSearch:totalResults>1</openSearch:totalResults><openSearch:startIndex>1</openSearch:startIndex>
<entry><id>tag:blogger.com,1999:blog-6089853026371963148.post-8855174250172162215</id>
<published>2020-08-03T15:16:00.002-07:00</published><updated>2020-08-18T03:46:26.515-07:00</updated>
<category scheme='http://www.blogger.com/atom/ns#' term='Creepy Story'/>
<category scheme='http://www.blogger.com/atom/ns#' term='Deebweb Story'/>
<category scheme='http://www.blogger.com/atom/ns#' term='Deebweb Zone'/>
<title type='text'>The Monkey House</title><content type='html'>&lt;p&gt;The whole story.&lt;/p&gt;</content>
<link rel='alternate' type='text/html' href='https://zxce3.blogspot.com/2020/08/the-monkey-house.html'/>
<author><name>Zxce3</name><uri>http://www.blogger.com/profile/09700846945463177188</uri></author>
<thr:total>1</thr:total></entry></feed>"""


@pytest.mark.parametrize("full_first", [True, False], ids=["full-then-short", "short-then-full"])
def test_a_short_feed_never_replaces_a_body(full_first: bool, db_url: str, new_db, tmp_path: Path) -> None:
    full = tmp_path / "full.xml"
    full.write_text(FULL_POST, encoding="utf-8")
    for path in (full, ZXCE3) if full_first else (ZXCE3, full):
        assert run("import", path, "--db", db_url).exit_code == 0
    (post,) = query(db_url, "SELECT body_text, source_rank, url FROM posts WHERE blogger_id = '8855174250172162215'")
    assert post == {
        "body_text": "The whole story.",
        "source_rank": 5,
        "url": "https://zxce3.blogspot.com/2020/08/the-monkey-house.html",
    }
    other = new_db()
    for path in (ZXCE3, full) if full_first else (full, ZXCE3):
        assert run("import", path, "--db", other).exit_code == 0
    assert natural_dump(other) == natural_dump(db_url)


ONE_POST = """<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'
xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'><id>tag:blogger.com,1999:blog-2960778330733091697</id>
<title type='text'>La fuite (autour du monde)</title>
<link rel='alternate' type='text/html' href='http://www.lafuiteautourdumonde.com/'/>
<openSearch:totalResults>1</openSearch:totalResults>
<entry><id>tag:blogger.com,1999:blog-2960778330733091697.post-1483524393455590231</id>
<published>2011-12-24T18:00:00.000-05:00</published><updated>2011-12-24T18:00:00.000-05:00</updated>
<title type='text'>Joyeux Noël et bonne année</title><content type='html'>Joyeux Noël !</content>
<link rel='alternate' type='text/html'
 href='http://www.lafuiteautourdumonde.com/2011/12/joyeux-noel-et-bonne-annee.html'/>
<author><name>André</name><uri>http://www.blogger.com/profile/06501989520114154841</uri></author></entry></feed>"""


def test_a_comments_feed_waits_for_its_post_and_is_placed_when_it_comes(db_url: str, tmp_path: Path) -> None:
    """ONE_POST is hand-made: the post lafuite's comments feed answers, which no sample holds."""
    first = import_json(LAFUITE_COMMENTS, "--db", db_url)
    assert (first["waiting"], first["partial"]) == (
        16,
        [
            {
                "locator": str(LAFUITE_COMMENTS),
                "waiting": 16,
                "reason": "16 comments wait for their post or parent comment",
            }
        ],
    )
    post = tmp_path / "post.xml"
    post.write_text(ONE_POST, encoding="utf-8")
    import_json(post, "--db", db_url)
    assert query(db_url, COUNTS) == [
        {"posts": 1, "comments": 16, "replies": 0, "labels": 0, "pairs": 0, "waiting": 0, "blogs": 1}
    ]
    assert query(db_url, "SELECT status FROM sources ORDER BY id") == [{"status": "imported"}] * 2
    (comment,) = query(
        db_url,
        """
        SELECT c.blogger_id, c.depth, c.path, a.name, a.profile_url, c.published_at, c.utc_offset_minutes,
               c.display_time, c.url, c.source_rank, c.body_text
        FROM comments c JOIN authors a ON a.id = c.author_id WHERE c.blogger_id = '247428095919081892'""",
    )
    assert comment == {
        "blogger_id": "247428095919081892",
        "depth": 0,
        "path": comment["path"],
        "name": "Pascal",
        "profile_url": None,
        "published_at": "2012-01-27 18:13:36.553000",
        "utc_offset_minutes": -300,
        "display_time": "27 janvier 2012 à 13 h 13",
        "url": "http://www.lafuiteautourdumonde.com/2011/12/joyeux-noel-et-bonne-annee.html"
        "?showComment=1327688016553#c247428095919081892",
        "source_rank": 5,
        "body_text": "Bonjour André et Marie-Claude,\n\nAvec plusieurs semaine de retard, je vous souhaite "
        "une bonne et "
        "heureuse année 2012. Content de lire que votre périple se passe bien, et que l'expérience est à "
        "la hauteur de vos attentes !\n\nAmitiés",
    }


KINDLESS = """<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'>
<id>tag:blogger.com,1999:blog-1.archive</id>{entries}</feed>"""
KINDLESS_ENTRY = "<entry><id>tag:blogger.com,1999:blog-1.post-{n}</id><title>t</title></entry>"


def test_a_source_of_entries_none_of_which_is_imported_fails_with_its_skips(db_url: str, tmp_path: Path) -> None:
    """An export whose entries carry no kind (so the export parser takes none of them): failed, never imported."""
    path = tmp_path / "kindless.xml"
    path.write_text(KINDLESS.format(entries="".join(KINDLESS_ENTRY.format(n=n) for n in range(3))), encoding="utf-8")
    result = run("import", path, "--db", db_url)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}: 3 entries of a blog, none a post or a comment: skipped entry without a kind 3\n"
    )
    assert result.stdout == "1 sources: 0 imported, 0 unchanged, 1 failed; new: none; updated: none\n"
    assert query(db_url, "SELECT status FROM sources") == [{"status": "failed"}]
    assert query(db_url, "SELECT count(*) AS n FROM blogs") == [{"n": 0}]  # nothing of it was kept
