"""Full-text search over posts and comments (the `search` command), through each engine's own index.

The indexes come from migration 0005. Every engine gets the same question: each word given must begin a word of
the text, in any case ("interserv" finds "Interserve's"); all words must be there. The SQL below is the SQL
README shows, so what people type into their client finds what `blogimport search` finds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, Engine, text

from blogimport.errors import ImporterError
from blogimport.models.base import UTCDateTime

WORD = re.compile(r"\w+")
EXCERPT_CHARS = 100

# "This row's text holds the words", per engine and table; the expressions are exactly those the indexes were
# built on (migration 0005), or the engine would not use them.
MATCH = {
    "sqlite": {
        "posts": "p.id IN (SELECT rowid FROM search_posts WHERE search_posts MATCH :query)",
        "comments": "c.id IN (SELECT rowid FROM search_comments WHERE search_comments MATCH :query)",
    },
    "postgresql": {
        "posts": "to_tsvector('simple', translate(coalesce(p.title, '') || ' ' || p.body_text, "
        "'/@.<>&', '      ')) @@ to_tsquery('simple', :query)",
        "comments": "to_tsvector('simple', translate(c.body_text, '/@.<>&', '      ')) @@ to_tsquery('simple', :query)",
    },
    "mysql": {
        "posts": "MATCH (p.title, p.body_text) AGAINST (:query IN BOOLEAN MODE)",
        "comments": "MATCH (c.body_text) AGAINST (:query IN BOOLEAN MODE)",
    },
}
# MySQL's index leaves out words shorter than innodb_ft_min_token_size (3 unless the server says otherwise):
# those words are looked for in the text itself, slower but the same answer.
MYSQL_TEXT = {"posts": "concat_ws(' ', p.title, p.body_text)", "comments": "c.body_text"}

POSTS = """
SELECT p.id, p.published_on, p.title, p.url, p.body_text FROM posts p
WHERE {match} ORDER BY p.published_on, p.id{limit}
"""
COMMENTS = """
SELECT c.id, c.post_id, p.title AS post_title, c.path, c.published_at, a.name AS author, c.body_text
FROM comments c JOIN posts p ON p.id = c.post_id LEFT JOIN authors a ON a.id = c.author_id
WHERE {match} ORDER BY p.published_on, c.post_id, c.path{limit}
"""
# How many match, when LIMIT cut the list short (every comment has its post: no join needed).
COUNT = {
    "posts": "SELECT count(*) FROM posts p WHERE {match}",
    "comments": "SELECT count(*) FROM comments c WHERE {match}",
}


class SearchError(ImporterError):
    """Words that no engine could search for."""


@dataclass(frozen=True)
class Hit:
    kind: str  # "post" or "comment"
    id: int
    post_id: int
    title: str | None  # the post's title (for a comment, the title of its post)
    when: date | datetime | None  # a post's day, a comment's time where the source gave one
    author: str | None
    path: str | None  # a comment's place in its thread
    excerpt: str

    def as_json(self) -> dict[str, Any]:
        fields = dict(self.__dict__)
        fields["when"] = self.when.isoformat() if self.when else None
        return fields


def words_of(phrase: str) -> list[str]:
    words = WORD.findall(phrase.lower())
    if not words:
        raise SearchError(f"nothing to search for in {phrase!r}: give at least one word")
    return words


def engine_query(dialect: str, words: list[str]) -> str:
    """The words as the engine's search syntax: each a word prefix, all required."""
    if dialect == "sqlite":
        return " ".join(f'"{w}"*' for w in words)
    if dialect == "postgresql":
        return " & ".join(f"{w}:*" for w in words)
    return " ".join(f"+{w}*" for w in words)


@dataclass(frozen=True)
class Found:
    hits: list[Hit]  # at most `limit` posts, then at most `limit` comments
    posts: int  # how many posts match, shown or not
    comments: int  # how many comments match, shown or not


def search(engine: Engine, phrase: str, limit: int | None = None) -> Found:
    """Posts, then comments, whose text holds every word of `phrase`, in the blog's order; at most `limit` of
    each, and how many of each match in all."""
    words = words_of(phrase)
    dialect = "mysql" if engine.dialect.name in ("mysql", "mariadb") else engine.dialect.name
    clause = "" if limit is None else " LIMIT :limit"
    with engine.connect() as conn:
        conditions, parameters = _conditions(conn, dialect, words)
        posts_sql = text(POSTS.format(match=conditions["posts"], limit=clause)).columns(published_on=Date)
        comments_sql = text(COMMENTS.format(match=conditions["comments"], limit=clause)).columns(
            published_at=UTCDateTime
        )
        posts = conn.execute(posts_sql, {**parameters, "limit": limit}).mappings().all()
        comments = conn.execute(comments_sql, {**parameters, "limit": limit}).mappings().all()
        matching = [
            _matching(conn, table, conditions[table], parameters, len(rows), limit)
            for table, rows in (("posts", posts), ("comments", comments))
        ]
    hits = [
        Hit(
            "post",
            row["id"],
            row["id"],
            row["title"],
            row["published_on"],
            None,
            None,
            excerpt(row["body_text"], words[0]),
        )
        for row in posts
    ]
    hits += [
        Hit(
            "comment",
            row["id"],
            row["post_id"],
            row["post_title"],
            row["published_at"],
            row["author"],
            row["path"],
            excerpt(row["body_text"], words[0]),
        )
        for row in comments
    ]
    return Found(hits, *matching)


def _matching(
    conn: Connection, table: str, match: str, parameters: dict[str, Any], shown: int, limit: int | None
) -> int:
    """How many rows of `table` match: those shown, unless the limit may have left some out."""
    if limit is None or shown < limit:
        return shown
    return int(conn.execute(text(COUNT[table].format(match=match)), parameters).scalar_one())


def _conditions(conn: Connection, dialect: str, words: list[str]) -> tuple[dict[str, str], dict[str, Any]]:
    """The WHERE condition for posts and for comments, and its parameters."""
    if dialect != "mysql":
        return MATCH[dialect], {"query": engine_query(dialect, words)}
    shortest = conn.execute(text("SELECT @@innodb_ft_min_token_size")).scalar_one()
    indexed = [w for w in words if len(w) >= shortest]
    parameters: dict[str, Any] = {"query": engine_query(dialect, indexed)}
    parameters |= {f"short{i}": rf"\b{w}" for i, w in enumerate(w for w in words if len(w) < shortest)}
    conditions = {}
    for table, match in MATCH["mysql"].items():
        parts = [match] if indexed else []
        parts += [f"{MYSQL_TEXT[table]} REGEXP :{name}" for name in parameters if name.startswith("short")]
        conditions[table] = " AND ".join(parts)
    return conditions, parameters


def excerpt(body: str, word: str) -> str:
    """One line of text around the first place `word` begins a word."""
    flat = " ".join(body.split())
    found = re.search(rf"(?<!\w){re.escape(word)}", flat, re.IGNORECASE)
    start = max(0, (found.start() if found else 0) - EXCERPT_CHARS // 3)
    piece = flat[start : start + EXCERPT_CHARS]
    return ("…" if start else "") + piece + ("…" if start + EXCERPT_CHARS < len(flat) else "")
