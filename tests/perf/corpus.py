"""A deterministic benchmark corpus: one synthetic Blogger blog, written in the four forms blogimport reads.

The blog (tests/perf/corpus_plan.py) is a pure function of a seed: posts of about 5,000 characters, comments per
post heavy-tailed (mean ~40, a few posts over 500, some with none), a third of them replies, some removed, some
answering an earlier comment by its time ("re 8:41"), labels, named and anonymous commenters. `generate` writes it:

    OUT/text/NNNNN_<post id>.txt        one text rendering per post page (the seeds' numbered form)
    OUT/html/YYYY/MM/<slug>.html        one saved post page per post (Simple template, threaded comments)
    OUT/classic/blog-export.xml         a classic "Back up content" export
    OUT/takeout/Takeout/Blogger/Blogs/<Blog title>/feed.atom   a Takeout feed (2018 namespace)
    OUT/manifest.json                   what was written, with the counts

Everything streams, post by post, so the L size (20,000 posts, ~800,000 comments) runs in flat memory. The same
seed gives byte-identical files. `change_sources` then changes a few pages the way a new crawl would.

Usage:
    python -m tests.perf.corpus OUT --size M [--seed 0] [--posts N] [--formats text,html,classic,takeout]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from tests.perf.corpus_changes import change_sources
from tests.perf.corpus_content import body_text, comment_texts, post_body
from tests.perf.corpus_exports import write_classic, write_takeout
from tests.perf.corpus_html import html_page
from tests.perf.corpus_plan import Post, make_blog, plan_comments, plan_post, plan_posts
from tests.perf.corpus_text import text_page
from tests.perf.synthetic_export import BLOG_OFFSET, Blog

__all__ = ["FORMATS", "SIZES", "Manifest", "PlanStats", "change_sources", "generate", "plan_statistics", "tally"]

SIZES = {"S": 50, "M": 2_000, "L": 20_000}
FORMATS = ("text", "html", "classic", "takeout")


@dataclass
class Manifest:
    """What `generate` wrote. The counts are the blog's, the same in every format (text shows no labels)."""

    seed: int
    size: str  # S, M or L; "N posts" for another count
    posts: int
    comments: int  # top-level comments and replies
    replies: int
    removed: int
    labels: int  # distinct labels in use
    post_labels: int  # (post, label) pairs
    mentions: int  # time-stamp mentions, as blogimport.formats.mentions finds them
    max_comments: int  # on the busiest post
    paths: dict[str, Path] = field(default_factory=dict)  # format -> its folder (text, html) or file (exports)
    files: dict[str, int] = field(default_factory=dict)
    bytes: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def summary_line(self, fmt: str) -> str:
        return (
            f"{fmt}: {self.files[fmt]} files, {self.bytes[fmt]:,} bytes, {self.seconds[fmt]:.1f} s ({self.paths[fmt]})"
        )


