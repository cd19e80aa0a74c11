"""Importing Blogger's own exports into a real SQLite file (issue 3, points 1-5 and 7)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, SEEDS, run
from tests.dbdump import (
    CONTENT_TABLES,
    assert_database_sound,
    natural_dump,
    query,
    raw_dump,
)
from tests.takeout import classic_to_takeout
from tests.test_import_seeds import tally

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

FORMATS = FIXTURES / "formats"
WGDD = FORMATS / "classic-export_wgdd.de_2019.xml"
EXCERPT = FORMATS / "takeout-2018ns_epistemic-forge_excerpt.atom"
MISSING_THREAD = FIXTURES / "takeout-epistemic-forge-missing-thread.atom"
DANIEL = "https://www.blogger.com/profile/17052464961644858181"


def import_json(*args: object, exit_code: int = 0) -> dict[str, Any]:
    result = run("import", *args, "--json")
    assert result.exit_code == exit_code, result.output
    return json.loads(result.stdout)


def takeout_copy(tmp_path: Path) -> Path:
    """The wgdd blog written as a Google Takeout feed.atom (tests/takeout.py)."""
    path = tmp_path / "Takeout" / "Blogger" / "Blogs" / "wgdd" / "feed.atom"
    path.parent.mkdir(parents=True)
    path.write_bytes(classic_to_takeout(WGDD.read_bytes()))
    return path


def test_classic_export_counts(db_url: str) -> None:
    summary = import_json(WGDD, "--db", db_url)
    assert summary["sources"] == {"imported": 1, "unchanged": 0, "partial": 0, "failed": 0}
    assert {name: summary["entities"][name] for name in ("settings", "template")} == {
        "settings": tally(skipped=56),
        "template": tally(skipped=1),
    }
    assert query(
        db_url, "SELECT kind, status, count(*) AS n FROM posts GROUP BY kind, status ORDER BY kind, status"
    ) == [
        {"kind": "page", "status": "draft", "n": 6},
        {"kind": "page", "status": "live", "n": 5},
        {"kind": "post", "status": "draft", "n": 11},
        {"kind": "post", "status": "live", "n": 118},
    ]
    (counts,) = query(
        db_url,
        """
        SELECT count(*) AS comments, sum(CASE WHEN c.parent_id IS NOT NULL THEN 1 ELSE 0 END) AS replies,
               sum(CASE WHEN p.post_id = c.post_id THEN 1 ELSE 0 END) AS replies_in_same_post,
               sum(CASE WHEN c.is_removed THEN 1 ELSE 0 END) AS removed,
               count(DISTINCT c.post_id) AS posts,
               (SELECT count(*) FROM labels) AS labels, (SELECT count(*) FROM post_labels) AS links,
               (SELECT count(*) FROM pending_comments) AS waiting
        FROM comments c LEFT JOIN comments p ON p.id = c.parent_id""",
    )
    assert counts == {
        "comments": 108,
        "replies": 28,
        "replies_in_same_post": 28,
        "removed": 2,
        "posts": 22,
        "labels": 95,
        "links": 561,
        "waiting": 0,
    }
    assert (
        query(db_url, "SELECT body_text FROM comments WHERE is_removed")
        == [{"body_text": "This comment has been removed by the author."}] * 2
    )
    assert_database_sound(db_url)


def test_classic_export_whole_rows(db_url: str) -> None:
    import_json(WGDD, "--db", db_url)
    (post,) = query(
        db_url,
        "SELECT p.*, a.name AS author, a.profile_url, a.blogger_profile_id FROM posts p "
        "JOIN authors a ON a.id = p.author_id WHERE p.blogger_id = '6993183604042645898'",
    )
    assert {
        k: post[k]
        for k in post
        if k not in ("id", "body_text", "created_at", "updated_at", "author_id", "labels_as_of")
    } == {
        "blog_id": 1,
        "key": "2019-03-07/Exclude files from being exported into the zip/tar source archives on github.com",
        "blogger_id": "6993183604042645898",
        "kind": "post",
        "status": "live",
        "title": "Exclude files from being exported into the zip/tar source archives on github.com",
        "published_on": "2019-03-07",
        "published_at": "2019-03-07 12:52:00.001000",
        "utc_offset_minutes": 60,
        "edited_at": "2019-03-07 12:52:48.180000",
        "url": "https://www.wgdd.de/2019/03/exclude-files-from-being-exported-into.html",
        "declared_comment_count": 2,
        "source_rank": 4,
        "author": "Daniel Leidert",
        "profile_url": DANIEL,
        "blogger_profile_id": "17052464961644858181",
    }
    assert post["labels_as_of"] == post["edited_at"]
    rows = query(
        db_url,
        """
        SELECT c.blogger_id, p.blogger_id AS parent, t.blogger_id AS thread, c.depth, c.position, c.path,
               a.name AS author, a.profile_url, c.published_at, c.utc_offset_minutes, c.body_text, c.url,
               c.is_removed, c.source_rank, posts.blogger_id AS post
        FROM comments c LEFT JOIN comments p ON p.id = c.parent_id JOIN comments t ON t.id = c.thread_id
        JOIN authors a ON a.id = c.author_id JOIN posts ON posts.id = c.post_id
        WHERE c.blogger_id IN ('7210422196860940744', '2084380682146809651') ORDER BY c.path""",
    )
    page = "http://www.wgdd.de/2013/06/idea-new-toy-ein-neues-spielzeug-hp.html"
    assert rows == [
        {
            "blogger_id": "7210422196860940744",
            "parent": None,
            "thread": "7210422196860940744",
            "depth": 0,
            "position": None,
            "path": rows[0]["path"],
            "author": "Anonymous",
            "profile_url": None,
            "published_at": "2013-06-29 22:35:24.363000",
            "utc_offset_minutes": 120,
            "body_text": "Wie sieht es mit dem Energieverbrauch aus?",
            "url": f"{page}?showComment=1372545324363#c7210422196860940744",
            "is_removed": 0,
            "source_rank": 4,
            "post": "5969061587102908478",
        },
        {
            "blogger_id": "2084380682146809651",
            "parent": "7210422196860940744",
            "thread": "7210422196860940744",
            "depth": 1,
            "position": None,
            "path": f"{rows[0]['path']}.0001",
            "author": "Daniel Leidert",
            "profile_url": DANIEL,
            "published_at": "2013-06-30 10:56:54.002000",
            "utc_offset_minutes": 120,
            "body_text": "Den messe ich später noch. Sobald ich die Werte habe, werde ich sie auch veröffentlichen. "
            "Hier hat sich ein Nutzer mit maximalem Stromsparen beschäftigt. Weitere Hinweise gibt es im "
            "Sammelthread.",
            "url": f"{page}?showComment=1372589814002#c2084380682146809651",
            "is_removed": 0,
            "source_rank": 4,
            "post": "5969061587102908478",
        },
    ]


def test_two_posts_of_one_day_and_title_stay_two(db_url: str) -> None:
    import_json(WGDD, "--db", db_url)
    rows = query(db_url, 'SELECT "key", blogger_id, url FROM posts WHERE title = ? ORDER BY "key"', "Waldfunde")
    assert rows == [
        {
            "key": "2017-09-08/Waldfunde",
            "blogger_id": "1181776939772136241",
            "url": "https://www.wgdd.de/2017/09/waldfunde_65.html",
        },
        {
            "key": "2017-09-08/Waldfunde~5788733658450187537",
            "blogger_id": "5788733658450187537",
            "url": "https://www.wgdd.de/2017/09/waldfunde_8.html",
        },
        {
            "key": "2017-09-10/Waldfunde",
            "blogger_id": "5178992852315467310",
            "url": "https://www.wgdd.de/2017/09/waldfunde.html",
        },
    ]


def test_the_2008_export_and_the_broken_pelican_fixture(db_url: str) -> None:
    converters = FORMATS / "classic-export_google-blog-converters_2008.xml"
    pelican = FORMATS / "classic-export_pelican-fixture.xml"
    result = run("import", converters, pelican, SEEDS / "003_98f9d70e718b516f.txt", "--db", db_url, "--blog", "mixed")
    assert result.exit_code == 1
    assert result.stderr == f"error: {pelican}:973: not well-formed XML: unbound prefix\n"
    (counts,) = query(
        db_url,
        "SELECT (SELECT count(*) FROM posts WHERE blogger_id IS NOT NULL) AS posts, "
        "(SELECT count(*) FROM comments WHERE blogger_id IS NOT NULL) AS comments, "
        "(SELECT count(*) FROM labels) AS labels, (SELECT count(*) FROM post_labels) AS links, "
        "(SELECT count(*) FROM posts WHERE title = 'Guest Blog 68') AS seed",
    )
    assert counts == {"posts": 4, "comments": 3, "labels": 4, "links": 9, "seed": 1}
    statuses = {Path(r["locator"]).name: r["status"] for r in query(db_url, "SELECT locator, status FROM sources")}
    assert statuses == {converters.name: "imported", pelican.name: "failed", "003_98f9d70e718b516f.txt": "imported"}


def test_a_comment_waits_for_its_post_and_parent(db_url: str) -> None:
    first = import_json(EXCERPT, "--db", db_url)
    assert first["sources"] == {"imported": 0, "unchanged": 0, "partial": 1, "failed": 0}
    assert (first["waiting"], first["partial"]) == (
        1,
        [{"locator": str(EXCERPT), "waiting": 1, "reason": "1 comment waits for its post or parent comment"}],
    )
    assert query(db_url, "SELECT status, error FROM sources") == [
        {"status": "partial", "error": "1 comment waits for its post or parent comment"}
    ]
    assert query(db_url, "SELECT blogger_id, post_blogger_id, parent_blogger_id FROM pending_comments") == [
        {
            "blogger_id": "95353496935709413",
            "post_blogger_id": "8289109074917835702",
            "parent_blogger_id": "1167499759047042981",
        }
    ]
    assert query(db_url, "SELECT count(*) AS n FROM comments") == [{"n": 0}]
    again = import_json(EXCERPT, "--db", db_url)  # partial is retried, not skipped as unchanged
    assert again["sources"]["partial"] == 1 and again["entities"]["pending_comments"] == tally(unchanged=0)

    second = import_json(MISSING_THREAD, "--db", db_url)

    assert second["sources"] == {"imported": 1, "unchanged": 0, "partial": 0, "failed": 0}
    assert second["waiting"] == 0
    rows = query(
        db_url,
        """SELECT c.blogger_id, c.depth, c.path, p.blogger_id AS parent, posts.blogger_id AS post,
                                   posts.title, c.body_text, a.name AS author
                            FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
                            JOIN posts ON posts.id = c.post_id JOIN authors a ON a.id = c.author_id ORDER BY c.path""",
    )
    assert rows == [
        {
            "blogger_id": "1167499759047042981",
            "depth": 0,
            "path": "0001",
            "parent": None,
            "post": "8289109074917835702",
            "title": "Entropy budgets",
            "body_text": "Glad it helped. The 15:20 comment above asked the same, see the second diagram.",
            "author": "EpistemicForge",
        },
        {
            "blogger_id": "95353496935709413",
            "depth": 1,
            "path": "0001.0001",
            "parent": "1167499759047042981",
            "post": "8289109074917835702",
            "title": "Entropy budgets",
            "body_text": "Thanks bud! :)",
            "author": "Anonymous",
        },
    ]
    assert query(db_url, "SELECT status, error FROM sources ORDER BY id") == [
        {"status": "imported", "error": None},
        {"status": "imported", "error": None},
    ]
    assert query(db_url, "SELECT count(*) AS n FROM pending_comments") == [{"n": 0}]
    assert import_json(EXCERPT, MISSING_THREAD, "--db", db_url)["sources"]["unchanged"] == 2


def test_both_files_in_one_run_in_either_order_of_arrival(tmp_path: Path, db_url: str) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    shutil.copy(EXCERPT, folder / "a.atom")  # read first: its comment waits until b.atom is read
    shutil.copy(MISSING_THREAD, folder / "b.atom")
    summary = import_json(folder, "--db", db_url)
    assert summary["sources"] == {"imported": 2, "unchanged": 0, "partial": 0, "failed": 0}
    assert summary["waiting"] == 0
    assert query(db_url, "SELECT count(*) AS n FROM comments WHERE parent_id IS NOT NULL") == [{"n": 1}]


def test_classic_and_takeout_of_one_blog_are_one_set_of_rows(tmp_path: Path, db_url: str) -> None:
    import_json(WGDD, takeout_copy(tmp_path), "--db", db_url)
    (counts,) = query(
        db_url,
        """
        SELECT (SELECT count(*) FROM blogs) AS blogs, (SELECT count(*) FROM posts WHERE kind = 'post') AS posts,
               (SELECT count(*) FROM posts WHERE kind = 'page') AS pages,
               (SELECT count(*) FROM posts WHERE status = 'draft') AS drafts,
               (SELECT count(*) FROM comments) AS comments,
               (SELECT count(*) FROM comments WHERE parent_id IS NOT NULL) AS replies,
               (SELECT count(*) FROM labels) AS labels, (SELECT count(*) FROM post_labels) AS links,
               (SELECT count(*) FROM authors) AS authors""",
    )
    assert counts == {
        "blogs": 1,
        "posts": 129,
        "pages": 11,
        "drafts": 17,
        "comments": 108,
        "replies": 28,
        "labels": 95,
        "links": 561,
        "authors": 43,
    }


def test_export_twice_changes_nothing(db_url: str) -> None:
    import_json(WGDD, "--db", db_url)
    before = raw_dump(db_url)
    summary = import_json(WGDD, "--db", db_url, "--force")
    # Nothing parked and placed again: every comment is stored as the export has it (issue 17).
    assert {name: t for name, t in summary["entities"].items() if t["inserted"] or t["updated"] or t["deleted"]} == {}
    assert summary["entities"]["comments"] == tally(unchanged=108)
    after = raw_dump(db_url)
    assert {t: after.get(t) for t in CONTENT_TABLES} == {t: before.get(t) for t in CONTENT_TABLES}


def test_takeout_first_or_classic_first_give_the_same_rows(tmp_path: Path, new_db: Callable[[], str]) -> None:
    takeout = takeout_copy(tmp_path)
    one, other = new_db(), new_db()
    for db_url, order in ((one, (takeout, WGDD)), (other, (WGDD, takeout))):
        for path in order:
            import_json(path, "--db", db_url)
    assert natural_dump(one) == natural_dump(other)
    assert len(natural_dump(one)["posts"]) == 140


def test_a_takeout_zip_imports_its_feeds_and_only_them(tmp_path: Path, db_url: str) -> None:
    import zipfile

    archive = tmp_path / "takeout-20260101.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("Takeout/archive_browser.html", "<html>not a blog</html>")
        zipped.writestr("Takeout/Blogger/Blogs/Epistemic Forge/feed.atom", MISSING_THREAD.read_bytes())
        zipped.writestr("Takeout/Blogger/Comments/Epistemic Forge/feed.atom", EXCERPT.read_bytes())
        zipped.writestr("../../escaped/feed.atom", EXCERPT.read_bytes())  # a hostile name is only ever a label
    summary = import_json(archive, "--db", db_url)
    assert summary["sources"] == {"imported": 3, "unchanged": 0, "partial": 0, "failed": 0}
    assert [r["locator"] for r in query(db_url, "SELECT locator FROM sources ORDER BY locator")] == [
        f"{archive}!../../escaped/feed.atom",
        f"{archive}!Takeout/Blogger/Blogs/Epistemic Forge/feed.atom",
        f"{archive}!Takeout/Blogger/Comments/Epistemic Forge/feed.atom",
    ]
    assert query(db_url, "SELECT count(*) AS n FROM comments") == [{"n": 2}]  # the same comment twice is one
    assert not (tmp_path.parent / "escaped").exists() and not (tmp_path / "escaped").exists()


def test_a_zip_is_told_by_its_content_not_its_name(tmp_path: Path, db_url: str) -> None:
    import zipfile

    folder = tmp_path / "downloads"
    folder.mkdir()
    archive = folder / "takeout-download"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("Takeout/Blogger/Blogs/Epistemic Forge/feed.atom", MISSING_THREAD.read_bytes())
    (folder / "notes.zip").write_text("Things to read later\n")
    summary = import_json(folder, "--db", db_url, exit_code=1)
    assert summary["sources"] == {"imported": 1, "unchanged": 0, "partial": 0, "failed": 1}
    assert query(db_url, "SELECT locator, status FROM sources ORDER BY locator") == [
        {"locator": str(folder / "notes.zip"), "status": "failed"},
        {"locator": f"{archive}!Takeout/Blogger/Blogs/Epistemic Forge/feed.atom", "status": "imported"},
    ]


def test_an_unpacked_takeout_folder_means_its_feeds(tmp_path: Path, db_url: str) -> None:
    takeout_copy(tmp_path)
    (tmp_path / "Takeout" / "archive_browser.html").write_text("<html>index of the archive</html>")
    summary = import_json(tmp_path / "Takeout", "--db", db_url)
    assert summary["sources"] == {"imported": 1, "unchanged": 0, "partial": 0, "failed": 0}


def test_hostile_xml_is_refused_and_reads_nothing(tmp_path: Path, db_url: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-4711")
    feed = '<feed xmlns="http://www.w3.org/2005/Atom"><title>{}</title></feed>'
    attacks = {
        "laughs.xml": '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;">]>' + feed.format("&c;"),
        "xxe.xml": f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY s SYSTEM "file://{secret}">]>' + feed.format("&s;"),
        "dtd.xml": '<?xml version="1.0"?><!DOCTYPE feed SYSTEM "http://127.0.0.1:9/x.dtd">' + feed.format("x"),
    }
    for name, xml in attacks.items():
        (tmp_path / name).write_text(xml)
    result = run("import", *(tmp_path / name for name in attacks), SEEDS / "000_39bd42de49eff3be.txt", "--db", db_url)
    assert result.exit_code == 1
    refused = "refused: the XML declares a DTD (<!DOCTYPE>), which no Blogger file has"
    assert result.stderr.splitlines() == [f"error: {tmp_path / name}: {refused}" for name in attacks]
    dump = json.dumps(raw_dump(db_url))
    assert "TOP-SECRET-4711" not in dump and "aaaaaaaaaa" not in dump
    assert query(db_url, "SELECT count(*) AS n FROM posts") == [{"n": 1}]


def test_a_post_from_an_export_adopts_the_text_rendering_row(tmp_path: Path, db_url: str) -> None:
    page = tmp_path / "idea-new-toy.txt"
    page.write_text(render_as_text(WGDD, "5969061587102908478"), encoding="utf-8")
    import_json(page, "--db", db_url, "--blog", "www.wgdd.de")
    before = query(db_url, 'SELECT id, "key", blogger_id, url, author_id FROM posts')
    comments_before = query(db_url, 'SELECT id, "key", blogger_id, published_at FROM comments ORDER BY id')
    assert [c["blogger_id"] for c in comments_before] == [None] * len(comments_before)

    import_json(WGDD, "--db", db_url)

    (post,) = query(db_url, 'SELECT id, "key", blogger_id, url, source_rank FROM posts WHERE id = ?', before[0]["id"])
    assert post == {
        "id": before[0]["id"],
        "key": before[0]["key"],
        "blogger_id": "5969061587102908478",
        "url": "https://www.wgdd.de/2013/06/idea-new-toy-ein-neues-spielzeug-hp.html",
        "source_rank": 4,
    }
    after = query(
        db_url,
        'SELECT id, "key", blogger_id, published_at FROM comments WHERE post_id = ? ORDER BY id',
        before[0]["id"],
    )
    assert [(c["id"], c["key"]) for c in after] == [(c["id"], c["key"]) for c in comments_before]
    assert all(c["blogger_id"] and c["published_at"] for c in after)
    assert query(db_url, "SELECT count(*) AS n FROM posts") == [{"n": 140}]
    assert query(db_url, "SELECT count(*) AS n FROM blogs") == [{"n": 1}]


def render_as_text(export: Path, post_id: str) -> str:
    """One post of an export in the samples' text form (a date line, title, body, numbered comments)."""
    from blogimport.formats import atom
    from blogimport.records import LooseComment, PostRecord

    with export.open("rb") as stream:
        entries = list(atom.parse(stream, str(export)).entries)
    post = next(e for e in entries if isinstance(e, PostRecord) and e.blogger_id == post_id)
    comments = sorted(
        (e for e in entries if isinstance(e, LooseComment) and e.post_blogger_id == post_id),
        key=lambda e: e.comment.published_at,
    )
    lines = [f"{post.published_on:%A, %-d %B %Y}", "", post.title, "", post.body_text, "", ""]
    tops = [c for c in comments if c.parent_blogger_id is None]
    for number, top in enumerate(tops, 1):
        lines += [f"  {number}. " + top.comment.body_text.replace("\n", "\n    "), ""]
        replies = [c for c in comments if c.parent_blogger_id == top.comment.blogger_id]
        for reply_number, reply in enumerate(replies, 1):
            lines += [f"    {reply_number}. " + reply.comment.body_text.replace("\n", "\n      "), ""]
    return "\n".join(lines)


