"""The plain data that goes from one stage of an import to the next: what every parser yields and the store
consumes (Document and its records), and what an import did (Counts per table, a SourceRecord per source), which
the store records and the command line shows.

Parsers build these from bytes and know nothing of databases; the store turns them into rows and knows nothing
of formats. A comment's replies sit inside it where the source nests them (text, HTML); an export names a
comment's post and parent by Blogger id instead (LooseComment), and the store puts it in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from blogimport.errors import SourceError

# What each kind of source is stored as (posts.source_rank, comments.source_rank). The numbers are stored values:
# the first four were given before feeds were read, so public feeds and API v3 took new ones, and a post whose
# source gave no body (a "short" feed's summary, API v3 without bodies) is 0.
SOURCE_RANK = {"bodiless": 0, "text": 1, "html": 2, "takeout": 3, "classic": 4, "feed": 5, "api": 6}
# How much each knows, for the merge rule "the richer source wins a field" (DESIGN.md, Identity): by this, never
# by the number's size. A classic export outranks Takeout: it also has the blog's host, local time offsets and
# profile URLs; API v3 outranks a public feed: it may hold what a feed set to "short" leaves out.
RICHNESS = {0: 0, 1: 1, 2: 2, 5: 3, 6: 4, 3: 5, 4: 6}


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What the user told us that the source itself does not say."""

    blog_author: str | None = None
    timezone: str | None = None  # the blog's time zone (IANA name), for sources whose times are UTC only


@dataclass(frozen=True, slots=True)
class BlogRecord:
    """What a source says about the blog it comes from."""

    blogger_id: str | None = None
    url: str | None = None  # the blog's home page
    title: str | None = None


@dataclass(frozen=True, slots=True)
class AuthorRecord:
    name: str
    profile_url: str | None = None  # a Blogger profile, or the commenter's own site


@dataclass(frozen=True, slots=True)
class MentionRecord:
    """A reader pointing at another comment by its time stamp ("re 20:15")."""

    text: str  # as written in the comment
    hour: int
    minute: int


@dataclass(frozen=True, slots=True)
class CommentRecord:
    body_text: str
    position: int | None = None  # the number as displayed; gaps mean deleted comments
    author: AuthorRecord | None = None
    published_at: datetime | None = None  # aware
    utc_offset_minutes: int | None = None  # the blog's offset from UTC at that moment, when the source says
    display_time: str | None = None  # the time as the page showed it ("May 30, 2019 at 1:06 PM")
    is_removed: bool = False
    mentions: tuple[MentionRecord, ...] = ()
    replies: tuple[CommentRecord, ...] = ()
    blogger_id: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class PostRecord:
    title: str
    published_on: date  # the date the blog shows
    body_text: str
    published_at: datetime | None = None  # aware
    utc_offset_minutes: int | None = None
    edited_at: datetime | None = None  # when the post was last changed (an export's <updated>)
    url: str | None = None
    author: AuthorRecord | None = None
    labels: tuple[str, ...] = ()
    labels_complete: bool = False  # True: these are all its labels (an export); False: at least these (a label page)
    declared_comment_count: int | None = None  # the "22 comments:" figure
    comments: tuple[CommentRecord, ...] = ()
    blogger_id: str | None = None
    kind: str = "post"  # post | page
    status: str = "live"  # live | draft | trashed | scheduled | ...
    # The source has no body for it (a short feed's <summary>, API v3 without bodies): body_text is empty, never
    # the summary, and the row ranks below every source that has one, so it never replaces a body.
    body_missing: bool = False


@dataclass(frozen=True, slots=True)
class LooseComment:
    """A comment from an export: it names its post and parent comment instead of sitting inside them."""

    post_blogger_id: str
    parent_blogger_id: str | None
    comment: CommentRecord


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """An entry of a kind we do not import (an export's settings and template): counted, never dropped unseen."""

    kind: str


Entry = PostRecord | LooseComment | SkippedEntry
# Skipped kinds that are no part of the blog's content: a source of nothing else is an empty blog, not a failure.
NOT_CONTENT = frozenset({"settings", "template"})


@dataclass(frozen=True, slots=True)
class FeedPage:
    """What one page of a public feed or of an API v3 list says about the whole: what a fetcher needs to page on
    and to know what it still must fetch. Parsing a saved file never needs it."""

    kind: str  # posts | pages | comments
    entries: int  # on this page
    total_results: int | None = None  # openSearch:totalResults, the whole query's count (a server may be wrong)
    start_index: int | None = None  # 1-based
    items_per_page: int | None = None  # as the server says; it caps what was asked for
    next_url: str | None = None  # link rel="next", absent on the last page
    next_page_token: str | None = None  # API v3's paging
    self_url: str | None = None
    label: str | None = None  # a label feed's label (/-/<label> in its self link)
    post_blogger_id: str | None = None  # one post's comments feed
    updated: datetime | None = None  # the feed's <updated>; Blogger puts 1970 in an empty one
    # Entries with a <summary> and no <content>: the owner set the feed to "short"; bodies must come from pages.
    summary_only: bool = False
    comment_totals: tuple[tuple[str, int], ...] = ()  # (post id, thr:total) for each post that gives one
    entry_ids: tuple[str, ...] = ()  # every entry's Blogger id, in order
    comment_posts: tuple[tuple[str, str], ...] = ()  # (comment id, its post's id) for each comment
    post_urls: tuple[tuple[str, str], ...] = ()  # (post id, its page's address) for each post that gives one
    short_posts: tuple[str, ...] = ()  # posts given by a summary and no body


@dataclass(frozen=True, slots=True)
class Document:
    """Everything one source holds. `entries` may be lazy: a large export is read as it is stored."""

    format: str
    entries: Iterable[Entry]
    blog: BlogRecord | None = None
    kind: str = ""  # which SOURCE_RANK applies; defaults to the format
    feed: FeedPage | None = None  # a feed's or an API list's paging and totals
    # What the source shows it holds but did not give ("declares 7 comments, read 0"): it is imported as partial.
    shortfall: str | None = None
    note: str | None = None  # a remark on a complete source ("comments not on the page"), kept as it is imported

    @property
    def source_rank(self) -> int:
        return SOURCE_RANK[self.kind or self.format]


Outcome = Document | SourceError  # what parsing one source gave: its records, or why there are none


# -- what an import did -----------------------------------------------------------------------------------------

ENTITIES = ("blogs", "authors", "labels", "posts", "post_labels", "comments", "comment_references", "pending_comments")


@dataclass
class Tally:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: int = 0

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


@dataclass
class Counts:
    """What an import did, per table (and per kind of entry it skipped)."""

    tallies: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in ENTITIES})
    parked: int = 0  # comments put in pending_comments, to wait for their post or parent

    def __getitem__(self, entity: str) -> Tally:
        return self.tallies.setdefault(entity, Tally())

    def add(self, other: Counts) -> None:
        for name, tally in other.tallies.items():
            self[name].add(tally)
        self.parked += other.parked


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What one run learned about one input."""

    locator: str
    status: str  # imported | unchanged | partial | failed
    sha256: str | None = None
    format: str | None = None
    size_bytes: int | None = None
    error: str | None = None  # why it failed, or what it waits for
    import_fingerprint: str | None = None  # set when its content was imported
    signature: str | None = None  # Source.signature (sources.files), as it was when its content was read
    waiting: int = 0  # comments waiting for their post or parent
