"""The feed parsers on their own (issue 15): the sniffer tells every feed file apart by content; a feed's paging and
totals (what a fetcher pages on) are in its Document; JSON is read as the Atom it maps; bad input is one line."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from blogimport import sources
from blogimport.errors import ParseError, SourceError, UnsupportedFormat
from blogimport.formats import feed_atom, feed_json
from blogimport.records import AuthorRecord, BlogRecord, CommentRecord, Document, FeedPage, LooseComment, PostRecord
from tests.conftest import FIXTURES

FORMATS = FIXTURES / "formats"
PACIFIC_STANDARD = timezone(timedelta(hours=-8))
FANCY = AuthorRecord(name="Fancy Theme", profile_url="https://www.blogger.com/profile/05449368400673460103")
PERSOMAG_POST = "http://persomag-theme1.blogspot.com/2015/11/under-cherry-tree.html"
# The reply of persomag's comments feed (blogger-formats.md §7.5), as both formats give it.
PERSOMAG_REPLY = LooseComment(
    post_blogger_id="3847317825126657075",
    parent_blogger_id="5157521426645328138",
    comment=CommentRecord(
        body_text="This is example of Replay",
        author=FANCY,
        published_at=datetime(2015, 11, 24, 16, 11, 19, 914000, tzinfo=PACIFIC_STANDARD),
        utc_offset_minutes=-480,
        display_time="November 24, 2015 at 4:11 PM",
        blogger_id="8387947159123987094",
        url=f"{PERSOMAG_POST}?showComment=1448410279914#c8387947159123987094",
    ),
)


def parse_file(path: Path) -> Document:
    module = feed_json if path.suffix in (".json", ".js") else feed_atom
    with path.open("rb") as stream:
        return module.parse(stream, str(path))


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("publicfeed-posts_cornucopia.cornubot.se_2017.xml", "feed_atom"),  # its first entry is 57 KB in: past the head
        ("publicfeed-posts-feedburner_googleadsdeveloper.blogspot.com_2016.xml", "feed_atom"),
        ("publicfeed-posts_jorgeelconstructor.blogspot.com_2023.xml", "feed_atom"),
        ("publicfeed-posts_lafuiteautourdumonde.com_2024.xml", "feed_atom"),
        ("publicfeed-comments_blackpowderwildflower.com_2020.xml", "feed_atom"),
        ("publicfeed-comments_persomag-theme1.blogspot.com_2016.xml", "feed_atom"),
        ("feedjsonp-label_zxce3.blogspot.com_2020.js", "feed_json"),
        ("feedjson-comments-empty_wayyvgh.blogspot.com_2025.json", "feed_json"),
        ("classic-export_wgdd.de_2019.xml", "atom"),  # declares openSearch too, but its entries have a kind
        ("classic-export_google-blog-converters_2008.xml", "atom"),
        ("takeout-2018ns_epistemic-forge_excerpt.atom", "atom"),
        ("html_blackpowderwildflower.com_2020.html", "html"),
    ],
)
def test_the_sniffer_tells_each_file_by_its_content(name: str, fmt: str) -> None:
    head = (FORMATS / name).read_bytes()[: sources.SNIFF_BYTES]
    assert sources.sniff(head, name) == fmt


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b'{"kind": "blogger#commentList", "items": []}', "api_v3"),
        (b'// API callback\ncb({"kind":"blogger#post","id":"1"});', "api_v3"),
        (b'{"version":"1.0","encoding":"UTF-8","entry":{}}', "feed_json"),
        (b"{draft} Saturday, 7 February 2015\nA post", "text"),  # a brace that opens no JSON
        (
            b"<entry xmlns='http://www.w3.org/2005/Atom'><id>tag:blogger.com,1999:blog-1.post-2</id></entry>",
            "feed_atom",
        ),
    ],
)
def test_the_sniffer_on_small_heads(head: bytes, fmt: str) -> None:
    assert sources.sniff(head, "f") == fmt


def test_json_of_something_else_is_refused_in_one_line() -> None:
    with pytest.raises(
        UnsupportedFormat,
        match=r"^f: JSON, but neither a Blogger feed \(alt=json\) nor a Blogger "
        r"API v3 response$",
    ):
        sources.sniff(b'{"name": "not a blog"}', "f")


def test_a_posts_feed_says_how_to_page_on() -> None:
    document = parse_file(FORMATS / "publicfeed-posts_cornucopia.cornubot.se_2017.xml")
    assert (document.format, document.kind, document.source_rank) == ("feed_atom", "feed", 5)
    assert document.blog == BlogRecord(
        blogger_id="8354057230547055221", url="http://cornucopia.cornubot.se/", title="Cornucopia?"
    )
    page = document.feed
    assert page is not None
    assert (page.kind, page.entries, page.total_results, page.start_index, page.items_per_page) == (
        "posts",
        25,
        12026,
        1,
        25,
    )
    assert page.next_url == (
        "http://www.blogger.com/feeds/8354057230547055221/posts/default?start-index=26&max-results=25"
    )
    assert page.self_url == "http://www.blogger.com/feeds/8354057230547055221/posts/default"
    assert (page.label, page.post_blogger_id, page.summary_only) == (None, None, False)
    assert page.updated == datetime(2017, 3, 5, 14, 35, 26, 861000, tzinfo=timezone(timedelta(hours=1)))
    assert page.comment_totals[:3] == (
        ("2490656752632862163", 0),
        ("3344699881755828202", 47),
        ("781063288764157469", 13),
    )
    assert len(page.comment_totals) == 25
    assert page.entry_ids[:2] == ("2490656752632862163", "3344699881755828202")
    assert page.post_urls[0] == (
        "2490656752632862163",
        "http://cornucopia.cornubot.se/2017/03/tredje-manaden-med-overhettad-svensk.html",
    )
    assert (len(page.entry_ids), len(page.post_urls), page.short_posts, page.comment_posts) == (25, 25, (), ())


def test_a_label_feed_through_feedburner() -> None:
    document = parse_file(FORMATS / "publicfeed-posts-feedburner_googleadsdeveloper.blogspot.com_2016.xml")
    assert document.feed is not None
    assert (document.feed.label, document.feed.total_results, document.feed.comment_totals) == ("adwords_api", 230, ())
    assert document.feed.self_url == "http://feeds.feedburner.com/blogspot/lQlzL"
    first = document.entries[0]  # type: ignore[index]
    assert isinstance(first, PostRecord)
    # The permalink is FeedBurner's origLink, not its feedproxy redirect.
    assert (first.url, first.blogger_id, first.labels) == (
        "http://googleadsdeveloper.blogspot.com/2016/06/adwords-and-dfp-java-client-library.html",
        "8394866751819460570",
        ("adwords_api", "client_libraries", "dfp_api"),
    )
    assert document.feed.post_urls[0] == ("8394866751819460570", first.url)  # what a fetcher would read


def test_a_short_label_feed_in_jsonp() -> None:
    document = parse_file(FORMATS / "feedjsonp-label_zxce3.blogspot.com_2020.js")
    assert document.feed is not None
    assert (
        document.format,
        document.feed.label,
        document.feed.summary_only,
        document.feed.total_results,
        document.feed.items_per_page,
    ) == ("feed_json", "Creepy Story", True, 17, 5)
    assert document.feed.short_posts == (
        "8855174250172162215",
        "6645073925760102563",
        "3796189517445713429",
        "4212163885315333633",
        "348107150253293699",
    )
    assert document.feed.next_url == (
        "https://www.blogger.com/feeds/6089853026371963148/posts/default/-/Creepy+Story"
        "/-/Creepy+Story?alt=json-in-script&start-index=6&max-results=5"
    )
    posts = list(document.entries)
    assert {(post.body_text, post.body_missing) for post in posts} == {("", True)}  # type: ignore[union-attr]


def test_one_posts_comments_feed() -> None:
    document = parse_file(FORMATS / "publicfeed-comments_persomag-theme1.blogspot.com_2016.xml")
    assert document.blog == BlogRecord(
        blogger_id="5172385633106487933", url="http://persomag-theme1.blogspot.com/", title=None
    )  # the feed's title is "Comments on <blog>: <post>"
    assert document.feed is not None
    assert (document.feed.kind, document.feed.post_blogger_id, document.feed.total_results) == (
        "comments",
        "3847317825126657075",
        2,
    )
    assert document.entries[0] == PERSOMAG_REPLY  # type: ignore[index]


# That reply, as `?alt=json` writes it (§7.6), by hand: namespaces as keys, `$t` for text, arrays for repeats.
PERSOMAG_JSON = """{"version":"1.0","encoding":"UTF-8","feed":{"xmlns":"http://www.w3.org/2005/Atom",
"xmlns$openSearch":"http://a9.com/-/spec/opensearchrss/1.0/","xmlns$gd":"http://schemas.google.com/g/2005",
"id":{"$t":"tag:blogger.com,1999:blog-5172385633106487933.post3847317825126657075..comments"},
"openSearch$totalResults":{"$t":"2"},"entry":[{
"id":{"$t":"tag:blogger.com,1999:blog-5172385633106487933.post-8387947159123987094"},
"published":{"$t":"2015-11-24T16:11:19.914-08:00"},"updated":{"$t":"2015-11-24T16:11:19.914-08:00"},
"title":{"type":"text","$t":"This is example of Replay"},"content":{"type":"html","$t":"This is example of Replay"},
"link":[{"rel":"alternate","type":"text/html",
"href":"http:\\/\\/persomag-theme1.blogspot.com\\/2015\\/11\\/under-cherry-tree.html?showComment=1448410279914\
#c8387947159123987094"},
{"rel":"related","type":"application/atom+xml",
"href":"http://www.blogger.com/feeds/5172385633106487933/3847317825126657075/comments/default/5157521426645328138"}],
"author":[{"name":{"$t":"Fancy Theme"},"uri":{"$t":"https://www.blogger.com/profile/05449368400673460103"}}],
"thr$in-reply-to":{"xmlns$thr":"http://purl.org/syndication/thread/1.0",
"href":"http://persomag-theme1.blogspot.com/2015/11/under-cherry-tree.html",
"ref":"tag:blogger.com,1999:blog-5172385633106487933.post-3847317825126657075","type":"text/html"},
"gd$extendedProperty":[{"name":"blogger.itemClass","value":"pid-1356506546"},
{"name":"blogger.displayTime","value":"November 24, 2015 at 4:11 PM"}]}]}}"""


@pytest.mark.parametrize("wrapper", ["{}", "// API callback\nshowComments({});", "  cb ( {} ) ;\n"])
def test_json_and_jsonp_give_the_atom_feeds_records(wrapper: str) -> None:
    data = wrapper.replace("{}", PERSOMAG_JSON).encode()
    document = feed_json.parse(io.BytesIO(data), "f.json")
    assert list(document.entries) == [PERSOMAG_REPLY]
    assert document.feed == FeedPage(
        kind="comments",
        entries=1,
        total_results=2,
        post_blogger_id="3847317825126657075",
        entry_ids=("8387947159123987094",),
        comment_posts=(("8387947159123987094", "3847317825126657075"),),
    )
    assert feed_json.read_page(data, "f.json") == document.feed  # what a fetcher reads, without the records


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'cb({"version":"1.0","feed":{"id":{"$t":"x"}},});',
            r"^f\.js:1: not well-formed JSON: Expecting property name "
            r"enclosed in double quotes$",
        ),
        (
            b'{"version":"1.0","encoding":"UTF-8"}',
            r'^f\.js: JSON, but not a Blogger feed: no "feed" \(or "entry"\) '
            r"object at the top$",
        ),
        (
            b"cb(" + b'{"feed":' * 100 + b"{}" + b"}" * 100 + b");",
            r"^f\.js: not a Blogger feed: JSON nested too deeply$",
        ),
        (b'{"feed":{"id":{"$t":"\xc3\xa9\xff"}}}', r"^f\.js:1: not UTF-8 text \(invalid start byte: 0xff\)$"),
    ],
)
def test_bad_json_is_refused_in_one_line(data: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        feed_json.parse(io.BytesIO(data), "f.js")


def test_a_feed_with_a_dtd_is_refused() -> None:
    data = (
        b"<?xml version='1.0'?><!DOCTYPE feed [<!ENTITY a 'b'>]><feed xmlns='http://www.w3.org/2005/Atom'>"
        b"<id>tag:blogger.com,1999:blog-1</id></feed>"
    )
    with pytest.raises(
        ParseError,
        match=r"^f: refused: the XML declares a DTD \(<!DOCTYPE>\), which no Blogger file "
        r"has$",
    ):
        feed_atom.parse(io.BytesIO(data), "f")


def test_one_posts_feed_is_a_lone_entry() -> None:
    data = b"""<entry xmlns='http://www.w3.org/2005/Atom'><id>tag:blogger.com,1999:blog-7.post-8</id>
        <published>2020-01-02T03:04:05.000+01:00</published><title type='text'>One</title>
        <content type='html'>Body</content></entry>"""
    document = feed_atom.parse(io.BytesIO(data), "f")
    assert document.blog == BlogRecord(blogger_id="7")
    assert [(p.title, p.blogger_id, p.body_text) for p in document.entries] == [  # type: ignore[union-attr]
        ("One", "8", "Body")
    ]
