"""Bad input: a clear line, the source recorded as failed, nothing half-written, the rest imported (point 5)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import SEEDS, run
from tests.dbdump import assert_database_sound, connect, query

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    """The seeds plus three files that are not blog pages."""
    folder = tmp_path / "crawl"
    shutil.copytree(SEEDS, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(PNG_HEADER + bytes(range(256)) * 4)
    (folder / "notes.txt").write_text("Things to read later\n\nthe inspectorate report\nRussell's roundup\n")
    return folder


def test_bad_files_fail_alone_with_one_line_each(crawl: Path, db_url: str) -> None:
    result = run("import", crawl, "--db", db_url)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {crawl / 'empty.txt'}: empty file",
        f"error: {crawl / 'image.png'}: binary file: not a text rendering, saved page or export",
        f"error: {crawl / 'notes.txt'}:1: no post found: no date line such as 'Saturday, 7 February 2015'",
    ]
    assert result.stdout.startswith("8 sources: 5 imported, 0 unchanged, 3 failed; new: ")
    failed = query(
        db_url, "SELECT locator, status, format, error FROM sources WHERE status = 'failed' ORDER BY locator"
    )
    assert failed == [
        {
            "locator": str(crawl / "empty.txt"),
            "status": "failed",
            "format": None,
            "error": f"{crawl / 'empty.txt'}: empty file",
        },
        {
            "locator": str(crawl / "image.png"),
            "status": "failed",
            "format": None,
            "error": f"{crawl / 'image.png'}: binary file: not a text rendering, saved page or export",
        },
        {
            "locator": str(crawl / "notes.txt"),
            "status": "failed",
            "format": "text",
            "error": f"{crawl / 'notes.txt'}:1: no post found: no date line such as 'Saturday, 7 February 2015'",
        },
    ]
    (counts,) = query(
        db_url,
        "SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM comments) AS c, "
        "(SELECT count(*) FROM sources WHERE status = 'imported') AS imported",
    )
    assert counts == {"posts": 7, "c": 96, "imported": 5}
    assert query(db_url, "SELECT status, sources_imported, sources_failed FROM import_runs") == [
        {"status": "failed", "sources_imported": 5, "sources_failed": 3}
    ]
    assert_database_sound(db_url)


def test_failed_sources_are_retried_and_still_fail(crawl: Path, db_url: str) -> None:
    run("import", crawl, "--db", db_url)
    result = run("import", crawl, "--db", db_url, "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["sources"] == {"imported": 0, "unchanged": 5, "partial": 0, "failed": 3}
    assert [Path(f["locator"]).name for f in summary["failures"]] == ["empty.txt", "image.png", "notes.txt"]


def test_a_file_that_fails_half_way_writes_nothing(tmp_path: Path, db_url: str) -> None:
    page = tmp_path / "label-page.txt"
    page.write_text("Tuesday, 21 May 2019\n\nThe Reality\n\nA body.\n\n  1. A comment.\n\nMonday, 20 May 2019\n\n")
    result = run("import", page, SEEDS / "003_98f9d70e718b516f.txt", "--db", db_url)
    assert result.exit_code == 1
    assert result.stderr == f"error: {page}:9: date line with no post after it\n"
    assert [r["title"] for r in query(db_url, "SELECT title FROM posts")] == ["Guest Blog 68"]
    assert_database_sound(db_url)


# A real refusal, late in one source: a trigger on SQLite, a check constraint on the servers.
REFUSALS = {
    "sqlite": "CREATE TRIGGER refused_by_test BEFORE INSERT ON comments "
    "WHEN NEW.body_text LIKE 'Interserve have lost%' BEGIN SELECT RAISE(ABORT, 'refused_by_test'); END",
    "postgresql": "ALTER TABLE comments ADD CONSTRAINT refused_by_test "
    "CHECK (body_text NOT LIKE 'Interserve have lost%')",
    "mysql": "ALTER TABLE comments ADD CONSTRAINT refused_by_test CHECK (body_text NOT LIKE 'Interserve have lost%')",
}


def test_a_source_the_database_refuses_is_rolled_back_whole(engine_name: str, db_url: str) -> None:
    run("db", "upgrade", "--db", db_url)
    engine = connect(db_url)
    with engine.begin() as conn:
        conn.execute(text(REFUSALS[engine_name]))  # text(): the drivers read a bare % as a placeholder
    engine.dispose()
    result = run("import", SEEDS, "--db", db_url)
    (masterclass,) = SEEDS.glob("001_*.txt")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {masterclass}: the database refused it: ") and "refused_by_test" in line
    assert query(db_url, "SELECT count(*) AS n FROM posts WHERE title = 'Probation Masterclass'") == [{"n": 0}]
    assert query(db_url, "SELECT count(*) AS posts, (SELECT count(*) FROM comments) AS comments FROM posts") == [
        {"posts": 6, "comments": 96 - 32}
    ]
    assert query(db_url, "SELECT status FROM sources WHERE locator = ?", str(masterclass)) == [{"status": "failed"}]
    assert_database_sound(db_url)


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path, db_url: str) -> None:
    result = run("import", tmp_path / "missing", "--db", db_url)
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_a_parser_bug_fails_its_source_only(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    from blogimport.formats import text

    real_parse = text.parse

    def parse(stream: object, locator: str, options: object) -> object:
        if "003_" in locator:
            raise IndexError("list index out of range")
        return real_parse(stream, locator, options)  # type: ignore[arg-type]

    monkeypatch.setattr(text, "parse", parse)
    result = run("import", SEEDS, "--db", db_url)
    (guest,) = SEEDS.glob("003_*.txt")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {guest}: parser failed (IndexError: list index out of range); please report this file\n"
    )
    assert query(db_url, "SELECT count(*) AS n FROM posts") == [{"n": 6}]
