"""Blogger's own exports: the classic "Back up content" file and Google Takeout's feed.atom (blogger-formats.md §1,
§2). Both are Atom feeds; an entry of the 2018 namespace carries <blogger:type>, a classic one a kind category.

Read entry by entry (iterparse; each entry is dropped once read), so a 1 GB export takes flat memory. A DTD or an
entity declaration is refused outright (defusedxml): no Blogger export has one, and they are how XML attacks
(entity expansion, external entities reading local files) begin.

Pure: a byte stream in, a Document out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import BinaryIO, cast
from xml.etree.ElementTree import Element
from zoneinfo import ZoneInfo

import defusedxml
import defusedxml.ElementTree as SafeElementTree

from blogimport import identity
from blogimport.errors import ParseError
from blogimport.formats import numbers
from blogimport.formats.htmltext import html_to_text
from blogimport.formats.mentions import find_mentions
from blogimport.records import (
    AuthorRecord,
    BlogRecord,
    CommentRecord,
    Document,
    Entry,
    LooseComment,
    ParseOptions,
    PostRecord,
    SkippedEntry,
)

ATOM = "{http://www.w3.org/2005/Atom}"
APP = "{http://purl.org/atom/app#}"
THR = "{http://purl.org/syndication/thread/1.0}"
GD = "{http://schemas.google.com/g/2005}"
BLOGGER = "{http://schemas.google.com/blogger/2018}"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"  # classic; Takeout uses the blog's tag as the scheme
TAKEOUT_STATUS = {"LIVE": "live", "DRAFT": "draft", "SOFT_TRASHED": "trashed", "SCHEDULED": "scheduled"}

_ENTRY_ID = re.compile(rf"\b(?:post|page)-({numbers.ID})\b")
BLOG_ID = re.compile(rf"\bblog-({numbers.ID})\b")
_LAST_NUMBER = re.compile(rf"/({numbers.ID})/?(?:[?#].*)?$")
_POSITION = re.compile(r":? line \d+, column \d+$")


@dataclass(frozen=True)
class _Feed:
    root: Element
    blog: BlogRecord
    takeout: bool
    zone: ZoneInfo | None  # the blog's zone, for Takeout's UTC times (--timezone)


def parse(stream: BinaryIO, locator: str, options: ParseOptions = ParseOptions()) -> Document:
    """The export's blog, then its entries as they are read."""
    events = _events(stream, locator)
    feed = _read_feed(events, locator, options)
    return Document(
        format="atom",
        kind="takeout" if feed.takeout else "classic",
        blog=feed.blog,
        entries=_entries(events, feed, locator),
    )


def _events(stream: BinaryIO, locator: str) -> Iterator[tuple[str, object]]:
    with xml_errors(locator):
        yield from SafeElementTree.iterparse(
            stream, events=("start-ns", "start", "end"), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )


@contextmanager
def xml_errors(locator: str) -> Iterator[None]:
    """What goes wrong reading XML (here and in formats.feed_atom), as one line naming the file."""
    try:
        yield
    except ElementTree.ParseError as error:
        reason = _POSITION.sub("", str(error))
        raise ParseError(locator, f"not well-formed XML: {reason}", line=error.position[0]) from None
    except defusedxml.DTDForbidden:
        raise ParseError(locator, "refused: the XML declares a DTD (<!DOCTYPE>), which no Blogger file has") from None
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        raise ParseError(
            locator, "refused: the XML declares entities (an entity-expansion or external-entity attack?)"
        ) from None


def _read_feed(events: Iterator[tuple[str, object]], locator: str, options: ParseOptions) -> _Feed:
    """Everything before the first entry: which flavour, and which blog."""
    namespaces: set[str] = set()
    root: Element | None = None
    for event, item in events:
        if event == "start-ns":
            namespaces.add(cast(tuple[str, str], item)[1])  # (prefix, URI)
        elif event == "start" and root is None:
            root = cast(Element, item)
            if root.tag != f"{ATOM}feed":
                raise ParseError(locator, f"not an Atom feed: the document is <{local(root.tag)}>")
        elif event == "start" and item.tag == f"{ATOM}entry":  # type: ignore[attr-defined]
            break
    if root is None:
        raise ParseError(locator, "empty XML document")
    home = link(root, "alternate")
    blog_id = BLOG_ID.search(root.findtext(f"{ATOM}id") or "")
    blog = BlogRecord(
        blogger_id=blog_id[1] if blog_id else None,
        url=home,
        title=(root.findtext(f"{ATOM}title") or "").strip() or None,
    )
    zone = ZoneInfo(options.timezone) if options.timezone else None
    return _Feed(root=root, blog=blog, takeout=BLOGGER[1:-1] in namespaces, zone=zone)


