"""Sniffing: the format of a source told from its first bytes, never from its name, and the bytes no format reads
(empty, binary) refused before any parser sees them. A new format is one rule here and one module in formats/."""

from __future__ import annotations

import re

from blogimport.errors import UnsupportedFormat
from blogimport.sources import decoding

SNIFF_BYTES = 8192  # how much of a source the sniffer reads
_ATOM_NAMESPACE = b"http://www.w3.org/2005/Atom"


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
    if re.match(rb"<\?xml|<feed\b", start):
        if _ATOM_NAMESPACE in head:
            return "atom"
        if not re.search(rb"(?i)<html\b", head):
            raise UnsupportedFormat(locator, "XML, but not an Atom feed: not a Blogger export")
    if re.match(rb"(?i)<!doctype html|<html\b|<head\b|<!--|<\?xml", start) and re.search(rb"(?i)<html\b", head):
        return "html"
    return "text"


def _binary(head: bytes) -> bool:
    """Binary, not text: one byte in twenty a control character (text has tabs and line breaks only, and a
    stray NUL at most; random bytes, images and archives have one in eight)."""
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(head)


_CONTROL_BYTES = bytes([code for code in range(32) if code not in b"\t\n\r\f"] + [0x7F])
