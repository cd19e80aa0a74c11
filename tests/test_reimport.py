"""Importing again, in another order, or a newer crawl (issue 2, points 2-4)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SEED_FILES, SEEDS, run
from tests.dbdump import CONTENT_TABLES, natural_dump, query, raw_dump

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

RUN_TABLES = ("import_runs", "import_run_counts", "sources")


def import_json(*args: object) -> dict:
    result = run("import", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def entities(summary: dict, field: str) -> dict[str, int]:
    return {name: counts[field] for name, counts in summary["entities"].items() if counts[field]}


# What a later run may not change about a source it saw before.
SOURCE_FACTS = (
    'SELECT id, "key", locator, sha256, format, size_bytes, error, import_fingerprint, first_run_id, '
    "created_at FROM sources ORDER BY id"
)


def rerun_changes_nothing(db_url: str, *args: str) -> dict:
    """Run the import again and check that every content table stays byte-identical; return its summary."""
    before, sources_before = raw_dump(db_url), query(db_url, SOURCE_FACTS)
    summary = import_json(SEEDS, "--db", db_url, *args)
    after = raw_dump(db_url)
    assert set(CONTENT_TABLES) <= set(after)
    assert {t: v for t, v in after.items() if t not in RUN_TABLES} == {
        t: v for t, v in before.items() if t not in RUN_TABLES
    }
    # The run's own records say what happened, and nothing else.
    assert after["import_runs"][0] == before["import_runs"][0]
    assert after["import_run_counts"][: len(before["import_run_counts"])] == before["import_run_counts"]
    assert len(after["import_run_counts"]) == 2 * len(before["import_run_counts"])
    assert query(db_url, SOURCE_FACTS) == sources_before
    assert {r["last_run_id"] for r in query(db_url, "SELECT last_run_id FROM sources")} == {2}
    return summary


def test_second_run_reports_unchanged_and_changes_nothing(seeded: str) -> None:
    summary = rerun_changes_nothing(seeded)
    assert summary["sources"] == {"imported": 0, "unchanged": 5, "partial": 0, "failed": 0}
    assert entities(summary, "inserted") == entities(summary, "updated") == entities(summary, "unchanged") == {}
    assert query(
        seeded, "SELECT id, status, sources_imported, sources_unchanged, sources_failed FROM import_runs WHERE id = 2"
    ) == [{"id": 2, "status": "succeeded", "sources_imported": 0, "sources_unchanged": 5, "sources_failed": 0}]
    assert {r["status"] for r in query(seeded, "SELECT status FROM sources")} == {"unchanged"}


def test_forced_reparse_changes_nothing_either(seeded: str) -> None:
    summary = rerun_changes_nothing(seeded, "--force")
    assert summary["sources"] == {"imported": 5, "unchanged": 0, "partial": 0, "failed": 0}
    assert entities(summary, "inserted") == entities(summary, "updated") == {}
    assert entities(summary, "unchanged") == {
        "blogs": 5,
        "authors": 1,
        "labels": 1,
        "posts": 7,
        "post_labels": 3,
        "comments": 96,
        "comment_references": 13,
    }
    assert {r["status"] for r in query(seeded, "SELECT status FROM sources")} == {"imported"}


def test_one_file_at_a_time_in_reverse_order_gives_the_same_rows(seeded: str, new_db: Callable[[], str]) -> None:
    reverse = new_db()
    for path in reversed(SEED_FILES):
        import_json(path, "--db", reverse)
    assert natural_dump(reverse) == natural_dump(seeded)
    assert len(natural_dump(reverse)["comments"]) == 96


def test_a_changed_option_imports_again(seeded: str) -> None:
    summary = import_json(SEEDS, "--db", seeded, "--blog-author", "Jim Brown")
    assert summary["sources"] == {"imported": 5, "unchanged": 0, "partial": 0, "failed": 0}
    assert entities(summary, "updated") == {"posts": 5}  # all but the two guest posts gain their author
    assert entities(summary, "inserted") == {"authors": 1}


def test_a_second_crawl_adds_exactly_the_new_comment_and_reply(tmp_path: Path, db_url: str) -> None:
    crawl = tmp_path / "crawl"
    shutil.copytree(SEEDS, crawl)
    import_json(crawl, "--db", db_url)
    before = natural_dump(db_url)
    raw_before = raw_dump(db_url)
    (first,) = crawl.glob("000_*.txt")
    shutil.copyfile(FIXTURES / "000_second_crawl.txt", first)

    summary = import_json(crawl, "--db", db_url)

    assert summary["sources"] == {"imported": 1, "unchanged": 4, "partial": 0, "failed": 0}
    assert entities(summary, "inserted") == {"comments": 2}
    assert entities(summary, "updated") == {}
    after = natural_dump(db_url)
    assert {t: after[t] for t in CONTENT_TABLES if t != "comments"} == {
        t: before[t] for t in CONTENT_TABLES if t != "comments"
    }
    added = [row for row in after["comments"] if row not in before["comments"]]
    assert sorted((dict(r)["path"], dict(r)["depth"], dict(r)["body_text"]) for r in added) == [
        ("0008.0001", 1, "And the relationship takes time, which is the one thing the new providers will not pay for."),
        ("0022", 0, "Late to this one, but it is still the best description of the job I have read in years."),
    ]
    assert len(after["comments"]) == 98
    # Rows that were there keep their ids and timestamps: only new lines in the comments table.
    raw_after = raw_dump(db_url)
    assert set(raw_before["comments"]) <= set(raw_after["comments"])
    assert {t: raw_after[t] for t in CONTENT_TABLES if t != "comments"} == {
        t: raw_before[t] for t in CONTENT_TABLES if t != "comments"
    }
    (reply,) = query(
        db_url,
        """SELECT c.parent_id = p.id AS under_8, c.thread_id = p.id AS in_thread
                                FROM comments c JOIN comments p ON p.path = '0008' AND p.post_id = c.post_id
                                JOIN posts ON posts.id = c.post_id
                                WHERE c.path = '0008.0001' AND posts.title = 'Guest Blog 24'""",
    )
    assert reply == {"under_8": 1, "in_thread": 1}
