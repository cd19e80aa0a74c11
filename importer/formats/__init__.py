"""One module per input family; each has `parse(data, locator, options) -> Document` and a VERSION.

A new format is a new module here and one line in FORMATS (and in sources.sniff).
"""

from __future__ import annotations

from types import ModuleType

from importer.formats import text
from importer.records import Document, ParseOptions

FORMATS: dict[str, ModuleType] = {"text": text}


def parse(fmt: str, data: bytes, locator: str, options: ParseOptions) -> Document:
    return FORMATS[fmt].parse(data, locator, options)


def version(fmt: str) -> int:
    """Bumped when a parser's output changes, so sources imported by the old one are parsed again."""
    return int(FORMATS[fmt].VERSION)