def _entries(events: Iterator[tuple[str, object]], feed: _Feed, locator: str) -> Iterator[Entry]:
    for event, item in events:
        if event == "end" and (entry := cast(Element, item)).tag == f"{ATOM}entry":  # an end event's item: its element
            yield (
                _takeout_entry(entry, feed, locator)
                if entry.find(f"{BLOGGER}type") is not None
                else _classic_entry(entry, feed, locator)
            )
            feed.root.clear()  # what is read is dropped: memory stays flat however long the export


# -- classic ----------------------------------------------------------------------------------------------------


def _classic_entry(entry: Element, feed: _Feed, locator: str) -> Entry:
    kind = next(
        (
            c.get("term", "").rsplit("#", 1)[-1]
            for c in entry.iterfind(f"{ATOM}category")
            if c.get("scheme") == KIND_SCHEME
        ),
        "",
    )
    if kind in ("post", "page"):
        return classic_post(entry, kind, locator)
    if kind == "comment":
        return classic_comment(entry, locator)
    return SkippedEntry(kind or "entry without a kind")


def classic_post(entry: Element, kind: str, locator: str) -> PostRecord:
    published = _time(entry, f"{ATOM}published", locator)
    draft = (entry.findtext(f"{APP}control/{APP}draft") or "").strip() == "yes"
    total = (entry.findtext(f"{THR}total") or "").strip()
    return PostRecord(
        title=(entry.findtext(f"{ATOM}title") or "").strip(),
        published_on=published.date(),
        published_at=published,
        utc_offset_minutes=_offset(published),
        edited_at=_edited(entry, locator),
        body_text=html_to_text(entry.findtext(f"{ATOM}content") or ""),
        url=link(entry, "alternate"),
        author=_author(entry),
        labels=_labels(entry, LABEL_SCHEME),
        labels_complete=True,
        declared_comment_count=numbers.count(total),
        blogger_id=_entry_id(entry, locator),
        kind=kind,
        status="draft" if draft else "live",
    )


def classic_comment(entry: Element, locator: str) -> Entry:
    target = entry.find(f"{THR}in-reply-to")
    post = _ENTRY_ID.search(target.get("ref", "")) if target is not None else None
    if post is None:
        return SkippedEntry("comment without a post")
    parent = _LAST_NUMBER.search(link(entry, "related") or "")
    published = _time(entry, f"{ATOM}published", locator)
    properties = {p.get("name"): p.get("value") for p in entry.iterfind(f"{GD}extendedProperty")}
    comment = _comment(
        entry, published, _offset(published), properties.get("blogger.contentRemoved") == "true", locator
    )
    return LooseComment(
        post_blogger_id=post[1],
        parent_blogger_id=parent[1] if parent else None,
        comment=replace(comment, display_time=properties.get("blogger.displayTime")),
    )


# -- Takeout (2018 namespace) -------------------------------------------------------------------------------------


def _takeout_entry(entry: Element, feed: _Feed, locator: str) -> Entry:
    kind = (entry.findtext(f"{BLOGGER}type") or "").strip().upper()
    if kind in ("POST", "PAGE"):
        return _takeout_post(entry, kind.lower(), feed, locator)
    if kind == "COMMENT":
        return _takeout_comment(entry, feed, locator)
    return SkippedEntry(kind.lower() or "entry without a kind")


def _takeout_post(entry: Element, kind: str, feed: _Feed, locator: str) -> PostRecord:
    published, offset = _zoned(_takeout_published(entry, locator), feed.zone)
    status = (entry.findtext(f"{BLOGGER}status") or "LIVE").strip().upper()
    trashed = (entry.findtext(f"{BLOGGER}trashed") or "").strip()
    blog_scheme = f"tag:blogger.com,1999:blog-{feed.blog.blogger_id}"
    return PostRecord(
        title=(entry.findtext(f"{ATOM}title") or "").strip(),
        published_on=published.date(),
        published_at=published,
        utc_offset_minutes=offset,
        edited_at=_edited(entry, locator),
        body_text=html_to_text(entry.findtext(f"{ATOM}content") or ""),
        url=(entry.findtext(f"{BLOGGER}filename") or "").strip() or None,  # a path: Takeout never names the host
        author=_author(entry),
        labels=_labels(entry, blog_scheme),
        labels_complete=True,
        blogger_id=_entry_id(entry, locator),
        kind=kind,
        status="trashed" if trashed else TAKEOUT_STATUS.get(status, status.lower()),
    )


