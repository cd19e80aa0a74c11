"""A live blog on 127.0.0.1: a real threaded HTTP server serving a FeedBlog (tests/perf/feedblog.py) as Blogger
serves one (feeds paged by start-index and max-results, capped at 150; `orderby=updated&updated-min`; ETag and
Last-Modified with 304s; post pages; robots.txt; the sitemaps, an index of pages of `sitemap_size` posts; the feeds
or the comments feed off), with faults to order (`faults`), and a log of every request as
the server saw it: when it began and ended on the server's clock, what was asked and answered.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tests.perf.feedblog import FeedBlog, as_json

CAP = 150  # Blogger's max-results cap
ROBOTS = b"User-agent: *\nDisallow: /search\nAllow: /\n"


@dataclass
class Logged:
    start: float  # time.monotonic() when the server began the request
    answered: float  # when it began to send its answer: the client cannot have it any sooner
    end: float  # and when it had sent it
    path: str  # with its query
    status: int
    headers: dict[str, str]


@dataclass
class Reply:
    """A fault's answer: a status with headers and a body; `cut` sends only that many bytes of the body (with the
    whole length declared) and closes; `length` declares a body of that size and streams zeros."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    cut: int | None = None
    length: int | None = None
    passthrough: bool = False  # answer as the blog would, but cut (with `cut`)


@dataclass
class Fault:
    matches: Callable[[str], bool]  # the request's path and query
    replies: list[Reply]  # used one per matching request, in order; the last one again and again if `repeat`
    repeat: bool = False


