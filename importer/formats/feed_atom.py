"""Blogger's public feeds saved to files (blogger-formats.md §7): posts, pages, comments (the blog's, or one post's),
label feeds, and the copies FeedBurner passes on. Also the Document of a JSON feed (formats.feed_json maps it onto
the same elements).

A feed's entries are an export's (§1) without the kind category: an entry that answers something
(`thr:in-reply-to`) is a comment, which names its post there and its parent comment in `link rel="related"`; any
other is a post (a page, in a pages feed). A feed set to "short" gives a <summary> and no <content>: such a post
comes without a body (PostRecord.body_missing), never with the summary as one. What a fetcher needs to page on
(totals, the next link, each post's comment count) is the Document's `feed` (records.FeedPage).

Read whole (a feed's page is at most a few hundred entries), with a DTD or an entity declaration refused as in
formats.atom. Pure: a byte stream in, a Document out.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import BinaryIO
from urllib.parse import unquote_plus, urlsplit
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeElementTree

from blogimport.errors import ParseError
from blogimport.formats import atom, numbers
from blogimport.formats.atom import ATOM, THR
from blogimport.records import BlogRecord, Document, Entry, FeedPage, ParseOptions, PostRecord, SkippedEntry

OPENSEARCH = "{http://a9.com/-/spec/opensearchrss/1.0/}"
FEEDBURNER = "{http://rssnamespace.org/feedburner/ext/1.0}"
FEED_REL = "http://schemas.google.com/g/2005#feed"
_ENTRY_ID = re.compile(rf"\b(?:post|page)-({numbers.ID})\b")  # as formats.atom reads it
_ONE_POST = re.compile(rf"\.post({numbers.ID})\.\.comments$")  # one post's comments feed: blog-<B>.post<P>..comments
_FEED_LABEL = re.compile(r"/-/([^/?#]+)")  # .../feeds/posts/default/-/<label>
_PAGE_LABEL = re.compile(r"/search/label/([^/?#]+)")  # the label page a label feed's alternate link names


def parse(stream: BinaryIO, locator: str, options: ParseOptions = ParseOptions()) -> Document:
    return read(_root(stream.read(), locator), "feed_atom", locator)


def read_page(data: bytes, locator: str) -> FeedPage:
    """What a fetcher pages on, without making the entries' records (their bodies' text costs most)."""
    return page(_root(data, locator), locator)


def _root(data: bytes, locator: str) -> Element:
    with atom.xml_errors(locator):
        root: Element = SafeElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    return root


def read(root: Element, fmt: str, locator: str) -> Document:
    """A feed's Document from its elements; a lone <entry> (one post's feed) is read as a feed of one."""
    root = _feed(root, locator)
    kind = _kind(root)
    entries = tuple(_entry(entry, kind, locator) for entry in root.iterfind(f"{ATOM}entry"))
    return Document(format=fmt, kind="feed", blog=_blog(root, kind), entries=entries, feed=page(root, locator))


def page(root: Element, locator: str) -> FeedPage:
    """The FeedPage of a feed's elements (a lone entry's too)."""
    root = _feed(root, locator)
    return _page(root, _kind(root))


def _feed(root: Element, locator: str) -> Element:
    if root.tag == f"{ATOM}entry":
        feed = Element(f"{ATOM}feed")
        feed.append(root)
        root = feed
    if root.tag != f"{ATOM}feed":
        raise ParseError(locator, f"not an Atom feed: the document is <{atom.local(root.tag)}>")
    return root


def _kind(root: Element) -> str:
    """posts, pages or comments, by the feed's id (comments feeds end in .comments) and its own address."""
    if (root.findtext(f"{ATOM}id") or "").strip().endswith(".comments"):
        return "comments"
    addresses = [atom.link(root, rel) or "" for rel in ("self", FEED_REL)]
    return "pages" if any("/feeds/pages/" in address for address in addresses) else "posts"


def _entry(entry: Element, kind: str, locator: str) -> Entry:
    if entry.find(f"{THR}in-reply-to") is not None:
        return atom.classic_comment(entry, locator)
    if kind == "comments":
        return SkippedEntry("comment without a post")
    return _post(entry, atom.classic_post(entry, "page" if kind == "pages" else "post", locator))


