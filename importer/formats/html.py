"""Saved Blogger pages (blogger-formats.md §3, §9): a post's page, or a listing (label, archive, search, home) that
shows several posts without their comments; from Blogger's own templates, the 2017+ themes, Google's own blogs and
custom ones; served as they are, copied by wget or HTTrack (links rewritten), or saved after Blogger's scripts ran.

Keyed on Blogger's classes and ids, never on the words a page shows: those are in the blog's language ("Reply",
"Antworten", "1 Meinungen:"). What a page is comes from Blogger's own data (the `_SetDataContext` script: its
canonical URL, home page, blog id and page type), then from the page's links. The posts are those of the Blog
widget; what other widgets show (popular, related, featured posts) reuses the post classes and is never a post.
A post page is about one post: the one whose link or id is the page's, else the one under the page's h1, so a
template that repeats the post classes in a widget inside the Blog one still gives its own post. A post's fields
are read by html_post, its comments by html_comments.

Pure: a byte stream in, a Document out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from blogimport.errors import ParseError
from blogimport.formats import html_comments, html_post, numbers
from blogimport.formats.html_index import PageIndex
from blogimport.records import BlogRecord, Document, ParseOptions, PostRecord

# Any of these says the page was made by Blogger (blogger-formats.md §0).
_BLOGGER_MARKS = (b"post-body", b"_WidgetManager", b"www.blogger.com", b".blogspot.", b"comment-holder")
_BLOG_ID = re.compile(rb"blogID(?:=|\\x3d|%3D)(" + numbers.ID.encode() + rb")")
_ITEM_PATH = re.compile(r"/\d{4}/\d{2}/[^/]+\.html$|/p/[^/]+\.html$")  # a post's or a page's own URL
_POSTS = ".post-outer, .post-outer-container, .post, .hentry, [itemprop~=blogPost]"
# Blogger's data about the page, in a script: `'canonicalUrl': 'https://…'`, strings escaped as JavaScript does.
_CONTEXT = re.compile(rb"'(blogId|title|canonicalUrl|canonicalHomepageUrl|pageType|postId)': '((?:[^'\\]|\\.)*)'")
_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(.))")
_ITEM_PAGES = {"item", "static_page"}
_LISTING_PAGES = {"index", "archive"}


@dataclass(frozen=True)
class _Page:
    url: str | None  # the canonical URL
    blog: BlogRecord
    label: str | None  # on a label page, its label
    listing: bool  # several posts, shown without their comments
    post_id: str | None  # on a post's page, its Blogger id as Blogger's data gives it


def parse(stream: BinaryIO, locator: str, options: ParseOptions = ParseOptions()) -> Document:
    data = stream.read()
    if not any(mark in data for mark in _BLOGGER_MARKS):
        raise ParseError(locator, "HTML, but not a Blogger page (none of Blogger's markup)")
    index = PageIndex(BeautifulSoup(data, "lxml"))
    root = index.select_one(index.soup, ".widget.Blog") or index.soup
    candidates = _candidates(index, root)
    page = _page(index, data, _context(data), len(candidates))
    if page.listing:
        posts = tuple(_post(index, element, page, locator) for element in candidates or [root])
        return Document(format="html", blog=page.blog, entries=posts)
    post = _post(index, _main(index, candidates, page) if candidates else root, page, locator)
    shortfall, note = html_comments.shortfall(index, post.declared_comment_count, _count(post))
    return Document(format="html", blog=page.blog, entries=(post,), shortfall=shortfall, note=note)


def _candidates(index: PageIndex, root: Tag) -> list[Tag]:
    """The outermost post elements that are not a widget's items."""
    found = [element for element in index.iselect(root, _POSTS) if not html_post.is_aside(element)]
    chosen = set(map(id, found))
    return [element for element in found if not any(id(parent) in chosen for parent in element.parents)]


def _main(index: PageIndex, candidates: list[Tag], page: _Page) -> Tag:
    """The post the page is about: the one it links to as itself, else the one with the page's heading."""

    def about(element: Tag) -> tuple[bool, bool, bool]:
        itself = (page.post_id is not None and html_post.post_id(index, element) == page.post_id) or (
            page.url is not None and _same_page(html_post.permalink(index, element), page.url)
        )
        heading = (
            html_post.own_one(index, element, "h1") is not None
            or "blogPost" in str(element.get("itemprop", ""))
            or html_post.own_one(index, element, "[itemprop~=blogPost]")
        )
        return itself, bool(heading), bool(html_post.body(index, element))

    return max(candidates, key=about)  # the first of the best: reading order breaks ties