def _takeout_comment(entry: Element, feed: _Feed, locator: str) -> Entry:
    post = _ENTRY_ID.search(entry.findtext(f"{BLOGGER}parent") or "")
    if post is None:
        return SkippedEntry("comment without a post")
    parent = _ENTRY_ID.search(entry.findtext(f"{BLOGGER}inReplyTo") or "")
    # A top-level comment's inReplyTo is unverified: missing, empty and the post itself all mean "no parent".
    parent_id = parent[1] if parent and parent[1] != post[1] else None
    published, offset = _zoned(_takeout_published(entry, locator), feed.zone)
    return LooseComment(
        post_blogger_id=post[1], parent_blogger_id=parent_id, comment=_comment(entry, published, offset, False, locator)
    )


def _takeout_published(entry: Element, locator: str) -> datetime:
    """<published>, or when a draft never was, <blogger:created>."""
    published = (entry.findtext(f"{ATOM}published") or "").strip()
    use_created = not published and entry.find(f"{BLOGGER}created") is not None
    return _time(entry, f"{BLOGGER}created" if use_created else f"{ATOM}published", locator)


# -- shared -------------------------------------------------------------------------------------------------------


def _comment(entry: Element, published: datetime, offset: int | None, removed: bool, locator: str) -> CommentRecord:
    body = html_to_text(entry.findtext(f"{ATOM}content") or "")
    return CommentRecord(
        body_text=body,
        author=_author(entry),
        published_at=published,
        utc_offset_minutes=offset,
        is_removed=removed or identity.is_removed_marker(body),
        mentions=find_mentions(body),
        blogger_id=_entry_id(entry, locator),
        url=link(entry, "alternate"),
    )


def _entry_id(entry: Element, locator: str) -> str:
    text = entry.findtext(f"{ATOM}id") or ""
    found = _ENTRY_ID.search(text)
    if found is None:
        shown = repr(text) if len(text) <= 100 else f"{text[:100]!r}… ({len(text):,} characters)"
        raise ParseError(locator, f"an entry without a Blogger id: {shown}")
    return found[1]


def _time(entry: Element, tag: str, locator: str) -> datetime:
    text = (entry.findtext(tag) or "").strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ParseError(
            locator, f"entry {entry.findtext(f'{ATOM}id')}: <{local(tag)}> is not a time: {text!r}"
        ) from None
    if moment.tzinfo is None:
        raise ParseError(locator, f"entry {entry.findtext(f'{ATOM}id')}: <{local(tag)}> has no UTC offset: {text!r}")
    return moment


def _edited(entry: Element, locator: str) -> datetime | None:
    return _time(entry, f"{ATOM}updated", locator) if (entry.findtext(f"{ATOM}updated") or "").strip() else None


def _offset(moment: datetime) -> int:
    return int(moment.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]  # aware: _time's and _zoned's


def _zoned(moment: datetime, zone: ZoneInfo | None) -> tuple[datetime, int | None]:
    """Takeout's times are UTC: in the blog's zone when we were told it, else UTC with no local offset known."""
    if zone is None:
        return moment, None
    local = moment.astimezone(zone)
    return local, _offset(local)


def _author(entry: Element) -> AuthorRecord | None:
    author = entry.find(f"{ATOM}author")
    if author is None:
        return None
    name = (author.findtext(f"{ATOM}name") or "").strip()
    uri = (author.findtext(f"{ATOM}uri") or "").strip() or None
    anonymous = (author.findtext(f"{BLOGGER}type") or "").strip() == "ANONYMOUS"
    return AuthorRecord(name=name or ("Anonymous" if anonymous or not uri else "Unknown"), profile_url=uri)


def _labels(entry: Element, scheme: str) -> tuple[str, ...]:
    terms = (c.get("term", "").strip() for c in entry.iterfind(f"{ATOM}category") if c.get("scheme") == scheme)
    return tuple(dict.fromkeys(term for term in terms if term))


def link(element: Element, rel: str) -> str | None:
    """The href of an entry's (or a feed's) first link of that rel; for `alternate`, the HTML one."""
    for candidate in element.iterfind(f"{ATOM}link"):
        if candidate.get("rel") == rel and (rel != "alternate" or candidate.get("type", "text/html") == "text/html"):
            return candidate.get("href")
    return None


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
