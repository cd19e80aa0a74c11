"""A test tool: a post (as a parser read it) written out in the samples' text form, the numbered rendering of
seeds/ (a date line, the title, the body, "N comments:", "  K. " comments and "    K. " replies)."""

from __future__ import annotations

from importer.records import PostRecord


def render_text(post: PostRecord) -> str:
    day = post.published_on
    lines = [f"{day:%A}, {day.day} {day:%B %Y}", "", post.title, "", post.body_text, ""]
    count = sum(1 + len(top.replies) for top in post.comments)
    lines += [{0: "No comments:", 1: "1 comment:"}.get(count, f"{count} comments:"), ""]
    for number, top in enumerate(post.comments, 1):
        lines += [_item(number, top.body_text, indent=2), ""]
        for reply_number, reply in enumerate(top.replies, 1):
            lines += [_item(reply_number, reply.body_text, indent=4), ""]
    return "\n".join(lines)


def _item(number: int, body: str, indent: int) -> str:
    """A list item: continuation lines sit two spaces deeper than the number, as in the samples."""
    first, *rest = body.split("\n")
    deeper = " " * (indent + 2)
    return "\n".join([f"{' ' * indent}{number}. {first}", *(f"{deeper}{line}" if line else "" for line in rest)])