def generate(
    out: Path, size: str = "S", seed: int = 0, posts: int | None = None, formats: Sequence[str] = FORMATS
) -> Manifest:
    """Write the blog of `seed` (SIZES[size] posts, or `posts`) in `formats` under `out`; each format's folder is
    replaced if it exists."""
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown or (posts is None and size not in SIZES):
        raise ValueError(f"unknown format(s) {unknown} or size {size!r}: formats are {FORMATS}, sizes {list(SIZES)}")
    count = SIZES[size] if posts is None else posts
    if count < 1:
        raise ValueError("a blog needs at least one post")
    blog = make_blog(seed)
    manifest = tally(blog, count, size if count == SIZES.get(size) else f"{count} posts")
    out.mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        started = time.perf_counter()
        path, files, size_bytes = WRITERS[fmt](out, blog, count)
        manifest.paths[fmt], manifest.files[fmt], manifest.bytes[fmt] = path, files, size_bytes
        manifest.seconds[fmt] = round(time.perf_counter() - started, 2)
    record = {**asdict(manifest), "paths": {fmt: str(path) for fmt, path in manifest.paths.items()}}
    (out / "manifest.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return manifest


def tally(blog: Blog, count: int, size: str) -> Manifest:
    """The counts, from the plan's comment skeletons alone (no text is made: fast even for L)."""
    counts: Counter[str] = Counter()
    labels: set[str] = set()
    for number in range(count):
        post = plan_post(blog, number)
        comments = plan_comments(blog, post)
        labels.update(post.labels)
        counts["post_labels"] += len(post.labels)
        counts["comments"] += len(comments)
        counts["replies"] += sum(c.parent is not None for c in comments)
        counts["removed"] += sum(c.removed is not None for c in comments)
        counts["mentions"] += sum(c.mentions is not None for c in comments)
        counts["max_comments"] = max(counts["max_comments"], len(comments))
    return Manifest(
        seed=blog.seed,
        size=size,
        posts=count,
        comments=counts["comments"],
        replies=counts["replies"],
        removed=counts["removed"],
        labels=len(labels),
        post_labels=counts["post_labels"],
        mentions=counts["mentions"],
        max_comments=counts["max_comments"],
    )


# --- Statistics of a plan (no files) -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanStats:
    posts: int
    comments: int
    replies: int
    max_comments: int
    median_comment_chars: float
    median_post_chars: float

    @property
    def mean_comments(self) -> float:
        return self.comments / self.posts

    @property
    def reply_share(self) -> float:
        return self.replies / self.comments


def plan_statistics(posts: int, seed: int = 0) -> PlanStats:
    """The shape of the first `posts` posts of a seed's blog, with their texts, without writing anything."""
    blog = make_blog(seed)
    counts: list[int] = []
    comment_chars: list[int] = []
    post_chars: list[int] = []
    replies = 0
    for post in plan_posts(blog, posts):
        comments = plan_comments(blog, post)
        counts.append(len(comments))
        replies += sum(c.parent is not None for c in comments)
        comment_chars += [len(text) for text in comment_texts(blog, post, comments)]
        post_chars.append(len(body_text(post_body(blog, post))))
    return PlanStats(
        posts=posts,
        comments=sum(counts),
        replies=replies,
        max_comments=max(counts, default=0),
        median_comment_chars=statistics.median(comment_chars) if comment_chars else 0.0,
        median_post_chars=statistics.median(post_chars) if post_chars else 0.0,
    )


# --- Writers: each returns (its path, files written, bytes written) ----------------------------------------------


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def write_text(out: Path, blog: Blog, count: int) -> tuple[Path, int, int]:
    folder = _fresh(out / "text")
    width = max(3, len(str(count - 1)))
    written = 0
    for number in range(count):
        post = plan_post(blog, number)
        comments = plan_comments(blog, post)
        page = text_page(post, post_body(blog, post), comments, comment_texts(blog, post, comments), number == 0)
        written += (folder / f"{number:0{width}d}_{post.post_id:016x}.txt").write_bytes(page.encode())
    return folder, count, written


def write_html(out: Path, blog: Blog, count: int) -> tuple[Path, int, int]:
    """One page per post, where a mirror of the blog would keep it: html/YYYY/MM/<slug>.html."""
    folder = _fresh(out / "html")
    years = range(_year(plan_post(blog, count - 1)), _year(plan_post(blog, 0)) + 1)
    written = 0
    for number in range(count):
        post = plan_post(blog, number)
        comments = plan_comments(blog, post)
        neighbours = (
            plan_post(blog, number - 1) if number else None,
            plan_post(blog, number + 1) if number + 1 < count else None,
        )
        page = html_page(
            blog,
            post,
            post_body(blog, post),
            comments,
            comment_texts(blog, post, comments),
            neighbours=neighbours,
            years=years,
        )
        path = folder / post.permalink.split("/", 3)[3]
        path.parent.mkdir(parents=True, exist_ok=True)
        written += path.write_bytes(page.encode())
    return folder, count, written


def _year(post: Post) -> int:
    return datetime.fromtimestamp(post.published_ms / 1000, BLOG_OFFSET).year


def write_classic_export(out: Path, blog: Blog, count: int) -> tuple[Path, int, int]:
    path = _fresh(out / "classic") / "blog-export.xml"
    return path, 1, write_classic(path, blog, count)


def write_takeout_feed(out: Path, blog: Blog, count: int) -> tuple[Path, int, int]:
    _fresh(out / "takeout")
    path = out / "takeout" / "Takeout" / "Blogger" / "Blogs" / blog.title / "feed.atom"
    path.parent.mkdir(parents=True)
    return path, 1, write_takeout(path, blog, count)


WRITERS: dict[str, Callable[[Path, Blog, int], tuple[Path, int, int]]] = {
    "text": write_text,
    "html": write_html,
    "classic": write_classic_export,
    "takeout": write_takeout_feed,
}


# --- Command line ------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.corpus", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, metavar="OUT", help="the folder to write into")
    parser.add_argument("--size", choices=list(SIZES), default="S", help="S, M or L (50, 2,000 or 20,000 posts)")
    parser.add_argument("--seed", type=int, default=0, help="the same seed always gives the same files (default 0)")
    parser.add_argument("--posts", type=int, metavar="N", help="this many posts instead of the size's")
    parser.add_argument("--formats", default=",".join(FORMATS), help=f"comma-separated, of {','.join(FORMATS)}")
    args = parser.parse_args(argv)
    formats = [fmt.strip() for fmt in args.formats.split(",") if fmt.strip()]
    if bad := [fmt for fmt in formats if fmt not in FORMATS]:
        parser.error(f"unknown format(s): {', '.join(bad)}")
    if args.posts is not None and args.posts < 1:
        parser.error("--posts must be at least 1")
    manifest = generate(args.out, args.size, args.seed, args.posts, formats)
    print(
        f"blog of seed {manifest.seed}: {manifest.posts} posts, {manifest.comments} comments "
        f"({manifest.replies} replies, {manifest.removed} removed, {manifest.mentions} mentions; at most "
        f"{manifest.max_comments} on a post), {manifest.labels} labels on {manifest.post_labels} post labels"
    )
    for fmt in formats:
        print(manifest.summary_line(fmt))


if __name__ == "__main__":
    main()
