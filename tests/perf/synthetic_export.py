"""Write a synthetic Blogger *classic* Atom export of a chosen size, for memory and speed benchmarks.

The output has the shape of a real "Back up content" file (docs/blogger-formats.md §1 and the wgdd sample). It
starts with the XML declaration and the stylesheet instruction. Then comes a `<feed>` with the same namespace
declarations, one template entry and a few settings entries. The posts follow, newest first. Every comment comes
after the last post, as in the real file. As in the real file, there is no newline between elements, so the
export is one long line; only the template and code blocks in post bodies contain newlines.

The generator streams. It writes entry by entry and keeps nothing it has written, so a 1 GB export needs only a
few MB of memory. Comments must follow every post, so they are written in a second pass. A post's details and
its comment plan come from random generators seeded with (seed, post number), so the second pass can make the
same comments again without anything kept from the first. The size is reached by adding posts until the next one
(with its comments) would take the file further from the requested size than stopping does.

Usage:
    python -m tests.perf.synthetic_export OUT.xml --bytes 1000000000 [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO

# --- Fixed names and URLs, as in a real classic export ------------------------------------------------------------

HOST = "https://synthetic.example.blogspot.com"
FEEDS = "https://www.blogger.com/feeds"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_TERM = "http://schemas.google.com/blogger/2008/kind#"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
THUMBNAIL_REL = "http://schemas.google.com/g/2005#thumbnail"
ATOM_TYPE = "application/atom+xml"
REMOVED_TEXT = "This comment has been removed by the author."
FEED_NAMESPACES = (
    "xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
    "xmlns:gd='http://schemas.google.com/g/2005' xmlns:thr='http://purl.org/syndication/thread/1.0' "
    "xmlns:georss='http://www.georss.org/georss'"
)
PROLOG = (
    "<?xml version='1.0' encoding='UTF-8'?>"
    '<?xml-stylesheet href="https://www.blogger.com/styles/atom.css" type="text/css"?>'
)
FEED_END = b"</feed>"
# Real exports declare `app:` on the element itself, never on the feed (blogger-formats.md §1.4, §1.9).
DRAFT_CONTROL = "<app:control xmlns:app='http://purl.org/atom/app#'><app:draft>yes</app:draft></app:control>"
PROFILE_IMAGE = "//lh3.googleusercontent.com/a-/synthetic-profile-photo=s35"
ANONYMOUS_IMAGE = "//resources.blogblog.com/img/blank.gif"
DEFAULT_IMAGE = "//img1.blogblog.com/img/b16-rounded.gif"

# --- Times: every time carries a fixed +01:00 offset ----------------------------------------------------------------

BLOG_OFFSET = timezone(timedelta(hours=1))
# A zone that is +01:00 all year, so BLOG_TIME_ZONE agrees with every time stamp (Europe/Berlin would not in summer).
BLOG_TIME_ZONE = "Africa/Lagos"
EXPORT_TIME = datetime(2019, 11, 8, 12, 33, 55, 702000, tzinfo=BLOG_OFFSET)
BLOG_CREATED = datetime(2001, 6, 26, 22, 34, 15, 736000, tzinfo=BLOG_OFFSET)
# Six months before the export: a post's last comment comes at most FIRST_COMMENT_MAX_MS + 29 * COMMENT_GAP_MAX_MS
# (about 5 months) after the post, so no time in the file is later than the export itself.
NEWEST_POST_MS = int(datetime(2019, 5, 1, 9, 0, tzinfo=BLOG_OFFSET).timestamp()) * 1000
POST_SPACING_MS = 6 * 3600 * 1000  # post N is published in the N-th 6-hour slot before the newest; never out of order
FIRST_COMMENT_MEAN_MS, FIRST_COMMENT_MAX_MS = 8 * 3600 * 1000, 2 * 86_400_000
COMMENT_GAP_MEAN_MS, COMMENT_GAP_MAX_MS = 36 * 3600 * 1000, 5 * 86_400_000
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# --- Proportions -------------------------------------------------------------------------------------------------

BODY_CHARS = (20_000, 60_000)  # escaped length of a post's content; the bodies make up most of the file
COMMENT_CHARS = (120, 480)  # text length of a comment; about 300 on average
MAX_COMMENTS = 30
COMMENTS_SCALE = 9.3  # exponential scale; after flooring, capping at 30 and drafts, about 8 comments per post
DRAFT_SHARE = 0.05
EMPTY_DRAFT_TITLE_SHARE = 0.2
LABELLED_SHARE = 0.7
GUEST_POST_SHARE = 0.1
REPLY_SHARE = 0.38  # of the comments that could be replies (not a post's first); a third of all comments in the end
OWNER_REPLY_SHARE = 0.4
ANONYMOUS_SHARE = 0.15
DELETED_SHARE = 0.02
EDITED_COMMENT_SHARE = 0.1
ID_SLOTS_PER_POST = 32  # counter slots per post: the post itself, then up to MAX_COMMENTS comments
SENTENCE_POOL_SIZE = 3000

WORDS = (
    "the of and to in is that it for on with as was at by this be from or have an not are but they which you one "
    "all were we when there can more if has been would their what will so about out up into do than some could "
    "them time these two may then first any like new only other now over most such after also made many before "
    "must through back years where much your way well down should because each just those people how too little "
    "state good very make world still own see men work long get here between both life being under never day same "
    "another know while last might us great old year off come since against go came right used take three "
    "server kernel package backup release update config laptop network printer garden recipe kitchen journey "
    "photo camera weekend concert library bicycle train harbour mountain river village coffee letter summer winter "
    "Debian Linux GitHub Blogger Python SQLite Raspberry Berlin Zürich München Köln naïve café déjà vu Grüße "
    "über schön Straße Ärger Öl Übung façade coöperation résumé 🙂 — “quoted” ‘single’ it's don't we're"
).split()
TITLE_OPENERS = (
    "How to",
    "Notes on",
    "Why",
    "A week of",
    "Fixing",
    "Thoughts about",
    "Update:",
    "Tips & Tricks:",
    "Review:",
    "Again:",
    "Über",
    "Weekend:",
)
LABELS = (
    "english",
    "software",
    "debian",
    "github pages",
    "Tips & Tricks",
    "Küche",
    "reise",
    "linux",
    "photography",
    "books",
    "c++",
    "travel notes",
    "O'Reilly",
    "2019",
    "musik",
    "<draft> ideas",
    "family",
    "hardware",
)
FIRST_NAMES = (
    "Anna",
    "Ben",
    "Chloé",
    "Daniel",
    "Emre",
    "Fatima",
    "Giulia",
    "Hans",
    "Ingrid",
    "Jürgen",
    "Kenji",
    "Lena",
    "Mateo",
    "Nadia",
    "Olaf",
    "Priya",
    "Quentin",
    "Rosa",
    "Søren",
    "Tomasz",
    "Uma",
    "Viktor",
    "Wen",
    "Xavier",
    "Yusuf",
    "Zoë",
)
LAST_NAMES = (
    "Adams",
    "Becker",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Huber",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lund",
    "Müller",
    "Nakamura",
    "O'Brien",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schäfer",
    "Tanaka",
    "Urban",
    "Vogel",
    "Weiß",
    "Young",
    "Zhang",
)
COMMENTER_COUNT = 200
WEBSITE_COMMENTER_SHARE = 0.2  # "Name/URL" commenters: the uri is their own site, not a Blogger profile
SETTINGS = (  # (name, the title Blogger gives it, value); a subset of the 56 in the wgdd sample
    ("BLOG_COMMENT_ACCESS", "Who can comment", "ANYONE"),
    ("BLOG_COMMENT_MESSAGE", "Blog comment message", ""),
    ("BLOG_COMMENT_MODERATION", "Whether to enable comment moderation", "DISABLED"),
    ("BLOG_COMMENTS_TIME_STAMP_FORMAT", "Comment time stamp format number", "29"),
    ("BLOG_CONVERT_LINE_BREAKS", "Whether to convert line breaks into <br /> tags in post editor", "true"),
    ("BLOG_DESCRIPTION", "A description of the blog", "A synthetic blog for benchmarks & tests"),
    ("BLOG_LOCALE", "Language for this blog", "en"),
    ("BLOG_MAX_NUM", 'Maximum number of things to show on the main page"', "7"),
    ("BLOG_NAME", "The name of the blog", None),  # None: the blog's title
    ("BLOG_PUBLISHING_MODE", "The type of publishing done for this blog.", "PUBLISH_MODE_HOSTED"),
    ("BLOG_TIME_ZONE", "The time zone for this blog", BLOG_TIME_ZONE),
)
TEMPLATE_XML = """<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE html>
<html b:version='2' class='v2' expr:dir='data:blog.languageDirection' xmlns='http://www.w3.org/1999/xhtml' \
xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' \
xmlns:expr='http://www.google.com/2005/gml/expr'>
  <head>
    <b:include data='blog' name='all-head-content'/>
    <title><data:blog.pageTitle/></title>
    <b:skin><![CDATA[body { font: normal normal 12px Arial, Tahoma, Helvetica, FreeSans, sans-serif; }]]></b:skin>
  </head>
  <body>
    <b:section class='main' id='main' showaddelement='no'>
      <b:widget id='Blog1' locked='true' title='Blog Posts' type='Blog'>
        <b:includable id='comments' var='post'>
          <div class='comments' id='comments'>
            <b:loop values='data:post.comments' var='comment'>
              <dt expr:class='&quot;author &quot; + data:comment.authorClass'><data:comment.author/> said...</dt>
              <dd class='comment-body'><data:comment.body/></dd>
            </b:loop>
          </div>
        </b:includable>
        <b:includable id='threaded_comments' var='post'>
          <div class='comments' id='comments'><b:include data='post' name='threaded_comment_js'/></div>
        </b:includable>
      </b:widget>
    </b:section>
  </body>
