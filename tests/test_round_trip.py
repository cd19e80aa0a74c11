"""Every character of a blog comes back as it went in, on every engine (issue 5, point 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.dbdump import query

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

TITLE = "“Curly” ‘quotes’ £46 🙂 👍🏽 Café — " + "ß" * 4900
TITLE = TITLE + "x" * (5000 - len(TITLE))
BODY = "Price: £46 — “quoted” and ‘single’.\nEmoji 🙂🎉👨‍👩‍👧 and 漢字, Ελληνικά, עברית."
COMMENT = "Café ☕ — “re” ‘that’ 🙂\nsecond line ✓"


def test_text_of_every_kind_reads_back_identical(tmp_path: Path, db_url: str) -> None:
    page = tmp_path / "unicode.txt"
    page.write_text(
        f"Monday, 7 February 2015\n\n{TITLE}\n\n{BODY}\n\n1 comment:\n\n  1. " + COMMENT.replace("\n", "\n    ") + "\n",
        encoding="utf-8",
    )
    result = run("import", page, "--db", db_url)
    assert result.exit_code == 0, result.output
    assert len(TITLE) == 5000
    assert query(db_url, "SELECT title, body_text FROM posts") == [{"title": TITLE, "body_text": BODY}]
    assert query(db_url, "SELECT body_text FROM comments") == [{"body_text": COMMENT}]
    again = run("import", page, "--db", db_url, "--force")
    assert "new: none; updated: none" in again.stdout  # and the same text is the same row
