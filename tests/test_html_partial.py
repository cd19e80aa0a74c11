"""Issue 16, point 4: a page that declares more comments than it gives says so. Where it holds comment markup
the parser did not read (or only a first batch of a long thread), the source is partial with a one-line reason,
never silently imported; where it holds no comment markup at all (its comments are drawn from elsewhere), it is
imported and says "comments not on the page"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run
from tests.dbdump import query

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

AFTER_SCRIPT = FIXTURES / "html-after-comment-script.html"
GOOGLE = FIXTURES / "html-google-template.html"
TAKEOUT = FIXTURES / "formats" / "takeout-2018ns_epistemic-forge_excerpt.atom"
MISSING_THREAD = FIXTURES / "takeout-epistemic-forge-missing-thread.atom"


def variant(tmp_path: Path, name: str, *changes: tuple[str, str]) -> Path:
    """The page saved after the comment script ran, changed as given."""
    text = AFTER_SCRIPT.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def unreadable(tmp_path: Path) -> Path:
    """Its six comments in markup the parser does not read: comment blocks in <div>s, not li.comment."""
    return variant(tmp_path, "unreadable.html", ('<li id="bc_0_', '<div id="bc_0_'), ("</li>", "</div>"))


def test_comment_markup_not_read_makes_the_source_partial(tmp_path: Path, db_url: str) -> None:
    page = unreadable(tmp_path)
    result = run("import", page, "--db", db_url, "--json")
    assert result.exit_code == 0
    assert result.stderr == f"partial: {page}: declares 6 comments, read 0\n"
    summary = json.loads(result.stdout)
    assert (summary["sources"], summary["partial"], summary["notes"]) == (
        {"imported": 0, "unchanged": 0, "partial": 1, "failed": 0},
        [{"locator": str(page), "waiting": 0, "reason": "declares 6 comments, read 0"}],
        [],
    )
    assert query(db_url, "SELECT status, error FROM sources") == [
        {"status": "partial", "error": "declares 6 comments, read 0"}
    ]
    # What it holds is stored all the same: the post, and the count it declares.
    assert query(db_url, "SELECT title, declared_comment_count FROM posts") == [
        {"title": "Low tide at the saltmarsh", "declared_comment_count": 6}
    ]
    assert query(db_url, "SELECT count(*) AS n FROM comments") == [{"n": 0}]


def test_a_first_batch_of_comments_makes_the_source_partial_and_it_stays_so(tmp_path: Path, db_url: str) -> None:
    """A long thread shows a first batch and "Load more": the page holds 6 of the 9 it declares. Comments that
    other sources bring later do not make it whole."""
    page = variant(
        tmp_path,
        "first-batch.html",
        ("<h4>6 comments:</h4>", "<h4>9 comments:</h4>"),
        ('class="loadmore loaded"', 'class="loadmore"'),
    )
    assert run("import", page, "--db", db_url).stderr == f"partial: {page}: declares 9 comments, read 6\n"
    assert query(db_url, "SELECT count(*) AS n FROM comments") == [{"n": 6}]
    # The Takeout excerpt's comment waits, then its thread comes: that source is done; the page is not.
    assert run("import", TAKEOUT, "--db", db_url).exit_code == 0
    assert run("import", MISSING_THREAD, "--db", db_url).exit_code == 0
    rows = query(db_url, "SELECT locator, status, error FROM sources ORDER BY id")
    assert [(r["locator"].rsplit("/", 1)[-1], r["status"], r["error"]) for r in rows] == [
        ("first-batch.html", "partial", "declares 9 comments, read 6"),
        (TAKEOUT.name, "imported", None),
        (MISSING_THREAD.name, "imported", None),
    ]
    again = json.loads(run("import", page, "--db", db_url, "--json").stdout)  # partial: read again, not skipped
    assert (again["sources"]["partial"], again["entities"]["comments"]["unchanged"]) == (1, 6)


def test_a_page_whose_comments_are_drawn_from_elsewhere_is_imported_and_says_so(db_url: str) -> None:
    result = run("import", GOOGLE, "--db", db_url, "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    summary = json.loads(result.stdout)
    assert (summary["sources"]["imported"], summary["partial"], summary["notes"]) == (
        1,
        [],
        [{"locator": str(GOOGLE), "note": "comments not on the page"}],
    )
    # Found unchanged the next time, it still says so.
    assert json.loads(run("import", GOOGLE, "--db", db_url, "--json").stdout)["sources"]["unchanged"] == 1
    assert query(db_url, "SELECT status, error FROM sources") == [
        {"status": "unchanged", "error": "comments not on the page"}
    ]


def test_a_page_that_holds_what_it_declares_is_imported_without_remark(db_url: str) -> None:
    assert run("import", AFTER_SCRIPT, "--db", db_url).stderr == ""
    assert query(db_url, "SELECT status, error FROM sources") == [{"status": "imported", "error": None}]
