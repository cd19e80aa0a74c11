"""The export parser on its own: real classic and Takeout files in, records out (issue 3)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from blogimport.errors import ParseError
from blogimport.formats import atom
from blogimport.records import (
    AuthorRecord,
    BlogRecord,
    CommentRecord,
    Document,
    LooseComment,
    ParseOptions,
    PostRecord,
    SkippedEntry,
)
from tests.conftest import FIXTURES

FORMATS = FIXTURES / "formats"
WGDD = FORMATS / "classic-export_wgdd.de_2019.xml"
EXCERPT = FORMATS / "takeout-2018ns_epistemic-forge_excerpt.atom"
DANIEL = AuthorRecord(name="Daniel Leidert", profile_url="https://www.blogger.com/profile/17052464961644858181")
PLUS_ONE = timezone(timedelta(hours=1))
PLUS_TWO = timezone(timedelta(hours=2))


def parse_file(path: Path, options: ParseOptions = ParseOptions()) -> tuple[Document, list[object]]:
    with path.open("rb") as stream:
        document = atom.parse(stream, str(path), options)
        return document, list(document.entries)


def parse_xml(xml: str, options: ParseOptions = ParseOptions()) -> list[object]:
    return list(atom.parse(io.BytesIO(xml.encode()), "fixture.xml", options).entries)


def by_id(entries: list[object], blogger_id: str) -> object:
    return next(
        e
        for e in entries
        if (getattr(e, "blogger_id", None) or getattr(getattr(e, "comment", None), "blogger_id", None)) == blogger_id
    )


def test_classic_export_entries() -> None:
    document, entries = parse_file(WGDD)
    assert (document.format, document.kind, document.source_rank) == ("atom", "classic", 4)
    assert document.blog == BlogRecord(
        blogger_id="4131419324726672281", url="http://www.wgdd.de/", title="[erfahrungen, meinungen, halluzinationen]"
    )
    posts = [e for e in entries if isinstance(e, PostRecord)]
    comments = [e for e in entries if isinstance(e, LooseComment)]
    assert Counter((p.kind, p.status) for p in posts) == {
        ("post", "live"): 118,
        ("post", "draft"): 11,
        ("page", "live"): 5,
        ("page", "draft"): 6,
    }
    assert len(comments) == 108
    assert sum(c.parent_blogger_id is not None for c in comments) == 28
    assert sum(c.comment.is_removed for c in comments) == 2
    assert len({c.post_blogger_id for c in comments}) == 22
    assert Counter(e.kind for e in entries if isinstance(e, SkippedEntry)) == {"settings": 56, "template": 1}
    assert sum(len(p.labels) for p in posts) == 561 and len({label for p in posts for label in p.labels}) == 95


def test_classic_post_as_a_whole_record() -> None:
    _, entries = parse_file(WGDD)
    post = by_id(entries, "6993183604042645898")
    assert post == PostRecord(
        title="Exclude files from being exported into the zip/tar source archives on github.com",
        published_on=date(2019, 3, 7),
        body_text=post.body_text,  # type: ignore[attr-defined]
        published_at=datetime(2019, 3, 7, 13, 52, 0, 1000, tzinfo=PLUS_ONE),
        utc_offset_minutes=60,
        edited_at=datetime(2019, 3, 7, 13, 52, 48, 180000, tzinfo=PLUS_ONE),
        url="https://www.wgdd.de/2019/03/exclude-files-from-being-exported-into.html",
        author=DANIEL,
        labels=("english", "software", "planet-debian", "git", "github pages", "github"),
        labels_complete=True,
        declared_comment_count=2,
        blogger_id="6993183604042645898",
        kind="post",
        status="live",
    )
    body = post.body_text  # type: ignore[attr-defined]
    assert body.startswith("GitHub.com (and probably GitLab too) provides various ways to export the Git branch")
    assert body.endswith("# ignore Git related files\n.gitattributes export-ignore\n.gitignore export-ignore")


def test_classic_comment_and_reply_as_whole_records() -> None:
    _, entries = parse_file(WGDD)
    post_url = "http://www.wgdd.de/2013/06/idea-new-toy-ein-neues-spielzeug-hp.html"
    assert by_id(entries, "7210422196860940744") == LooseComment(
        post_blogger_id="5969061587102908478",
        parent_blogger_id=None,
        comment=CommentRecord(
            body_text="Wie sieht es mit dem Energieverbrauch aus?",
            author=AuthorRecord("Anonymous"),
            published_at=datetime(2013, 6, 30, 0, 35, 24, 363000, tzinfo=PLUS_TWO),
            utc_offset_minutes=120,
            display_time="June 30, 2013 at 12:35 AM",
            blogger_id="7210422196860940744",
            url=f"{post_url}?showComment=1372545324363#c7210422196860940744",
        ),
    )
    assert by_id(entries, "2084380682146809651") == LooseComment(
        post_blogger_id="5969061587102908478",
        parent_blogger_id="7210422196860940744",
        comment=CommentRecord(
            body_text="Den messe ich später noch. Sobald ich die Werte habe, werde ich sie auch veröffentlichen. "
            "Hier hat sich ein Nutzer mit maximalem Stromsparen beschäftigt. Weitere Hinweise gibt es im "
            "Sammelthread.",
            author=DANIEL,
            published_at=datetime(2013, 6, 30, 12, 56, 54, 2000, tzinfo=PLUS_TWO),
            utc_offset_minutes=120,
            display_time="June 30, 2013 at 12:56 PM",
            blogger_id="2084380682146809651",
            url=f"{post_url}?showComment=1372589814002#c2084380682146809651",
        ),
    )


def test_removed_comments_keep_their_marker_text() -> None:
    _, entries = parse_file(WGDD)
    removed = [e.comment for e in entries if isinstance(e, LooseComment) and e.comment.is_removed]
    assert [(c.body_text, c.author.name if c.author else None, c.url) for c in removed] == [
        ("This comment has been removed by the author.", "Unknown", None),
        ("This comment has been removed by the author.", "Maxi Welsh", None),
    ]


def test_the_2008_classic_export() -> None:
    document, entries = parse_file(FORMATS / "classic-export_google-blog-converters_2008.xml")
    posts = [e for e in entries if isinstance(e, PostRecord)]
    assert (len(posts), sum(isinstance(e, LooseComment) for e in entries)) == (4, 3)
    assert (sum(len(p.labels) for p in posts), len({label for p in posts for label in p.labels})) == (9, 4)
    assert document.blog and document.blog.blogger_id == "3113891067179933828"


def test_takeout_excerpt() -> None:
    document, entries = parse_file(EXCERPT)
    assert (document.kind, document.source_rank) == ("takeout", 3)
    assert document.blog == BlogRecord(blogger_id="1772110240684732490", title="Epistemic Forge")
    comment, post = entries
    assert comment == LooseComment(
        post_blogger_id="8289109074917835702",
        parent_blogger_id="1167499759047042981",
        comment=CommentRecord(
            body_text="Thanks bud! :)",
            author=AuthorRecord("Anonymous"),
            published_at=datetime(2026, 5, 28, 17, 43, 15, 634000, tzinfo=UTC),
            blogger_id="95353496935709413",
        ),
    )
    assert isinstance(post, PostRecord)
    assert (
        post.title,
        post.published_on,
        post.published_at,
        post.utc_offset_minutes,
        post.url,
        post.status,
        post.kind,
        post.blogger_id,
        post.author,
    ) == (
        "Meaning of life",
        date(2026, 1, 2),
        datetime(2026, 1, 2, 22, 40, 0, 434000, tzinfo=UTC),
        None,
        "/2026/01/meaning-of-life.html",
        "live",
        "post",
        "9211582682156323516",
        AuthorRecord("EpistemicForge"),
    )
    assert post.labels == ("meaning of life", "entropy", "thermodynamics")
    assert post.body_text.startswith("Good is whatever slows entropy — whatever preserves low-entropy structure")


def test_takeout_times_in_the_blogs_zone_when_told() -> None:
    _, entries = parse_file(EXCERPT, ParseOptions(timezone="Pacific/Auckland"))
    post = entries[1]
    assert isinstance(post, PostRecord)
    assert (post.published_on, post.utc_offset_minutes) == (date(2026, 1, 3), 13 * 60)  # 22:40 UTC is 11:40 NZDT


TAKEOUT = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
<id>tag:blogger.com,1999:blog-1</id>{entries}</feed>"""
COMMENT = """<entry><id>tag:blogger.com,1999:blog-1.post-{id}</id>
<blogger:parent>tag:blogger.com,1999:blog-1.post-10</blogger:parent>{reply}<blogger:type>COMMENT</blogger:type>
<author><name>A</name><blogger:type>BLOGGER</blogger:type></author><content type='html'>hi</content>
<published>2020-01-01T00:00:00Z</published></entry>"""


