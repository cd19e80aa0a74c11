"""The merge rules at the store's level (issue 14, point 7), beside the end-to-end tests: two versions of one post,
comment or label set, each in a document built here from records, saved through the store's public face
(blogimport.store: start_run, save_source) on every engine; then the whole stored row, compared with literal values.

The rules (docs/formats.md, "How re-imports stay exact"; blogimport.store.rows): the richer source wins each field
(records.SOURCE_RANK: classic export 4, Takeout 3, saved HTML 2, text 1); within a rank the longer body wins, then
the greater body fingerprint; a value is never replaced by NULL; two versions that tie (same rank, same body) give
each field the greater value. A complete label set (an export's) replaces a post's labels unless it is older than
the last one applied; a label page only adds, and only while no export has spoken.

Each case is one row of a table: (first source, second source, field, first value, second value, what is stored,
and the source_rank stored). Where the rules say the order does not matter, the table holds both orders. A table
is one test per engine: every case lands in a blog of its own (blogs share no rows), in one fresh database, and
the rows of all cases are compared at once, so a failure lists each case whose row differs, by its name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, TypeVar

import pytest
from sqlalchemy import Engine, select

from blogimport import store
from blogimport.models import Author, Blog, Comment, Label, Post, PostLabel
from blogimport.records import AuthorRecord, CommentRecord, Document, PostRecord, SourceRecord

pytestmark = pytest.mark.premade_schema  # about what is stored, not how a database gets its schema

KINDS = {"text": ("text", ""), "html": ("html", ""), "takeout": ("atom", "takeout"), "classic": ("atom", "classic")}
DAY = date(2019, 5, 21)
POST = PostRecord(title="Probation matters", published_on=DAY, body_text="A body.")
POST_KEY = "2019-05-21/Probation matters"
COMMENT = CommentRecord(body_text="Well said.")
COMMENT_KEY = "9f8ab6ff7698a4440f8d99a0020b6eeb:0"  # the fingerprint of "Well said.", first of its siblings
T1 = datetime(2019, 5, 21, 9, 30, tzinfo=UTC)
T2 = datetime(2019, 6, 2, 18, 5, tzinfo=UTC)
LOW, HIGH = "https://merge.example/a", "https://merge.example/z"  # HIGH > LOW: the tie rule takes HIGH


class Case(NamedTuple):
    first: str  # the kind of source saved first (KINDS)
    second: str
    field: str | tuple[str, ...]  # a record's field, or fields that vary together
    first_value: Any
    second_value: Any
    stored: Any  # the value (or values) in the row after both
    rank: int  # the row's source_rank after both


def both_orders(
    first: str, second: str, field: str | tuple[str, ...], a: Any, b: Any, stored: Any, rank: int
) -> list[Case]:
    return [Case(first, second, field, a, b, stored, rank), Case(second, first, field, b, a, stored, rank)]


# -- the tables' values ----------------------------------------------------------------------------------------------


def _values(field: str | tuple[str, ...], value: Any) -> dict[str, Any]:
    """A case's field(s) and value(s), for a record or for the stored row (whose `author` is the author's name)."""
    names, values = ((field,), (value,)) if isinstance(field, str) else (field, value)
    return dict(zip(names, values, strict=True))


def _case_id(case: Case) -> str:
    field = case.field if isinstance(case.field, str) else "+".join(case.field)
    return f"{case.first}-{case.second}-{field}-{_short(case.first_value)}-{_short(case.second_value)}"


def _short(value: Any) -> str:
    if isinstance(value, AuthorRecord):
        return value.name
    if isinstance(value, tuple):
        return "+".join(map(_short, value))
    if isinstance(value, datetime):
        return value.strftime("%m%d")
    text = str(value)
    return text.rsplit("/", 1)[-1] if text.startswith("https://") else text[:12]


# -- posts ---------------------------------------------------------------------------------------------------------

POST_CASES = [
    # The richer source wins a field, even where the other's value is the greater one.
    *both_orders("text", "classic", "url", HIGH, LOW, LOW, 4),
    *both_orders("html", "takeout", "url", HIGH, LOW, LOW, 3),
    *both_orders("takeout", "classic", "url", HIGH, LOW, LOW, 4),
    *both_orders("text", "html", "url", HIGH, LOW, LOW, 2),
    *both_orders("text", "classic", "author", AuthorRecord("Zoe"), AuthorRecord("Adam"), "Adam", 4),
    *both_orders("text", "classic", "published_at", T2, T1, T1, 4),
    *both_orders("html", "classic", "utc_offset_minutes", 120, 60, 60, 4),
    *both_orders("html", "classic", "edited_at", T2, T1, T1, 4),
    *both_orders("text", "classic", "declared_comment_count", 22, 5, 5, 4),
    *both_orders("text", "classic", "status", "live", "draft", "draft", 4),
    *both_orders("html", "classic", "kind", "post", "page", "page", 4),
    # A value is never replaced by NULL, whichever source ranks higher.
    *both_orders("text", "classic", "url", LOW, None, LOW, 4),
    *both_orders("text", "classic", "author", AuthorRecord("Zoe"), None, "Zoe", 4),
    *both_orders("html", "takeout", "published_at", T1, None, T1, 3),
    *both_orders("html", "classic", "utc_offset_minutes", 60, None, 60, 4),
    *both_orders("html", "classic", "edited_at", T1, None, T1, 4),
    *both_orders("text", "html", "declared_comment_count", 22, None, 22, 2),
    *both_orders("text", "classic", "blogger_id", None, "7031156583478223661", "7031156583478223661", 4),
    # Same rank, same body: each field takes the greater value; a NULL never wins.
    *both_orders("html", "html", "url", LOW, HIGH, HIGH, 2),
    *both_orders("text", "text", "url", None, LOW, LOW, 1),
    *both_orders("classic", "classic", "published_at", T1, T2, T2, 4),
    *both_orders("takeout", "takeout", "declared_comment_count", 5, 22, 22, 3),
    *both_orders("text", "text", "status", "draft", "live", "live", 1),
    Case("text", "text", "author", AuthorRecord("Adam"), AuthorRecord("Zoe"), "Zoe", 1),  # other order: AUTHOR_TIES
    # The body: within a rank the longer wins, then the greater fingerprint (of "A body one." d339..., of
    # "A body two." d9ee...); across ranks the richer source's, even when shorter.
    *both_orders("html", "html", "body_text", "A body.", "A longer body.", "A longer body.", 2),
    *both_orders("html", "html", "body_text", "A body one.", "A body two.", "A body two.", 2),
    *both_orders("text", "classic", "body_text", "A longer body.", "A body.", "A body.", 4),
    # Within a rank the version with the longer body wins every field, not each field's greater value.
    *both_orders(
        "html", "html", ("body_text", "url"), ("A longer body.", LOW), ("A body.", HIGH), ("A longer body.", LOW), 2
    ),
    *both_orders(
        "text", "text", ("body_text", "url"), ("A body two.", LOW), ("A body one.", HIGH), ("A body two.", LOW), 1
    ),
]

POST_ROW = {
    "key": POST_KEY,
    "title": "Probation matters",
    "published_on": DAY,
    "published_at": None,
    "utc_offset_minutes": None,
    "edited_at": None,
    "url": None,
    "body_text": "A body.",
    "declared_comment_count": None,
    "blogger_id": None,
    "kind": "post",
    "status": "live",
    "labels_as_of": None,
    "author": None,  # the author's name (authors.name through author_id)
}


def test_two_versions_of_a_post(db_url: str) -> None:
    with _engine(db_url) as engine:
        blogs = _save_cases(engine, POST_CASES, _post_versions)
        stored = {name: _posts(engine, blog) for name, blog in blogs.items()}
    assert stored == {
        _case_id(case): [{**POST_ROW, **_values(case.field, case.stored), "source_rank": case.rank}]
        for case in POST_CASES
    }


def _post_versions(case: Case) -> tuple[PostRecord, PostRecord]:
    first, second = (replace(POST, **_values(case.field, value)) for value in (case.first_value, case.second_value))
    return first, second


# -- comments ------------------------------------------------------------------------------------------------------

COMMENT_CASES = [
    # The richer source wins; a NULL never replaces a value; position and path move together.
    *both_orders("text", "classic", "author", AuthorRecord("Zoe"), AuthorRecord("Adam"), "Adam", 4),
    *both_orders("html", "classic", "published_at", T2, T1, T1, 4),
    *both_orders("html", "takeout", "display_time", "May 21, 2019 at 11:30 AM", "11:30", "11:30", 3),
    *both_orders("html", "classic", "url", HIGH, LOW, LOW, 4),
    *both_orders("text", "classic", "position", 3, None, (3, "0003"), 4),
    *both_orders("text", "html", "position", 7, 3, (3, "0003"), 2),
    *both_orders("text", "classic", "blogger_id", None, "2084380682146809651", "2084380682146809651", 4),
    *both_orders("html", "classic", "utc_offset_minutes", 120, None, 120, 4),
    *both_orders("text", "html", "author", AuthorRecord("Zoe"), None, "Zoe", 2),
    # Same rank, same body: the greater value of each field.
    *both_orders("text", "text", "position", 3, 7, (7, "0007"), 1),
    *both_orders("html", "html", "url", LOW, HIGH, HIGH, 2),
    *both_orders("html", "html", "published_at", None, T1, T1, 2),
    Case("html", "html", "author", AuthorRecord("Adam"), AuthorRecord("Zoe"), "Zoe", 2),  # other order: AUTHOR_TIES
]

COMMENT_ROW = {
    "key": COMMENT_KEY,
    "depth": 0,
    "parent_id": None,
    "position": None,
    "path": "0001",
    "author": None,
    "published_at": None,
    "utc_offset_minutes": None,
    "display_time": None,
    "body_text": "Well said.",
    "is_removed": False,
    "blogger_id": None,
    "url": None,
}


def test_two_versions_of_a_comment(db_url: str) -> None:
    with _engine(db_url) as engine:
        blogs = _save_cases(engine, COMMENT_CASES, _comment_versions)
        stored = {name: _comments(engine, blog) for name, blog in blogs.items()}
    assert stored == {_case_id(case): [_comment_row(case)] for case in COMMENT_CASES}


def _comment_versions(case: Case) -> tuple[PostRecord, PostRecord]:
    first, second = (replace(COMMENT, **_values(case.field, value)) for value in (case.first_value, case.second_value))
    return replace(POST, comments=(first,)), replace(POST, comments=(second,))


def _comment_row(case: Case) -> dict[str, Any]:
    """COMMENT_ROW with the case's stored value; a position comes with its path."""
    stored = dict(zip(("position", "path"), case.stored, strict=True)) if case.field == "position" else None
    return {**COMMENT_ROW, **(stored or _values(case.field, case.stored)), "source_rank": case.rank}


