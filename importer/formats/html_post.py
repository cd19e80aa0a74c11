"""One post's fields in a saved page (blogger-formats.md §3.2, §9.2, §9.3), from the element that holds it.

Templates move things around, so each field is looked for in an order of trust. What widgets show inside a post
(related posts, popular posts: titles, dates and labels of other posts, with the same classes) is never the post's:
`own` leaves out whatever sits in such a widget. Google's own blogs put the body in <script type="text/template">
(rendered by the browser), which an HTML parser keeps as raw text: it is parsed as HTML here.

Pure: a BeautifulSoup element (and the index of its page) in, values out.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from bs4 import Tag

from blogimport.formats import numbers
from blogimport.formats.dates import find_date
from blogimport.formats.html_index import PageIndex
from blogimport.formats.htmltext import html_to_text
from blogimport.records import AuthorRecord

# Class or id of a part of the page that lists other posts: never part of a post.
_ASIDE = re.compile(r"related|popular|recent-?posts|random-?posts", re.IGNORECASE)
_TITLES = (".post-title", ".entry-title", "[itemprop~=headline]", "h1", "h3[itemprop=name]", "h2.title")
_BODIES = (".post-original", ".post-body", ".entry-content", "[itemprop~=articleBody]", ".post-content")
_ISO_DATES = "abbr.published[title], [itemprop=datePublished], time[datetime], .published[datetime]"
_SHOWN_DATES = ".date-header, .post-timestamp, .published, .publishdate, a[rel=bookmark], .post-header"
_AUTHORS = ("[itemprop=author]", ".post-author .fn", "a[rel=author]", ".by-author", ".post-author a[href]")


def is_aside(node: Tag, within: Tag | None = None) -> bool:
    """Does the node sit in a widget other than the Blog one, or in a list of other posts (related, popular)?
    Looked at up to `within` (not included)."""
    for element in (node, *node.parents):
        if element is within or element.name is None or element.name == "[document]":
            return False
        classes: str | list[str] = element.get("class") or []
        if "widget" in classes and "Blog" not in classes:
            return True
        if _ASIDE.search(" ".join([*classes, str(element.get("id", ""))])):
            return True
    return False


def own(index: PageIndex, element: Tag, css: str) -> list[Tag]:
    """The nodes of the post that match: not those of a widget inside it."""
    return [node for node in index.iselect(element, css) if not is_aside(node, element)]


def own_one(index: PageIndex, element: Tag, css: str) -> Tag | None:
    return next((node for node in index.iselect(element, css) if not is_aside(node, element)), None)


def title(index: PageIndex, element: Tag) -> str | None:
    for css in _TITLES:
        node = own_one(index, element, css)
        if node is not None:
            return node.get_text(" ", strip=True)
    return None


def published(index: PageIndex, element: Tag) -> tuple[datetime | None, int | None, date | None]:
    """(exact time, its UTC offset, the date the blog shows). Exact when the template says it in ISO 8601."""
    values = [
        node.get("title") or node.get("content") or node.get("datetime") or ""
        for node in own(index, element, _ISO_DATES)
    ]
    for value in [*values, str(linked_data(index, element).get("datePublished", ""))]:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            continue
        if moment.tzinfo is not None:
            return moment, int(moment.utcoffset().total_seconds() // 60), moment.date()  # type: ignore[union-attr]
    places = own(index, element, _SHOWN_DATES)
    header = element.find_previous(class_="date-header")  # on Blogger's templates it heads the day's posts
    texts = [node.get_text(" ", strip=True) for node in [*places, *([header] if header else [])]]
    return None, None, next((day for day in map(find_date, texts) if day), None)


def author(index: PageIndex, element: Tag) -> AuthorRecord | None:
    for css in _AUTHORS:
        node = own_one(index, element, css)
        if node is None:
            continue
        name = (index.select_one(node, "[itemprop=name]") or node).get_text(" ", strip=True)
        link = node if node.name == "a" else index.select_one(node, "a[href]")
        href = (link.get("href") if link else None) or _attr(index, node, "meta[itemprop=url]", "content")
        if name:
            return AuthorRecord(name=name, profile_url=str(href) if href and str(href).startswith("http") else None)
    person = linked_data(index, element).get("author")
    given = person.get("name") if isinstance(person, dict) else None
    return AuthorRecord(name=given.strip()) if isinstance(given, str) and given.strip() else None


def labels(index: PageIndex, element: Tag) -> list[str]:
    return [a.get_text(" ", strip=True) for a in own(index, element, ".post-labels a, a[rel=tag]")]


def body(index: PageIndex, element: Tag) -> str:
    node = next((found for css in _BODIES if (found := own_one(index, element, css)) is not None), None)
    if node is None:
        return ""
    template = index.select_one(node, "script[type='text/template']")
    if template is not None and template.string and template.string.strip():
        return html_to_text(template.string)
    shown = html_to_text(node.decode_contents())
    fallback = index.select_one(node, "noscript")
    return shown or (html_to_text(fallback.decode_contents()) if fallback is not None else "")


def post_id(index: PageIndex, element: Tag) -> str | None:
    google = element if element.get("data-id") else own_one(index, element, ".post[data-id]")  # Google's blogs
    found = _attr(index, element, "meta[itemprop=postId]", "content") or (google.get("data-id") if google else None)
    body_node = own_one(index, element, "[id^=post-body-]")
    if not found and body_node is not None:
        found = str(body_node["id"]).removeprefix("post-body-")
    found = str(found) if found else None
    return found if numbers.is_blogger_id(found) else None


def permalink(index: PageIndex, element: Tag) -> str | None:
    link = own_one(index, element, ".post-title a[href], a.timestamp-link[href], h2.title a[href]")
    return str(link["href"]) if link else _attr(index, element, "meta[itemprop=url]", "content")


def linked_data(index: PageIndex, element: Tag) -> dict[str, Any]:
    """The post's schema.org JSON-LD (2017+ themes put the author there only), or nothing."""
    for script in own(index, element, "script[type='application/ld+json']"):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("@type") in ("BlogPosting", "Article", "NewsArticle"):
            return data
    return {}


def _attr(index: PageIndex, node: Tag, css: str, name: str) -> str | None:
    found = index.select_one(node, css)
    value = found.get(name) if found is not None else None
    return str(value).strip() if value else None
