"""A live blog's own pages, where its feeds fall short (part of the crawl of sources.web, which mixes it in).

Post pages are read with the html format (a saved page's post and its comments), never parsed here, and only
where robots.txt allows: for the posts a "short" feed gives by their summary, for the posts with comments when the
comments feed is off, and for every post and static page when all the feeds are off (the posts feed 404), found
through the blog's sitemap (sources.sitemap): `/sitemap.xml` (an index of pages, or the list itself) and
`/sitemap-pages.xml`. A re-run asks the sitemaps again, then only for the pages whose `<lastmod>` is not the one
the last run read them at; the others are imported from the cache. Sitemaps are made for programs, as feeds are:
robots.txt is not asked about them.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from blogimport.errors import FetchError, SourceError
from blogimport.sources import sitemap
from blogimport.sources.cache import Cache, CrawlState
from blogimport.sources.client import Client, Politeness
from blogimport.sources.files import Source
from blogimport.sources.responses import Page, cached, failed
from blogimport.sources.sitemap import POST_PATH, Location, Sitemap, on_host

MAX_SITEMAPS = 1000  # pages of a sitemap index read at most: 150,000 posts at Blogger's 150 a page


class PageCrawl:
    # The crawl's own (sources.web._Crawl)
    address: str
    base: str  # scheme and host being read
    cache: Cache
    client: Client
    politeness: Politeness
    previous: CrawlState
    state: CrawlState
    phases: dict[str, list[Source]]
    notes: list[str]
    sitemaps: set[str]  # sitemaps asked: how pages were found, never sources to import

    def _get(self, url: str, parse: bool = True, fmt: str | None = None) -> Page:
        raise NotImplementedError

    def _save(self) -> None:
        raise NotImplementedError

    def _pages(self, urls: list[str]) -> list[Page]:
        """The pages robots.txt lets us have, fetched (not parsed: the pipeline reads them with the html format)."""
        addresses = [self._rebased(url) for url in urls if url]
        allowed = [url for url in addresses if self._allowed(url)]
        if len(allowed) < len(addresses):
            self.notes.append(f"robots.txt disallows {len(addresses) - len(allowed)} post pages: not read")
        with ThreadPoolExecutor(self.politeness.max_requests) as pool:
            return list(pool.map(lambda url: self._get(url, parse=False), allowed))

    def _allowed(self, url: str) -> bool:
        try:
            return self.client.allowed(url)
        except FetchError:
            return True  # robots.txt could not be had at all: the page's own request will say why

    def _rebased(self, url: str) -> str:
        """A post's page on the host being read: feeds name the blog's canonical host, which serves the same path."""
        return sitemap.rebased(url, self.base)

    # -- the feeds off -------------------------------------------------------------------------------------------

    def _without_feeds(self) -> None:
        """Every page the sitemaps list; on a re-run only those whose <lastmod> changed, the others from the cache.
        No sitemap either: one line, as for a deleted blog."""
        found = self._sitemap_pages()
        if found is None:
            self.phases["posts"] = [failed(self.address, self._why_nothing())]
            return
        unchanged = {location.url for location in found if self._unchanged(location)}
        asked = [location.url for location in found if location.url not in unchanged]
        fetched = {page.source.locator: page for page in self._pages(asked)}
        sources = []
        for location in found:
            page = fetched.get(location.url)
            if page is not None:
                sources.append(page.source)
                if page.status and location.lastmod:
                    self.state.lastmod[location.url] = location.lastmod
            elif location.url in unchanged:
                sources.append(cached(self.cache, location.url))
            # else robots.txt disallows it (a note says how many)
        self.phases["post pages"] = sources
        read = sum(1 for page in fetched.values() if page.status)
        self.notes.append(
            f"the blog's feeds are off: {read} posts read from their pages (sitemap)"
            + (f", {len(unchanged)} unchanged since the last run (their sitemap lastmod)" if unchanged else "")
        )
        self._save()

    def _sitemap_pages(self) -> list[Location] | None:
        """The post and static pages the sitemaps list, on the blog's own host; None when it has no sitemap."""
        top, found = self._sitemap(f"{self.base}/sitemap.xml", missing_ok=True)
        if found is None:
            return None if top.refused_with in (404, 410) else []  # else its failed source says why
        self.base = sitemap.origin(top.final_url)  # a blogspot name redirects to its custom domain
        urlsets = [found]
        if found.index:
            listed = [location.url for location in on_host(found.locations, self.base)]
            if len(listed) > MAX_SITEMAPS:
                self.notes.append(f"the sitemap lists {len(listed)} sitemaps: the first {MAX_SITEMAPS} read")
            with ThreadPoolExecutor(self.politeness.max_requests) as pool:
                urlsets = [part for _, part in pool.map(self._sitemap, listed[:MAX_SITEMAPS]) if part is not None]
            if nested := sum(part.index for part in urlsets):
                self.notes.append(f"{nested} sitemaps the index lists are indexes too: not followed")
        urlsets.append(self._sitemap(f"{self.base}/sitemap-pages.xml", missing_ok=True)[1] or Sitemap(False, ()))
        listed_pages = tuple(location for part in urlsets if not part.index for location in part.locations)
        return on_host(listed_pages, self.base, POST_PATH)

    def _sitemap(self, url: str, missing_ok: bool = False) -> tuple[Page, Sitemap | None]:
        """A sitemap, fetched and read; None when there is none to read (a failed source says why, but for one
        that is `missing_ok` and missing)."""
        self.sitemaps.add(url)
        page = self._get(url, parse=False)
        if page.status == 0:
            if not (missing_ok and page.refused_with in (404, 410)):
                self.phases.setdefault("sitemaps", []).append(page.source)
            return page, None
        with page.source.open() as stream:
            data = stream.read()
        try:
            return page, sitemap.parse(data, url)
        except SourceError as error:
            self.phases.setdefault("sitemaps", []).append(failed(url, error.reason))
            return page, None

    def _unchanged(self, location: Location) -> bool:
        """A page the last run read at the <lastmod> the sitemap gives now, still in the cache."""
        last = self.previous.lastmod.get(location.url)
        return last is not None and last == location.lastmod and self.cache.body_path(location.url) is not None

    def _why_nothing(self) -> str:
        """One line for a blog with neither feeds nor a sitemap: deleted, or its feeds off."""
        if self._get(f"{self.base}/", parse=False).status == 0:
            return "blog not found (404): deleted, or never there"
        return (
            "the blog's feeds are off (404 on /feeds/posts/default) and it has no sitemap (404 on /sitemap.xml): "
            "nothing to read"
        )