def test_newer_complete_labels_replace_older_ones_in_either_order(tmp_path: Path, new_db: Callable[[], str]) -> None:
    older = WGDD.read_text(encoding="utf-8")
    post = "tag:blogger.com,1999:blog-4131419324726672281.post-6993183604042645898</id>"
    start = older.index(post)
    entry_end = older.index("</entry>", start)
    entry = older[start:entry_end]
    edited = entry.replace(
        "<updated>2019-03-07T13:52:48.180+01:00</updated>", "<updated>2019-04-01T09:00:00.000+02:00</updated>"
    )
    edited = edited.replace("<category scheme='http://www.blogger.com/atom/ns#' term='github'/>", "")
    assert edited != entry
    newer = tmp_path / "newer.xml"
    newer.write_text(older[:start] + edited + older[entry_end:], encoding="utf-8")
    labels = (
        "SELECT l.name FROM post_labels pl JOIN labels l ON l.id = pl.label_id JOIN posts p ON p.id = "
        "pl.post_id WHERE p.blogger_id = '6993183604042645898' ORDER BY l.name"
    )
    results = []
    for order in ((WGDD, newer), (newer, WGDD)):
        db_url = new_db()
        summaries = [import_json(path, "--db", db_url) for path in order]
        results.append([r["name"] for r in query(db_url, labels)])
        if order[0] == WGDD:
            assert summaries[1]["entities"]["post_labels"]["deleted"] == 1
    assert results[0] == results[1] == ["english", "git", "github pages", "planet-debian", "software"]