</html>"""


# --- Plans: everything about an entry except its rendering ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    uri: str | None  # a Blogger profile URL, a commenter's own site, or None for Anonymous
    image: str


@dataclass(frozen=True, slots=True)
class Blog:
    seed: int
    blog_id: int
    id_key: int  # mixed into every post and comment id, so that another seed gives other ids
    title: str
    owner: Author
    guest: Author
    commenters: tuple[Author, ...]
    profile_uris: tuple[str, ...]  # the commenters' Blogger profiles; a deleted comment keeps one
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PostPlan:
    number: int  # 0 is the newest post, the first in the file
    post_id: int
    published_ms: int
    updated_ms: int
    title: str
    permalink: str | None  # None for drafts, which have no alternate link
    labels: tuple[str, ...]
    author: Author
    comment_count: int


@dataclass(frozen=True, slots=True)
class CommentPlan:
    comment_id: int
    parent_id: int | None  # a top-level comment of the same post, for replies
    published_ms: int
    updated_ms: int
    author: Author
    html: str  # unescaped; escaped once more when written
    title: str
    deleted: bool
    item_class: int


def seeded_random(seed: int, stream: str, number: int) -> random.Random:
    """A generator for one stream of one post. A str seed is hashed with SHA-512, so it is the same in every run."""
    return random.Random(f"{seed}/{stream}/{number}")


_MASK_63 = (1 << 63) - 1


def scrambled_id(counter: int, key: int) -> int:
    """A random-looking id below 2**63 (at most 19 digits). It is a bijection of the counter, so ids never collide."""
    value = (counter ^ key) & _MASK_63
    # Multiplying by an odd number and xor-shifting right are each invertible modulo 2**63.
    value = (value * 0x9E3779B97F4A7C15) & _MASK_63
    value ^= value >> 31
    value = (value * 0xBF58476D1CE4E5B9) & _MASK_63
    return value ^ (value >> 29)


def make_blog(seed: int) -> Blog:
    rng = seeded_random(seed, "blog", 0)
    owner = Author("Synthetic Owner", _profile_uri(rng), PROFILE_IMAGE)
    guest = Author("Guest Writer", _profile_uri(rng), PROFILE_IMAGE)
    commenters = tuple(_commenter(rng) for _ in range(COMMENTER_COUNT))
    return Blog(
        seed=seed,
        blog_id=rng.randrange(10**18, 1 << 63),
        id_key=rng.getrandbits(63),
        title=f"[synthetic & benchmark] blog #{seed}",
        owner=owner,
        guest=guest,
        commenters=commenters,
        profile_uris=tuple(a.uri for a in commenters if a.uri and a.uri.startswith("https://www.blogger.com/profile/")),
        sentences=tuple(_sentence(rng) for _ in range(SENTENCE_POOL_SIZE)),
    )


def _profile_uri(rng: random.Random) -> str:
    # Real profile ids have 20 digits, which is more than fits a signed 64-bit integer.
    return f"https://www.blogger.com/profile/{rng.randrange(10**19, 10**20)}"


def _commenter(rng: random.Random) -> Author:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    if rng.random() < WEBSITE_COMMENTER_SHARE:
        site = _ascii_slug(name) or "someone"
        return Author(name, f"https://{site}.example.net/", DEFAULT_IMAGE)
    return Author(name, _profile_uri(rng), rng.choice((PROFILE_IMAGE, DEFAULT_IMAGE)))


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(5, 18))
    if len(words) > 9 and rng.random() < 0.4:
        words[rng.randrange(3, len(words) - 3)] += ","
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice("....!?")


def plan_post(blog: Blog, number: int) -> PostPlan:
    rng = seeded_random(blog.seed, "post", number)
    slot_start = NEWEST_POST_MS - number * POST_SPACING_MS
    published_ms = slot_start - rng.randrange(POST_SPACING_MS // 60_000) * 60_000 + rng.choice((0, 1))
    draft = rng.random() < DRAFT_SHARE
    title = "" if draft and rng.random() < EMPTY_DRAFT_TITLE_SHARE else _title(rng)
    labels = tuple(rng.sample(LABELS, rng.randint(1, 3))) if rng.random() < LABELLED_SHARE else ()
    comment_count = 0 if draft else min(MAX_COMMENTS, int(rng.expovariate(1 / COMMENTS_SCALE)))
    return PostPlan(
        number=number,
        post_id=scrambled_id(number * ID_SLOTS_PER_POST, blog.id_key),
        published_ms=published_ms,
        updated_ms=published_ms + rng.randrange(30_000, 3 * 86_400_000),
        title=title,
        permalink=None if draft else _permalink(published_ms, title, number),
        labels=labels,
        author=blog.guest if rng.random() < GUEST_POST_SHARE else blog.owner,
        comment_count=comment_count,
    )


def _title(rng: random.Random) -> str:
    words = " ".join(rng.choices(WORDS, k=rng.randint(3, 9)))
    if rng.random() < 0.3:
        return f"{rng.choice(TITLE_OPENERS)} {words}"
    return words[0].upper() + words[1:]


def _permalink(published_ms: int, title: str, number: int) -> str:
    local = _local_time(published_ms)
    slug = _ascii_slug(title)[:40].strip("-")
    # The number keeps slugs unique; Blogger itself appends "_N" to clashing slugs.
    return f"{HOST}/{local:%Y/%m}/{slug or 'post'}-{number}.html"


def _ascii_slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = "".join(c if c.isalnum() else " " for c in ascii_text).split()
    return "-".join(words)


def plan_comments(blog: Blog, post: PostPlan) -> list[CommentPlan]:
    """The comments of one post, oldest first. Replies name an earlier top-level comment as their parent."""
    rng = seeded_random(blog.seed, "comments", post.number)
    comments: list[CommentPlan] = []
    top_level_ids: list[int] = []
    time_ms = post.published_ms + 60_000 + _gap(rng, FIRST_COMMENT_MEAN_MS, FIRST_COMMENT_MAX_MS)
    for slot in range(post.comment_count):
        comment_id = scrambled_id(post.number * ID_SLOTS_PER_POST + 1 + slot, blog.id_key)
        parent_id = rng.choice(top_level_ids) if top_level_ids and rng.random() < REPLY_SHARE else None
        if parent_id is None:
            top_level_ids.append(comment_id)
        deleted = rng.random() < DELETED_SHARE
        html, text = _comment_text(rng, blog)
        edited = deleted or rng.random() < EDITED_COMMENT_SHARE
        comments.append(
            CommentPlan(
                comment_id=comment_id,
                parent_id=parent_id,
                published_ms=time_ms,
                updated_ms=time_ms + (rng.randrange(60_000, 86_400_000) if edited else 0),
                author=_comment_author(rng, blog, is_reply=parent_id is not None, deleted=deleted),
                html=REMOVED_TEXT if deleted else html,
                title="" if deleted else (text[:50] + "..." if len(text) > 50 else text),
                deleted=deleted,
                item_class=rng.randrange(10**9, 2 * 10**9),
            )
        )
        time_ms += 1_000 + _gap(rng, COMMENT_GAP_MEAN_MS, COMMENT_GAP_MAX_MS)
    return comments


def _gap(rng: random.Random, mean_ms: int, max_ms: int) -> int:
    return min(max_ms, int(rng.expovariate(1 / mean_ms)))


def _comment_author(rng: random.Random, blog: Blog, is_reply: bool, deleted: bool) -> Author:
    if deleted:
        # As in wgdd: the name becomes "Unknown" but the profile URI stays.
        return Author("Unknown", rng.choice(blog.profile_uris), PROFILE_IMAGE)
    if is_reply and rng.random() < OWNER_REPLY_SHARE:
        return blog.owner
    if rng.random() < ANONYMOUS_SHARE:
        return Author("Anonymous", None, ANONYMOUS_IMAGE)
    return rng.choice(blog.commenters)


def _comment_text(rng: random.Random, blog: Blog) -> tuple[str, str]:
    """(html, plain text) of a comment: sentences, sometimes a line break, sometimes a nofollow link."""
    target = rng.randint(*COMMENT_CHARS)
    html_parts: list[str] = []
    text_parts: list[str] = []
    length = 0
    while length < target:
        sentence = rng.choice(blog.sentences)
        if html_parts:
            html_parts.append("<br /><br />" if rng.random() < 0.15 else " ")
            text_parts.append(" ")
        html_parts.append(sentence)
        text_parts.append(sentence)
        length += len(sentence) + 1
    if rng.random() < 0.15:
        html_parts.append(
            f' <a href="https://example.net/{rng.choice(WORDS)}?ref=blog&amp;id={rng.randrange(1000)}"'
            ' rel="nofollow">Here</a> is more.'
        )
        text_parts.append(" Here is more.")
    return "".join(html_parts), "".join(text_parts)


# --- Post bodies: escaped HTML of 20-60 KB ------------------------------------------------------------------------


def escaped_post_body(blog: Blog, number: int) -> str:
    """The post's HTML, already entity-escaped for `<content type='html'>`."""
    rng = seeded_random(blog.seed, "body", number)
    target = rng.randint(*BODY_CHARS)
    # Every body has a link in its first paragraph, so every post exercises link handling.
    blocks = [
        _escape_text('<div dir="ltr" style="text-align: left;" trbidi="on">'),
        _escape_text(_link_paragraph(rng, blog)),
    ]
    length = sum(map(len, blocks))
    while length < target:
        block = _escape_text(_block(rng, blog))
        blocks.append(block)
        length += len(block)
    blocks.append(_escape_text("</div>"))
    return "".join(blocks)