class BlogServer:
    def __init__(self, blog: FeedBlog, shape: str = "atom") -> None:
        self.blog = blog
        self.shape = shape  # atom | json: what the feeds are answered as, whatever alt= asks
        self.faults: list[Fault] = []
        self.log: list[Logged] = []
        self.total_lie: int | None = None  # openSearch:totalResults given instead of the truth
        self.comments_feed_off = False
        self.feeds_off = False  # every /feeds/ URL 404: the blog is read from its pages, through its sitemap
        self.sitemap_size: int | None = CAP  # posts a sitemap page lists; None: /sitemap.xml lists them all
        self.cap = CAP  # the most entries a page holds, whatever max-results asks
        self.robots = ROBOTS
        self.lock = threading.Lock()
        server = self

        class Handler(_Handler):
            site = server

        self.errors: list[str] = []  # what the server's threads failed on (a client hanging up is no error)
        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.site = self
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @contextmanager
    def running(self) -> Iterator[BlogServer]:
        self.thread.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()

    def fault(self, matches: Callable[[str], bool], *replies: Reply, repeat: bool = False) -> None:
        self.faults.append(Fault(matches, list(replies), repeat))

    def max_in_flight(self) -> int:
        """The most requests the server was answering at once, from its log."""
        events = sorted([(r.start, 1) for r in self.log] + [(r.end, -1) for r in self.log])
        most = now = 0
        for _, step in events:
            now += step
            most = max(most, now)
        return most

    def paths(self) -> list[str]:
        return [entry.path for entry in self.log]

    def answer(self, target: str, headers: dict[str, str]) -> tuple[Reply, bool]:
        """The reply to a request, and whether it came from a fault."""
        with self.lock:
            for fault in self.faults:
                if fault.replies and fault.matches(target):
                    reply = fault.replies[0] if fault.repeat and len(fault.replies) == 1 else fault.replies.pop(0)
                    if not reply.passthrough:
                        return reply, True
                    normal = self._normal(target, headers)
                    return Reply(normal.status, normal.headers, normal.body, cut=reply.cut), True
        return self._normal(target, headers), False

    def _normal(self, target: str, asked: dict[str, str]) -> Reply:
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query))
        path = parts.path
        if path == "/robots.txt":
            return Reply(200, {"Content-Type": "text/plain"}, self.robots)
        if path == "/":
            return Reply(200, {"Content-Type": "text/html"}, b"<html><body>home</body></html>")
        if path in self.blog.pages:
            return Reply(200, {"Content-Type": "text/html; charset=UTF-8"}, self.blog.pages[path])
        if path in ("/sitemap.xml", "/sitemap-pages.xml"):
            return self._sitemap(path, query.get("page", ""))
        feed = _feed_of(path)
        if feed is None or self.feeds_off or (self.comments_feed_off and feed not in ("posts", "pages", "one")):
            return Reply(404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>")
        if feed == "one":
            one = self.blog.one_post(path.rsplit("/", 1)[1])
            if one is None:
                return Reply(404, {}, b"Not found")
            text = one
        else:
            start = max(int(query.pop("start-index", "1")), 1)
            size = min(max(int(query.pop("max-results", "25")), 1), self.cap)
            extra = {k: v for k, v in query.items() if k in ("orderby", "updated-min")}
            text = self.blog.feed(feed, self.url, start, size, self.total_lie, **extra)
        body = (as_json(text) if self.shape == "json" else text).encode()
        kind = "application/json" if self.shape == "json" else "application/atom+xml"
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        modified = format_datetime(self.blog.updated(feed if feed != "one" else "posts"), usegmt=False)
        headers = {"Content-Type": f"{kind}; charset=UTF-8", "ETag": etag, "Last-Modified": modified}
        if asked.get("if-none-match") == etag:
            return Reply(304, headers, b"")
        return Reply(200, headers, body)

    def _sitemap(self, path: str, page: str) -> Reply:
        """Blogger's sitemaps: an index of pages of `sitemap_size` posts (or, with none, the posts' list itself),
        and the static pages' list (the corpus has none)."""
        blog, size = self.blog, self.sitemap_size
        if path == "/sitemap-pages.xml":
            text = blog.pages_sitemap()
        elif size is None:
            text = blog.sitemap(self.url)
        elif page.isdigit() and 1 <= int(page) <= -(-len(blog.posts) // size):
            text = blog.sitemap(self.url, int(page), size)
        elif page:
            return Reply(404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>")
        else:
            text = blog.sitemap_index(self.url, size)
        return Reply(200, {"Content-Type": "application/xml; charset=UTF-8"}, text.encode())


class _Server(ThreadingHTTPServer):
    site: BlogServer

    def handle_error(self, request: object, client_address: object) -> None:
        """Kept, not printed: the test's own stderr is the command's, which must hold no traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionResetError, BrokenPipeError)):
            self.site.errors.append(repr(error))


def _feed_of(path: str) -> str | None:
    """posts, pages, comments, a post id (its comments feed), 'one' (a post's entry), or None."""
    parts = path.strip("/").split("/")
    if parts[:1] != ["feeds"]:
        return None
    if parts[1:] in (["posts", "default"], ["pages", "default"], ["comments", "default"]):
        return parts[1]
    if len(parts) == 4 and parts[1:3] == ["posts", "default"]:
        return "one"
    if len(parts) == 4 and parts[2:] == ["comments", "default"] and parts[1].isdigit():
        return parts[1]
    return None


class _Handler(BaseHTTPRequestHandler):
    site: BlogServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # http.server's name
        start = time.monotonic()
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply, _ = self.site.answer(self.path, headers)
        answered = time.monotonic()
        try:
            self._send(reply)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        with self.site.lock:
            self.site.log.append(Logged(start, answered, time.monotonic(), self.path, reply.status, headers))

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        length = reply.length if reply.length is not None else len(reply.body)
        self.send_header("Content-Length", str(length))
        if reply.cut is not None or reply.length is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if reply.length is not None:
            chunk = b"\0" * (1 << 20)
            for _ in range(reply.length // len(chunk)):
                self.wfile.write(chunk)
        else:
            self.wfile.write(reply.body[: reply.cut] if reply.cut is not None else reply.body)
        self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:  # http.server's signature
        pass