# A known fault, left for a change of its own: between two versions that tie, "the greater value" of an author is
# the greater author_id, a surrogate id given in arrival order, so which author stays depends on the order after
# all. Adam then Zoe keeps Zoe (in the tables above); Zoe then Adam keeps Adam.
AUTHOR_TIES = [
    Case("text", "text", "author", AuthorRecord("Zoe"), AuthorRecord("Adam"), "Zoe", 1),
    Case("html", "html", "author", AuthorRecord("Zoe"), AuthorRecord("Adam"), "Zoe", 2),
]


@pytest.mark.xfail(strict=True, reason="a tie between authors compares their ids, given in arrival order")
def test_a_tie_between_authors_does_not_depend_on_the_order(db_url: str) -> None:
    post_case, comment_case = AUTHOR_TIES
    with _engine(db_url) as engine:
        (post_blog,) = _save_cases(engine, [post_case], _post_versions).values()
        (comment_blog,) = _save_cases(engine, [comment_case], _comment_versions).values()
        stored = [_posts(engine, post_blog)[0]["author"], _comments(engine, comment_blog)[0]["author"]]
    assert stored == ["Zoe", "Zoe"]


# -- labels --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Labels:
    """A source's labels of the post: complete (an export's, as of its edited time) or not (a label page)."""

    names: tuple[str, ...]
    complete: bool = False
    edited_at: datetime | None = None