def _post(entry: Element, post: PostRecord) -> PostRecord:
    """An export's post, but for where FeedBurner keeps the permalink and for a summary in place of the body."""
    original = (entry.findtext(f"{FEEDBURNER}origLink") or "").strip()
    if original:
        post = replace(post, url=original)
    if entry.find(f"{ATOM}content") is None:
        post = replace(post, body_text="", body_missing=True)  # a summary, or nothing: never the post's body
    return post


def _blog(root: Element, kind: str) -> BlogRecord:
    """The blog: its id from the feed's id (or, for a lone entry, the entry's), its home from the feed's links."""
    ids = [root.findtext(f"{ATOM}id") or "", *(e.findtext(f"{ATOM}id") or "" for e in root.iterfind(f"{ATOM}entry"))]
    found = next((match[1] for match in map(atom.BLOG_ID.search, ids) if match), None)
    addresses = [atom.link(root, "alternate"), atom.link(root, FEED_REL)]
    homes = [
        f"{parts.scheme}://{parts.netloc}/"
        for parts in map(urlsplit, filter(None, addresses))
        if parts.scheme in ("http", "https") and parts.netloc
    ]
    # One post's comments feed is titled "Comments on <blog>: <post>": not the blog's title.
    title = None if _ONE_POST.search(ids[0].strip()) else (root.findtext(f"{ATOM}title") or "").strip() or None
    return BlogRecord(blogger_id=found, url=homes[0] if homes else None, title=title)


def _page(root: Element, kind: str) -> FeedPage:
    """Read from the elements alone, as the records would have it: what each entry is, its post, its count."""
    elements = list(root.iterfind(f"{ATOM}entry"))
    ids = [_id(element) for element in elements]
    replies = [element.find(f"{THR}in-reply-to") for element in elements]
    comments = [(bid, _id(reply, "ref")) for bid, reply in zip(ids, replies, strict=True) if reply is not None]
    posts = [(bid, e) for bid, e, reply in zip(ids, elements, replies, strict=True) if reply is None and bid]
    posts = posts if kind != "comments" else []
    totals = [(bid, numbers.count(e.findtext(f"{THR}total"))) for bid, e in posts]
    urls = [(bid, _permalink(e)) for bid, e in posts]
    short = [bid for bid, e in posts if e.find(f"{ATOM}content") is None]
    one_post = _ONE_POST.search((root.findtext(f"{ATOM}id") or "").strip())
    return FeedPage(
        kind=kind,
        entries=len(elements),
        total_results=numbers.count(root.findtext(f"{OPENSEARCH}totalResults")),
        start_index=numbers.count(root.findtext(f"{OPENSEARCH}startIndex")),
        items_per_page=numbers.count(root.findtext(f"{OPENSEARCH}itemsPerPage")),
        next_url=atom.link(root, "next"),
        self_url=atom.link(root, "self"),
        label=_label(root),
        post_blogger_id=one_post[1] if one_post else None,
        updated=_moment(root.findtext(f"{ATOM}updated")),
        summary_only=bool(short),
        comment_totals=tuple((bid, total) for bid, total in totals if total is not None),
        entry_ids=tuple(ids),
        comment_posts=tuple((bid, post) for bid, post in comments if bid and post),
        post_urls=tuple((bid, url) for bid, url in urls if url),
        short_posts=tuple(short),
    )


def _id(element: Element, attribute: str | None = None) -> str:
    """The Blogger id in an entry's <id> (or in an attribute of it): '' when there is none."""
    text = element.get(attribute, "") if attribute else element.findtext(f"{ATOM}id") or ""
    found = _ENTRY_ID.search(text)
    return found[1] if found else ""


def _permalink(entry: Element) -> str | None:
    return (entry.findtext(f"{FEEDBURNER}origLink") or "").strip() or atom.link(entry, "alternate")


def _label(root: Element) -> str | None:
    """A label feed's label: from its own address, else (FeedBurner rewrites that) from its label page's."""
    for rel, pattern in (("self", _FEED_LABEL), ("next", _FEED_LABEL), ("alternate", _PAGE_LABEL)):
        found = pattern.search(urlsplit(atom.link(root, rel) or "").path)
        if found:
            return unquote_plus(found[1])
    return None


def _moment(text: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
