"""A planned post as a text rendering in the samples' numbered form (seeds/*.txt; blogger-formats.md §4.2 B).

Two layouts, as in the seeds: "plain" (seeds 000, 001, 003: no header, items after three blank lines) and
"controls" (seed 002: an "N comments:" header, Blogger's ReplyDelete / Replies / Delete words on lines of their
own, and the page footer). Either way "  K. " opens a top-level comment and "    K. " a reply, and continuation
lines sit two spaces deeper than their item.
"""

from __future__ import annotations

from datetime import datetime

from tests.perf.corpus_content import Block
from tests.perf.corpus_plan import Comment, Post, threads
from tests.perf.synthetic_export import BLOG_OFFSET, MONTHS

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TOP_INDENT, REPLY_INDENT = 2, 4
FOOTER = ("Post a Comment", "", "{pager}", "", "Subscribe to: Post Comments (Atom)")


def date_line(epoch_ms: int) -> str:
    """ "Saturday, 7 February 2015", the seeds' date line (spelt out here: no locale involved)."""
    local = datetime.fromtimestamp(epoch_ms / 1000, BLOG_OFFSET)
    return f"{WEEKDAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year}"


def comment_header(count: int) -> str:
    return {0: "No comments:", 1: "1 comment:"}.get(count, f"{count} comments:")


def item_lines(text: str, number: int, indent: int) -> list[str]:
    """A numbered item: the first line after the number, the others two spaces deeper, blank lines empty."""
    first, *rest = text.split("\n")
    deeper = " " * (indent + 2)
    return [f"{' ' * indent}{number}. {first}", *(f"{deeper}{line}" if line else "" for line in rest)]


def body_lines(blocks: list[Block]) -> list[str]:
    """Paragraphs between blank lines; a list's items as "  • item" lines, the next paragraph right after them."""
    lines: list[str] = []
    for i, block in enumerate(blocks):
        if i and blocks[i - 1].kind != "list":
            lines.append("")
        if block.kind == "list":
            lines += [f"  • {item}" for item in block.items]
        elif block.kind == "link":
            lines.append(f"{block.text} {block.anchor} {block.after}")
        else:
            lines.append(block.text)
    return lines


def text_page(post: Post, blocks: list[Block], comments: list[Comment], texts: list[str], newest: bool) -> str:
    lines = [date_line(post.published_ms), "", post.title, "", *body_lines(blocks)]
    if post.text_layout == "controls":
        lines += ["", comment_header(len(comments)), "", *_controls_comments(comments, texts)]
        pager = "Older Post Home" if newest else "Newer Post Older Post Home"
        lines += ["", *(line.format(pager=pager) for line in FOOTER)]
    elif comments:
        lines += ["", "", "", *_plain_comments(comments, texts)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _plain_comments(comments: list[Comment], texts: list[str]) -> list[str]:
    lines: list[str] = []
    for number, (top, replies) in enumerate(threads(comments), 1):
        lines += [*item_lines(texts[top.index], number, TOP_INDENT), ""]
        for reply_number, reply in enumerate(replies, 1):
            lines += [*item_lines(texts[reply.index], reply_number, REPLY_INDENT), ""]
    return lines


def _controls_comments(comments: list[Comment], texts: list[str]) -> list[str]:
    lines: list[str] = []
    for number, (top, replies) in enumerate(threads(comments), 1):
        lines += [*item_lines(texts[top.index], number, TOP_INDENT), "", "    ReplyDelete"]
        lines += ["    Replies"] if replies else []
        for reply_number, reply in enumerate(replies, 1):
            lines += [*item_lines(texts[reply.index], reply_number, REPLY_INDENT), "", "      Delete"]
    return lines