def _labels_id(labels: Labels) -> str:
    when = labels.edited_at.strftime("%m%d") if labels.edited_at else ""
    return f"[{','.join(labels.names)}{'!' + when if labels.complete else ''}]"


class LabelCase(NamedTuple):
    first: str
    second: str
    first_labels: Labels
    second_labels: Labels
    stored: list[str]  # the post's labels after both, by name
    labels_as_of: datetime | None  # the time of the label set applied last
    labels: list[str]  # every label of the blog: none is deleted


AnyCase = TypeVar("AnyCase", Case, LabelCase)

PAGE_X, PAGE_Y = Labels(("x",)), Labels(("y",))
EXPORT_X_T1, EXPORT_Y_T2 = Labels(("x",), True, T1), Labels(("y",), True, T2)
EXPORT_XY_T1, EXPORT_YZ_T1 = Labels(("x", "y"), True, T1), Labels(("y", "z"), True, T1)

LABEL_CASES = [
    # Label pages only add.
    LabelCase("html", "html", PAGE_X, PAGE_Y, ["x", "y"], None, ["x", "y"]),
    LabelCase("html", "html", PAGE_Y, PAGE_X, ["x", "y"], None, ["x", "y"]),
    # Once an export has spoken, a page adds nothing; an export replaces what pages added.
    LabelCase("classic", "html", EXPORT_X_T1, PAGE_Y, ["x"], T1, ["x", "y"]),
    LabelCase("html", "classic", PAGE_Y, EXPORT_X_T1, ["x"], T1, ["x", "y"]),
    LabelCase("takeout", "text", EXPORT_X_T1, PAGE_Y, ["x"], T1, ["x", "y"]),
    LabelCase("text", "takeout", PAGE_Y, EXPORT_X_T1, ["x"], T1, ["x", "y"]),
    # The newer of two exports' sets, whichever comes first, and whatever their rank.
    LabelCase("classic", "takeout", EXPORT_X_T1, EXPORT_Y_T2, ["y"], T2, ["x", "y"]),
    LabelCase("takeout", "classic", EXPORT_Y_T2, EXPORT_X_T1, ["y"], T2, ["x", "y"]),
    # Sets of the same time: the one applied last ("not older" replaces). Here the order matters.
    LabelCase("classic", "classic", EXPORT_XY_T1, EXPORT_YZ_T1, ["y", "z"], T1, ["x", "y", "z"]),
    LabelCase("classic", "classic", EXPORT_YZ_T1, EXPORT_XY_T1, ["x", "y"], T1, ["x", "y", "z"]),
    # A complete set without a time cannot say it is newer: it only adds, like a page.
    LabelCase("classic", "html", Labels(("x",), True, None), PAGE_Y, ["x", "y"], None, ["x", "y"]),
    LabelCase("html", "classic", PAGE_Y, Labels(("x",), True, None), ["x", "y"], None, ["x", "y"]),
]


