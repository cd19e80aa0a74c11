"""The plan of the benchmark blog: its posts, their bodies and their comment threads, as plain data.

Everything is a pure function of (seed, post number): a post and its comments come from random generators seeded
with both, so any writer can make any post again, in any order, without keeping anything. Post 0 is the newest.
Rendering (text, HTML, exports) is elsewhere; this module only decides what the blog holds.

A comment thread is planned here as a skeleton (who, when, which parent, removed or not, whom it mentions): cheap,
and all the manifest's counts need. The words of comments and posts come from their own generators, in
tests/perf/corpus_content.py, only when a writer needs them.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from tests.perf import corpus_words as words
from tests.perf.synthetic_export import (
    ANONYMOUS_IMAGE,
    BLOG_OFFSET,
    DEFAULT_IMAGE,
    FIRST_NAMES,
    HOST,
    LAST_NAMES,
    PROFILE_IMAGE,
    Author,
    Blog,
    _ascii_slug,
    scrambled_id,
    seeded_random,
)

# --- Shape of the blog -------------------------------------------------------------------------------------------

# synthetic_export's newest post: six months before its export's time stamp, which the classic writer reuses.
NEWEST_POST_MS = int(datetime(2019, 5, 1, 9, 0, tzinfo=BLOG_OFFSET).timestamp()) * 1000
# Post N is published in the N-th 8-hour slot before the newest (so L's 20,000 posts start in 2001, after Blogger
# did), at a random minute of it: posts never come out of order, and no day has more than four.
POST_SLOT_MS = 8 * 3600 * 1000
ID_SLOTS_PER_POST = 4096  # id counters per post: the post, then its comments
MAX_COMMENTS = ID_SLOTS_PER_POST - 1
GUEST_EVERY = 10  # every tenth post is a "Guest Blog N", as on the seeds' blog
NO_COMMENT_SHARE = 0.06  # posts nobody commented on
# Comments per commented post: lognormal, mean exp(mu + sigma^2 / 2) ~ 42, so ~40 over all posts; sigma 1.2 puts
# about 1 post in 300 above 500 comments.
COMMENTS_MU, COMMENTS_SIGMA = 3.07, 1.2
REPLY_SHARE = 0.34  # of the comments after a post's first: a third of all comments end up replies
OWNER_REPLY_SHARE = 0.2
ANONYMOUS_SHARE = 0.42
REMOVED_SHARE = 0.025
ADMIN_REMOVED_SHARE = 0.3  # of the removed: "by a blog administrator" rather than "by the author"
MENTION_SHARE = 0.07  # comments that answer an earlier one by its time ("re 8:41")
# The length a comment's words aim at (corpus_content ends it with a whole sentence: a median of ~300 in the end).
COMMENT_CHARS_MEDIAN, COMMENT_CHARS_SIGMA = 260, 0.75
LABEL_COUNT_WEIGHTS = (15, 35, 25, 15, 10)  # 0-4 labels per post
COMMENTER_COUNT = 300
WEBSITE_COMMENTER_SHARE = 0.15
REMOVED_BY_AUTHOR = "This comment has been removed by the author."
REMOVED_BY_ADMIN = "This comment has been removed by a blog administrator."
TITLES_PER_CYCLE = len(words.TITLE_SUBJECTS) * len(words.TITLE_TOPICS) * len(words.TITLE_ENDINGS)


@dataclass(frozen=True, slots=True)
class Post:
    number: int  # 0 is the newest
    post_id: int
    published_ms: int
    updated_ms: int
    title: str
    permalink: str
    labels: tuple[str, ...]
    author: Author
    comment_count: int
    guest: str | None  # the signing guest's name on a guest post
    text_layout: str  # "plain" (seeds 000/001/003) or "controls" (seed 002: header and ReplyDelete lines)


@dataclass(frozen=True, slots=True)
class Comment:
    index: int  # order of posting within the post
    comment_id: int
    parent: int | None  # index of the top-level comment a reply answers
    published_ms: int
    author: Author
    removed: str | None  # the marker text of a removed comment
    mentions: int | None  # index of the earlier comment it answers by time
    chars: int  # the length its text aims at
    item_class: int  # Blogger's pid-<n> admin class


# --- The blog ----------------------------------------------------------------------------------------------------


def make_blog(seed: int) -> Blog:
    """The blog and its cast. synthetic_export's Blog, so its classic-export writers can render this one too."""
    rng = seeded_random(seed, "corpus-blog", 0)
    owner = Author(words.OWNER_NAME, _profile(rng), PROFILE_IMAGE)
    commenters = tuple(_commenter(rng, i) for i in range(COMMENTER_COUNT))
    return Blog(
        seed=seed,
        blog_id=rng.randrange(10**18, 1 << 63),
        id_key=rng.getrandbits(63),
        title=words.BLOG_TITLE,
        owner=owner,
        guest=owner,  # guest posts go out under the owner's account and are signed in the text
        commenters=commenters,
        profile_uris=tuple(a.uri for a in commenters if a.uri and "/profile/" in a.uri),
        sentences=(),
    )


