"""Numbers that pages and exports carry: Blogger ids, counts, times in milliseconds. Each is ASCII digits that fit
their column, or it is not there. A page saved by whoever, or edited by hand, can hold superscript digits (which
str.isdigit accepts and int() refuses), other scripts' digits, or thousands of digits (more than int() reads), and
none of that should fail the whole source over one number the database can do without."""

from __future__ import annotations

from datetime import UTC, datetime

ID_DIGITS = 32  # the id columns' size (models.blog.BLOGGER_ID); Blogger's own ids have at most 19 digits
ID = rf"[0-9]{{1,{ID_DIGITS}}}(?![0-9])"  # an id in a regular expression: ASCII digits, as Blogger writes them
MAX_COUNT = 2**31 - 1  # counts and positions are 32-bit integer columns on every engine
_LATEST_MILLIS = int(datetime(9999, 12, 31, tzinfo=UTC).timestamp() * 1000)  # the last moment Python holds


def is_blogger_id(text: str | None) -> bool:
    """Is it a Blogger id (of a blog, post or comment)? Ids are kept as text."""
    return text is not None and len(text) <= ID_DIGITS and text.isascii() and text.isdecimal()


def _at_most(text: str | None, largest: int) -> int | None:
    text = (text or "").strip()
    significant = text.lstrip("0") or "0"  # int() reads no more than 4,300 digits, leading zeros included
    if not (text.isascii() and text.isdecimal()) or len(significant) > len(str(largest)):
        return None
    value = int(significant)
    return value if value <= largest else None


def count(text: str | None) -> int | None:
    """A count shown on a page or in an export (comments of a post); None for anything else, or one too large."""
    return _at_most(text, MAX_COUNT)


def from_millis(text: str | None) -> datetime | None:
    """The moment `text` milliseconds after 1970 (UTC), as Blogger's showComment links give it; None for anything
    else, or a moment past the year 9999."""
    millis = _at_most(text, _LATEST_MILLIS)
    return None if millis is None else datetime.fromtimestamp(millis / 1000, UTC)
