"""The classic-to-Takeout test converter (tests/takeout.py), on the real wgdd export and on a small hand-made one."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from tests.conftest import FIXTURES
from tests.takeout import classic_to_takeout

CLASSIC = FIXTURES / "formats" / "classic-export_wgdd.de_2019.xml"
A = "{http://www.w3.org/2005/Atom}"
B = "{http://schemas.google.com/blogger/2018}"
APP = "{http://purl.org/atom/app#}"
THR = "{http://purl.org/syndication/thread/1.0}"
BLOG = "tag:blogger.com,1999:blog-4131419324726672281"

# The element order of the real Takeout file (blogger-formats.md §2.4, §2.5); "category*" is zero or more labels.
POST_SHAPE = [
    "id",
    "blogger:type",
    "blogger:status",
    "author",
    "title",
    "content",
    "blogger:metaDescription",
    "blogger:created",
    "published",
    "updated",
    "blogger:location",
    "category*",
    "blogger:filename",
    "link",
    "enclosure",
    "blogger:trashed",
]
COMMENT_SHAPE = [
    "id",
    "blogger:parent",
    "blogger:inReplyTo",
    "blogger:type",
    "blogger:status",
    "author",
    "content",
    "blogger:created",
    "published",
    "updated",
    "blogger:trashed",
]


@pytest.fixture(scope="module")
def classic() -> ET.Element:
    return ET.parse(CLASSIC).getroot()


@pytest.fixture(scope="module")
def takeout() -> ET.Element:
    return ET.fromstring(classic_to_takeout(CLASSIC.read_bytes()))


@pytest.fixture(scope="module")
def entries(takeout: ET.Element) -> dict[str, ET.Element]:
    """Output entries by atom id."""
    return {e.findtext(f"{A}id"): e for e in takeout.findall(f"{A}entry")}


def kind(entry: ET.Element) -> str:
    """The classic kind (post, page, comment, settings, template)."""
    (term,) = [
        c.get("term")
        for c in entry.findall(f"{A}category")
        if c.get("scheme") == "http://schemas.google.com/g/2005#kind"
    ]
    return term.rpartition("#")[2]


def of_type(entries: dict[str, ET.Element], blogger_type: str) -> dict[str, ET.Element]:
    return {i: e for i, e in entries.items() if e.findtext(f"{B}type") == blogger_type}


def shape(entry: ET.Element) -> list[str]:
    """Child tag names with the `blogger:` prefix, repeated labels folded into one `category*`."""
    names = [child.tag.replace(A, "").replace(B, "blogger:") for child in entry]
    folded = [n for i, n in enumerate(names) if n != "category" or i == 0 or names[i - 1] != "category"]
    return ["category*" if n == "category" else n for n in folded]


def test_feed_header(takeout: ET.Element) -> None:
    assert takeout.tag == f"{A}feed"
    assert [child.tag for child in takeout][:2] == [f"{A}id", f"{A}title"]
    assert {child.tag for child in takeout} == {f"{A}id", f"{A}title", f"{A}entry"}
    assert takeout.findtext(f"{A}id") == BLOG
    assert takeout.findtext(f"{A}title") == "[erfahrungen, meinungen, halluzinationen]"


def test_output_bytes_start_like_takeout() -> None:
    out = classic_to_takeout(CLASSIC.read_bytes())
    assert out.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<feed ")
    assert b'xmlns:blogger="http://schemas.google.com/blogger/2018"' in out.split(b"\n")[1]
    assert b"\n  <id>tag:blogger.com,1999:blog-4131419324726672281</id>\n  <title>" in out  # 2-space pretty printing
    assert b"\n  <entry>\n    <id>" in out


def test_counts_by_type(entries: dict[str, ET.Element]) -> None:
    assert Counter(e.findtext(f"{B}type") for e in entries.values()) == {"POST": 129, "PAGE": 11, "COMMENT": 108}


def test_drafts_are_the_classic_drafts(classic: ET.Element, entries: dict[str, ET.Element]) -> None:
    classic_drafts = {
        e.findtext(f"{A}id")
        for e in classic.findall(f"{A}entry")
        if kind(e) in ("post", "page") and e.findtext(f"{APP}control/{APP}draft") == "yes"
    }
    drafts = {i for i, e in entries.items() if e.findtext(f"{B}status") == "DRAFT"}
    assert len(classic_drafts) == 17  # 11 posts and 6 pages
    assert drafts == classic_drafts
    assert Counter(e.findtext(f"{B}status") for e in entries.values()) == {"LIVE": 248 - 17, "DRAFT": 17}
    # Drafts have no permalink in the classic export, so no filename; every live post or page has one.
    for atom_id, entry in {**of_type(entries, "POST"), **of_type(entries, "PAGE")}.items():
        assert bool(entry.findtext(f"{B}filename")) == (atom_id not in drafts), atom_id


def test_every_entry_has_the_takeout_element_order(entries: dict[str, ET.Element]) -> None:
    for atom_id, entry in entries.items():
        expected = COMMENT_SHAPE if entry.findtext(f"{B}type") == "COMMENT" else POST_SHAPE
        actual = shape(entry)
        assert actual in (expected, [n for n in expected if n != "category*"]), atom_id


def test_replies_point_to_a_comment_on_the_same_post(entries: dict[str, ET.Element]) -> None:
    comments = of_type(entries, "COMMENT")
    replies = {i: c for i, c in comments.items() if c.findtext(f"{B}inReplyTo")}
    assert len(replies) == 28
    for atom_id, reply in replies.items():
        parent_comment = comments[reply.findtext(f"{B}inReplyTo")]
        assert parent_comment.findtext(f"{B}parent") == reply.findtext(f"{B}parent"), atom_id
    # A top-level comment carries an empty element, as in the one known fixture (§2.5).
    top_level = [c for c in comments.values() if not c.findtext(f"{B}inReplyTo")]
    assert all(c.find(f"{B}inReplyTo") is not None for c in top_level)


def test_comment_parents_are_posts_except_the_page_comments(entries: dict[str, ET.Element]) -> None:
    # The classic `thr:in-reply-to/@ref` always says `.post-<N>`, even for a comment on a page; the converter
    # copies it as is. In wgdd, 8 comments sit on the page "heart-of-gold" (page-3693528163117485839), so their
    # parent names the page by number only.
    posts = of_type(entries, "POST")
    page_numbers = {i.rpartition("-")[2] for i in of_type(entries, "PAGE")}
    on_pages: Counter[str] = Counter()
    for atom_id, comment in of_type(entries, "COMMENT").items():
        parent = comment.findtext(f"{B}parent")
        if parent not in posts:
            assert parent.startswith(f"{BLOG}.post-") and parent.rpartition("-")[2] in page_numbers, atom_id
            on_pages[parent] += 1
    assert on_pages == {f"{BLOG}.post-3693528163117485839": 8}


def test_labels(classic: ET.Element, entries: dict[str, ET.Element]) -> None:
    categories = [c for e in entries.values() for c in e.findall(f"{A}category")]
    assert len(categories) == 561
    assert {c.get("scheme") for c in categories} == {BLOG}
    for entry in classic.findall(f"{A}entry"):
        if kind(entry) in ("post", "page"):
            labels = [
                c.get("term")
                for c in entry.findall(f"{A}category")
                if c.get("scheme") == "http://www.blogger.com/atom/ns#"
            ]
            converted = entries[entry.findtext(f"{A}id")]
            assert [c.get("term") for c in converted.findall(f"{A}category")] == labels


def test_sorted_by_numeric_id(takeout: ET.Element) -> None:
    numbers = [int(re.search(r"\.(?:post|page)-(\d+)$", e.findtext(f"{A}id"))[1]) for e in takeout.findall(f"{A}entry")]
    assert len(numbers) == 248
    assert numbers == sorted(numbers)
    assert numbers != sorted(numbers, key=str)  # the string order differs, so this checks the numeric sort


def test_times_are_utc_milliseconds(entries: dict[str, ET.Element]) -> None:
    utc = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
    for atom_id, entry in entries.items():
        assert entry.findtext(f"{A}published").endswith("Z"), atom_id
        for tag in (f"{B}created", f"{A}published", f"{A}updated"):
            assert utc.fullmatch(entry.findtext(tag)), (atom_id, tag)
        assert entry.findtext(f"{B}created") == entry.findtext(f"{A}published")


def test_content_is_the_same_string(classic: ET.Element, entries: dict[str, ET.Element]) -> None:
    for entry in classic.findall(f"{A}entry"):
        if kind(entry) in ("post", "page", "comment"):
            converted = entries[entry.findtext(f"{A}id")]
            assert converted.findtext(f"{A}content") == entry.findtext(f"{A}content")
            assert converted.find(f"{A}content").get("type") == "html"


def test_anonymous_authors(entries: dict[str, ET.Element]) -> None:
    authors = [e.find(f"{A}author") for e in of_type(entries, "COMMENT").values()]
    anonymous = [a for a in authors if a.findtext(f"{B}type") == "ANONYMOUS"]
    assert len(anonymous) == 12
    assert all(a.findtext(f"{A}name") == "Anonymous" and a.find(f"{A}uri") is None for a in anonymous)
    # Two commenters gave a name but no URL: no uri, and still BLOGGER by the converter's rule.
    named_without_uri = [
        a.findtext(f"{A}name") for a in authors if a.find(f"{A}uri") is None and a.findtext(f"{B}type") == "BLOGGER"
    ]
    assert sorted(named_without_uri) == ["Daniel", "Mats Lundqvist"]


def test_one_reply_element_by_element(classic: ET.Element, entries: dict[str, ET.Element]) -> None:
    reply_id = f"{BLOG}.post-2084380682146809651"
    (original,) = [e for e in classic.findall(f"{A}entry") if e.findtext(f"{A}id") == reply_id]
    reply = entries[reply_id]
    assert shape(reply) == COMMENT_SHAPE

    assert reply.findtext(f"{B}parent") == original.find(f"{THR}in-reply-to").get("ref")
    assert reply.findtext(f"{B}parent") == f"{BLOG}.post-5969061587102908478"
    (related,) = [link.get("href") for link in original.findall(f"{A}link") if link.get("rel") == "related"]
    assert related.endswith("/comments/default/7210422196860940744")
    assert reply.findtext(f"{B}inReplyTo") == f"{BLOG}.post-7210422196860940744"
    assert reply.findtext(f"{B}type") == "COMMENT"
    assert reply.findtext(f"{B}status") == "LIVE"

    author, original_author = reply.find(f"{A}author"), original.find(f"{A}author")
    assert [child.tag for child in author] == [f"{A}name", f"{A}uri", f"{B}type"]
    assert author.findtext(f"{A}name") == original_author.findtext(f"{A}name") == "Daniel Leidert"
    assert author.findtext(f"{A}uri") == original_author.findtext(f"{A}uri")
    assert author.findtext(f"{A}uri").startswith("https://www.blogger.com/profile/")
    assert author.findtext(f"{B}type") == "BLOGGER"

    assert reply.findtext(f"{A}content") == original.findtext(f"{A}content")
    assert reply.findtext(f"{A}content").startswith("Den messe ich später noch.")
    assert original.findtext(f"{A}published") == "2013-06-30T12:56:54.002+02:00"
    assert reply.findtext(f"{B}created") == reply.findtext(f"{A}published") == "2013-06-30T10:56:54.002Z"
    assert reply.findtext(f"{A}updated") == "2013-06-30T10:56:54.002Z"
    assert reply.find(f"{B}trashed").text is None


HAND_MADE = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0'>
  <id>tag:blogger.com,1999:blog-42.archive</id>
  <title type='text'>Tom &amp; Jerry&apos;s "blog"</title>
  <entry>
    <id>tag:blogger.com,1999:blog-42.settings.BLOG_NAME</id>
    <published>2020-01-01T00:00:00.000+01:00</published><updated>2020-01-01T00:00:00.000+01:00</updated>
    <category scheme='http://schemas.google.com/g/2005#kind'
              term='http://schemas.google.com/blogger/2008/kind#settings'/>
    <content type='text'>Tom</content>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-42.page-100</id>
    <published>2020-01-01T00:30:00.000+01:00</published><updated>2020-01-02T00:00:00.000-05:00</updated>
    <app:control xmlns:app='http://purl.org/atom/app#'><app:draft>yes</app:draft></app:control>
    <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#page'/>
    <category scheme='http://www.blogger.com/atom/ns#' term='Landauer&apos;s &amp; &lt;Co&gt; "quoted"'/>
    <title type='text'>A &lt;b&gt; &amp; c</title>
    <content type='html'>&lt;p&gt;x &amp;amp; y&lt;/p&gt;</content>
    <author><name>Anonymous</name><email>noreply@blogger.com</email></author>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-42.post-9</id>
    <published>2019-12-31T23:59:59.999-01:00</published><updated>2019-12-31T23:59:59.999-01:00</updated>
    <category scheme='http://schemas.google.com/g/2005#kind'
              term='http://schemas.google.com/blogger/2008/kind#comment'/>
    <content type='html'>reply</content>
    <link rel='related' type='application/atom+xml'
          href='https://www.blogger.com/feeds/42/100/comments/default/8?v=2'/>
    <author><name>Anonymous</name><uri>https://example.org/</uri></author>
    <thr:in-reply-to ref='tag:blogger.com,1999:blog-42.post-100' href='x' source='y' type='text/html'/>
  </entry>
</feed>
"""


