"""Sniffing: the format of a source told from its first bytes, never from its name, and the bytes no format reads
(empty, binary) refused before any parser sees them. A new format is one rule here and one module in formats/."""

from __future__ import annotations

import re

from blogimport.errors import UnsupportedFormat
from blogimport.sources import decoding

SNIFF_BYTES = 8192  # how much of a source the sniffer reads
_ATOM_NAMESPACE = b"http://www.w3.org/2005/Atom"
_TAKEOUT_NAMESPACE = b"http://schemas.google.com/blogger/2018"
_KIND = b"http://schemas.google.com/g/2005#kind"
_TOTALS = re.compile(rb"<(?:\w+:)?totalResults\b")
_FIRST_ID = re.compile(rb"<id>\s*([^<]*?)\s*</id>")  # the document's own: a feed's (or a lone entry's) comes first
# A feed's id is the blog's, or ends in .comments; a lone entry's (one post's feed) is its post's. An export's ends
# in .archive or .layout.
_FEED_ID = re.compile(rb"tag:blogger\.com,1999:blog-\d+(?:\.post\d+\.\.comments|\.comments|\.post-\d+)?")
_JSONP_COMMENT = re.compile(rb"\A(?:\s*//[^\n]*\n)+\s*")  # `// API callback`
_JSONP_CALL = re.compile(rb"[A-Za-z_$][\w$.]*\s*\(\s*")
_API_KIND = re.compile(rb'"kind"\s*:\s*"blogger#(?:post|page|comment)(?:List)?"')
_FEED_JSON = re.compile(rb'\{\s*"(?:version|encoding|feed|entry)"\s*:')


def sniff(head: bytes, locator: str, forced: str | None = None) -> str:
    """The format of a source from its first bytes; `forced` (--format) skips the guess, not the sanity checks."""
    head = decoding.head_text(head)
    if not head.strip():
        raise UnsupportedFormat(locator, "empty file")
    if _binary(head):
        raise UnsupportedFormat(locator, "binary file: not a text rendering, saved page or export")
    if forced:
        return forced
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if re.match(rb"<\?xml|<feed\b|<entry\b", start):
        if _ATOM_NAMESPACE in head:
            return "feed_atom" if _public_feed(head) else "atom"
        if not re.search(rb"(?i)<html\b", head):
            raise UnsupportedFormat(locator, "XML, but not an Atom feed: not a Blogger export")
    if re.match(rb"(?i)<!doctype html|<html\b|<head\b|<!--|<\?xml", start) and re.search(rb"(?i)<html\b", head):
        return "html"
    if fmt := _json(start, locator):
        return fmt
    return "text"


def _public_feed(head: bytes) -> bool:
    """A public feed, not an export (blogger-formats.md §0): no entry with a kind category, not Takeout's namespace,
    and openSearch's totals or a feed id no export has (exports end theirs in .archive or .layout). A feed's first
    entry may come after thousands of feed-level labels, past the head: the feed's id comes first."""
    if _KIND in head or _TAKEOUT_NAMESPACE in head:
        return False
    first = _FIRST_ID.search(head)
    return bool(_TOTALS.search(head) or (first and _FEED_ID.fullmatch(first[1])))


def _json(start: bytes, locator: str) -> str | None:
    """A JSON or JSONP feed, or an API v3 response: by the shape of its start, never its name."""
    start = _JSONP_COMMENT.sub(b"", start, count=1)
    call = _JSONP_CALL.match(start)
    body = start[call.end() :] if call else start
    if not re.match(rb'\{\s*(?:"|\}|\Z)', body):
        return None  # text that begins with a brace is still text
    if _API_KIND.search(body):
        return "api_v3"
    if _FEED_JSON.match(body):
        return "feed_json"
    raise UnsupportedFormat(locator, "JSON, but neither a Blogger feed (alt=json) nor a Blogger API v3 response")


def _binary(head: bytes) -> bool:
    """Binary, not text: one byte in twenty a control character (text has tabs and line breaks only, and a
    stray NUL at most; random bytes, images and archives have one in eight)."""
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(head)


_CONTROL_BYTES = bytes([code for code in range(32) if code not in b"\t\n\r\f"] + [0x7F])
