"""Where comments placed by Blogger id stand among their siblings: their step in the path, for a set of posts.

An export numbers a post's comments among all their siblings by the time they were posted. A blog read from its
feeds a page at a time brings a post's comments in several sources, so each waiting comment is numbered among every
sibling stored, not only those of its own source; and when an older sibling arrives later, the stored ones after it
move down, with their replies. Groups whose comments show their numbers (a page's) keep them. Keys are not numbered
so: identity.comment_keys counts identical siblings within one source, and a stored contract decides what a key is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, select

from blogimport.models import Comment
from blogimport.store import sql
from blogimport.store.rows import Writer

# What numbering needs of a post's stored comments.
_NUMBERED = select(
    Comment.id,
    Comment.post_id,
    Comment.parent_id,
    Comment.path,
    Comment.position,
    Comment.published_at,
    Comment.blogger_id,
).where(Comment.post_id.in_(bindparam("posts", expanding=True)))


def steps(
    stored: Sequence[Mapping[str, Any]], waiting: Mapping[str, Mapping[str, Any]], post_blogger_id: str
) -> dict[str, int]:
    """Each comment's number among its siblings, by Blogger id: the stored comments of one post and those waiting
    for it (by Blogger id) together, ordered by the time they were posted, then by id."""
    bid_of = {row["id"]: row["blogger_id"] for row in stored}
    every: dict[str, tuple[str | None, Any, bool]] = {
        row["blogger_id"]: (bid_of.get(row["parent_id"]), row["published_at"], row["position"] is not None)
        for row in stored
        if row["blogger_id"]
    }
    for bid, row in waiting.items():
        parent = row["parent_blogger_id"]
        every[bid] = (None if parent in (None, "", post_blogger_id) else parent, row["published_at"], False)
    shown = {row["parent_id"] for row in stored if not row["blogger_id"] or row["position"] is not None}
    groups: dict[str | None, list[tuple[Any, ...]]] = defaultdict(list)
    for bid, (parent, published, numbered) in every.items():
        groups[parent].append((published is None, published or 0, int(bid), bid, numbered))
    id_of = {row["blogger_id"]: row["id"] for row in stored if row["blogger_id"]}
    found: dict[str, int] = {}
    for parent, siblings in groups.items():
        if any(sibling[4] for sibling in siblings) or (id_of.get(parent, -1) if parent else None) in shown:
            continue
        found.update({sibling[3]: number for number, sibling in enumerate(sorted(siblings), 1)})
    return found


def moved(stored: Sequence[Mapping[str, Any]], numbers: Mapping[str, int], placed: Collection[str]) -> bool:
    """Whether a stored comment not placed now stands elsewhere among its siblings (an older one arrives)."""
    return any(
        row["blogger_id"] in numbers and f"{numbers[row['blogger_id']]:04d}" != row["path"].rsplit(".")[-1]
        for row in stored
        if row["blogger_id"] not in placed
    )


def renumber(writer: Writer, post_ids: Sequence[int]) -> None:
    """The paths of these posts' stored comments whose place among their siblings moved, and their replies', made
    again by the rule of steps(): the posts' comments read in one statement (per chunk), changes written as one
    batch."""
    stored: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for chunk in sql.chunks(sorted(set(post_ids))):
        for row in writer.conn.execute(_NUMBERED, {"posts": list(chunk)}).mappings():
            stored[row["post_id"]].append(dict(row))
    changed = [{**change, "updated_at": writer.now} for rows in stored.values() for change in _new_paths(rows)]
    sql.update_by_id(writer.conn, Comment.__table__, changed, ["path"])
    writer.counts["comments"].updated += len(changed)


def _new_paths(stored: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One post's comments whose path changes, with it."""
    numbers = steps(stored, {}, "")
    children: dict[int | None, list[Mapping[str, Any]]] = defaultdict(list)
    for row in stored:
        children[row["parent_id"]].append(row)
    changed: list[dict[str, Any]] = []
    frontier: list[tuple[Mapping[str, Any], str]] = [(top, "") for top in children[None]]
    while frontier:
        comment, prefix = frontier.pop()
        own = comment["path"].rsplit(".", 1)[-1]
        step = f"{numbers[comment['blogger_id']]:04d}" if comment["blogger_id"] in numbers else own
        path = f"{prefix}.{step}" if prefix else step
        if path != comment["path"]:
            changed.append({"id": comment["id"], "path": path})
        frontier += [(child, path) for child in children[comment["id"]]]
    return changed