def test_mentions_resolve_against_comment_times(tmp_path: Path, db_url: str) -> None:
    export = tmp_path / "mentions.xml"
    export.write_text(
        small_export(
            [
                ("101", None, "2020-05-01T20:15:00.000+01:00", "The first word."),
                ("102", None, "2020-05-01T21:00:00.000+01:00", "Two at nine"),
                ("103", None, "2020-05-01T21:00:30.000+01:00", "Two at nine, again"),
                ("104", None, "2020-05-01T22:30:00.000+01:00", "re 20:15 - agreed. And re 21:00 too. And @23:59."),
                ("105", "101", "2020-05-01T22:45:00.000+01:00", "Anon@20:15 thanks"),
            ]
        ),
        encoding="utf-8",
    )
    import_json(export, "--db", db_url)
    rows = query(
        db_url,
        """SELECT c.blogger_id AS comment, r.mention, r.mentioned_time, t.blogger_id AS target
                            FROM comment_references r JOIN comments c ON c.id = r.comment_id
                            LEFT JOIN comments t ON t.id = r.target_comment_id ORDER BY c.blogger_id, r.id""",
    )
    assert rows == [
        {"comment": "104", "mention": "re 20:15", "mentioned_time": "20:15", "target": "101"},
        {"comment": "104", "mention": "re 21:00", "mentioned_time": "21:00", "target": None},  # two candidates
        {"comment": "104", "mention": "@23:59", "mentioned_time": "23:59", "target": None},  # none at that time
        {"comment": "105", "mention": "Anon@20:15", "mentioned_time": "20:15", "target": "101"},
    ]


