"""A live blog read through its public feeds (blogger-formats.md §7), as sources: each response is one, kept in the
cache (sources.cache) and named by its URL, parsed later by the same parser as a saved file of its format.

`fetch("https://NAME.blogspot.com", ...)` reads:
1. the posts feed, `/feeds/posts/default?max-results=150&start-index=N` (150 is Blogger's cap; a page is counted,
   never assumed full): the next page is asked for while the page has a `rel="next"` link and entries, from
   start-index plus what it held, so a wrong `openSearch:totalResults` never decides where to stop;
2. the pages feed and the blog-wide comments feed the same way, beside it;
3. one post's own comments feed where the post's `thr:total` is more than the comments known for it;
4. a post's page (the html format), where robots.txt allows, when the feed gave only its summary (a "short"
   feed), or for every post with comments when the comments feed is off (404);
5. when the posts feed itself is off (404), every post and static page the blog's sitemap lists, instead of all
   the above (sources.web_pages).

A post's address means that post's page, its entry and its comments feed. A re-run asks each feed only for what
changed since its last complete read (`orderby=updated&updated-min=<the feed's own updated time then>`), with
ETag/Last-Modified: a feed that says nothing changed (304) costs one request. `offline` imports what the cache
holds for the address, with no request at all.

The crawl reads each feed page to know what comes next (`read`, the parsers, handed in: sources know no parser).
A response that could not be had is a source that fails with one line (the pipeline records it by its URL); what
was fetched before it is imported all the same.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from blogimport.errors import FetchError, SourceError
from blogimport.records import Document, FeedPage, PostRecord
from blogimport.sources.cache import Cache, CrawlState
from blogimport.sources.client import Client, Politeness
from blogimport.sources.files import Source
from blogimport.sources.responses import Page, cached, cached_at, failed
from blogimport.sources.sitemap import POST_PATH, origin
from blogimport.sources.sniff import SNIFF_BYTES, sniff
from blogimport.sources.web_pages import PageCrawl

PAGE_SIZE = 150  # max-results asked for: Blogger's cap (blogger-formats.md §7.2)
FEEDS = {"posts": "/feeds/posts/default", "pages": "/feeds/pages/default", "comments": "/feeds/comments/default"}

# (format, bytes, URL) -> its Document: a feed page's FeedPage is all the crawl reads of it (formats.read_fetched)
Reader = Callable[[str, bytes, str], Document]


@dataclass(frozen=True)
class WebOptions:
    cache: Path
    offline: bool = False
    politeness: Politeness = field(default_factory=Politeness)


@dataclass
class Progress:
    requests: int = 0
    entries: int = 0
    expected: int = 0  # entries the feeds' totals announce
    started: float = field(default_factory=time.monotonic)


@dataclass
class Fetched:
    sources: list[Source]
    notes: list[str]  # what the summary must say (pages read instead of a short feed, ...)
    requests: int


def fetch(
    address: str, options: WebOptions, read: Reader, on_progress: Callable[[Progress], None] = lambda p: None
) -> Fetched:
    """The sources a live blog (or one post) gives, fetched or (offline) from the cache."""
    cache = Cache(options.cache)
    address = _normal(address)
    if options.offline:
        state = cache.load_state(address)
        if state is None:
            return Fetched([failed(address, "nothing in the cache for it: fetch it once without --offline")], [], 0)
        return Fetched([cached(cache, url) for url in state.urls if cache.body_path(url)], [], 0)
    crawl = _Crawl(address, cache, options.politeness, read, on_progress)
    try:
        if POST_PATH.match(urlsplit(address).path):
            crawl.post()
        else:
            crawl.blog()
    finally:
        crawl.client.close()
    return Fetched(crawl.sources(), crawl.notes, crawl.client.requests)


class _Crawl(PageCrawl):
    def __init__(
        self, address: str, cache: Cache, politeness: Politeness, read: Reader, on_progress: Callable[[Progress], None]
    ) -> None:
        self.address = address
        self.base = origin(address)  # _normal: in lower case
        self.cache = cache
        self.read = read
        self.progress = Progress()
        self.on_progress = on_progress
        self.lock = threading.Lock()
        self.client = Client(politeness, on_request=self._requested)
        self.politeness = politeness
        self.previous = cache.load_state(address) or CrawlState()
        previous = self.previous
        self.state = CrawlState(
            list(previous.urls), dict(previous.updated), dict(previous.comments), dict(previous.lastmod)
        )
        self.phases: dict[str, list[Source]] = {}
        self.notes: list[str] = []
        self.declared: dict[str, int] = {}  # post id -> its thr:total
        self.pages_of: dict[str, str] = {}  # post id -> its page's address
        self.short: set[str] = set()  # posts the feed gave by their summary
        self.known: dict[str, set[str]] = {}  # post id -> its comment ids
        self.sitemaps: set[str] = set()  # sitemaps asked: how pages were found, never sources to import

    # -- a whole blog --------------------------------------------------------------------------------------------

    def blog(self) -> None:
        first = self._get(self._first_url("posts"))
        if first.refused_with in (404, 410):
            self._without_feeds()
            return
        if first.status == 0:
            self.phases["posts"] = [failed(self.address, first.error.reason if first.error else "no posts feed")]
            return
        self.base = origin(first.final_url)  # a blogspot name redirects to its custom domain
        with ThreadPoolExecutor(3) as pool:
            posts = pool.submit(self._chain, "posts", self._first_url("posts"), first)
            pages = pool.submit(self._chain, "pages", self._first_url("pages"))
            comments = pool.submit(self._chain, "comments", self._first_url("comments"))
            self.phases["posts"], self.phases["pages"] = posts.result()[0], pages.result()[0]
            self.phases["comments"], comments_ok = comments.result()
        # Oldest first, as an export lists them: each page's comments then follow those stored, never precede them.
        self.phases["comments"].reverse()
        self._follow_up(comments_ok)
        self._save()

    def _follow_up(self, comments_ok: bool) -> None:
        """Per-post comments feeds where thr:total says some are missing; post pages where the feed fell short."""
        missing = [pid for pid, total in self.declared.items() if total > len(self._known(pid))]
        short = sorted(self.short)
        if comments_ok:
            pages = short
            with ThreadPoolExecutor(self.politeness.max_requests) as pool:
                chains = list(pool.map(lambda pid: self._chain(None, self._post_comments(pid))[0], missing))
            self.phases["post comments"] = [source for chain in chains for source in reversed(chain)]
        else:
            pages = sorted(set(short) | {pid for pid in self.pages_of if self.declared.get(pid) != 0})
            self.notes.append(f"the comments feed is off: comments read from {len(pages)} post pages")
        if short:
            self.notes.append(f"the feed gives summaries only: {len(short)} post bodies read from their pages")
        self.phases["post pages"] = [page.source for page in self._pages([self.pages_of.get(pid, "") for pid in pages])]

    # -- one post ------------------------------------------------------------------------------------------------

    def post(self) -> None:
        address = self.address
        if not self._allowed(address):
            self.phases["post"] = [failed(address, "robots.txt disallows this page")]
            return
        page = self._get(address, fmt="html")
        self.base = origin(page.final_url)
        self.phases["post"] = [page.source]
        found = [e for e in (page.document.entries if page.document else ()) if isinstance(e, PostRecord)]
        pid = found[0].blogger_id if found else None
        if pid:
            entry = self._get(f"{self.base}/feeds/posts/default/{pid}")
            self.phases["entry"] = [entry.source] if entry.status else []
            self.phases["comments"] = self._chain(None, self._post_comments(pid))[0]
        self._save()

    # -- paging a feed -------------------------------------------------------------------------------------------

    def _chain(self, feed: str | None, url: str, first: Page | None = None) -> tuple[list[Source], bool]:
        """Every page of one feed from `url`, and whether the feed was there. `feed` names the blog's feeds whose
        updated time is kept for the next run's updated-min."""
        sources: list[Source] = []
        seen: set[str] = set()
        start, page = 1, first or self._get(url)
        top: FeedPage | None = None
        while True:
            if page.status == 0:
                gone = page.refused_with in (404, 410)
                return (sources if gone else [*sources, page.source]), not gone or bool(sources)
            sources.append(page.source)
            if page.status == 304 and top is None and feed in self.previous.updated:
                return sources, True  # the first page says nothing changed since
            document = page.document
            if document is None or document.feed is None:
                return sources, True  # not a feed: its source fails when parsed, with the parser's line
            found = document.feed
            top = top or found
            ids = set(found.entry_ids)
            if not found.entries or not found.next_url or (ids and ids <= seen):
                break
            seen |= ids
            start += found.entries
            page = self._get(_with_start(page.final_url, start))
        if feed and top is not None and top.updated is not None:
            with self.lock:
                self.state.updated[feed] = top.updated.isoformat(timespec="milliseconds")
        return sources, True

    def _first_url(self, feed: str) -> str:
        query = {"max-results": str(PAGE_SIZE), "start-index": "1", "redirect": "false"}
        if since := self.previous.updated.get(feed):
            query |= {"orderby": "updated", "updated-min": since}
        return f"{self.base}{FEEDS[feed]}?{urlencode(query)}"

    def _post_comments(self, pid: str) -> str:
        return f"{self.base}/feeds/{pid}/comments/default?{urlencode({'max-results': PAGE_SIZE, 'start-index': 1})}"

    # -- one response --------------------------------------------------------------------------------------------

    def _get(self, url: str, parse: bool = True, fmt: str | None = None) -> Page:
        """The response to `url` as a source (status 0: a failed one) and, for a feed, its Document."""
        try:
            response = self.client.get(url, self.cache.validators(url))
        except FetchError as error:
            return Page(failed(url, error.reason, error), None, 0, url, error)
        if response.status == 304:
            path = self.cache.body_path(url)
            assert path is not None  # asked conditionally only when cached
            data = path.read_bytes()
        else:
            path, data = self.cache.store(response), response.body
        document = self._document(url, data, fmt) if parse or fmt else None
        self._tell(document)
        return Page(cached_at(url, path), document, response.status, response.final_url)

    def _document(self, url: str, data: bytes, fmt: str | None) -> Document | None:
        try:
            return self.read(fmt or sniff(data[:SNIFF_BYTES], url), data, url)
        except SourceError:
            return None  # the pipeline parses it again and records why it failed

    def _tell(self, document: Document | None) -> None:
        with self.lock:
            feed = document.feed if document else None
            if feed is not None:
                self.progress.entries += feed.entries
                if feed.start_index in (None, 1) and feed.total_results:
                    self.progress.expected += feed.total_results
                if feed.kind == "posts":
                    self.declared.update(feed.comment_totals)
                    self.pages_of.update(feed.post_urls)
                    self.short.update(feed.short_posts)
                for comment, post in feed.comment_posts:
                    self._known(post).add(comment)
            self.on_progress(self.progress)

    def _known(self, pid: str) -> set[str]:
        """The comment ids known for a post: from earlier crawls and this one."""
        if pid not in self.known:
            self.known[pid] = set(self.previous.comments.get(pid, ()))
        return self.known[pid]

    def _requested(self) -> None:
        with self.lock:
            self.progress.requests += 1

    def _save(self) -> None:
        """What the crawl learned, for the next run and for --offline: the responses in the order they are imported."""
        order = [
            source.locator
            for source in self.sources()
            if source.locator not in self.sitemaps and self.cache.body_path(source.locator)
        ]
        self.state.urls = [*(url for url in self.previous.urls if url not in set(order)), *order]
        self.state.comments.update({pid: sorted(ids) for pid, ids in self.known.items()})
        self.cache.save_state(self.address, self.state)

    def sources(self) -> list[Source]:
        order = ("post", "entry", "posts", "pages", "comments", "post comments", "sitemaps", "post pages")
        return [source for phase in order for source in self.phases.get(phase, [])]


def _normal(address: str) -> str:
    """An address as the cache keeps it: scheme and host in lower case, a blog's without its trailing slash."""
    parts = urlsplit(address.strip())
    path = parts.path if POST_PATH.match(parts.path) else parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def _with_start(url: str, start: int) -> str:
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "start-index"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("start-index", str(start))])))