def test_hand_made_export_escaping_and_edge_cases() -> None:
    out = classic_to_takeout(HAND_MADE.encode())
    takeout = ET.fromstring(out)
    assert takeout.findtext(f"{A}id") == "tag:blogger.com,1999:blog-42"
    assert takeout.findtext(f"{A}title") == 'Tom & Jerry\'s "blog"'
    comment, page = takeout.findall(f"{A}entry")  # 9 < 100: numeric order, settings dropped

    assert page.findtext(f"{B}type") == "PAGE" and page.findtext(f"{B}status") == "DRAFT"
    assert [c.get("term") for c in page.findall(f"{A}category")] == ['Landauer\'s & <Co> "quoted"']
    assert page.findtext(f"{A}title") == "A <b> & c"
    assert page.findtext(f"{A}content") == "<p>x &amp; y</p>"
    assert page.findtext(f"{B}filename") == ""
    assert page.findtext(f"{A}published") == "2019-12-31T23:30:00.000Z"
    assert page.findtext(f"{A}updated") == "2020-01-02T05:00:00.000Z"
    assert page.findtext(f"{A}author/{B}type") == "ANONYMOUS"
    assert page.find(f"{A}author/{A}uri") is None

    assert comment.findtext(f"{A}published") == "2020-01-01T00:59:59.999Z"
    assert comment.findtext(f"{B}parent") == "tag:blogger.com,1999:blog-42.post-100"
    assert comment.findtext(f"{B}inReplyTo") == "tag:blogger.com,1999:blog-42.post-8"  # query string ignored
    assert comment.findtext(f"{A}author/{B}type") == "BLOGGER"  # "Anonymous" with a uri is a name-only commenter
    assert comment.find(f"{A}title") is None


def test_rejects_a_feed_that_is_not_a_classic_export() -> None:
    with pytest.raises(ValueError, match="classic Blogger export"):
        classic_to_takeout(b"<feed xmlns='http://www.w3.org/2005/Atom'><id>tag:blogger.com,1999:blog-42</id></feed>")
