"""The quick check: a source whose size and modification time (a zip member's size and CRC) are what they were at
its last import is found unchanged without being read; `--checksum` reads and hashes it regardless."""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import pytest

from blogimport import sources
from tests.conftest import FIXTURES, SEEDS, run
from tests.dbdump import query
from tests.test_exports import EXCERPT, MISSING_THREAD
from tests.test_reimport import import_json

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

PAST_NS = 1_767_225_600 * 10**9  # 2026-01-01 00:00 UTC: long enough ago to trust
SOURCES = "SELECT locator, status, sha256, file_signature FROM sources ORDER BY locator"


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    """The seeds, last modified at PAST_NS."""
    folder = tmp_path / "crawl"
    shutil.copytree(SEEDS, folder)
    for file in folder.iterdir():
        os.utime(file, ns=(PAST_NS, PAST_NS))
    return folder


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The locators of the sources the import opens (reads), in order."""
    calls: list[str] = []
    discover = sources.discover

    def counting(source: sources.Source) -> sources.Source:
        def open_source() -> AbstractContextManager[BinaryIO]:
            calls.append(source.locator)
            return source.open()

        return replace(source, open=open_source)

    monkeypatch.setattr(sources, "discover", lambda paths: [counting(s) for s in discover(paths)])
    return calls


def signature(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"


def statuses(summary: dict) -> tuple[int, int, int, int]:
    counts = summary["sources"]
    return counts["imported"], counts["unchanged"], counts["partial"], counts["failed"]


def changed_rows(summary: dict) -> dict[str, tuple[int, int]]:
    return {
        name: (t["inserted"], t["updated"]) for name, t in summary["entities"].items() if t["inserted"] or t["updated"]
    }


def test_a_rerun_opens_no_unchanged_file(crawl: Path, db_url: str, opened: list[str]) -> None:
    files = sorted(crawl.iterdir())
    assert statuses(import_json(crawl, "--db", db_url, "--jobs", 1)) == (5, 0, 0, 0)
    assert opened == [str(f) for f in files]  # each read once: hashed and parsed from the same bytes
    first = query(db_url, SOURCES)
    assert [(r["locator"], r["status"], r["file_signature"]) for r in first] == [
        (str(f), "imported", signature(f)) for f in files
    ]
    opened.clear()

    summary = import_json(crawl, "--db", db_url, "--jobs", 1)

    assert statuses(summary) == (0, 5, 0, 0)
    assert changed_rows(summary) == {}
    assert opened == []
    assert query(db_url, SOURCES) == [{**row, "status": "unchanged"} for row in first]
    assert query(db_url, "SELECT sources_imported, sources_unchanged FROM import_runs ORDER BY id") == [
        {"sources_imported": 5, "sources_unchanged": 0},
        {"sources_imported": 0, "sources_unchanged": 5},
    ]

    assert statuses(import_json(crawl, "--db", db_url, "--jobs", 1, "--checksum")) == (0, 5, 0, 0)
    assert opened == [str(f) for f in files]  # hashed, found unchanged, not parsed
    opened.clear()
    assert statuses(import_json(crawl, "--db", db_url, "--jobs", 1, "--force")) == (5, 0, 0, 0)
    assert opened == [str(f) for f in files]
    assert query(db_url, SOURCES) == [{**row, "status": "imported"} for row in first]


def test_a_touched_file_is_hashed_found_unchanged_and_its_new_signature_kept(
    crawl: Path, db_url: str, opened: list[str]
) -> None:
    import_json(crawl, "--db", db_url, "--jobs", 1)
    first = query(db_url, SOURCES)
    touched = sorted(crawl.iterdir())[2]
    os.utime(touched, ns=(PAST_NS + 10**9, PAST_NS + 10**9))  # same bytes, a second later
    opened.clear()

    summary = import_json(crawl, "--db", db_url, "--jobs", 1)

    assert statuses(summary) == (0, 5, 0, 0)
    assert changed_rows(summary) == {}
    assert opened == [str(touched)]
    after = query(db_url, SOURCES)
    assert after[2] == {
        "locator": str(touched),
        "status": "unchanged",
        "sha256": first[2]["sha256"],
        "file_signature": signature(touched),
    }
    assert after[2]["file_signature"] != first[2]["file_signature"]
    assert after[:2] + after[3:] == [{**row, "status": "unchanged"} for row in first[:2] + first[3:]]
    opened.clear()
    assert statuses(import_json(crawl, "--db", db_url, "--jobs", 1)) == (0, 5, 0, 0)
    assert opened == []


def test_an_edit_that_keeps_size_and_time_is_missed_but_checksum_finds_it(
    crawl: Path, db_url: str, opened: list[str]
) -> None:
    import_json(crawl, "--db", db_url, "--jobs", 1)
    page = crawl / "003_98f9d70e718b516f.txt"
    before = signature(page)
    page.write_bytes(page.read_bytes().replace(b"    2. Oversight?\n", b"    2. Overnight?\n"))
    os.utime(page, ns=(PAST_NS, PAST_NS))
    assert signature(page) == before  # same size, time and inode: only the bytes differ
    opened.clear()

    missed = import_json(crawl, "--db", db_url, "--jobs", 1)

    assert (statuses(missed), changed_rows(missed), opened) == ((0, 5, 0, 0), {}, [])
    assert query(db_url, "SELECT count(*) AS n FROM comments WHERE body_text = ?", "Overnight?") == [{"n": 0}]

    found = import_json(crawl, "--db", db_url, "--jobs", 1, "--checksum")

    assert statuses(found) == (1, 4, 0, 0)
    assert changed_rows(found) == {"comments": (1, 0)}  # the reply as it now reads; the old one is kept
    assert opened == [str(f) for f in sorted(crawl.iterdir())]
    assert query(
        db_url, "SELECT count(*) AS n FROM comments WHERE body_text IN (?, ?)", "Oversight?", "Overnight?"
    ) == [{"n": 2}]
    (row,) = query(db_url, "SELECT status, sha256, file_signature FROM sources WHERE locator = ?", str(page))
    assert row == {
        "status": "imported",
        "sha256": hashlib.sha256(page.read_bytes()).hexdigest(),
        "file_signature": before,
    }


def test_changed_options_or_format_import_again_despite_an_equal_signature(
    crawl: Path, db_url: str, opened: list[str]
) -> None:
    files = [str(f) for f in sorted(crawl.iterdir())]
    import_json(crawl, "--db", db_url, "--jobs", 1)
    opened.clear()

    assert statuses(import_json(crawl, "--db", db_url, "--jobs", 1, "--timezone", "Europe/London")) == (5, 0, 0, 0)
    assert opened == files
    opened.clear()
    assert statuses(import_json(crawl, "--db", db_url, "--jobs", 1, "--timezone", "Europe/London")) == (0, 5, 0, 0)
    assert opened == []
    assert statuses(
        import_json(crawl, "--db", db_url, "--jobs", 1, "--timezone", "Europe/London", "--format", "text")
    ) == (0, 5, 0, 0)  # the format they were read as
    assert opened == []
    result = run("import", files[0], "--db", db_url, "--jobs", 1, "--timezone", "Europe/London", "--format", "html")
    assert (result.exit_code, opened) == (1, files[:1])  # read as a page now: not one
    opened.clear()
    assert statuses(import_json(crawl, "--db", db_url, "--jobs", 1)) == (5, 0, 0, 0)
    assert opened == files


def test_a_file_written_moments_ago_is_read_again_next_time(tmp_path: Path, db_url: str, opened: list[str]) -> None:
    page = tmp_path / "new.txt"
    shutil.copyfile(FIXTURES / "000_second_crawl.txt", page)  # its modification time is now
    import_json(page, "--db", db_url, "--jobs", 1)
    assert query(db_url, "SELECT status, file_signature FROM sources") == [
        {"status": "imported", "file_signature": None}
    ]
    os.utime(page, ns=(PAST_NS, PAST_NS))  # as it will be, once older
    opened.clear()
    assert statuses(import_json(page, "--db", db_url, "--jobs", 1)) == (0, 1, 0, 0)
    assert opened == [str(page)]
    assert query(db_url, "SELECT status, file_signature FROM sources") == [
        {"status": "unchanged", "file_signature": signature(page)}
    ]
    opened.clear()
    assert statuses(import_json(page, "--db", db_url, "--jobs", 1)) == (0, 1, 0, 0)
    assert opened == []


def test_zip_members_are_judged_by_their_size_and_crc(tmp_path: Path, db_url: str, opened: list[str]) -> None:
    archive = tmp_path / "takeout.zip"
    blogs = "Takeout/Blogger/Blogs/Epistemic Forge/feed.atom"
    comments = "Takeout/Blogger/Comments/Epistemic Forge/feed.atom"

    def write(members: dict[str, Path]) -> None:
        archive.unlink(missing_ok=True)
        with zipfile.ZipFile(archive, "w") as zipped:
            for name, content in members.items():
                zipped.writestr(name, content.read_bytes())

    def signatures() -> list[dict[str, str]]:
        with zipfile.ZipFile(archive) as zipped:
            return [
                {"locator": f"{archive}!{i.filename}", "file_signature": f"{i.file_size}:crc{i.CRC:08x}"}
                for i in sorted(zipped.infolist(), key=lambda i: i.filename)
            ]

    write({blogs: MISSING_THREAD, comments: EXCERPT})
    assert statuses(import_json(archive, "--db", db_url, "--jobs", 1)) == (2, 0, 0, 0)
    assert query(db_url, "SELECT locator, file_signature FROM sources ORDER BY locator") == signatures()
    write({blogs: MISSING_THREAD, comments: EXCERPT})  # a new archive (new time, new inode), the same members
    opened.clear()

    assert statuses(import_json(archive, "--db", db_url, "--jobs", 1)) == (0, 2, 0, 0)
    assert opened == []

    write({blogs: MISSING_THREAD, comments: MISSING_THREAD})
    assert statuses(import_json(archive, "--db", db_url, "--jobs", 1)) == (1, 1, 0, 0)
    assert opened == [f"{archive}!{comments}"]
    assert query(db_url, "SELECT locator, file_signature FROM sources ORDER BY locator") == signatures()


def test_help_lists_checksum() -> None:
    assert "--checksum" in run("import", "--help").stdout