def test_two_label_sets_of_a_post(db_url: str) -> None:
    with _engine(db_url) as engine:
        blogs = _save_cases(engine, LABEL_CASES, _labelled_versions)
        stored = {name: _labels(engine, blog) for name, blog in blogs.items()}
    assert stored == {
        _label_case_id(case): ([("Probation matters", name) for name in case.stored], case.labels_as_of, case.labels)
        for case in LABEL_CASES
    }


def _labelled_versions(case: LabelCase) -> tuple[PostRecord, PostRecord]:
    first, second = (
        replace(POST, labels=labels.names, labels_complete=labels.complete, edited_at=labels.edited_at)
        for labels in (case.first_labels, case.second_labels)
    )
    return first, second


def _label_case_id(case: LabelCase) -> str:
    return f"{case.first}{_labels_id(case.first_labels)}-{case.second}{_labels_id(case.second_labels)}"


# -- saving and reading, through the store's public face -----------------------------------------------------------


@contextmanager
def _engine(url: str) -> Iterator[Engine]:
    """The importer's own engine for the URL (store.make_engine), disposed of after."""
    engine = store.make_engine(store.DatabaseURL.parse(url))
    try:
        yield engine
    finally:
        engine.dispose()


def _save_cases(
    engine: Engine, cases: Sequence[AnyCase], versions: Callable[[AnyCase], tuple[PostRecord, PostRecord]]
) -> dict[str, str]:
    """Each case's two versions, saved as two sources of one run (in their own transactions, in the case's order),
    into a blog of the case's own; returns the blogs' keys by case name."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with store.connected(engine) as conn, conn.begin():
        run_id = store.start_run(conn, now).run_id
    blogs = {}
    for number, case in enumerate(cases, 1):
        name = _case_id(case) if isinstance(case, Case) else _label_case_id(case)
        blogs[name] = blog = f"case-{number}.example"  # as --blog gives it
        for order, (kind, post) in enumerate(zip((case.first, case.second), versions(case), strict=True), 1):
            fmt, rank_kind = KINDS[kind]
            seen = SourceRecord(f"{blog}/source-{order}", "imported")
            with store.connected(engine) as conn, conn.begin():
                recorded, _ = store.save_source(conn, run_id, seen, Document(fmt, [post], kind=rank_kind), blog)
            assert recorded.status == "imported"
    assert len(blogs) == len(cases)  # no two cases of a table share a name
    return blogs


def _posts(engine: Engine, blog: str) -> list[dict[str, Any]]:
    columns = [Post.key, Post.title, Post.published_on, Post.published_at, Post.utc_offset_minutes, Post.edited_at]
    columns += [Post.url, Post.body_text, Post.declared_comment_count, Post.blogger_id, Post.kind, Post.status]
    columns += [Post.labels_as_of, Post.source_rank, Author.name.label("author")]
    query = select(*columns).join(Blog, Blog.id == Post.blog_id).outerjoin(Author, Author.id == Post.author_id)
    return _rows(engine, query.where(Blog.key == blog))


def _comments(engine: Engine, blog: str) -> list[dict[str, Any]]:
    columns = [Comment.key, Comment.depth, Comment.parent_id, Comment.position, Comment.path]
    columns += [Author.name.label("author"), Comment.published_at, Comment.utc_offset_minutes, Comment.display_time]
    columns += [Comment.body_text, Comment.is_removed, Comment.blogger_id, Comment.url, Comment.source_rank]
    query = select(*columns).join(Post, Post.id == Comment.post_id).join(Blog, Blog.id == Post.blog_id)
    return _rows(engine, query.outerjoin(Author, Author.id == Comment.author_id).where(Blog.key == blog))


def _labels(engine: Engine, blog: str) -> tuple[list[tuple[str, str]], datetime | None, list[str]]:
    """(the post's labels as (title, name) rows, its labels_as_of, every label of the blog by name)."""
    linked = select(Post.title, Label.name).join(PostLabel, PostLabel.post_id == Post.id).join(Label)
    as_of = select(Post.labels_as_of).join(Blog, Blog.id == Post.blog_id).where(Blog.key == blog)
    names = select(Label.name).join(Blog, Blog.id == Label.blog_id).where(Blog.key == blog).order_by(Label.name)
    with engine.connect() as conn:
        rows = conn.execute(linked.join(Blog, Blog.id == Post.blog_id).where(Blog.key == blog).order_by(Label.name))
        return (
            [(title, name) for title, name in rows],
            conn.execute(as_of).scalar_one(),
            list(conn.execute(names).scalars()),
        )


def _rows(engine: Engine, query: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]
