"""Rewrite a Blogger classic export as a Google Takeout `feed.atom` (the 2018 namespace), for tests.

This is a test tool, not real Takeout data. It lets a test import the same blog content from both formats.
It follows the shape of a real Takeout file (`blogger-formats.md` §2, and the epistemic-forge excerpt): the same
element names, order, UTC times and sort order. Where the classic export has no matching value, it writes what
Takeout writes for an unset field: an empty element.

Some choices are ours, not Google's. `blogger:created` is set to `published`, because the classic export has no
creation time. Classic authors named "Anonymous" keep that name (the real Takeout sample has an empty name).
`blogger:parent` is the classic `thr:in-reply-to/@ref` copied as is: for a comment on a page, that is `.post-<N>`
and not the page's own `.page-<N>` id. Settings and template entries are dropped, because Takeout has none.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from urllib.parse import urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
APP = "{http://purl.org/atom/app#}"
THREAD = "{http://purl.org/syndication/thread/1.0}"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
TAKEOUT_NAMESPACES = {"xmlns": "http://www.w3.org/2005/Atom", "xmlns:blogger": "http://schemas.google.com/blogger/2018"}
BLOGGER_TYPES = {"post": "POST", "page": "PAGE", "comment": "COMMENT"}  # classic kind -> Takeout blogger:type


def classic_to_takeout(classic_xml: bytes) -> bytes:
    """The classic export's posts, pages and comments as a Takeout feed.atom, UTF-8 with an XML declaration."""
    classic = ET.fromstring(classic_xml)
    blog_tag = _blog_tag(classic.findtext(f"{ATOM}id", ""))
    # The output uses literal `blogger:` tag names, and the root declares both prefixes. The prefixes then come
    # out exactly as in a real Takeout file, and ElementTree's global prefix registry stays untouched.
    feed = ET.Element("feed", TAKEOUT_NAMESPACES)
    _add(feed, "id", blog_tag)
    _add(feed, "title", classic.findtext(f"{ATOM}title", ""))
    typed = [(entry, kind) for entry in classic.findall(f"{ATOM}entry") if (kind := _blogger_type(entry))]
    for entry, kind in sorted(typed, key=lambda pair: _numeric_id(pair[0])):
        feed.append(_comment(entry, blog_tag) if kind == "COMMENT" else _post_or_page(entry, kind, blog_tag))
    ET.indent(feed, space="  ")
    return ET.tostring(feed, encoding="UTF-8", xml_declaration=True) + b"\n"


def _blog_tag(classic_feed_id: str) -> str:
    """`tag:blogger.com,1999:blog-<ID>`: the classic feed id without its `.archive` suffix."""
    if not re.fullmatch(r"tag:blogger\.com,1999:blog-\d+\.archive", classic_feed_id):
        raise ValueError(f"not a classic Blogger export feed id: {classic_feed_id!r}")
    return classic_feed_id.removesuffix(".archive")


def _blogger_type(entry: ET.Element) -> str | None:
    """POST, PAGE or COMMENT from the classic kind category; None for kinds Takeout omits (settings, template)."""
    for category in entry.findall(f"{ATOM}category"):
        if category.get("scheme") == KIND_SCHEME:
            return BLOGGER_TYPES.get(category.get("term", "").rpartition("#")[2])
    return None


def _numeric_id(entry: ET.Element) -> int:
    """The number after `.post-` or `.page-`. Takeout sorts entries by this number, not by the string."""
    atom_id = entry.findtext(f"{ATOM}id", "")
    match = re.search(r"\.(?:post|page)-(\d+)$", atom_id)
    if match is None:
        raise ValueError(f"no post, page or comment number in entry id {atom_id!r}")
    return int(match[1])