def _block(rng: random.Random, blog: Blog) -> str:
    roll = rng.random()
    if roll < 0.60:
        return f"<p>{' '.join(rng.choices(blog.sentences, k=rng.randint(2, 7)))}</p>"
    if roll < 0.85:  # Blogger's "convert line breaks" style: bare text and <br /> instead of paragraphs
        return "<br />".join(rng.choices(blog.sentences, k=rng.randint(1, 4))) + "<br /><br />"
    if roll < 0.90:
        return f"<h3>{rng.choice(blog.sentences).rstrip('.!?')}</h3>"
    if roll < 0.94:
        return _link_paragraph(rng, blog)
    if roll < 0.97:
        return _image_block(rng)
    return _code_block(rng)


def _link_paragraph(rng: random.Random, blog: Blog) -> str:
    anchor = " ".join(rng.choices(WORDS, k=rng.randint(1, 4)))
    href = f"https://example.org/{rng.choice(WORDS)}/{rng.randrange(10**6)}?utm_source=blog&amp;ref={rng.randrange(99)}"
    before, after = rng.choice(blog.sentences), rng.choice(blog.sentences)
    return f'<p>{before} See <a href="{href}">{anchor}</a>&nbsp;for details. {after}</p>'


def _image_block(rng: random.Random) -> str:
    token = f"{rng.getrandbits(128):032x}"
    name = f"IMG_{rng.randrange(10_000):04d}.JPG"
    base = f"https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsE{token}"
    return (
        f'<div class="separator" style="clear: both; text-align: center;"><a href="{base}/s1600/{name}" '
        'style="margin-left: 1em; margin-right: 1em;"><img border="0" data-original-height="1200" '
        f'data-original-width="1600" height="240" src="{base}/s320/{name}" width="320" /></a></div>'
    )


