"""An export's comments placed in sets (issue 17): the order of its entries does not matter, a forced re-read of an
unchanged export writes nothing (not even to the table where comments wait), and a changed comment among unchanged
ones is placed with them as if all had waited; comments older than stored ones, arriving later, move those down."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.conftest import FIXTURES, run
from tests.dbdump import natural_dump, query
from tests.test_import_seeds import tally

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

WGDD = FIXTURES / "formats" / "classic-export_wgdd.de_2019.xml"
ATOM = "{http://www.w3.org/2005/Atom}"
REPLY = "tag:blogger.com,1999:blog-4131419324726672281.post-5188576754856182998"  # a reply by the blog's author


def import_json(*args: object) -> dict[str, Any]:
    result = run("import", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def rewritten(tmp_path: Path, name: str, change: Callable[[Any], None]) -> Path:
    root = etree.fromstring(WGDD.read_bytes())
    change(root)
    path = tmp_path / name
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return path


def reversed_entries(root: Any) -> None:
    """Every entry in the opposite order: replies before their comments, comments before their posts."""
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        root.remove(entry)
    root.extend(reversed(entries))


def edited_reply(root: Any) -> None:
    (entry,) = [e for e in root.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == REPLY]
    content = entry.find(f"{ATOM}content")
    content.text += " (Edited: the stick was /dev/sdc.)"


def changed_entities(summary: dict[str, Any]) -> dict[str, Any]:
    return {name: t for name, t in summary["entities"].items() if t["inserted"] or t["updated"] or t["deleted"]}


def test_comments_before_their_posts_give_the_same_rows(tmp_path: Path, new_db: Callable[[], str]) -> None:
    in_order, backwards = new_db(), new_db()
    import_json(WGDD, "--db", in_order)
    summary = import_json(rewritten(tmp_path, "backwards.xml", reversed_entries), "--db", backwards)
    assert summary["sources"] == {"imported": 1, "unchanged": 0, "partial": 0, "failed": 0}
    assert (summary["entities"]["comments"], summary["waiting"]) == (tally(inserted=108), 0)
    assert summary["entities"]["pending_comments"] == tally(inserted=108, deleted=108)  # all waited for their post
    assert natural_dump(backwards) == natural_dump(in_order)
    assert query(backwards, "SELECT count(*) AS n FROM pending_comments") == [{"n": 0}]


def test_a_forced_reread_of_an_unchanged_export_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "export.db"
    url = f"sqlite:///{path}"
    backwards = rewritten(tmp_path, "backwards.xml", reversed_entries)  # its comments all wait, the first time
    import_json(backwards, "--db", url)
    before = _pages(path), path.stat().st_size
    summary = import_json(backwards, "--db", url, "--force")
    assert summary["sources"] == {"imported": 1, "unchanged": 0, "partial": 0, "failed": 0}
    assert changed_entities(summary) == {}
    assert summary["entities"]["comments"] == tally(unchanged=108)
    assert summary["entities"]["pending_comments"] == tally()
    assert (_pages(path), path.stat().st_size) == before  # not a page more: nothing went in and out


def test_a_changed_comment_among_unchanged_ones_in_either_order(tmp_path: Path, new_db: Callable[[], str]) -> None:
    edited = rewritten(tmp_path, "edited.xml", edited_reply)
    one, other = new_db(), new_db()
    import_json(WGDD, "--db", one)
    summary = import_json(edited, "--db", one)
    # The edited reply waits alone; its siblings, stored as the export has them, are placed with it.
    assert summary["entities"]["pending_comments"] == tally(inserted=1, deleted=1)
    assert summary["entities"]["comments"] == tally(updated=1, unchanged=107)
    import_json(edited, "--db", other)
    import_json(WGDD, "--db", other)
    # A comment found by its Blogger id keeps the key it was first stored under (store/rows.py): the only difference.
    assert _without_keys(natural_dump(one)) == _without_keys(natural_dump(other))
    (reply,) = query(one, "SELECT path, depth, body_text FROM comments WHERE blogger_id = '5188576754856182998'")
    assert (reply["path"], reply["depth"]) == ("0006.0001", 1)
    assert reply["body_text"].endswith(" (Edited: the stick was /dev/sdc.)")


def _without_keys(dump: dict[str, Any]) -> dict[str, Any]:
    comments = sorted(repr(tuple(pair for pair in row if pair[0] != "key")) for row in dump["comments"])
    return {**dump, "comments": comments}


def _pages(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA page_count").fetchone()[0])


# The oldest comment of two posts (one with replies after it) and an earlier reply of a third: they come late.
LATE = {"4547970863725465405", "3843764487380696695", "3421418055151544788"}
COMMENT_KIND = "http://schemas.google.com/blogger/2008/kind#comment"


def _comment_id(entry: Any) -> str | None:
    kinds = [c.get("term") for c in entry.findall(f"{ATOM}category")]
    return entry.findtext(f"{ATOM}id").rsplit("-", 1)[-1] if COMMENT_KIND in kinds else None


def test_older_comments_arriving_later_move_the_stored_ones_down(tmp_path: Path) -> None:
    """An export's comments are numbered among every stored sibling by the time they were posted (a blog read a
    page at a time gives the paths one export gives): comments older than stored ones, arriving in a later source,
    move those down with their replies, for every post of the set in one batch."""

    def keep(wanted: Callable[[str | None], bool]) -> Callable[[Any], None]:
        def change(root: Any) -> None:
            for entry in root.findall(f"{ATOM}entry"):
                if (bid := _comment_id(entry)) is not None and not wanted(bid):
                    root.remove(entry)

        return change

    whole, split = f"sqlite:///{tmp_path / 'whole.db'}", f"sqlite:///{tmp_path / 'split.db'}"
    import_json(WGDD, "--db", whole)
    import_json(rewritten(tmp_path, "early.xml", keep(lambda bid: bid not in LATE)), "--db", split)
    summary = import_json(rewritten(tmp_path, "late.xml", keep(lambda bid: bid in LATE)), "--db", split)
    # The 3 late ones, and 14 stored comments moved: 4 of one post, 9 of another, a reply of the third.
    assert summary["entities"]["comments"] == tally(inserted=3, updated=14)
    assert summary["waiting"] == 0
    every = (
        "SELECT p.blogger_id AS post, c.blogger_id, c.path, c.depth, c.key FROM comments c"
        " JOIN posts p ON p.id = c.post_id ORDER BY p.blogger_id, c.path"
    )
    assert query(split, every) == query(whole, every)
    moved = "SELECT c.blogger_id, c.path FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.blogger_id = ?"
    assert query(split, moved + " ORDER BY c.path", "5969061587102908478") == [
        {"blogger_id": "4547970863725465405", "path": "0001"},
        {"blogger_id": "7210422196860940744", "path": "0002"},
        {"blogger_id": "2084380682146809651", "path": "0002.0001"},
        {"blogger_id": "3348756894742644831", "path": "0002.0002"},
        {"blogger_id": "6015779751926753521", "path": "0003"},
    ]
