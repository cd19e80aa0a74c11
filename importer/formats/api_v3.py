"""Blogger API v3 responses saved to files (blogger-formats.md §8): `blogger#postList` and `blogger#post`,
`blogger#commentList` and `blogger#comment`, bare or as JSONP.

Ids are strings; a comment names its post (`post.id`) and the comment it answers (`inReplyTo.id`), so comments
are LooseComments, placed by the store as an export's are (they wait for their post when it is not there yet).
Post times carry the blog's offset; comment times are UTC (`Z`), so their offset is known only from --timezone, as
with Takeout. A post without `content` (a list asked for with fetchBodies=false) comes without a body, never with
an empty one that could win. `nextPageToken` and the posts' comment counts are the Document's `feed`.

Pure: a byte stream in, a Document out.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, BinaryIO
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from blogimport import identity
from blogimport.errors import ParseError
from blogimport.formats import feed_json, numbers
from blogimport.formats.atom import TAKEOUT_STATUS
from blogimport.formats.htmltext import html_to_text
from blogimport.formats.mentions import find_mentions
from blogimport.records import (
    AuthorRecord,
    BlogRecord,
    CommentRecord,
    Document,
    Entry,
    FeedPage,
    LooseComment,
    ParseOptions,
    PostRecord,
    SkippedEntry,
)

LISTS = {"blogger#postList": "posts", "blogger#pageList": "pages", "blogger#commentList": "comments"}
ITEMS = {"blogger#post": "posts", "blogger#page": "pages", "blogger#comment": "comments"}
REMOVED = "emptied"  # a comment's status when its content was removed (given to admins only)


def parse(stream: BinaryIO, locator: str, options: ParseOptions = ParseOptions()) -> Document:
    response = feed_json.load(stream.read(), locator)
    kind = response.get("kind") if isinstance(response, dict) else None
    if kind not in LISTS and kind not in ITEMS:
        raise ParseError(locator, f"JSON, but not a Blogger API v3 response: kind {kind!r}")
    items = _items(response, locator) if kind in LISTS else [response]
    zone = ZoneInfo(options.timezone) if options.timezone else None
    entries = tuple(_entry(item, zone, locator) for item in items)
    posts = [entry for entry in entries if isinstance(entry, PostRecord)]
    page = FeedPage(
        kind=LISTS.get(kind) or ITEMS[kind],
        entries=len(entries),
        next_page_token=_text(response, "nextPageToken"),
        summary_only=any(post.body_missing for post in posts),
        comment_totals=tuple(
            (post.blogger_id, post.declared_comment_count)
            for post in posts
            if post.blogger_id and post.declared_comment_count is not None
        ),
    )
    return Document(format="api_v3", kind="api", blog=_blog(items), entries=entries, feed=page)


def _items(response: Mapping[str, Any], locator: str) -> list[Mapping[str, Any]]:
    items = response.get("items", [])  # an empty page has no "items" at all
    if not isinstance(items, list):
        raise ParseError(locator, f'{response["kind"]}: "items" is not a list')
    return [item for item in items if isinstance(item, dict)]


def _entry(item: Mapping[str, Any], zone: ZoneInfo | None, locator: str) -> Entry:
    kind = item.get("kind")
    if kind in ("blogger#post", "blogger#page"):
        return _post(item, zone, locator)
    if kind == "blogger#comment":
        return _comment(item, zone, locator)
    return SkippedEntry(str(kind or "item without a kind")[:32])


def _post(item: Mapping[str, Any], zone: ZoneInfo | None, locator: str) -> PostRecord:
    published, offset = _moment(item, "published", zone, locator)
    content = item.get("content")
    labels = item.get("labels") if isinstance(item.get("labels"), list) else []
    replies = item.get("replies") if isinstance(item.get("replies"), dict) else {}
    status = (_text(item, "status") or "LIVE").strip().upper()  # given to admins only; public posts are live
    return PostRecord(
        title=(_text(item, "title") or "").strip(),
        published_on=published.date(),
        body_text=html_to_text(content) if isinstance(content, str) else "",
        published_at=published,
        utc_offset_minutes=offset,
        edited_at=_moment(item, "updated", zone, locator)[0] if _text(item, "updated") else None,
        url=_text(item, "url"),
        author=_author(item),
        labels=tuple(
            dict.fromkeys(label.strip() for label in labels or () if isinstance(label, str) and label.strip())
        ),
        labels_complete=True,
        declared_comment_count=numbers.count(_text(replies, "totalItems")),
        blogger_id=_id(item, locator),
        kind="page" if item.get("kind") == "blogger#page" else "post",
        status=TAKEOUT_STATUS.get(status, status.lower()),
        body_missing=not isinstance(content, str),
    )


def _comment(item: Mapping[str, Any], zone: ZoneInfo | None, locator: str) -> Entry:
    post = _text(item.get("post") or {}, "id")
    if post is None or not numbers.is_blogger_id(post):
        return SkippedEntry("comment without a post")
    parent = _text(item.get("inReplyTo") or {}, "id")
    published, offset = _moment(item, "published", zone, locator)
    body = html_to_text(_text(item, "content") or "")
    comment = CommentRecord(
        body_text=body,
        author=_author(item),
        published_at=published,
        utc_offset_minutes=offset,
        is_removed=(_text(item, "status") or "").lower() == REMOVED or identity.is_removed_marker(body),
        mentions=find_mentions(body),
        blogger_id=_id(item, locator),
    )
    return LooseComment(
        post_blogger_id=post, parent_blogger_id=parent if numbers.is_blogger_id(parent) else None, comment=comment
    )


def _blog(items: list[Mapping[str, Any]]) -> BlogRecord:
    """The blog every item names, and its home from a post's URL (comments carry none)."""
    blog_id = next((_text(item.get("blog") or {}, "id") for item in items if _text(item.get("blog") or {}, "id")), None)
    urls = (urlsplit(_text(item, "url") or "") for item in items)
    home = next(
        (f"{url.scheme}://{url.netloc}/" for url in urls if url.scheme in ("http", "https") and url.netloc), None
    )
    return BlogRecord(blogger_id=blog_id if numbers.is_blogger_id(blog_id) else None, url=home)


