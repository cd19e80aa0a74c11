"""One module per input family; each has `parse(stream, locator, options) -> Document`.

A new format is a new module here, one line in VERSIONS and one rule in sources/sniff.py. A parser module is
imported when a source of its format is first parsed: BeautifulSoup and lxml take a noticeable part of a second to
load, which a run that finds nothing changed should not pay.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import BinaryIO

from blogimport.errors import SourceError
from blogimport.records import Document, Entry, ParseOptions

# Each parser's version: bump it when the records the parser yields change, so sources it read are parsed again.
VERSIONS = {"text": 2, "html": 2, "atom": 1, "feed_atom": 1, "feed_json": 1, "api_v3": 1}
FORMATS = tuple(VERSIONS)


def parse(fmt: str, stream: BinaryIO, locator: str, options: ParseOptions) -> Document:
    """The parser's Document; a parser bug, now or while its entries are read, fails this source alone."""
    try:
        parser = importlib.import_module(f"{__name__}.{fmt}")
        document: Document = parser.parse(stream, locator, options)
    except SourceError:
        raise
    except Exception as error:  # a parser bug must not cost the user the rest of the run
        raise _parser_bug(locator, error) from error
    return replace(document, entries=_guarded(document.entries, locator))


def parse_bytes(fmt: str, data: bytes, locator: str) -> Document:
    """A Document from bytes in memory, its entries read."""
    document = parse(fmt, io.BytesIO(data), locator, ParseOptions())
    return replace(document, entries=list(document.entries))


PAGED = ("feed_atom", "feed_json")  # formats a fetcher pages through


def read_fetched(fmt: str, data: bytes, locator: str) -> Document:
    """What a fetcher needs of a response: a feed page's FeedPage alone, its entries left for the import to read
    (making their records costs most of parsing); any other format's whole Document."""
    if fmt not in PAGED:
        return parse_bytes(fmt, data, locator)
    try:
        page = importlib.import_module(f"{__name__}.{fmt}").read_page(data, locator)
    except SourceError:
        raise
    except Exception as error:  # as parse(): a parser bug fails this source alone
        raise _parser_bug(locator, error) from error
    return Document(format=fmt, entries=(), kind="feed", feed=page)


def version(fmt: str) -> int:
    """Bumped when a parser's output changes, so sources imported by the old one are parsed again."""
    return VERSIONS[fmt]


def _guarded(entries: Iterable[Entry], locator: str) -> Iterator[Entry]:
    try:
        yield from entries
    except SourceError:
        raise
    except Exception as error:  # see parse()
        raise _parser_bug(locator, error) from error


def _parser_bug(locator: str, error: Exception) -> SourceError:
    return SourceError(locator, f"parser failed ({type(error).__name__}: {error}); please report this file")