def _code_block(rng: random.Random) -> str:
    word = rng.choice(WORDS)
    return (
        f"<pre><code>if (count &lt; {rng.randrange(100)} &amp;&amp; ready) {{\n"
        f'    run("{word}");  // &lt;- {word}\n}}</code></pre>'
    )


# --- Rendering ---------------------------------------------------------------------------------------------------


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    # Attributes are single-quoted, as in the real export.
    return _escape_text(text).replace("'", "&#39;")


def _local_time(epoch_ms: int) -> datetime:
    return datetime.fromtimestamp(epoch_ms / 1000, BLOG_OFFSET)


def _timestamp(epoch_ms: int) -> str:
    """RFC 3339 with milliseconds and the blog's offset, e.g. 2013-06-30T12:56:54.002+01:00."""
    return f"{_local_time(epoch_ms - epoch_ms % 1000):%Y-%m-%dT%H:%M:%S}.{epoch_ms % 1000:03d}+01:00"


def _display_time(epoch_ms: int) -> str:
    """Blogger's `blogger.displayTime`, e.g. "June 30, 2013 at 12:56 PM" (written by hand: no locale involved)."""
    local = _local_time(epoch_ms)
    hour = local.hour % 12 or 12
    meridiem = "AM" if local.hour < 12 else "PM"
    return f"{MONTHS[local.month - 1]} {local.day}, {local.year} at {hour}:{local.minute:02d} {meridiem}"


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _atom_id(blog: Blog, suffix: str) -> str:
    return f"tag:blogger.com,1999:blog-{blog.blog_id}.{suffix}"


