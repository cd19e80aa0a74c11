"""A blog's addresses: which are its post and static pages (blogger-formats.md §3.1), its host, and its sitemap
(sitemaps.org 0.9), read to find its pages where its feeds are switched off.

Blogger answers `/sitemap.xml` with a sitemap index (`<sitemapindex><sitemap><loc>.../sitemap.xml?page=1</loc>`),
each page a `<urlset>` of up to 150 posts (`<url><loc>.../2016/02/a-post.html</loc><lastmod>...</lastmod>`), the
newest first; an older blog answers the `<urlset>` itself. Static pages are in `/sitemap-pages.xml`.

Read whole (a sitemap is at most a few hundred entries), with a DTD or an entity declaration refused as the
formats refuse them in exports and feeds: a sitemap comes from a stranger's server. Pure: bytes in, locations out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XMLParseError

import defusedxml
import defusedxml.ElementTree as SafeElementTree

from blogimport.errors import ParseError

POST_PATH = re.compile(r"^/(?:\d{4}/\d{2}/[^/]+\.html|p/[^/]+\.html)$")  # a post's page, or a static page's
_POSITION = re.compile(r": line \d+, column \d+$")


@dataclass(frozen=True)
class Location:
    url: str  # <loc>, as the sitemap gives it
    lastmod: str | None = None  # <lastmod>, as given: compared as text with the one kept from the last run


@dataclass(frozen=True)
class Sitemap:
    index: bool  # a sitemap index: its locations are further sitemaps, not pages
    locations: tuple[Location, ...]


def parse(data: bytes, locator: str) -> Sitemap:
    """The locations a sitemap or a sitemap index lists, in its order; ParseError (one line) for anything else."""
    root = _root(data, locator)
    name = _local(root.tag)
    if name not in ("urlset", "sitemapindex"):
        raise ParseError(locator, f"not a sitemap: the document is <{name}>")
    child = "url" if name == "urlset" else "sitemap"
    found = []
    for item in root:
        if _local(item.tag) != child:
            continue
        fields = {_local(part.tag): (part.text or "").strip() for part in item}
        if fields.get("loc"):
            found.append(Location(fields["loc"], fields.get("lastmod") or None))
    return Sitemap(index=name == "sitemapindex", locations=tuple(found))


def on_host(locations: tuple[Location, ...], base: str, path: re.Pattern[str] | None = None) -> list[Location]:
    """The locations on the host `base` names (scheme aside: a blog's sitemap may name it by https or http),
    http or https only, whose path matches `path` when given, each moved onto `base` and listed once."""
    host = _host(base)
    kept: dict[str, Location] = {}
    for location in locations:
        parts = urlsplit(location.url)
        if parts.scheme.lower() not in ("http", "https") or _host(location.url) != host:
            continue
        if path is not None and not path.match(parts.path):
            continue
        url = rebased(location.url, base)
        kept.setdefault(url, Location(url, location.lastmod))
    return list(kept.values())


def origin(url: str) -> str:
    """The scheme and host of an address: `https://name.blogspot.com`."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def rebased(url: str, base: str) -> str:
    """An address moved onto the host `base` names, its path and query kept: feeds and sitemaps name the blog's
    canonical host, and the host being read serves the same paths."""
    parts = urlsplit(url)
    return f"{base}{parts.path}" + (f"?{parts.query}" if parts.query else "")


def _host(url: str) -> tuple[str, int | None]:
    """A host and its port, a scheme's usual port counted as none."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: no host of ours
        return ("", -1)
    return (parts.hostname or "", None if port in (80, 443) else port)


def _root(data: bytes, locator: str) -> Element:
    try:
        root: Element = SafeElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except XMLParseError as error:
        raise ParseError(locator, f"not a sitemap: not well-formed XML: {_POSITION.sub('', str(error))}") from None
    except defusedxml.DTDForbidden:
        raise ParseError(locator, "refused: the sitemap declares a DTD (<!DOCTYPE>)") from None
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden):
        raise ParseError(locator, "refused: the sitemap declares entities") from None
    return root


def _local(tag: str) -> str:
    """An element's name without its namespace: sitemaps.org's, or none, as some generators write."""
    return tag.rsplit("}", 1)[-1]
