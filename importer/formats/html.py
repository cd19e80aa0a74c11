"""Saved Blogger pages (blogger-formats.md §3): a post's page, or a listing (label, archive, search, home) that
shows several posts without their comments, from Blogger's own templates and from custom ones.

Keyed on Blogger's classes and ids, never on the words a page shows: those are in the blog's language
("Reply", "Antworten", "1 Meinungen:"). Custom templates move the post's title and date around, so each is looked
for in an order of trust, and the page's metadata (og:title, canonical link) is the last resort. Comments come in
Blogger's threaded layout (li.comment, replies under #c<ID>-ra) or the old flat one (dl#comments-block); the exact
time of each is the showComment=<epoch ms> of its permalink.

Pure: a byte stream in, a Document out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO
from urllib.parse import parse_qs, unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from blogimport import identity
from blogimport.errors import ParseError
from blogimport.formats import numbers
from blogimport.formats.dates import find_date
from blogimport.formats.htmltext import html_to_text
from blogimport.formats.mentions import clock_of, find_mentions
from blogimport.records import AuthorRecord, BlogRecord, CommentRecord, Document, ParseOptions, PostRecord

# Any of these says the page was made by Blogger (blogger-formats.md §0).
_BLOGGER_MARKS = (b"post-body", b"_WidgetManager", b"www.blogger.com", b".blogspot.", b"comment-holder")
_BLOG_ID = re.compile(rb"blogID(?:=|\\x3d|%3D)(" + numbers.ID.encode() + rb")")
_ITEM_PATH = re.compile(r"/\d{4}/\d{2}/[^/]+\.html$|/p/[^/]+\.html$")  # a post's or a page's own URL
_COMMENT_ID = re.compile(rf"^c({numbers.ID})$")
_ELLIPSIS_WORD = re.compile(r"\s+\S+\s*\.\.\.\s*$")  # "Anonymous said..." in any language: the last word goes


@dataclass(frozen=True)
class _Page:
    url: str | None  # the canonical URL
    blog: BlogRecord
    label: str | None  # on a label page, its label
    listing: bool  # several posts, shown without their comments


def parse(stream: BinaryIO, locator: str, options: ParseOptions = ParseOptions()) -> Document:
    data = stream.read()
    if not any(mark in data for mark in _BLOGGER_MARKS):
        raise ParseError(locator, "HTML, but not a Blogger page (none of Blogger's markup)")
    soup = BeautifulSoup(data, "lxml")
    elements = soup.select("div.post-outer") or soup.select("div.post") or [soup]
    page = _page(soup, data, len(elements))
    posts = tuple(_post(element, soup, page, locator) for element in elements)
    return Document(format="html", blog=page.blog, entries=posts)


def _page(soup: BeautifulSoup, data: bytes, post_count: int) -> _Page:
    url = _attr(soup, "link[rel=canonical]", "href") or _attr(soup, "meta[property='og:url']", "content")
    url = url.replace("?m=1", "") if url else None
    meta_id = _attr(soup, "meta[itemprop=blogId]", "content")
    blog_id = meta_id if numbers.is_blogger_id(meta_id) else _first(_BLOG_ID.findall(data))
    parts = urlsplit(url) if url else None
    home = f"{parts.scheme}://{parts.netloc}/" if parts and parts.netloc else None
    label = unquote(parts.path.split("/search/label/", 1)[1]) if parts and "/search/label/" in parts.path else None
    listing = not _ITEM_PATH.search(parts.path) if parts and parts.path else post_count > 1
    title = _attr(soup, "meta[property='og:site_name']", "content")
    return _Page(
        url=url, blog=BlogRecord(blogger_id=blog_id, url=home, title=title or None), label=label, listing=listing
    )


def _post(element: Tag, soup: BeautifulSoup, page: _Page, locator: str) -> PostRecord:
    title = _title(element, soup, page)
    published_at, offset, published_on = _published(element)
    if published_on is None:
        raise ParseError(locator, f"no date for the post {title!r}: none of the places Blogger pages show it")
    author = _author(element)
    labels = [a.get_text(" ", strip=True) for a in element.select(".post-labels a, a[rel=tag]")]
    comments = () if page.listing else _comments(soup, author)
    return PostRecord(
        title=title,
        published_on=published_on,
        body_text=html_to_text(_inner(element.select_one(".post-body, .entry-content, [itemprop~=articleBody]"))),
        published_at=published_at,
        utc_offset_minutes=offset,
        url=_post_url(element, page),
        author=author,
        labels=tuple(dict.fromkeys(name for name in [*labels, page.label or ""] if name)),
        declared_comment_count=None if page.listing else _declared_count(soup),
        comments=comments,
        blogger_id=_post_id(element),
    )


def _title(element: Tag, soup: BeautifulSoup, page: _Page) -> str:
    node = element.select_one(".post-title, .entry-title, h3[itemprop=name]")
    if node is not None:
        return node.get_text(" ", strip=True)
    if page.listing:
        return ""
    return _attr(soup, "meta[property='og:title']", "content") or (
        soup.title.get_text(strip=True) if soup.title else ""
    )


def _published(element: Tag) -> tuple[datetime | None, int | None, date | None]:
    """(exact time, its UTC offset, the date the blog shows). Exact when the template says it in ISO 8601."""
    for node in element.select("abbr.published[title], [itemprop=datePublished], time[datetime]"):
        value = node.get("title") or node.get("content") or node.get("datetime") or ""
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            continue
        if moment.tzinfo is not None:  # so utcoffset() is not None, which mypy cannot tell (the ignore below)
            return moment, int(moment.utcoffset().total_seconds() // 60), moment.date()  # type: ignore[union-attr]
    places = element.select(".date-header, .post-timestamp, .published, a[rel=bookmark], .post-header")
    header = element.find_previous(class_="date-header")  # on Blogger's templates it heads the day's posts
    texts = [node.get_text(" ", strip=True) for node in [*places, *([header] if header else [])]]
    return None, None, next((day for day in map(find_date, texts) if day), None)


def _author(element: Tag) -> AuthorRecord | None:
    for css in ("[itemprop=author]", ".post-author .fn", "a[rel=author]", ".by-author"):
        node = element.select_one(css)
        if node is None:
            continue
        name = (node.select_one("[itemprop=name]") or node).get_text(" ", strip=True)
        link = node if node.name == "a" else node.select_one("a[href]")
        href = (link.get("href") if link else None) or _attr(node, "meta[itemprop=url]", "content")
        if name:
            return AuthorRecord(name=name, profile_url=str(href) if href and str(href).startswith("http") else None)
    return None


def _post_url(element: Tag, page: _Page) -> str | None:
    if not page.listing:
        return page.url
    link = element.select_one(".post-title a[href], a.timestamp-link[href]")
    return str(link["href"]) if link else _attr(element, "meta[itemprop=url]", "content")


def _post_id(element: Tag) -> str | None:
    found = _attr(element, "meta[itemprop=postId]", "content")
    body = element.select_one("[id^=post-body-]")
    if not found and body is not None:
        found = str(body["id"]).removeprefix("post-body-")
    return found if numbers.is_blogger_id(found) else None


def _declared_count(soup: BeautifulSoup) -> int | None:
    heading = soup.select_one("#comments h4")
    number = re.match(r"\s*([0-9]+)", heading.get_text()) if heading else None
    return numbers.count(number[1]) if number else None


# -- comments -----------------------------------------------------------------------------------------------------


def _comments(soup: BeautifulSoup, post_author: AuthorRecord | None) -> tuple[CommentRecord, ...]:
    top = soup.select_one("ol#top-ra")
    if top is not None:
        return tuple(_threaded(li, post_author) for li in top.find_all("li", class_="comment", recursive=False))
    flat = soup.select_one("dl#comments-block")
    return tuple(_flat(dt) for dt in flat.find_all("dt")) if flat is not None else ()


def _threaded(li: Tag, post_author: AuthorRecord | None) -> CommentRecord:
    """A comment of the threaded layout; a top-level one carries its replies (listed under #c<ID>-ra)."""
    block = li.find(class_="comment-block", recursive=False) or li
    top_level = li.parent is not None and li.parent.get("id") == "top-ra"
    # Looked for inside the comment, where Blogger puts it: a search of the whole page for every comment made a
    # page of 2,000 comments take minutes.
    replies_list = li.find(id=f"{li.get('id')}-ra") if top_level else None
    replies = (
        tuple(_threaded(reply, post_author) for reply in _own_comments(replies_list))
        if isinstance(replies_list, Tag)
        else ()
    )
    cite = block.select_one("cite.user")
    link = cite.select_one("a[href]") if cite else None
    name = cite.get_text(" ", strip=True) if cite else "Anonymous"
    profile = str(link["href"]) if link else None
    if block.select_one(".icon.blog-author") is not None and post_author and not profile:
        profile = post_author.profile_url  # the blog's author, whose profile the post names
    content = block.select_one(".comment-content")
    removed = content is not None and content.select_one(".deleted-comment") is not None
    return _comment(
        str(li.get("id", "")),
        AuthorRecord(name or "Anonymous", profile),
        block.select_one(".datetime a[href]"),
        content,
        removed,
        replies,
    )


def _own_comments(replies_list: Tag) -> list[Tag]:
    """The replies of one thread: comments whose nearest list is this one (a wrapper <div> sits between)."""
    return [li for li in replies_list.find_all("li", class_="comment") if li.find_parent("ol") is replies_list]


def _flat(dt: Tag) -> CommentRecord:
    """A comment of the old flat layout: <dt> names the author, then a body <dd> and a footer <dd> with the time."""
    body = dt.find_next_sibling("dd")
    footer = body.find_next_sibling("dd") if body is not None else None
    link = next((a for a in dt.find_all("a", href=True)), None)
    name = link.get_text(" ", strip=True) if link else _ELLIPSIS_WORD.sub("", dt.get_text(" ", strip=True))
    author = AuthorRecord(name or "Anonymous", str(link["href"]) if link else None)
    time_link = footer.find("a", href=re.compile("showComment")) if isinstance(footer, Tag) else None
    removed = isinstance(body, Tag) and body.select_one(".deleted-comment") is not None
    return _comment(str(dt.get("id", "")), author, time_link, body if isinstance(body, Tag) else None, removed, ())


def _comment(
    element_id: str,
    author: AuthorRecord,
    time_link: Tag | None,
    content: Tag | None,
    removed: bool,
    replies: tuple[CommentRecord, ...],
) -> CommentRecord:
    body = html_to_text(_inner(content))
    permalink = str(time_link["href"]) if time_link is not None else None
    published = _shown_at(permalink)
    display = time_link.get_text(" ", strip=True) if time_link is not None else None
    found = _COMMENT_ID.match(element_id)
    return CommentRecord(
        body_text=body,
        author=author,
        published_at=published,
        utc_offset_minutes=_offset(display, published),
        display_time=display or None,
        is_removed=removed or identity.is_removed_marker(body),
        mentions=find_mentions(body),
        replies=replies,
        blogger_id=found[1] if found else None,
        url=permalink,
    )


def _shown_at(permalink: str | None) -> datetime | None:
    """The exact time: a comment's permalink carries it as showComment=<milliseconds since 1970, UTC>."""
    millis = parse_qs(urlsplit(permalink).query).get("showComment", [""])[0] if permalink else ""
    return numbers.from_millis(millis)


def _offset(display: str | None, moment: datetime | None) -> int | None:
    """The blog's UTC offset, from the clock it displayed against the exact time (to the nearest quarter hour)."""
    clock = clock_of(display) if display else None
    if clock is None or moment is None:
        return None
    minutes = (clock[0] * 60 + clock[1]) - (moment.hour * 60 + moment.minute)
    minutes = (minutes + 720) % 1440 - 720  # a day's wrap-around: offsets run from -12 to +12 hours here
    return round(minutes / 15) * 15


# -- small helpers -----------------------------------------------------------------------------------------------


def _inner(node: Tag | None) -> str:
    return node.decode_contents() if node is not None else ""


def _attr(node: Tag, css: str, name: str) -> str | None:
    found = node.select_one(css)
    value = found.get(name) if found is not None else None
    return str(value).strip() if value else None


def _first(items: list[bytes]) -> str | None:
    return items[0].decode() if items else None