def _kind(kind: str) -> str:
    return f"<category scheme='{KIND_SCHEME}' term='{KIND_TERM}{kind}'/>"


def _link(rel: str, kind: str, href: str, title: str | None = None) -> str:
    title_attribute = "" if title is None else f" title='{_escape_attribute(title)}'"
    return f"<link rel='{rel}' type='{kind}' href='{_escape_attribute(href)}'{title_attribute}/>"


def _author(author: Author) -> str:
    uri = "" if author.uri is None else f"<uri>{_escape_text(author.uri)}</uri>"
    return (
        f"<author><name>{_escape_text(author.name)}</name>{uri}<email>noreply@blogger.com</email>"
        f"<gd:image rel='{THUMBNAIL_REL}' width='35' height='35' src='{author.image}'/></author>"
    )


def feed_head(blog: Blog) -> str:
    archive = f"{FEEDS}/{blog.blog_id}/archive"
    return (
        f"{PROLOG}<feed {FEED_NAMESPACES}><id>{_atom_id(blog, 'archive')}</id>"
        f"<updated>{_timestamp(_ms(EXPORT_TIME))}</updated><title type='text'>{_escape_text(blog.title)}</title>"
        + _link("http://schemas.google.com/g/2005#feed", ATOM_TYPE, archive)
        + _link("self", ATOM_TYPE, archive)
        + _link("http://schemas.google.com/g/2005#post", ATOM_TYPE, archive)
        + _link("alternate", "text/html", f"{HOST}/")
        + _author(blog.owner)
        + "<generator version='7.00' uri='https://www.blogger.com'>Blogger</generator>"
    )