def _post_or_page(entry: ET.Element, blogger_type: str, blog_tag: str) -> ET.Element:
    """A Takeout POST or PAGE entry, with its elements in the order of the real file."""
    out = ET.Element("entry")
    _add(out, "id", entry.findtext(f"{ATOM}id"))
    _add(out, "blogger:type", blogger_type)
    _add(out, "blogger:status", "DRAFT" if entry.findtext(f"{APP}control/{APP}draft") == "yes" else "LIVE")
    out.append(_author(entry))
    _add(out, "title", entry.findtext(f"{ATOM}title", ""))
    _add(out, "content", entry.findtext(f"{ATOM}content", ""), type="html")
    _add(out, "blogger:metaDescription")
    _add_times(out, entry)
    _add(out, "blogger:location")
    for label in _labels(entry):
        _add(out, "category", scheme=blog_tag, term=label)
    _add(out, "blogger:filename", _permalink_path(entry))
    for empty in ("link", "enclosure", "blogger:trashed"):
        _add(out, empty)
    return out


def _comment(entry: ET.Element, blog_tag: str) -> ET.Element:
    """A Takeout COMMENT entry. It has no title, and `blogger:inReplyTo` is empty on a top-level comment."""
    out = ET.Element("entry")
    _add(out, "id", entry.findtext(f"{ATOM}id"))
    reply_to = entry.find(f"{THREAD}in-reply-to")
    _add(out, "blogger:parent", reply_to.get("ref") if reply_to is not None else None)
    _add(out, "blogger:inReplyTo", _parent_comment_id(entry, blog_tag))
    _add(out, "blogger:type", "COMMENT")
    _add(out, "blogger:status", "LIVE")
    out.append(_author(entry))
    _add(out, "content", entry.findtext(f"{ATOM}content", ""), type="html")
    _add_times(out, entry)
    _add(out, "blogger:trashed")
    return out


def _author(entry: ET.Element) -> ET.Element:
    """Name, the uri if the classic author has one, and ANONYMOUS or BLOGGER as the author type."""
    classic = entry.find(f"{ATOM}author")
    name = classic.findtext(f"{ATOM}name", "") if classic is not None else ""
    uri = classic.findtext(f"{ATOM}uri") if classic is not None else None
    out = ET.Element("author")
    _add(out, "name", name)
    if uri:
        _add(out, "uri", uri)
    _add(out, "blogger:type", "ANONYMOUS" if name == "Anonymous" and not uri else "BLOGGER")
    return out


def _add_times(out: ET.Element, entry: ET.Element) -> None:
    """created, published and updated in UTC. The classic export has no creation time, so created = published."""
    published = _utc(entry.findtext(f"{ATOM}published", ""))
    _add(out, "blogger:created", published)
    _add(out, "published", published)
    _add(out, "updated", _utc(entry.findtext(f"{ATOM}updated", "")))


def _utc(stamp: str) -> str:
    """`2013-06-30T12:56:54.002+02:00` -> `2013-06-30T10:56:54.002Z` (Takeout's UTC form, in milliseconds)."""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:  # converting it would silently use the test machine's own zone
        raise ValueError(f"time without a UTC offset: {stamp!r}")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _labels(entry: ET.Element) -> list[str]:
    """The label texts: categories in the classic label scheme, in file order."""
    return [c.get("term", "") for c in entry.findall(f"{ATOM}category") if c.get("scheme") == LABEL_SCHEME]


def _permalink_path(entry: ET.Element) -> str:
    """The path of the `alternate` link (`/2019/03/foo.html`). It is empty for drafts, which have no such link."""
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel") == "alternate" and link.get("type") == "text/html":
            return urlsplit(link.get("href", "")).path
    return ""


def _parent_comment_id(entry: ET.Element, blog_tag: str) -> str | None:
    """A reply's parent comment id, taken from the last path segment of `link rel='related'`. None if top-level."""
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel") == "related":
            parent_number = urlsplit(link.get("href", "")).path.rstrip("/").rpartition("/")[2]
            return f"{blog_tag}.post-{parent_number}"
    return None


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    """Append a child element. With no text it serialises as an empty element, as Takeout writes unset fields."""
    child = ET.SubElement(parent, tag, attributes)
    child.text = text or None
    return child
