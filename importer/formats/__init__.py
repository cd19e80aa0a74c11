"""One module per input family; each has `parse(stream, locator, options) -> Document` and a VERSION.

A new format is a new module here, one line in FORMATS and one in sources.sniff.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from types import ModuleType
from typing import BinaryIO

from importer.errors import SourceError
from importer.formats import atom, html, text
from importer.records import Document, Entry, ParseOptions

FORMATS: dict[str, ModuleType] = {"text": text, "html": html, "atom": atom}


def parse(fmt: str, stream: BinaryIO, locator: str, options: ParseOptions) -> Document:
    """The parser's Document; a parser bug, now or while its entries are read, fails this source alone."""
    try:
        document: Document = FORMATS[fmt].parse(stream, locator, options)
    except SourceError:
        raise
    except Exception as error:  # noqa: BLE001 - a parser bug must not cost the user the rest of the run
        raise _parser_bug(locator, error) from error
    return replace(document, entries=_guarded(document.entries, locator))


def version(fmt: str) -> int:
    """Bumped when a parser's output changes, so sources imported by the old one are parsed again."""
    return int(FORMATS[fmt].VERSION)


def _guarded(entries: Iterable[Entry], locator: str) -> Iterator[Entry]:
    try:
        yield from entries
    except SourceError:
        raise
    except Exception as error:  # noqa: BLE001 - see parse()
        raise _parser_bug(locator, error) from error


def _parser_bug(locator: str, error: Exception) -> SourceError:
    return SourceError(locator, f"parser failed ({type(error).__name__}: {error}); please report this file")