def template_entry(blog: Blog) -> str:
    template_url = f"{FEEDS}/{blog.blog_id}/template/default"
    return (
        f"<entry><id>{_atom_id(blog, 'layout')}</id><published>{_timestamp(_ms(BLOG_CREATED))}</published>"
        f"<updated>{_timestamp(_ms(EXPORT_TIME))}</updated>{_kind('template')}"
        f"<title type='text'>Template: {_escape_text(blog.title)}</title>"
        f"<content type='text'>{_escape_text(TEMPLATE_XML)}</content>"
        + _link("edit", ATOM_TYPE, template_url)
        + _link("self", ATOM_TYPE, template_url)
        + _link("alternate", "text/html", f"{HOST}/")
        + _author(blog.owner)
        + "</entry>"
    )


def settings_entry(blog: Blog, name: str, description: str, value: str) -> str:
    settings_url = f"{FEEDS}/{blog.blog_id}/settings/{name}"
    return (
        f"<entry><id>{_atom_id(blog, f'settings.{name}')}</id><published>{_timestamp(_ms(BLOG_CREATED))}</published>"
        f"<updated>{_timestamp(_ms(EXPORT_TIME))}</updated>{_kind('settings')}"
        f"<title type='text'>{_escape_text(description)}</title><content type='text'>{_escape_text(value)}</content>"
        + _link("edit", ATOM_TYPE, settings_url)
        + _link("self", ATOM_TYPE, settings_url)
        + _author(blog.owner)
        + "</entry>"
    )


