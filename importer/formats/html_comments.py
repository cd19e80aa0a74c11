"""The comments of a saved post page (blogger-formats.md §3.3, §3.4, §9.1), and what the page says of them.

Two layouts: Blogger's threaded one (li.comment) and the old flat one (dl#comments-block). The threaded list comes
in two shapes, both read by one rule (§9.1): as served, each li.comment has the id c<ID> and its replies sit under
#c<ID>-ra; as Blogger's script redraws it (a browser's "save page"), the li gets a render counter (bc_0_1B) and the
c<ID> id moves to its inner div.comment-block. So a comment is an li.comment, its id the first c<digits> of the li
or its block, and its thread the outermost li.comment around it (Blogger nests one level: a reply's own replies are
flattened into its thread, as the export has them). The exact time is the showComment=<epoch ms> of its permalink,
which copiers rewrite (wget: `post.html%3FshowComment=1280031868312.html#c990…`): it is searched for, not parsed.

Pure: parts of a BeautifulSoup tree (and the index of its page) in, records out.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import unquote

from bs4 import Tag

from blogimport import identity
from blogimport.formats import numbers
from blogimport.formats.html_index import PageIndex
from blogimport.formats.htmltext import html_to_text
from blogimport.formats.mentions import clock_of, find_mentions
from blogimport.records import AuthorRecord, CommentRecord

_COMMENT_ID = re.compile(rf"^c({numbers.ID})$")
_SHOW_COMMENT = re.compile(rf"showComment(?:=|%3D)({numbers.ID})", re.IGNORECASE)
_FRAGMENT_ID = re.compile(rf"#c({numbers.ID})$")
_ELLIPSIS_WORD = re.compile(r"\s+\S+\s*\.\.\.\s*$")  # "Anonymous said..." in any language: the last word goes
# Markup of comments in any layout: if a page holds some, the comments it declares are meant to be on it.
_COMMENT_MARKUP = "li.comment, .comment-block, .comment-content, dt.comment-author, dd.comment-body"
_DECLARED = re.compile(r"^\s*([0-9]+)")


def comments(index: PageIndex, post_url: str | None, post_author: AuthorRecord | None) -> tuple[CommentRecord, ...]:
    """The page's comments, replies inside their comment, in reading order."""
    area = comment_area(index)
    items = area.find_all("li", class_="comment")
    if items:
        return _threads(index, items, post_url, post_author)
    flat = index.select_one(index.soup, "dl#comments-block")
    return tuple(_flat(index, dt, post_url) for dt in flat.find_all("dt")) if flat is not None else ()


def comment_area(index: PageIndex) -> Tag:
    """Where the page's comments are: Blogger's holder, its comments block, else the whole page."""
    soup = index.soup
    return index.select_one(soup, "#comment-holder") or index.select_one(soup, "#comments") or soup


def declared_count(index: PageIndex) -> int | None:
    """The number of comments the page says the post has: a 2017+ theme's data-num-comments, a Google blog's
    comment counter, or the heading "7 comments:" (any language; a heading without a number says nothing)."""
    for css, attribute in (
        ("#comments[data-num-comments]", "data-num-comments"),
        (".cmt_count_iframe_holder[data-count]", "data-count"),
    ):
        node = index.select_one(index.soup, css)
        if node is not None:
            return numbers.count(str(node.get(attribute, "")).strip())
    heading = index.select_one(index.soup, "#comments h4")
    number = _DECLARED.match(heading.get_text()) if heading is not None else None
    return numbers.count(number[1]) if number else None


def shortfall(index: PageIndex, declared: int | None, read: int) -> tuple[str | None, str | None]:
    """(why the page is partial, a remark on an imported page): a page that declares more comments than were read
    is partial when it holds comment markup (the rest is in markup not read, or behind "Load more"); without any,
    its comments are loaded from elsewhere (an iframe, the comments feed) and it is complete as a page."""
    if declared is None or declared <= read:
        return None, None
    if index.select_one(comment_area(index), _COMMENT_MARKUP) is not None:
        return f"declares {declared} comments, read {read}", None
    return None, "comments not on the page"


# -- the threaded layout ------------------------------------------------------------------------------------------


def _threads(
    index: PageIndex, items: list[Tag], post_url: str | None, post_author: AuthorRecord | None
) -> tuple[CommentRecord, ...]:
    tops: list[Tag] = []
    replies: dict[int, list[Tag]] = {}
    for li in items:
        thread = _outermost(li)
        if thread is li:
            tops.append(li)
        else:
            replies.setdefault(id(thread), []).append(li)
    return tuple(
        _threaded(
            index,
            li,
            post_url,
            post_author,
            tuple(_threaded(index, reply, post_url, post_author, ()) for reply in replies.get(id(li), [])),
        )
        for li in tops
    )


