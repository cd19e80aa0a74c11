"""The HTML floor that issue 17 sets beside the importer's own parse-only (BeautifulSoup): every saved page under a
folder parsed into a tree by lxml.html, which is what a parser with no page API on top would cost. The bench
(tests/perf/bench.py) adds the raw insert to it, as it does to the other floor."""

from __future__ import annotations

import time
from pathlib import Path

from lxml import html


def lxml_parse_seconds(path: Path) -> float:
    """Read and parse every .html / .htm file under `path` with lxml.html."""
    started = time.perf_counter()
    for page in sorted(path.rglob("*")):
        if page.suffix in (".html", ".htm") and page.is_file():
            html.document_fromstring(page.read_bytes())
    return time.perf_counter() - started
