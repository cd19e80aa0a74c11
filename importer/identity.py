"""Normalisation, natural keys and fingerprints: the one place that decides when two records are the same thing.

Every format goes through these functions, so a comment read from a text rendering, a saved page or an export
gets the same key (DESIGN.md, Identity). Keys are readable where that is cheap and bounded in length so they fit
a UNIQUE index on every engine.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

# Lines that are Blogger's comment controls rendered as text, not anybody's words.
CONTROL_WORDS = ("ReplyDelete", "Replies", "Delete", "Reply")
_CONTROL_LINE = re.compile(r"^[ \t]*(?:" + "|".join(CONTROL_WORDS) + r")[ \t]*$", re.MULTILINE)

# What Blogger shows in place of a deleted comment (blogger-formats.md §4.3 rule 4).
_REMOVED_MARKER = re.compile(r"^This (?:comment|post) has been removed by (?:the author|a blog administrator)\.?$")

# Keys are stored, so these rules are a contract with every existing database (its `identity_rules` row says
# which version made its keys). A change that alters any key, for any input, bumps this number and ships an
# Alembic revision that calls blogimport.store.rekeying.rekey(): else every re-import would duplicate the rows it meant
# to find. tests/test_key_contract.py holds literal keys of the seeds, and fails until the change is owned up to.
IDENTITY_VERSION = 2  # 2: a host shared by many blogs (www.blogger.com) is never a blog's key

MAX_KEY_LENGTH = 255  # fits a utf8mb4 UNIQUE index on MySQL together with its parent id
_KEY_HEAD = 200


def normalise(text: str) -> str:
    """NFC, control-word lines dropped, every whitespace run one space, trimmed."""
    text = unicodedata.normalize("NFC", text)
    if any(word in text for word in CONTROL_WORDS):  # most texts hold none: no regex over them
        text = _CONTROL_LINE.sub("", text)
    # str.split() splits at the characters regex \s matches (str.isspace), so this is \s+ made one space, trimmed.
    return " ".join(text.split())


def fingerprint(text: str) -> str:
    """First 16 bytes of sha256 of the normalised text, as hex."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:32]


def is_removed_marker(body: str) -> bool:
    # The marker's words are ASCII, which NFC leaves alone: without them, no need to normalise the body.
    return "removed" in body and bool(_REMOVED_MARKER.match(normalise(body)))


def bounded(key: str) -> str:
    """The key itself when short; otherwise its head plus a hash of the whole, so it stays unique."""
    if len(key) <= MAX_KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"{key[:_KEY_HEAD]}~{digest}"


# Hosts that serve many blogs: a link there names no one blog (the 2008 classic export links every entry to
# www.blogger.com/blogspot/NAME/), so the Blogger blog id decides which blog it is (DESIGN.md, Identity).
SHARED_HOSTS = frozenset(
    {
        "blogger.com",
        "www.blogger.com",
        "draft.blogger.com",
        "beta.blogger.com",
        "www2.blogger.com",
        "blogspot.com",
        "www.blogspot.com",
        "feeds.feedburner.com",
        "feeds2.feedburner.com",
        "feedproxy.google.com",
    }
)


def blog_name(host: str | None, blogger_id: str | None) -> str:
    """What a blog is known by when --blog does not name it: its own host; where the host serves many blogs or none
    is known, 'blogger-' and its Blogger id; else 'default'."""
    if host and host.lower() not in SHARED_HOSTS:
        return host
    return f"blogger-{blogger_id}" if blogger_id else "default"


def rekeyed_blog_name(key: str, blogger_id: str | None) -> str:
    """A stored blog key under these rules: a shared host (identity rules 1 took it for the blog's own) gives way
    to the Blogger id; any other key is the name it was made from (--blog, a host, 'blogger-ID', 'default')."""
    return f"blogger-{blogger_id}" if key.lower() in SHARED_HOSTS and blogger_id else key


def blog_key(name: str) -> str:
    return bounded(normalise(name))


@functools.lru_cache(maxsize=4096)  # asked for every comment, of a blog's few hundred commenters
def author_key(name: str, profile_url: str | None) -> str:
    return bounded(f"{normalise(name)}|{profile_url or ''}")


_PROFILE = re.compile(r"blogger\.com/profile/(\d+)")


def profile_id(url: str | None) -> str | None:
    """The id in a Blogger profile URL (https://www.blogger.com/profile/0123...), if it is one."""
    match = _PROFILE.search(url or "")
    return match[1] if match else None


def suffixed(key: str, blogger_id: str) -> str:
    """Two export rows with the same natural key (two posts of one day and title): Blogger's id tells them apart."""
    return bounded(f"{key}~{blogger_id}")


def label_key(name: str) -> str:
    return bounded(normalise(name))


def post_key(published_on: date, title: str, body_text: str) -> str:
    """(date, title); an untitled post is known by the start of its body instead."""
    title = normalise(title)
    if title:
        return bounded(f"{published_on.isoformat()}/{title}")
    return f"{published_on.isoformat()}/#{fingerprint(normalise(body_text)[:200])}"


def comment_keys(parent_key: str | None, bodies: Sequence[str]) -> list[str]:
    """Keys of sibling comments, in order: (parent, body fingerprint, occurrence among identical siblings).

    The post is the rows' scope (UNIQUE (post_id, key)), so it is not part of the key.
    """
    return [own if parent_key is None else f"{parent_key}/{own}" for own in _numbered(map(fingerprint, bodies))]


def reference_keys(mentions: Sequence[str]) -> list[str]:
    """Keys of the mentions in one comment: the mention and its occurrence ("re 20:15" twice is two)."""
    return [bounded(key) for key in _numbered(map(normalise, mentions))]


def _numbered(values: Iterable[str]) -> list[str]:
    seen: Counter[str] = Counter()
    numbered = []
    for value in values:
        numbered.append(f"{value}:{seen[value]}")
        seen[value] += 1
    return numbered


def source_key(locator: str) -> str:
    return bounded(locator)
