"""The words of the benchmark blog: comment texts and post bodies for the plan in tests/perf/corpus_plan.py.

Each post's texts come from generators seeded with (seed, post number) of their own, so the plan's skeletons can
be made and counted without them. Sentences are built from tests/perf/corpus_words.py; no part holds a digit, so
the only times in a comment are the mentions the plan asked for.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime

from tests.perf import corpus_words as words
from tests.perf.corpus_plan import Comment, Post
from tests.perf.synthetic_export import BLOG_OFFSET, Blog, seeded_random

POST_CHARS_MEDIAN, POST_CHARS_SIGMA = 4800, 0.3
LINK_COMMENT_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of a post body: a paragraph, a list, a heading, a quote or a paragraph with a link."""

    kind: str  # p | list | heading | quote | link
    text: str = ""
    items: tuple[str, ...] = ()
    href: str = ""
    anchor: str = ""  # a link paragraph's link text, which sits between `text` and `after`
    after: str = ""


# --- Comments ---------------------------------------------------------------------------------------------------------


def comment_texts(blog: Blog, post: Post, comments: list[Comment]) -> list[str]:
    """Every comment's text, in posting order: sentences and paragraphs, "\n" between lines, maybe a link."""
    rng = seeded_random(blog.seed, "corpus-comment-text", post.number)
    return [comment.removed or _comment_text(rng, comment, comments) for comment in comments]


def _comment_text(rng: random.Random, comment: Comment, comments: list[Comment]) -> str:
    pieces = [rng.choice(words.OPENERS)] if rng.random() < 0.3 else []
    text = _grow(rng, pieces, comment.chars)
    if rng.random() < LINK_COMMENT_SHARE:
        text += ("\n\n" if rng.random() < 0.5 else " ") + _url(rng)
    if comment.mentions is not None:
        text = _with_mention(rng, text, comments[comment.mentions].published_ms)
    return text


def grow_text(rng: random.Random, chars: int) -> str:
    """A comment's words of about `chars` characters (no opener, link or mention)."""
    return _grow(rng, [], chars)


def _grow(rng: random.Random, pieces: list[str], chars: int) -> str:
    """Sentences until `chars`; a long comment breaks into paragraphs, a few lines break without one."""
    length = sum(len(p) + 1 for p in pieces)
    paragraph_left = rng.randint(2, 5)
    parts = [" ".join(pieces)] if pieces else []
    while length < chars or not parts:
        sentence = sentence_of(rng)
        if parts:
            paragraph_left -= 1
            separator = "\n\n" if paragraph_left <= 0 and chars > 400 else "\n" if rng.random() < 0.04 else " "
            paragraph_left = rng.randint(2, 5) if separator == "\n\n" else paragraph_left
            parts.append(separator)
        parts.append(sentence)
        length += len(sentence) + 1
    if chars > 250 and rng.random() < 0.15:
        parts.append(" " + rng.choice(words.CLOSERS))
    return "".join(parts)


def sentence_of(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.1:
        return rng.choice(words.QUESTIONS)
    plural = rng.random() < 0.3
    subject = rng.choice(words.PLURAL_SUBJECTS if plural else words.SINGULAR_SUBJECTS)
    verb, thing = rng.choice(words.VERBS)[plural], rng.choice(words.OBJECTS)
    return f"{subject} {verb} {thing}{rng.choice(words.TAILS)}{'!' if roll > 0.97 else '.'}"


def _url(rng: random.Random) -> str:
    return f"https://{rng.choice(words.LINK_HOSTS)}/{rng.choice(words.LINK_PATHS)}"


def clock_text(epoch_ms: int) -> tuple[int, str]:
    """The hour (12-hour, as Blogger displays it here) and minutes of a comment's displayed time."""
    local = datetime.fromtimestamp(epoch_ms / 1000, BLOG_OFFSET)
    return local.hour % 12 or 12, f"{local.minute:02d}"


def _with_mention(rng: random.Random, text: str, target_ms: int) -> str:
    """One mention of the target's time, in one of the forms readers use (formats/mentions.py counts each once)."""
    hour, minute = clock_text(target_ms)
    form = rng.randrange(7)
    if form == 6:  # inside the text rather than opening it
        return f"{text} As Anonymous {hour}:{minute} said, {_lower_first(sentence_of(rng))}"
    opening = (
        f"re {hour}:{minute} - ",
        f"@{hour}:{minute} ",
        f"Anon {hour}:{minute}, ",
        f"Anon at {hour}:{minute}, ",
        f"{hour}:{minute} - ",
        f"Anon {hour}.{minute}, ",
    )[form]
    return opening + _lower_first(text) if form in (2, 3, 5) else opening + text


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text[:2] != "I " else text


# --- Post bodies ------------------------------------------------------------------------------------------------------


def post_body(blog: Blog, post: Post) -> list[Block]:
    """A post's body: paragraphs, and sometimes a list, headings, a quote or a link; a guest post is signed."""
    rng = seeded_random(blog.seed, "corpus-body", post.number)
    target = rng.lognormvariate(math.log(POST_CHARS_MEDIAN), POST_CHARS_SIGMA)
    blocks: list[Block] = []
    length = 0
    headings = rng.random() < 0.2
    while length < target:
        block = _block(rng, headings, first=not blocks)
        blocks.append(block)
        length += len(block_text(block)) + 2
    if post.guest:
        blocks.append(Block("p", post.guest))
    return blocks


def _block(rng: random.Random, headings: bool, first: bool) -> Block:
    roll = rng.random()
    if first or roll < 0.72:
        return Block("p", " ".join(sentence_of(rng) for _ in range(rng.randint(3, 7))))
    if roll < 0.8:
        return Block("list", items=tuple(rng.sample(words.LIST_ITEMS, rng.randint(3, 7))))
    if roll < 0.86 and headings:
        return Block("heading", rng.choice(words.HEADINGS))
    if roll < 0.93:
        return Block("quote", f"“{sentence_of(rng)} {sentence_of(rng)}”")
    return Block(
        "link",
        sentence_of(rng) + " See",
        anchor="the full report",
        href=_url(rng),
        after="for the details. " + sentence_of(rng),
    )


def block_text(block: Block) -> str:
    """The block as a browser shows it (what blogimport.formats.htmltext makes of its HTML)."""
    if block.kind == "list":
        return "\n".join(block.items)
    if block.kind == "link":
        return f"{block.text} {block.anchor} {block.after}"
    return block.text


def body_text(blocks: list[Block]) -> str:
    return "\n\n".join(block_text(block) for block in blocks)