def _same_page(link: str | None, url: str) -> bool:
    def bare(address: str) -> str:
        parts = urlsplit(address)
        return f"{parts.netloc.lower()}{parts.path}"

    return link is not None and bare(link) == bare(url)


def _post(index: PageIndex, element: Tag, page: _Page, locator: str) -> PostRecord:
    title = _title(index, element, page)
    published_at, offset, published_on = html_post.published(index, element)
    if published_on is None:
        raise ParseError(locator, f"no date for the post {title!r}: none of the places Blogger pages show it")
    author = html_post.author(index, element)
    labels = html_post.labels(index, element)
    return PostRecord(
        title=title,
        published_on=published_on,
        body_text=html_post.body(index, element),
        published_at=published_at,
        utc_offset_minutes=offset,
        url=_post_url(index, element, page),
        author=author,
        labels=tuple(dict.fromkeys(name for name in [*labels, page.label or ""] if name)),
        declared_comment_count=None if page.listing else html_comments.declared_count(index),
        comments=() if page.listing else html_comments.comments(index, page.url, author),
        blogger_id=html_post.post_id(index, element) or (None if page.listing else page.post_id),
    )


def _title(index: PageIndex, element: Tag, page: _Page) -> str:
    soup = index.soup
    found = html_post.title(index, element) if element is not soup else None
    if found is not None:
        return found
    if page.listing:
        return ""
    return _attr(index, "meta[property='og:title']", "content") or (
        soup.title.get_text(strip=True) if soup.title else ""
    )


def _post_url(index: PageIndex, element: Tag, page: _Page) -> str | None:
    if not page.listing:
        return page.url
    return html_post.permalink(index, element)


def _count(post: PostRecord) -> int:
    return sum(1 + len(comment.replies) for comment in post.comments)


# -- the page -----------------------------------------------------------------------------------------------------


def _page(index: PageIndex, data: bytes, context: dict[str, str], post_count: int) -> _Page:
    url = next(
        (
            address
            for address in (
                _attr(index, "link[rel=canonical]", "href"),
                _attr(index, "meta[property='og:url']", "content"),
                context.get("canonicalUrl"),
            )
            if address and address.startswith(("http://", "https://"))
        ),
        None,
    )
    url = url.replace("?m=1", "") if url else None
    parts = urlsplit(url) if url else None
    home = f"{parts.scheme}://{parts.netloc}/" if parts and parts.netloc else context.get("canonicalHomepageUrl")
    label = unquote(parts.path.split("/search/label/", 1)[1]) if parts and "/search/label/" in parts.path else None
    kind = context.get("pageType")
    if kind in _ITEM_PAGES | _LISTING_PAGES:
        listing = kind in _LISTING_PAGES
    else:
        listing = not _ITEM_PATH.search(parts.path) if parts and parts.path else post_count > 1
    title = _attr(index, "meta[property='og:site_name']", "content") or context.get("title")
    blog = BlogRecord(blogger_id=_blog_id(index, data, context), url=home or None, title=title or None)
    post_id = context.get("postId")
    return _Page(
        url=url, blog=blog, label=label, listing=listing, post_id=post_id if numbers.is_blogger_id(post_id) else None
    )


def _blog_id(index: PageIndex, data: bytes, context: dict[str, str]) -> str | None:
    for found in (_attr(index, "meta[itemprop=blogId]", "content"), context.get("blogId")):
        if numbers.is_blogger_id(found):
            return found
    first = _BLOG_ID.search(data)
    return first[1].decode() if first else None


def _context(data: bytes) -> dict[str, str]:
    """Blogger's data about the page (its first value of each name: the blog's, which comes first)."""
    found: dict[str, str] = {}
    start = data.find(b"_SetDataContext(")  # other scripts may have a 'title' of their own
    for match in _CONTEXT.finditer(data, max(start, 0)):
        name = match[1].decode()
        if name not in found:
            found[name] = _unescape(match[2].decode("utf-8", "replace"))
    return found


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if (m[1] or m[2]) else m[3], text)


def _attr(index: PageIndex, css: str, name: str) -> str | None:
    found = index.select_one(index.soup, css)
    value = found.get(name) if found is not None else None
    return str(value).strip() if value else None