def _profile(rng: random.Random) -> str:
    return f"https://www.blogger.com/profile/{rng.randrange(10**19, 10**20)}"


def _commenter(rng: random.Random, index: int) -> Author:
    if index < len(words.PSEUDONYMS):
        name = words.PSEUDONYMS[index]
    else:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    if rng.random() < WEBSITE_COMMENTER_SHARE:
        return Author(name, f"https://{_ascii_slug(name) or 'someone'}.example.net/", DEFAULT_IMAGE)
    return Author(name, _profile(rng), rng.choice((PROFILE_IMAGE, DEFAULT_IMAGE)))


_ANONYMOUS = Author("Anonymous", None, ANONYMOUS_IMAGE)
# A few regulars write most named comments (Zipf-like): cumulative weights for random.choices.
_COMMENTER_WEIGHTS = tuple(sum(1 / (rank + 1) ** 0.9 for rank in range(i + 1)) for i in range(COMMENTER_COUNT))


# --- Posts -------------------------------------------------------------------------------------------------------


def plan_post(blog: Blog, number: int) -> Post:
    rng = seeded_random(blog.seed, "corpus-post", number)
    published_ms = NEWEST_POST_MS - number * POST_SLOT_MS - rng.randrange(POST_SLOT_MS // 60_000) * 60_000
    guest = number % GUEST_EVERY == GUEST_EVERY - 1
    title = f"Guest Blog {number // GUEST_EVERY + 1}" if guest else _title(blog, number)
    label_count = rng.choices(range(len(LABEL_COUNT_WEIGHTS)), LABEL_COUNT_WEIGHTS)[0]
    labels = tuple(dict.fromkeys(rng.choices(words.LABELS, _LABEL_WEIGHTS, k=label_count)))
    local = datetime.fromtimestamp(published_ms / 1000, BLOG_OFFSET)
    return Post(
        number=number,
        post_id=scrambled_id(number * ID_SLOTS_PER_POST, blog.id_key),
        published_ms=published_ms,
        updated_ms=published_ms + rng.randrange(60_000, 86_400_000),
        title=title,
        permalink=f"{HOST}/{local:%Y/%m}/{_ascii_slug(title)}.html",
        labels=_with_guest_label(labels) if guest else labels,
        author=blog.owner,
        comment_count=_comment_count(rng),
        guest=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" if guest else None,
        text_layout="controls" if rng.random() < 0.3 else "plain",
    )


def _with_guest_label(labels: tuple[str, ...]) -> tuple[str, ...]:
    """A guest post is always labelled so, within the four labels a post has at most."""
    return labels if "guest blog" in labels else (*labels[:3], "guest blog")


_LABEL_WEIGHTS = tuple(1 / (rank + 1) ** 0.7 for rank in range(len(words.LABELS)))


def _title(blog: Blog, number: int) -> str:
    """A distinct title for every post: the number through a seeded bijection of the title space."""
    cycle, index = divmod(number, TITLES_PER_CYCLE)
    multiplier, offset = _title_permutation(blog.seed)
    index = (index * multiplier + offset) % TITLES_PER_CYCLE
    rest, ending = divmod(index, len(words.TITLE_ENDINGS))
    subject, topic = divmod(rest, len(words.TITLE_TOPICS))
    title = f"{words.TITLE_SUBJECTS[subject]} {words.TITLE_TOPICS[topic]}{words.TITLE_ENDINGS[ending]}"
    return f"{title} ({cycle + 1})" if cycle else title  # only past 27,000 posts


@functools.cache
def _title_permutation(seed: int) -> tuple[int, int]:
    """(multiplier, offset) of x -> x * multiplier + offset modulo the title count: a bijection, as the
    multiplier is coprime with the count."""
    rng = seeded_random(seed, "corpus-titles", 0)
    while math.gcd(multiplier := rng.randrange(1, TITLES_PER_CYCLE), TITLES_PER_CYCLE) != 1:
        pass
    return multiplier, rng.randrange(TITLES_PER_CYCLE)


def _comment_count(rng: random.Random) -> int:
    if rng.random() < NO_COMMENT_SHARE:
        return 0
    return min(MAX_COMMENTS, max(1, round(rng.lognormvariate(COMMENTS_MU, COMMENTS_SIGMA))))


def plan_posts(blog: Blog, count: int) -> Iterator[Post]:
    return (plan_post(blog, number) for number in range(count))


# --- Comment skeletons -------------------------------------------------------------------------------------------


def plan_comments(blog: Blog, post: Post) -> list[Comment]:
    """A post's comments in the order they were posted; replies answer an earlier top-level comment."""
    rng = seeded_random(blog.seed, "corpus-comments", post.number)
    window_ms = rng.uniform(1, 4) * 86_400_000  # most of a thread's comments come within a few days
    gap_mean_ms = max(30_000.0, window_ms / max(post.comment_count, 1))
    time_ms = post.published_ms + 60_000 + int(rng.expovariate(1 / 2_400_000))
    comments: list[Comment] = []
    tops: list[int] = []
    for index in range(post.comment_count):
        parent = _parent(rng, tops)
        if parent is None:
            tops.append(index)
        removed = _removed(rng)
        mentions = _mention_target(rng, index) if removed is None else None
        comments.append(
            Comment(
                index=index,
                comment_id=scrambled_id(post.number * ID_SLOTS_PER_POST + 1 + index, blog.id_key),
                parent=parent,
                published_ms=time_ms,
                author=_comment_author(rng, blog, parent is not None),
                removed=removed,
                mentions=mentions,
                chars=max(
                    12, min(6000, round(rng.lognormvariate(math.log(COMMENT_CHARS_MEDIAN), COMMENT_CHARS_SIGMA)))
                ),
                item_class=rng.randrange(10**8, 2 * 10**9),
            )
        )
        time_ms += 1_000 + int(rng.expovariate(1 / gap_mean_ms))
    return comments


def _parent(rng: random.Random, tops: list[int]) -> int | None:
    if not tops or rng.random() >= REPLY_SHARE:
        return None
    return tops[-1 - min(len(tops) - 1, int(rng.expovariate(1 / 3)))]  # mostly one of the last few threads


def _removed(rng: random.Random) -> str | None:
    if rng.random() >= REMOVED_SHARE:
        return None
    return REMOVED_BY_ADMIN if rng.random() < ADMIN_REMOVED_SHARE else REMOVED_BY_AUTHOR


def _mention_target(rng: random.Random, index: int) -> int | None:
    if index == 0 or rng.random() >= MENTION_SHARE:
        return None
    return index - 1 - min(index - 1, int(rng.expovariate(1 / 6)))  # mostly a recent comment


def _comment_author(rng: random.Random, blog: Blog, reply: bool) -> Author:
    if reply and rng.random() < OWNER_REPLY_SHARE:
        return blog.owner
    if rng.random() < ANONYMOUS_SHARE:
        return _ANONYMOUS
    return rng.choices(blog.commenters, cum_weights=_COMMENTER_WEIGHTS)[0]


def threads(comments: list[Comment]) -> list[tuple[Comment, list[Comment]]]:
    """The comments as a page shows them: top-level ones in order, each with its replies in order."""
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent is not None:
            replies.setdefault(comment.parent, []).append(comment)
    return [(c, replies.get(c.index, [])) for c in comments if c.parent is None]