@pytest.mark.parametrize(
    "reply", ["", "<blogger:inReplyTo/>", "<blogger:inReplyTo>tag:blogger.com,1999:blog-1.post-10</blogger:inReplyTo>"]
)
def test_takeout_top_level_comment_in_every_observed_form(reply: str) -> None:
    (comment,) = parse_xml(TAKEOUT.format(entries=COMMENT.format(id=11, reply=reply)))
    assert isinstance(comment, LooseComment) and comment.parent_blogger_id is None


def test_a_takeout_draft_never_published_takes_its_creation_time() -> None:
    (draft,) = parse_xml(
        TAKEOUT.format(
            entries=(
                "<entry><id>tag:blogger.com,1999:blog-1.post-7</id><blogger:type>POST</blogger:type>"
                "<blogger:status>DRAFT</blogger:status><title></title><content type='html'></content>"
                "<blogger:created>2021-03-04T05:06:07.890Z</blogger:created><published></published></entry>"
            )
        )
    )
    assert isinstance(draft, PostRecord)
    assert (draft.published_at, draft.status, draft.edited_at) == (
        datetime(2021, 3, 4, 5, 6, 7, 890000, tzinfo=UTC),
        "draft",
        None,
    )


def test_takeout_statuses_and_unknown_kinds() -> None:
    post = (
        "<entry><id>tag:blogger.com,1999:blog-1.post-{id}</id><blogger:type>{kind}</blogger:type>"
        "<blogger:status>{status}</blogger:status><title>T</title><content type='html'>b</content>"
        "<published>2020-01-01T00:00:00Z</published>{trashed}</entry>"
    )
    entries = parse_xml(
        TAKEOUT.format(
            entries="".join(
                [
                    post.format(id=1, kind="POST", status="DRAFT", trashed=""),
                    post.format(id=2, kind="PAGE", status="SOFT_TRASHED", trashed="<blogger:trashed/>"),
                    post.format(
                        id=3,
                        kind="POST",
                        status="LIVE",
                        trashed="<blogger:trashed>2021-01-01T00:00:00Z</blogger:trashed>",
                    ),
                    post.format(id=4, kind="POST", status="SCHEDULED", trashed=""),
                    post.format(id=5, kind="POLL", status="LIVE", trashed=""),
                ]
            )
        )
    )
    assert [(e.kind, e.status) if isinstance(e, PostRecord) else e for e in entries] == [
        ("post", "draft"),
        ("page", "trashed"),
        ("post", "trashed"),
        ("post", "scheduled"),
        SkippedEntry("poll"),
    ]


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            '<feed xmlns="http://www.w3.org/2005/Atom">&lol2;</feed>',
            "fixture.xml: refused: the XML declares a DTD (<!DOCTYPE>), which no Blogger file has",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>&secret;</title></feed>',
            "fixture.xml: refused: the XML declares a DTD (<!DOCTYPE>), which no Blogger file has",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE feed SYSTEM "http://127.0.0.1:9/evil.dtd">'
            '<feed xmlns="http://www.w3.org/2005/Atom"/>',
            "fixture.xml: refused: the XML declares a DTD (<!DOCTYPE>), which no Blogger file has",
        ),
        (
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id></feed>',
            "fixture.xml:1: not well-formed XML: mismatched tag",
        ),
        ('<rss version="2.0"><channel/></rss>', "fixture.xml: not an Atom feed: the document is <rss>"),
    ],
    ids=["billion-laughs", "external-entity", "external-dtd", "cut-off", "not-atom"],
)
def test_hostile_or_broken_xml_is_refused(xml: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_xml(xml)
    assert str(caught.value) == message


def test_the_pelican_fixture_fails_naming_the_xml_error() -> None:
    with pytest.raises(ParseError) as caught:
        parse_file(FORMATS / "classic-export_pelican-fixture.xml")
    assert (
        str(caught.value) == f"{FORMATS / 'classic-export_pelican-fixture.xml'}:973: not well-formed XML: "
        "unbound prefix"
    )
