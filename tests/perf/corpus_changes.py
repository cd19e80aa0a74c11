"""Change a generated text/ or html/ folder the way a new crawl of the blog would: on a few post pages, one new
comment has arrived since, either a reply in an existing thread or a new top-level comment at the end.

The pages are edited in place, keyed on the markup and layout the corpus writes (tests/perf/corpus_html.py,
corpus_text.py), so a change touches nothing but the new comment, its thread and the comment count.
"""

from __future__ import annotations

import math
import random
import re
from datetime import datetime
from pathlib import Path

from tests.perf.corpus_content import grow_text
from tests.perf.corpus_html import comment_li
from tests.perf.corpus_plan import Comment
from tests.perf.corpus_text import REPLY_INDENT, TOP_INDENT, comment_header, item_lines
from tests.perf.synthetic_export import ANONYMOUS_IMAGE, FIRST_NAMES, LAST_NAMES, PROFILE_IMAGE, Author

REPLY_SHARE = 0.5  # of the new comments, when the page has a thread to reply in
NEW_COMMENT_CHARS = (80, 600)


def change_sources(folder: Path, fraction: float = 0.01, seed: int = 1) -> list[Path]:
    """Add one comment to `fraction` of the pages in a text/ or html/ folder (at least one page, chosen by `seed`);
    returns the changed files."""
    pages = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix in (".txt", ".html")
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    if not pages:
        raise ValueError(f"no .txt or .html pages under {folder}")
    # Less a hair, so that 0.07 * 100 (7.000000000000001 in floating point) means 7 pages, not 8.
    count = min(len(pages), max(1, math.ceil(fraction * len(pages) - 1e-9)))
    chosen = sorted(random.Random(f"{seed}/changed-pages/{len(pages)}").sample(pages, count))
    for path in chosen:
        rng = random.Random(f"{seed}/{path.relative_to(folder).as_posix()}")
        page = path.read_text(encoding="utf-8")
        path.write_text(
            _changed_html(page, rng) if path.suffix == ".html" else _changed_text(page, rng), encoding="utf-8"
        )
    return chosen


def _new_author(rng: random.Random) -> Author:
    if rng.random() < 0.4:
        return Author("Anonymous", None, ANONYMOUS_IMAGE)
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return Author(name, f"https://www.blogger.com/profile/{rng.randrange(10**19, 10**20)}", PROFILE_IMAGE)


# --- Saved pages -------------------------------------------------------------------------------------------------


def _changed_html(page: str, rng: random.Random) -> str:
    blog_id = int(_found(r"<meta content='(\d+)' itemprop='blogId'/>", page))
    permalink = _found(r"<link href='([^']+)' rel='canonical'/>", page)
    published = datetime.fromisoformat(
        _found(r"<abbr class='published' itemprop='datePublished' title='([^']+)'", page)
    )
    latest = max([int(published.timestamp() * 1000), *map(int, re.findall(r"showComment=(\d+)", page))])
    existing = set(re.findall(r'<li class="comment" id="c(\d+)"', page))
    # Only a top-level comment has a Reply link among its actions (a thread's own "continue" link is elsewhere).
    tops = re.findall(r'data-comment-id="(\d+)">Reply</a><span class="item-control', page)
    parent = rng.choice(tops) if tops and rng.random() < REPLY_SHARE else None
    comment = Comment(
        index=-1,
        comment_id=_new_id(rng, existing),
        parent=None,
        published_ms=latest + rng.randrange(60_000, 3 * 86_400_000),
        author=_new_author(rng),
        removed=None,
        mentions=None,
        chars=0,
        item_class=rng.randrange(10**8, 2 * 10**9),
    )
    text = grow_text(rng, rng.randint(*NEW_COMMENT_CHARS))
    # A reader's comment (never the owner's): a reply has no thread of its own (None), a top-level one an empty one.
    li = comment_li(comment, text, None if parent else "", blog_id=blog_id, permalink=permalink, owner=None)
    if parent is None:
        page = _insert_before(page, '</ol></div><div class="continue" id="top-continue">', li)
    else:
        page = _insert_before(page, f'</div><div id="c{parent}-continue" class="continue">', li)
        page = page.replace(
            f'id="c{parent}-rt" class="comment-thread inline-thread hidden"',
            f'id="c{parent}-rt" class="comment-thread inline-thread"',
        )
    return re.sub(r"<h4>[^<]*</h4>", f"<h4>{comment_header(len(existing) + 1)}</h4>", page, count=1)


def _found(pattern: str, page: str) -> str:
    match = re.search(pattern, page)
    if match is None:
        raise ValueError(f"not a page of the benchmark corpus: no match for {pattern!r}")
    return match[1]


def _new_id(rng: random.Random, existing: set[str]) -> int:
    while str(found := rng.randrange(10**18, 1 << 63)) in existing:
        pass
    return found


def _insert_before(page: str, anchor: str, text: str) -> str:
    at = page.index(anchor)
    return page[:at] + text + page[at:]


# --- Text renderings ---------------------------------------------------------------------------------------------

_TOP_ITEM = re.compile(rf"^ {{{TOP_INDENT}}}\d+\. ")
_REPLY_ITEM = re.compile(rf"^ {{{REPLY_INDENT}}}\d+\. ")
_HEADER = re.compile(r"^(?:\d+|No|One) comments?:$")


def _changed_text(page: str, rng: random.Random) -> str:
    lines = page.rstrip("\n").split("\n")
    header = next((i for i, line in enumerate(lines) if _HEADER.match(line)), None)
    end = next((i for i, line in enumerate(lines) if line == "Post a Comment"), len(lines))
    tops = [i for i, line in enumerate(lines[:end]) if _TOP_ITEM.match(line)]
    text = grow_text(rng, rng.randint(*NEW_COMMENT_CHARS))
    controls = header is not None
    if tops and rng.random() < REPLY_SHARE:
        thread = rng.randrange(len(tops))
        thread_end = tops[thread + 1] if thread + 1 < len(tops) else end
        lines = _add_reply(lines, tops[thread], thread_end, text, controls)
    else:
        lines = _add_top_level(lines, len(tops) + 1, end, text, controls)
    if header is not None:
        total = sum(bool(_TOP_ITEM.match(line) or _REPLY_ITEM.match(line)) for line in lines)
        lines[header] = comment_header(total)
    return "\n".join(lines) + "\n"


def _add_reply(lines: list[str], start: int, end: int, text: str, controls: bool) -> list[str]:
    """A reply after the thread's last line: numbered after its siblings, with the controls' Delete line."""
    at = _last_text_line(lines, start, end) + 1
    siblings = sum(bool(_REPLY_ITEM.match(line)) for line in lines[start:end])
    item = item_lines(text, siblings + 1, REPLY_INDENT)
    first_reply = ["    Replies"] if siblings == 0 else []
    block = [*first_reply, *item, "", "      Delete"] if controls else ["", *item]
    return lines[:at] + block + lines[at:]


def _add_top_level(lines: list[str], number: int, end: int, text: str, controls: bool) -> list[str]:
    """A top-level comment after the last one (before the footer), or the first one after the body."""
    at = _last_text_line(lines, 0, end) + 1
    item = item_lines(text, number, TOP_INDENT)
    if controls:
        block = [*([""] if _HEADER.match(lines[at - 1]) else []), *item, "", "    ReplyDelete"]
    else:
        block = ["", "", "", *item] if number == 1 else ["", *item]
    return lines[:at] + block + lines[at:]


def _last_text_line(lines: list[str], start: int, end: int) -> int:
    return max(i for i in range(start, end) if lines[i].strip())
