"""Bytes -> text for text renderings, whatever the tool that saved them wrote.

People save pages with whatever their system had: UTF-8 mostly, UTF-16 from Windows' Notepad ("Unicode"), and
Windows-1252 from older tools, whose smart quotes are single bytes (0x93, 0x94) that are not UTF-8. The rule:

1. a byte-order mark names the encoding (UTF-8, UTF-16 or UTF-32, either byte order);
2. else text that is valid UTF-8 is UTF-8;
3. else text in which no UTF-8 multi-byte sequence appears is Windows-1252 (its five unassigned bytes become
   U+FFFD); a file that has UTF-8 sequences and broken bytes besides is damaged UTF-8, and is refused with the
   line of the first broken byte rather than guessed at.

NUL characters are dropped from what is decoded: no database stores them in text (PostgreSQL refuses them), and a
NUL in a page is a fault of the saving, not content. Binary files never get here: the sniffer refuses them.
"""

from __future__ import annotations

import codecs
import re

from blogimport.errors import UnsupportedFormat

_BOMS = (  # longest first: UTF-32 LE's mark begins with UTF-16 LE's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A UTF-8 multi-byte sequence: a lead byte and the continuation bytes it announces.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(encoding, length of its mark) when the data starts with a byte-order mark."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return encoding, len(mark)
    return None


def decode(data: bytes, locator: str) -> str:
    """The text of a source's bytes, by the rule above; UnsupportedFormat (with the line) for damaged UTF-8."""
    if marked := bom_encoding(data):
        encoding, skip = marked
        return _without_nul(data[skip:].decode(encoding, errors="replace"))
    try:
        return _without_nul(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        if _UTF8_SEQUENCE.search(data) is None:
            return _without_nul(data.decode("cp1252", errors="replace"))
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise UnsupportedFormat(locator, f"not UTF-8 text ({error.reason}: 0x{byte:02x})", line) from None


def head_text(head: bytes) -> bytes:
    """The first bytes of a source as UTF-8, for the sniffer's byte patterns: a UTF-16 or UTF-32 file's head
    transcoded (a cut character at the end dropped), any other returned as it is."""
    marked = bom_encoding(head)
    if marked is None or marked[0] == "utf-8":
        return head
    encoding, skip = marked
    return head[skip:].decode(encoding, errors="ignore").encode("utf-8")


def _without_nul(text: str) -> str:
    return text.replace("\x00", "") if "\x00" in text else text