def small_export(comments: list[tuple[str, str | None, str, str]]) -> str:
    """A classic export of one post and the given (id, parent id, published, text) comments."""
    blog = "tag:blogger.com,1999:blog-77"
    entries = [
        f"""<entry><id>{blog}.post-100</id><published>2020-05-01T12:00:00.000+01:00</published>
<updated>2020-05-01T12:00:00.000+01:00</updated>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>
<title type='text'>Open thread</title><content type='html'>Talk here.</content>
<link rel='alternate' type='text/html' href='https://example.blogspot.com/2020/05/open.html'/>
<author><name>Owner</name></author></entry>"""
    ]
    for cid, parent, published, text in comments:
        related = (
            (
                f"<link rel='related' type='application/atom+xml' href='https://www.blogger.com/feeds/77/100/"
                f"comments/default/{parent}'/>"
            )
            if parent
            else ""
        )
        entries.append(f"""<entry><id>{blog}.post-{cid}</id><published>{published}</published>
<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>
<content type='html'>{text}</content>{related}<author><name>Anonymous</name></author>
<thr:in-reply-to ref='{blog}.post-100' type='text/html'/></entry>""")
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        f"xmlns:thr='http://purl.org/syndication/thread/1.0'><id>{blog}.archive</id>"
        f"<link rel='alternate' type='text/html' href='https://example.blogspot.com/'/>{''.join(entries)}</feed>"
    )


def test_times_keep_their_moment_and_offset(db_url: str) -> None:
    import_json(WGDD, "--db", db_url)
    (row,) = query(
        db_url, "SELECT published_at, utc_offset_minutes FROM comments WHERE blogger_id = '2084380682146809651'"
    )
    utc = datetime.fromisoformat(row["published_at"])
    assert (utc.isoformat(), row["utc_offset_minutes"]) == ("2013-06-30T10:56:54.002000", 120)
