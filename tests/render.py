"""A test tool: posts (as a parser read them) written out in the samples' text form, the numbered rendering of
seeds/ (a date line, the title, the body, "N comments:", "  K. " comments and "    K. " replies).

`render_text` writes one post as seed 002 shows it, or without the "N comments:" header as seeds 000, 001 and
003 do, optionally with Blogger's control words (ReplyDelete, Replies, Delete) between the comments as in seed 002.
`render_page` writes several posts on one page, as a label page (seed 004) has them."""

from __future__ import annotations

from collections.abc import Sequence

from blogimport.records import CommentRecord, PostRecord

POST_PAGE_FOOTER = ["Post a Comment", "", "Newer Post", "Older Post", "Home", "", "Subscribe to: Post Comments (Atom)"]
LISTING_FOOTER = ["Newer Posts Older Posts Home"]


def render_text(post: PostRecord, *, header: bool = True, controls: bool = False) -> str:
    """One post. The header shows the post's declared comment count, or else how many comments it holds; a
    comment's number is its position, or else its place in the list."""
    day = post.published_on
    lines = [f"{day:%A}, {day.day} {day:%B %Y}", "", post.title, "", post.body_text, ""]
    if header:
        count = post.declared_comment_count
        count = sum(1 + len(top.replies) for top in post.comments) if count is None else count
        lines += [{0: "No comments:", 1: "1 comment:"}.get(count, f"{count} comments:"), ""]
    else:
        lines += ["", ""]  # the samples without a header leave blank lines between the body and the comments
    for number, top in enumerate(post.comments, 1):
        lines += [_item(_number(top, number), top.body_text, indent=2), ""]
        if controls:
            lines += ["    ReplyDelete", *(["    Replies"] if top.replies else [])]
        for reply_number, reply in enumerate(top.replies, 1):
            lines += [_item(_number(reply, reply_number), reply.body_text, indent=4), ""]
            if controls:
                lines += ["      Delete"]
    return "\n".join(lines)


def render_page(
    posts: Sequence[PostRecord],
    *,
    label: str | None = None,
    headers: Sequence[bool] | None = None,
    controls: bool = False,
) -> str:
    """Several posts on one page: a label's status line (twice, as Blogger's page shows it), the posts, and the
    pager of a listing page; one post without a label is a post page, with its footer."""
    headers = [True] * len(posts) if headers is None else headers
    lines = [f"Showing posts with label {label}. Show all posts"] * 2 + [""] if label is not None else []
    lines += [render_text(post, header=header, controls=controls) for post, header in zip(posts, headers, strict=True)]
    lines += POST_PAGE_FOOTER if len(posts) == 1 and label is None else LISTING_FOOTER
    return "\n".join(lines) + "\n"


def _number(comment: CommentRecord, place: int) -> int:
    return place if comment.position is None else comment.position


def _item(number: int, body: str, indent: int) -> str:
    """A list item: continuation lines sit two spaces deeper than the number, as in the samples."""
    first, *rest = body.split("\n")
    deeper = " " * (indent + 2)
    return "\n".join([f"{' ' * indent}{number}. {first}", *(f"{deeper}{line}" if line else "" for line in rest)])