def post_entry(blog: Blog, post: PostPlan, escaped_body: str) -> str:
    post_url = f"{FEEDS}/{blog.blog_id}/posts/default/{post.post_id}"
    labels = "".join(f"<category scheme='{LABEL_SCHEME}' term='{_escape_attribute(label)}'/>" for label in post.labels)
    parts = [
        f"<entry><id>{_atom_id(blog, f'post-{post.post_id}')}</id>",
        f"<published>{_timestamp(post.published_ms)}</published><updated>{_timestamp(post.updated_ms)}</updated>",
        DRAFT_CONTROL if post.permalink is None else "",
        _kind("post"),
        labels,
        f"<title type='text'>{_escape_text(post.title)}</title><content type='html'>{escaped_body}</content>",
    ]
    if post.permalink is not None:
        parts += [
            _link("replies", ATOM_TYPE, f"{HOST}/feeds/{post.post_id}/comments/default", "Post Comments"),
            _link("replies", "text/html", f"{post.permalink}#comment-form", f"{post.comment_count} Comments"),
        ]
    parts += [_link("edit", ATOM_TYPE, post_url), _link("self", ATOM_TYPE, post_url)]
    if post.permalink is not None:
        parts.append(_link("alternate", "text/html", post.permalink, post.title))
    parts += [_author(post.author), f"<thr:total>{post.comment_count}</thr:total></entry>"]
    return "".join(parts)


def comment_entry(blog: Blog, post: PostPlan, comment: CommentPlan) -> str:
    assert post.permalink is not None, "drafts have no comments"
    comments_url = f"{FEEDS}/{blog.blog_id}/{post.post_id}/comments/default"
    parts = [
        f"<entry><id>{_atom_id(blog, f'post-{comment.comment_id}')}</id>",
        f"<published>{_timestamp(comment.published_ms)}</published>"
        f"<updated>{_timestamp(comment.updated_ms)}</updated>{_kind('comment')}",
        f"<title type='text'>{_escape_text(comment.title)}</title>"
        f"<content type='html'>{_escape_text(comment.html)}</content>",
        _link("edit", ATOM_TYPE, f"{comments_url}/{comment.comment_id}"),
        _link("self", ATOM_TYPE, f"{comments_url}/{comment.comment_id}"),
    ]
    if not comment.deleted:  # deleted comments have no alternate link
        # showComment is the published time in UTC milliseconds (blogger-formats.md §1.6).
        permalink = f"{post.permalink}?showComment={comment.published_ms}#c{comment.comment_id}"
        parts.append(_link("alternate", "text/html", permalink, ""))
    if comment.parent_id is not None:
        parts.append(_link("related", ATOM_TYPE, f"{comments_url}/{comment.parent_id}"))
    parts += [
        _author(comment.author),
        f"<thr:in-reply-to href='{_escape_attribute(post.permalink)}' ref='{_atom_id(blog, f'post-{post.post_id}')}' "
        f"source='{FEEDS}/{blog.blog_id}/posts/default/{post.post_id}' type='text/html'/>",
        "<gd:extendedProperty name='blogger.contentRemoved' value='true'/>" if comment.deleted else "",
        f"<gd:extendedProperty name='blogger.itemClass' value='pid-{comment.item_class}'/>",
        f"<gd:extendedProperty name='blogger.displayTime' value='{_display_time(comment.published_ms)}'/></entry>",
    ]
    return "".join(parts)


