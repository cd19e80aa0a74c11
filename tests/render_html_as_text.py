"""A test tool: a saved Blogger post page written out as a text rendering, in the numbered form of seeds/ (a date
line, the title, the body, "N comments:", "  K. " comments and "    K. " replies), by a renderer of its own.

It knows nothing of blogimport's parser or records: it walks the page with lxml as a browser lays text out (a <br>
or a block breaks the line, other whitespace is one space) and takes what it writes from Blogger's markup directly,
so a merge test of a page and this rendering checks two readings made apart (issue 16, point 8). It reads post
pages whose post has an ISO time (abbr.published or time.published) and whose comments are Blogger's threaded
ones; that is all the tests give it.

    python -m tests.render_html_as_text PAGE.html > PAGE.txt
"""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

from lxml import html

_BLOCKS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "hr",
    "center",
}
_SKIPPED = {"script", "style", "noscript", "template", "iframe"}
_SPACE = re.compile(r"[ \t\r\n\f\v]+")


def render(page: bytes) -> str:
    root = html.fromstring(page)
    post = _first(
        root,
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' post-body ')]/ancestor::"
        "*[.//*[contains(concat(' ', normalize-space(@class), ' '), ' post-title ')]][1]",
    )
    title = _text(_first(post, ".//*[contains(concat(' ', normalize-space(@class), ' '), ' post-title ')]"))
    body = _text(_first(post, ".//div[contains(concat(' ', normalize-space(@class), ' '), ' post-body ')]"))
    day = date.fromisoformat(_iso_time(post)[:10])
    comments = _comments(root)
    count = sum(1 + len(replies) for _, replies in comments)
    lines = [
        f"{day:%A}, {day.day} {day:%B %Y}",
        "",
        title,
        "",
        body,
        "",
        {0: "No comments:", 1: "1 comment:"}.get(count, f"{count} comments:"),
        "",
    ]
    for number, (top, replies) in enumerate(comments, 1):
        lines += [_item(number, top, 2), ""]
        lines += [line for reply_number, reply in enumerate(replies, 1) for line in (_item(reply_number, reply, 4), "")]
    return "\n".join([*lines, "Post a Comment", "", "Newer Post", "Older Post", "Home", ""])


def _iso_time(post: html.HtmlElement) -> str:
    for node in post.xpath(".//abbr[contains(@class, 'published')] | .//time[contains(@class, 'published')]"):
        value = node.get("title") or node.get("datetime")
        if value and re.match(r"\d{4}-\d{2}-\d{2}T", value):
            return value
    raise ValueError("no ISO time for the post")


def _comments(root: html.HtmlElement) -> list[tuple[str, list[str]]]:
    """(comment, its replies) in page order; a reply is an li.comment inside another."""
    threads: list[tuple[str, list[str]]] = []
    for li in root.xpath("//li[contains(concat(' ', normalize-space(@class), ' '), ' comment ')]"):
        content = _first(li, "./div[contains(@class, 'comment-block')]/*[contains(@class, 'comment-content')]")
        if li.xpath("ancestor::li[contains(concat(' ', normalize-space(@class), ' '), ' comment ')]"):
            threads[-1][1].append(_text(content))
        else:
            threads.append((_text(content), []))
    return threads


def _text(element: html.HtmlElement) -> str:
    """The element's text as a browser lays it out: lines, trimmed, without blank runs longer than one line."""
    pieces: list[str] = []
    _walk(element, pieces, top=True)
    lines = [" ".join(line.split()) for line in "".join(pieces).split("\n")]
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def _walk(element: html.HtmlElement, pieces: list[str], top: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIPPED or not tag:
        pieces.append(_SPACE.sub(" ", element.tail or "") if not top else "")
        return
    block = tag in _BLOCKS and not top
    pieces.append("\n" if tag == "br" or block else "")
    pieces.append("\n" if tag == "p" and not top else "")
    pieces.append(_SPACE.sub(" ", element.text or ""))
    for child in element:
        _walk(child, pieces)
    pieces.append(("\n\n" if tag == "p" else "\n") if block else "")
    if not top:
        pieces.append(_SPACE.sub(" ", element.tail or ""))


def _item(number: int, text: str, indent: int) -> str:
    """A numbered item; its further lines two spaces deeper than the number, its blank lines blank."""
    first, *rest = text.split("\n")
    deeper = " " * (indent + 2)
    return "\n".join([f"{' ' * indent}{number}. {first}", *(f"{deeper}{line}" if line else "" for line in rest)])


def _first(element: html.HtmlElement, xpath: str) -> html.HtmlElement:
    found = element.xpath(xpath)
    if not found:
        raise ValueError(f"nothing at {xpath}")
    return found[0]


if __name__ == "__main__":
    sys.stdout.write(render(Path(sys.argv[1]).read_bytes()))
