"""The web cache: every response kept on disk with its URL, headers and time, and what each crawl of a blog
learned (which responses make the blog, when each feed last changed, which comments each post has).

    DIR/responses/ab/<sha256 of the URL>.body   the bytes as received
    DIR/responses/ab/<sha256 of the URL>.json   {"url", "final_url", "status", "headers", "fetched_at"}
    DIR/crawls/<sha256 of the blog's address>.json

The cache is what a re-run's conditional requests (ETag, Last-Modified) and `updated-min` come from, and all that
`--offline` reads. Files are written whole (a temporary file renamed), so an interrupted run leaves no torn one.
By default it is a folder beside a SQLite database (`blog.db` -> `blog.db.cache/`), else under the user's cache
directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from blogimport.sources.client import Response


@dataclass
class CrawlState:
    """What the last crawls of one blog left: every response that makes it (in the order to import them), the
    feeds' own `updated` time at their last complete read (the next `updated-min`), each post's comment ids, and,
    for a blog read from its pages (feeds off), the sitemap's `<lastmod>` of each page when it was read."""

    urls: list[str] = field(default_factory=list)
    updated: dict[str, str] = field(default_factory=dict)  # feed (posts, pages, comments) -> its <updated>
    comments: dict[str, list[str]] = field(default_factory=dict)  # post id -> comment ids seen
    lastmod: dict[str, str] = field(default_factory=dict)  # page URL -> its <lastmod> when it was read


def default_folder(sqlite_file: Path | None) -> Path:
    """Beside the SQLite database, or the user's cache directory for a server database."""
    if sqlite_file is not None:
        return sqlite_file.with_name(sqlite_file.name + ".cache")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "blogimport"
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "blogimport" / "Cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "blogimport"


class Cache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def store(self, response: Response) -> Path:
        """Keep a 200 response; the path of its body."""
        body, meta = self._paths(response.url)
        body.parent.mkdir(parents=True, exist_ok=True)
        _write(body, response.body)
        record = {
            "url": response.url,
            "final_url": response.final_url,
            "status": response.status,
            "headers": response.headers,
            "fetched_at": response.fetched_at,
        }
        _write(meta, json.dumps(record, indent=1).encode())
        return body

    def body_path(self, url: str) -> Path | None:
        """The cached body of `url`, if there is one."""
        body, meta = self._paths(url)
        return body if body.is_file() and meta.is_file() else None

    def validators(self, url: str) -> dict[str, str]:
        """The headers of a conditional request for `url`: empty when nothing is cached."""
        if self.body_path(url) is None:
            return {}
        headers = self.meta(url).get("headers", {})
        asked = {}
        if etag := headers.get("etag"):
            asked["If-None-Match"] = etag
        if modified := headers.get("last-modified"):
            asked["If-Modified-Since"] = modified
        return asked

    def meta(self, url: str) -> dict[str, Any]:
        try:
            loaded = json.loads(self._paths(url)[1].read_bytes())
        except (OSError, ValueError):
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def load_state(self, address: str) -> CrawlState | None:
        try:
            loaded = json.loads(self._state_path(address).read_bytes())
            kept = {key: loaded[key] for key in ("urls", "updated", "comments")}
            return CrawlState(**kept, lastmod=loaded.get("lastmod", {}))  # a crawl before sitemaps kept none
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save_state(self, address: str, state: CrawlState) -> None:
        path = self._state_path(address)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, json.dumps({"address": address, **asdict(state)}).encode())

    def _paths(self, url: str) -> tuple[Path, Path]:
        digest = hashlib.sha256(url.encode()).hexdigest()
        stem = self.folder / "responses" / digest[:2] / digest
        return stem.with_suffix(".body"), stem.with_suffix(".json")

    def _state_path(self, address: str) -> Path:
        return self.folder / "crawls" / f"{hashlib.sha256(address.encode()).hexdigest()}.json"


def _write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
