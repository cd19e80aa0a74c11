"""The planned blog as Blogger's two exports: a classic "Back up content" file and a Takeout feed.atom.

Both stream. The classic export has the order of the real files (synthetic_export's writers render its entries):
template, settings, every post newest first, then every comment, oldest post first; the comments are made again in
that second pass from the per-post seeded generators. Takeout sorts its entries by numeric id, posts and comments
interleaved (blogger-formats.md §2.3): entries go to temporary bucket files by the top bits of their (uniformly
spread) id, and each bucket, a few MB, is sorted in memory and appended. Memory stays flat at any size.
"""

from __future__ import annotations

import shutil
import struct
from collections.abc import Iterator
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from tests.perf.corpus_content import comment_texts, post_body
from tests.perf.corpus_html import body_html, comment_html
from tests.perf.corpus_plan import Comment, Post, plan_comments, plan_post
from tests.perf.synthetic_export import (
    FEED_END,
    HOST,
    PROFILE_IMAGE,
    SETTINGS,
    Author,
    Blog,
    CommentPlan,
    CountingWriter,
    PostPlan,
    _escape_text,
    comment_entry,
    feed_head,
    post_entry,
    settings_entry,
    template_entry,
)

BUFFER = 1 << 20
TAKEOUT_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom' "
    "xmlns:blogger='http://schemas.google.com/blogger/2018'>\n"
    "  <id>{blog_tag}</id>\n  <title>{title}</title>\n"
)
POSTS_PER_BUCKET = 64  # ~3 MB of Takeout entries per bucket at the corpus's mean of 40 comments per post
MAX_BUCKETS = 256  # open files at once; L's buckets are then ~5 MB
_RECORD = struct.Struct(">QI")  # a bucket record: the entry's id, its length, then its bytes


# --- Classic -----------------------------------------------------------------------------------------------------


def write_classic(path: Path, blog: Blog, count: int) -> int:
    """The classic export of the first `count` posts; returns its size in bytes."""
    with path.open("wb", buffering=BUFFER) as file:
        writer = CountingWriter(file)
        writer.write(feed_head(blog).encode())
        writer.write(template_entry(blog).encode())
        for name, description, value in SETTINGS:
            writer.write(settings_entry(blog, name, description, blog.title if value is None else value).encode())
        for number in range(count):
            post = plan_post(blog, number)
            body = _escape_text(body_html(post_body(blog, post)))
            writer.write(post_entry(blog, _classic_post(post), body).encode())
        for number in reversed(range(count)):  # second pass: oldest post first, each post's comments oldest first
            post = plan_post(blog, number)
            comments = plan_comments(blog, post)
            classic_post = _classic_post(post)
            for comment, text in zip(comments, comment_texts(blog, post, comments), strict=True):
                writer.write(comment_entry(blog, classic_post, _classic_comment(comment, comments, text)).encode())
        writer.write(FEED_END)
    return writer.written


def _classic_post(post: Post) -> PostPlan:
    return PostPlan(
        number=post.number,
        post_id=post.post_id,
        published_ms=post.published_ms,
        updated_ms=post.updated_ms,
        title=post.title,
        permalink=post.permalink,
        labels=post.labels,
        author=post.author,
        comment_count=post.comment_count,
    )


def _classic_comment(comment: Comment, comments: list[Comment], text: str) -> CommentPlan:
    parent = comments[comment.parent].comment_id if comment.parent is not None else None
    one_line = text.replace("\n", " ")
    title = one_line[:50] + "..." if len(one_line) > 50 else one_line  # Blogger's: the first 50 characters
    return CommentPlan(
        comment_id=comment.comment_id,
        parent_id=parent,
        published_ms=comment.published_ms,
        updated_ms=comment.published_ms,
        # As in the wgdd sample: a removed comment's author becomes "Unknown", its profile stays.
        author=Author("Unknown", comment.author.uri, PROFILE_IMAGE) if comment.removed else comment.author,
        html=text if comment.removed else comment_html(text, br="<br />"),
        title="" if comment.removed else title,
        deleted=comment.removed is not None,
        item_class=comment.item_class,
    )


# --- Takeout -----------------------------------------------------------------------------------------------------