def _outermost(li: Tag) -> Tag:
    """The comment whose thread this is: the outermost li.comment around it, or itself."""
    thread = li
    for parent in li.parents:
        if parent.name == "li" and "comment" in (parent.get("class") or []):
            thread = parent
    return thread


def _threaded(
    index: PageIndex,
    li: Tag,
    post_url: str | None,
    post_author: AuthorRecord | None,
    replies: tuple[CommentRecord, ...],
) -> CommentRecord:
    block = li.find(class_="comment-block", recursive=False) or li
    cite = index.select_one(block, "cite.user")
    link = index.select_one(cite, "a[href]") if cite else None
    name = cite.get_text(" ", strip=True) if cite else "Anonymous"
    profile = str(link["href"]) if link else None
    if index.select_one(block, ".icon.blog-author") is not None and post_author and not profile:
        profile = post_author.profile_url  # the blog's author, whose profile the post names
    content = index.select_one(block, ".comment-content")
    removed = content is not None and index.select_one(content, ".deleted-comment") is not None
    element_ids = [str(li.get("id", "")), str(block.get("id", ""))]
    return _comment(
        element_ids,
        AuthorRecord(name or "Anonymous", profile),
        index.select_one(block, ".datetime a[href]"),
        content,
        removed,
        replies,
        post_url,
    )


# -- the old flat layout ------------------------------------------------------------------------------------------


def _flat(index: PageIndex, dt: Tag, post_url: str | None) -> CommentRecord:
    """A comment of the old flat layout: <dt> names the author, then a body <dd> and a footer <dd> with the time."""
    body = dt.find_next_sibling("dd")
    footer = body.find_next_sibling("dd") if body is not None else None
    link = next((a for a in dt.find_all("a", href=True)), None)
    name = link.get_text(" ", strip=True) if link else _ELLIPSIS_WORD.sub("", dt.get_text(" ", strip=True))
    author = AuthorRecord(name or "Anonymous", str(link["href"]) if link else None)
    time_link = footer.find("a", href=_SHOW_COMMENT) if isinstance(footer, Tag) else None
    removed = isinstance(body, Tag) and index.select_one(body, ".deleted-comment") is not None
    return _comment(
        [str(dt.get("id", ""))], author, time_link, body if isinstance(body, Tag) else None, removed, (), post_url
    )


# -- one comment --------------------------------------------------------------------------------------------------


def _comment(
    element_ids: list[str],
    author: AuthorRecord,
    time_link: Tag | None,
    content: Tag | None,
    removed: bool,
    replies: tuple[CommentRecord, ...],
    post_url: str | None,
) -> CommentRecord:
    body = html_to_text(content.decode_contents() if content is not None else "")
    href = str(time_link["href"]) if time_link is not None else ""
    millis = _SHOW_COMMENT.search(unquote(href))
    published = numbers.from_millis(millis[1]) if millis else None
    # Copies made by whoever show the time in spaces of all kinds (U+202F before PM in 2017+ themes).
    display = " ".join(time_link.get_text(" ").split()) if time_link is not None else ""
    found = next((m[1] for m in map(_COMMENT_ID.match, element_ids) if m), None) or _fragment_id(unquote(href))
    return CommentRecord(
        body_text=body,
        author=author,
        published_at=published,
        utc_offset_minutes=_offset(display, published),
        display_time=display or None,
        is_removed=removed or identity.is_removed_marker(body),
        mentions=find_mentions(body),
        replies=replies,
        blogger_id=found,
        url=_permalink(href, post_url, millis[1] if millis else None, found),
    )


def _fragment_id(href: str) -> str | None:
    found = _FRAGMENT_ID.search(href)
    return found[1] if found else None


def _permalink(href: str, post_url: str | None, millis: str | None, comment_id: str | None) -> str | None:
    """The comment's permalink as Blogger makes it; a copier's rewritten link is made again from the post's URL."""
    if not href:
        return None
    if href.startswith(("http://", "https://")) or not (post_url and millis and comment_id):
        return href
    return f"{post_url}?showComment={millis}#c{comment_id}"


def _offset(display: str | None, moment: datetime | None) -> int | None:
    """The blog's UTC offset, from the clock it displayed against the exact time (to the nearest quarter hour)."""
    clock = clock_of(display) if display else None
    if clock is None or moment is None:
        return None
    minutes = (clock[0] * 60 + clock[1]) - (moment.hour * 60 + moment.minute)
    minutes = (minutes + 720) % 1440 - 720  # a day's wrap-around: offsets run from -12 to +12 hours here
    return round(minutes / 15) * 15