# --- Writing -----------------------------------------------------------------------------------------------------


class CountingWriter:
    """A binary file that knows how many bytes went into it."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.written = 0

    def write(self, data: bytes) -> None:
        self.file.write(data)
        self.written += len(data)


def encoded_comments(blog: Blog, post: PostPlan) -> Iterator[tuple[CommentPlan, bytes]]:
    for comment in plan_comments(blog, post):
        yield comment, comment_entry(blog, post, comment).encode("utf-8")


def write_posts(writer: CountingWriter, blog: Blog, budget: int) -> int:
    """Write posts, newest first, until the posts plus their comments come nearest `budget`; return how many."""
    reserved = 0  # bytes that the comments of the posts written so far will take in the second pass
    number = 0
    while True:
        post = plan_post(blog, number)
        entry = post_entry(blog, post, escaped_post_body(blog, number)).encode("utf-8")
        comment_bytes = sum(len(data) for _, data in encoded_comments(blog, post))
        before = writer.written + reserved
        after = before + len(entry) + comment_bytes
        # Stop short if this post would overshoot by more than stopping undershoots (but write at least one).
        if number > 0 and after > budget and after - budget > budget - before:
            return number
        writer.write(entry)
        reserved += comment_bytes
        number += 1
        if after >= budget:
            return number


def write_export(path: str | Path, target_bytes: int, seed: int = 0) -> dict[str, int]:
    """Stream a classic export of about `target_bytes` to `path`; return what it holds.

    The keys are bytes, posts, drafts, labelled_posts, comments, replies, deleted and anonymous, plus blog_id.
    """
    blog = make_blog(seed)
    counts: Counter[str] = Counter()
    with open(path, "wb", buffering=1 << 20) as file:
        writer = CountingWriter(file)
        writer.write(feed_head(blog).encode("utf-8"))
        writer.write(template_entry(blog).encode("utf-8"))
        for name, description, value in SETTINGS:
            entry = settings_entry(blog, name, description, blog.title if value is None else value)
            writer.write(entry.encode("utf-8"))
        post_count = write_posts(writer, blog, target_bytes - len(FEED_END))
        # Second pass: every post's comments, oldest post first, each post's comments oldest first (as in wgdd).
        for number in reversed(range(post_count)):
            post = plan_post(blog, number)
            counts["posts"] += 1
            counts["drafts"] += post.permalink is None
            counts["labelled_posts"] += bool(post.labels)
            for comment, data in encoded_comments(blog, post):
                writer.write(data)
                counts["comments"] += 1
                counts["replies"] += comment.parent_id is not None
                counts["deleted"] += comment.deleted
                counts["anonymous"] += comment.author.uri is None
        writer.write(FEED_END)
    keys = ("posts", "drafts", "labelled_posts", "comments", "replies", "deleted", "anonymous")
    return {"bytes": writer.written, **{key: counts[key] for key in keys}, "blog_id": blog.blog_id}


def summary_line(path: str | Path, counts: dict[str, int]) -> str:
    return (
        f"wrote {counts['bytes']} bytes to {path}: {counts['posts']} posts ({counts['drafts']} drafts), "
        f"{counts['comments']} comments ({counts['replies']} replies, {counts['deleted']} deleted, "
        f"{counts['anonymous']} anonymous)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.synthetic_export", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, metavar="OUT.xml", help="the file to write (replaced if it exists)")
    parser.add_argument(
        "--bytes",
        dest="target_bytes",
        type=int,
        required=True,
        metavar="N",
        help="approximate size of the export in bytes",
    )
    parser.add_argument("--seed", type=int, default=0, help="the same seed always gives the same file (default 0)")
    args = parser.parse_args(argv)
    if args.target_bytes <= 0:
        parser.error("--bytes must be positive")
    print(summary_line(args.out, write_export(args.out, args.target_bytes, args.seed)))


if __name__ == "__main__":
    main()