def write_takeout(path: Path, blog: Blog, count: int) -> int:
    """Takeout's feed.atom of the first `count` posts, entries sorted by id; returns its size in bytes."""
    buckets = _bucket_count(count)
    shift = 63 - (buckets.bit_length() - 1)  # ids are below 2**63: the top bits pick the bucket
    scratch = path.parent / ".corpus-sort"
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        bucket_paths = [scratch / f"{i:03d}.bin" for i in range(buckets)]
        files = [p.open("wb", buffering=1 << 16) for p in bucket_paths]
        try:
            for entry_id, data in _takeout_entries(blog, count):
                files[entry_id >> shift].write(_RECORD.pack(entry_id, len(data)) + data)
        finally:
            for file in files:
                file.close()
        with path.open("wb", buffering=BUFFER) as out:
            writer = CountingWriter(out)
            writer.write(TAKEOUT_HEAD.format(blog_tag=_blog_tag(blog), title=escape(blog.title, False)).encode())
            for bucket in bucket_paths:
                _write_sorted(bucket, writer)
            writer.write(b"</feed>\n")
        return writer.written
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _bucket_count(count: int) -> int:
    wanted = max(1, min(MAX_BUCKETS, count // POSTS_PER_BUCKET))
    return 1 << (wanted.bit_length() - 1)  # a power of two, so a shift picks the bucket


def _write_sorted(bucket: Path, writer: CountingWriter) -> None:
    data = bucket.read_bytes()
    records: list[tuple[int, int, int]] = []  # (id, start, end) of each entry in `data`
    offset = 0
    while offset < len(data):
        entry_id, length = _RECORD.unpack_from(data, offset)
        offset += _RECORD.size
        records.append((entry_id, offset, offset + length))
        offset += length
    for _, start, end in sorted(records):
        writer.write(data[start:end])


def _takeout_entries(blog: Blog, count: int) -> Iterator[tuple[int, bytes]]:
    for number in range(count):
        post = plan_post(blog, number)
        yield post.post_id, _takeout_post(blog, post).encode()
        comments = plan_comments(blog, post)
        for comment, text in zip(comments, comment_texts(blog, post, comments), strict=True):
            yield comment.comment_id, _takeout_comment(blog, post, comment, comments, text).encode()


def _blog_tag(blog: Blog) -> str:
    return f"tag:blogger.com,1999:blog-{blog.blog_id}"


def _takeout_post(blog: Blog, post: Post) -> str:
    tag = _blog_tag(blog)
    labels = "".join(f"    <category scheme='{tag}' term='{_attribute(label)}'/>\n" for label in post.labels)
    published = _utc(post.published_ms)
    return (
        f"  <entry>\n    <id>{tag}.post-{post.post_id}</id>\n    <blogger:type>POST</blogger:type>\n"
        f"    <blogger:status>LIVE</blogger:status>\n{_author(post.author)}"
        f"    <title>{escape(post.title, False)}</title>\n"
        f"    <content type='html'>{escape(body_html(post_body(blog, post)), False)}</content>\n"
        f"    <blogger:metaDescription/>\n    <blogger:created>{_utc(post.published_ms + 1286)}</blogger:created>\n"
        f"    <published>{published}</published>\n    <updated>{_utc(post.updated_ms)}</updated>\n"
        f"    <blogger:location/>\n{labels}"
        f"    <blogger:filename>{escape(post.permalink.removeprefix(HOST), False)}</blogger:filename>\n"
        "    <link/>\n    <enclosure/>\n    <blogger:trashed/>\n  </entry>\n"
    )


def _takeout_comment(blog: Blog, post: Post, comment: Comment, comments: list[Comment], text: str) -> str:
    tag = _blog_tag(blog)
    # A top-level comment's inReplyTo is empty, as in the one third-party fixture that shows one (§2.5).
    parent = f"{tag}.post-{comments[comment.parent].comment_id}" if comment.parent is not None else ""
    reply_to = f"<blogger:inReplyTo>{parent}</blogger:inReplyTo>" if parent else "<blogger:inReplyTo/>"
    published = _utc(comment.published_ms)
    content = text if comment.removed else comment_html(text, br="<br />")
    return (
        f"  <entry>\n    <id>{tag}.post-{comment.comment_id}</id>\n    <blogger:parent>{tag}.post-{post.post_id}"
        f"</blogger:parent>\n    {reply_to}\n    <blogger:type>COMMENT</blogger:type>\n"
        f"    <blogger:status>LIVE</blogger:status>\n{_author(comment.author)}"
        f"    <content type='html'>{escape(content, False)}</content>\n"
        f"    <blogger:created>{published}</blogger:created>\n    <published>{published}</published>\n"
        f"    <updated>{published}</updated>\n    <blogger:trashed/>\n  </entry>\n"
    )


def _author(author: Author) -> str:
    """Takeout's author: an anonymous one has an empty name (as in the real file), a Blogger user a name."""
    if author.uri is None:
        return "    <author>\n      <name></name>\n      <blogger:type>ANONYMOUS</blogger:type>\n    </author>\n"
    return (
        f"    <author>\n      <name>{escape(author.name, False)}</name>\n      <uri>{escape(author.uri, False)}"
        "</uri>\n      <blogger:type>BLOGGER</blogger:type>\n    </author>\n"
    )


def _attribute(text: str) -> str:
    return escape(text, False).replace("'", "&apos;")


def _utc(epoch_ms: int) -> str:
    """Takeout's UTC form with milliseconds: 2026-05-28T17:43:15.634Z."""
    moment = datetime.fromtimestamp(epoch_ms // 1000, UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{epoch_ms % 1000:03d}Z"
