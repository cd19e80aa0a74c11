"""A polite HTTP client for reading a live blog (httpx underneath): what it asks of a server, and how it takes
no for an answer.

- It says who it is: `blogimport/VERSION (+project page)`.
- At most `max_requests` requests in flight to one host (2 by default), and at least `interval` seconds between
  the starts of two requests to it.
- 429 and 503 are answered by waiting: `Retry-After` when the server gives it, else an exponential backoff capped
  at `max_backoff`; the whole host waits, not only the request that was refused. A network error (refused, reset,
  timed out, a response cut short) is retried the same way, a few times.
- Timeouts on connecting and reading; a response larger than `max_bytes` is refused (Content-Length, or counted
  as it arrives).
- http and https only; redirects followed up to `max_redirects` (a blogspot name redirects to its custom domain),
  never to another scheme (file:, ftp:, data:), a loop named as one.
- robots.txt is read once per host and honoured where asked (`allowed`): for post pages, not for feeds, which are
  made for programs.

Threads may share one Client. Every failure is a FetchError naming the URL, one line.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from blogimport import __version__, interrupts
from blogimport.errors import FetchError

PROJECT_URL = "https://github.com/blogimport/blogimport"
USER_AGENT = f"blogimport/{__version__} (+{PROJECT_URL})"
ROBOTS_AGENT = "blogimport"
SCHEMES = ("http", "https")
RETRIED_STATUSES = (429, 503)
MAX_RETRY_AFTER = 600.0  # a server that asks for longer is told we will come back, not waited for


@dataclass(frozen=True)
class Politeness:
    max_requests: int = 2  # in flight to one host
    interval: float = 0.25  # seconds between the starts of two requests to one host
    timeout: float = 30.0  # seconds to connect, and between two reads of a response
    max_bytes: int = 32 << 20  # a feed page of 150 long posts is a few MB
    max_redirects: int = 5
    retries: int = 5  # further tries after a 429 or a 503
    network_retries: int = 2  # after a network error (refused, reset, timed out, cut short)
    backoff: float = 1.0  # the first wait without Retry-After; doubled each time
    max_backoff: float = 60.0


@dataclass(frozen=True)
class Response:
    url: str  # as asked
    final_url: str  # after redirects
    status: int  # 200, or 304 when a conditional request found it unchanged
    headers: dict[str, str]
    body: bytes
    fetched_at: float  # seconds since the epoch


class HTTPStatusError(FetchError):
    """The server answered with an error status (after retries): 401, 404, 410, ..."""

    def __init__(self, url: str, status: int, reason: str) -> None:
        self.status = status
        super().__init__(url, reason)


@dataclass
class _Host:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0  # time.monotonic() before which no request starts
    robots: RobotFileParser | None = None


class Client:
    def __init__(self, politeness: Politeness = Politeness(), on_request: Callable[[], None] = lambda: None) -> None:
        self.politeness = politeness
        self.on_request = on_request  # told of every request sent (progress)
        self.requests = 0
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self._http = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(politeness.timeout),
            follow_redirects=False,  # followed here, within the limit and the schemes
            limits=httpx.Limits(max_connections=max(politeness.max_requests * 4, 4)),
            trust_env=False,
        )

    def close(self) -> None:
        self._http.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """The response to GET `url`, redirects followed; FetchError when there is none to give."""
        seen = [url]
        current = url
        while True:
            interrupts.check()
            response, location = self._one(current, headers or {}, url)
            if location is None:
                assert response is not None
                return Response(url, current, *response)
            target = urljoin(current, location)
            if urlsplit(target).scheme.lower() not in SCHEMES:
                raise FetchError(url, f"redirected to {target.split(':', 1)[0]}: only http and https are followed")
            if target in seen:
                raise FetchError(url, f"redirect loop: {' -> '.join([*seen, target])}")
            if len(seen) > self.politeness.max_redirects:
                raise FetchError(url, f"more than {self.politeness.max_redirects} redirects")
            seen.append(target)
            current = target

    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets us fetch `url` (fetched once per host; none means yes)."""
        host = self._host(url)
        with host.lock:
            robots = host.robots
        if robots is None:
            robots = RobotFileParser()
            parts = urlsplit(url)
            try:
                answer = self.get(f"{parts.scheme}://{parts.netloc}/robots.txt")
                robots.parse(answer.body.decode("utf-8", "replace").splitlines())
            except HTTPStatusError as error:
                robots.parse([] if error.status >= 400 and error.status not in (401, 403) else ["Disallow: /"])
            with host.lock:
                host.robots = robots
        return robots.can_fetch(ROBOTS_AGENT, url)

    # -- one request, with its retries -----------------------------------------------------------------------

    def _one(
        self, url: str, headers: dict[str, str], asked: str
    ) -> tuple[tuple[int, dict[str, str], bytes, float] | None, str | None]:
        """((status, headers, body, time), None), or (None, Location) for a redirect."""
        if urlsplit(url).scheme.lower() not in SCHEMES or not urlsplit(url).netloc:
            raise FetchError(asked, "not an http or https address")
        host = self._host(url)
        for attempt in range(self.politeness.retries + 1):
            last = attempt == self.politeness.retries
            with host.slots:
                self._wait_turn(host)
                try:
                    status, got, body = self._send(url, headers, asked)
                except httpx.TransportError as error:
                    if attempt >= self.politeness.network_retries:
                        raise FetchError(asked, f"network error: {_network_reason(error)}") from None
                    self._back_off(host, self._delay(attempt, None))
                    continue
            if status in RETRIED_STATUSES and not last:
                retry_after = _retry_after(got.get("retry-after"))
                if retry_after is not None and retry_after > MAX_RETRY_AFTER:
                    raise HTTPStatusError(asked, status, f"{status}: the server asks to wait {retry_after:.0f} s")
                self._back_off(host, self._delay(attempt, retry_after))
                continue
            if status in (301, 302, 303, 307, 308) and "location" in got:
                return None, got["location"]
            if status in (200, 203, 304):
                return (status, got, body, time.time()), None
            raise HTTPStatusError(asked, status, _status_reason(status, url, asked))
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, url: str, headers: dict[str, str], asked: str) -> tuple[int, dict[str, str], bytes]:
        limit = self.politeness.max_bytes
        with self._lock:
            self.requests += 1
        self.on_request()
        with self._http.stream("GET", url, headers=headers) as response:
            got = {name.lower(): value for name, value in response.headers.items()}
            declared = got.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(asked, f"response of {int(declared):,} bytes, over the limit of {limit:,}")
            chunks, size = [], 0
            if response.status_code in (200, 203):
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(asked, f"response over the limit of {limit:,} bytes")
                    chunks.append(chunk)
            return response.status_code, got, b"".join(chunks)

    def _host(self, url: str) -> _Host:
        netloc = urlsplit(url).netloc.lower()
        with self._lock:
            if netloc not in self._hosts:
                self._hosts[netloc] = _Host(threading.Semaphore(self.politeness.max_requests))
            return self._hosts[netloc]

    def _wait_turn(self, host: _Host) -> None:
        """Wait until the host may be asked again: the interval since the last start, and any backoff."""
        with host.lock:
            start = max(time.monotonic(), host.next_start)
            host.next_start = start + self.politeness.interval
        time.sleep(max(0.0, start - time.monotonic()))

    def _back_off(self, host: _Host, delay: float) -> None:
        """No request to this host starts for `delay` seconds from now (this thread's next one included)."""
        with host.lock:
            host.next_start = max(host.next_start, time.monotonic() + delay)

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        return float(min(self.politeness.backoff * 2**attempt, self.politeness.max_backoff))


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number of them, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


def _status_reason(status: int, url: str, asked: str) -> str:
    where = "" if url == asked else f" (at {url})"
    known = {
        401: "private blog: the server asks for a login (401)",
        403: "forbidden (403): a private blog, or we are not welcome",
        404: "not found (404)",
        410: "gone (410)",
        429: "too many requests (429), still after retries",
        503: "service unavailable (503), still after retries",
    }
    return known.get(status, f"HTTP status {status}") + where


def _network_reason(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"the response was cut short ({error})"
    return str(error) or type(error).__name__