def _author(item: Mapping[str, Any]) -> AuthorRecord | None:
    author = item.get("author")
    if not isinstance(author, dict):
        return None
    name = (_text(author, "displayName") or "").strip()
    url = (_text(author, "url") or "").strip() or None
    return AuthorRecord(name=name or ("Unknown" if url else "Anonymous"), profile_url=url)


def _id(item: Mapping[str, Any], locator: str) -> str:
    value = _text(item, "id")
    if not numbers.is_blogger_id(value):
        raise ParseError(locator, f"a {item.get('kind')} without a Blogger id: {value!r}")
    return value  # type: ignore[return-value]


def _moment(item: Mapping[str, Any], name: str, zone: ZoneInfo | None, locator: str) -> tuple[datetime, int | None]:
    """The time and the blog's offset then. A UTC time (`Z`, as comments have) tells no offset: the blog's zone
    (--timezone) gives one, else it stays unknown."""
    text = (_text(item, name) or "").strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ParseError(locator, f"{item.get('kind')} {_text(item, 'id')}: {name} is not a time: {text!r}") from None
    if moment.tzinfo is None:
        raise ParseError(locator, f"{item.get('kind')} {_text(item, 'id')}: {name} has no UTC offset: {text!r}")
    if text.endswith(("Z", "z")):
        local = moment.astimezone(zone) if zone else moment
        return local, int(local.utcoffset().total_seconds() // 60) if zone else None  # type: ignore[union-attr]
    return moment, int(moment.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]


def _text(mapping: Any, name: str) -> str | None:
    """A string value (API v3 writes numbers as strings too); None for anything else."""
    value = mapping.get(name) if isinstance(mapping, dict) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else None
