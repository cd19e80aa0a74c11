"""A live blog's responses as sources (sources.web): one kept in the cache and opened from it, named by its URL,
or one there was none of, which fails with one line when it is read."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from blogimport.errors import FetchError
from blogimport.records import Document
from blogimport.sources.cache import Cache
from blogimport.sources.client import HTTPStatusError
from blogimport.sources.files import Source


@dataclass
class Page:
    source: Source
    document: Document | None  # None: the response is not a feed page that could be read
    status: int  # 0: no response (error says why)
    final_url: str
    error: FetchError | None = None

    @property
    def refused_with(self) -> int | None:
        """The HTTP status that refused the page, if a status did."""
        return self.error.status if isinstance(self.error, HTTPStatusError) else None


def cached_at(url: str, path: Path) -> Source:
    return Source(locator=url, open=lambda: path.open("rb"))


def cached(cache: Cache, url: str) -> Source:
    path = cache.body_path(url)
    assert path is not None
    return cached_at(url, path)


def failed(url: str, reason: str, error: FetchError | None = None) -> Source:
    """A source that fails with one line when read: a response there was none of."""
    failure = error or FetchError(url, reason)

    def refuse() -> AbstractContextManager[BinaryIO]:
        raise failure

    return Source(locator=url, open=refuse)
